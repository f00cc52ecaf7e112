/// The schema's history. Append new migrations; never edit one that has shipped.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "tenants_keys_catalogue_events_jobs", statements: [
            """
            CREATE TABLE tenants (
                id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, status TEXT NOT NULL, created_at BIGINT NOT NULL,
                rate_limit_per_second DOUBLE PRECISION, rate_limit_burst BIGINT
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), prefix TEXT NOT NULL UNIQUE,
                hash {{BLOB}} NOT NULL, scopes TEXT NOT NULL, name TEXT, created_at BIGINT NOT NULL, revoked_at BIGINT
            )
            """,
            "CREATE INDEX api_keys_tenant ON api_keys (tenant_id)",
            """
            CREATE TABLE interaction_types (
                tenant_id TEXT NOT NULL REFERENCES tenants(id), name {{TEXTKEY}} NOT NULL, weight DOUBLE PRECISION NOT NULL,
                requires_value BIGINT NOT NULL, PRIMARY KEY (tenant_id, name)
            )
            """,
            """
            CREATE TABLE items (
                tenant_id TEXT NOT NULL, item_id {{TEXTKEY}} NOT NULL, title TEXT, category TEXT, tags TEXT NOT NULL,
                properties TEXT NOT NULL, available BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, item_id)
            )
            """,
            """
            CREATE TABLE users (
                tenant_id TEXT NOT NULL, user_id {{TEXTKEY}} NOT NULL, properties TEXT NOT NULL, updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, user_id)
            )
            """,
            """
            CREATE TABLE interactions (
                id {{ID}}, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, item_id TEXT NOT NULL, type TEXT NOT NULL,
                weight DOUBLE PRECISION NOT NULL, ts BIGINT NOT NULL, recommendation_id TEXT, created_at BIGINT NOT NULL
            )
            """,
            // Append-ordered per tenant: inserts touch the right edge only (a (tenant, user) index made every insert a
            // random B-tree write and halved ingest speed). Training scans a tenant in id order. (On PostgreSQL ids
            // follow insert order, not commit order: a reader tailing by id must re-read a window behind its last id.)
            "CREATE INDEX interactions_tenant_id ON interactions (tenant_id, id)",
            """
            CREATE TABLE idempotency_keys (
                tenant_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status BIGINT NOT NULL,
                body TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, key)
            )
            """,
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, params TEXT NOT NULL,
                progress DOUBLE PRECISION NOT NULL, accepted BIGINT NOT NULL, rejected BIGINT NOT NULL, errors TEXT NOT NULL,
                message TEXT, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT, owner TEXT,
                lease_expires_at BIGINT, attempts BIGINT NOT NULL, cancel_requested BIGINT NOT NULL,
                checkpoint BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX jobs_queue ON jobs (status, kind, created_at)",
            "CREATE INDEX jobs_tenant ON jobs (tenant_id, created_at)",
        ]),
        Migration(version: 2, name: "models_artifacts_schedules", statements: [
            "ALTER TABLE jobs ADD COLUMN stage TEXT",
            "ALTER TABLE jobs ADD COLUMN result TEXT",
            """
            CREATE TABLE models (
                tenant_id TEXT NOT NULL, version TEXT NOT NULL, kind TEXT NOT NULL, params TEXT NOT NULL, metrics TEXT NOT NULL,
                job_id TEXT, checksum TEXT NOT NULL, artifact_bytes BIGINT NOT NULL, users BIGINT NOT NULL, items BIGINT NOT NULL,
                interactions BIGINT NOT NULL, train_seconds DOUBLE PRECISION NOT NULL, created_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, version)
            )
            """,
            "CREATE INDEX models_tenant_created ON models (tenant_id, created_at)",
            """
            CREATE TABLE serving_models (
                tenant_id TEXT PRIMARY KEY, version TEXT NOT NULL, updated_at BIGINT NOT NULL
            )
            """,
            // Every change of the serving version, newest last: rollback returns to the version served before.
            """
            CREATE TABLE model_promotions (
                id {{ID}}, tenant_id TEXT NOT NULL, version TEXT NOT NULL, previous_version TEXT, action TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX model_promotions_tenant ON model_promotions (tenant_id, id)",
            """
            CREATE TABLE model_artifacts (
                tenant_id TEXT NOT NULL, version TEXT NOT NULL, data {{BLOB}} NOT NULL, PRIMARY KEY (tenant_id, version)
            )
            """,
            """
            CREATE TABLE training_schedules (
                tenant_id TEXT PRIMARY KEY, model TEXT NOT NULL, params TEXT NOT NULL, promote TEXT NOT NULL,
                interval_seconds BIGINT NOT NULL, next_run_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
            )
            """,
        ]),
        // Every served list, written asynchronously, so later interactions carrying its id (or arriving within an
        // attribution window) can be joined to what was shown.
        Migration(version: 3, name: "served_recommendations", statements: [
            """
            CREATE TABLE recommendations (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, kind TEXT NOT NULL, user_id TEXT, item_id TEXT, model_version TEXT,
                source TEXT NOT NULL, items TEXT NOT NULL, created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX recommendations_tenant_created ON recommendations (tenant_id, created_at)",
        ]),
        Migration(version: 4, name: "alerts_webhooks_outbox", statements: [
            // tenant_id NULL: an operator's webhook (receives every alert).
            """
            CREATE TABLE webhooks (
                id TEXT PRIMARY KEY, tenant_id TEXT, url TEXT NOT NULL, secret TEXT NOT NULL, created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX webhooks_tenant ON webhooks (tenant_id)",
            // One row per alert identity (fingerprint of its labels); status moves firing <-> resolved, and only the
            // statement that moves it enqueues notifications, so a transition is announced once even with replicas.
            """
            CREATE TABLE alerts (
                fingerprint TEXT PRIMARY KEY, tenant_id TEXT, name TEXT NOT NULL, labels TEXT NOT NULL, annotations TEXT NOT NULL,
                status TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT, updated_at BIGINT NOT NULL
            )
            """,
            // The outbox: (webhook, event) is unique, so one transition can never be queued twice for a receiver.
            """
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, tenant_id TEXT, event TEXT NOT NULL, payload TEXT NOT NULL,
                status TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, last_error TEXT,
                created_at BIGINT NOT NULL, delivered_at BIGINT, UNIQUE (webhook_id, event)
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)",
        ]),
        Migration(version: 5, name: "instance_heartbeats", statements: [
            // Each replica's alert manager says it is alive; another replica resolves the SLO alerts of one gone quiet.
            "CREATE TABLE instance_heartbeats (instance_id TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)",
        ]),
        // PostgreSQL commits ids out of order: each row records its inserting transaction, which the interaction tail
        // follows instead (see InteractionTail). SQLite's single writer commits ids in order and needs nothing.
        Migration(version: 6, name: "interactions_commit_xid", statements: [], postgresStatements: [
            "ALTER TABLE interactions ADD COLUMN commit_xid xid8 NOT NULL DEFAULT pg_current_xact_id()",
            "CREATE INDEX interactions_tenant_commit ON interactions (tenant_id, commit_xid, id)",
        ]),
        // A/B experiments and canary rollouts (kind `experiment` or `rollout`): at most one running per tenant, so
        // every replica routes a tenant's users the same way. A served list records the arm that served it, and once
        // its attribution window has closed, the outcome the monitors measured (written once, by the first replica).
        Migration(version: 7, name: "experiments", statements: [
            """
            CREATE TABLE experiments (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL, name TEXT NOT NULL,
                status TEXT NOT NULL, salt TEXT NOT NULL, variants TEXT NOT NULL, settings TEXT NOT NULL, decision TEXT,
                created_at BIGINT NOT NULL, ended_at BIGINT, updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX experiments_tenant_created ON experiments (tenant_id, created_at)",
            "CREATE UNIQUE INDEX experiments_one_running ON experiments (tenant_id) WHERE status = 'running'",
            "ALTER TABLE recommendations ADD COLUMN experiment_id TEXT",
            "ALTER TABLE recommendations ADD COLUMN variant TEXT",
            "ALTER TABLE recommendations ADD COLUMN evaluated_at BIGINT",
            "ALTER TABLE recommendations ADD COLUMN hit BIGINT",
            "ALTER TABLE recommendations ADD COLUMN ndcg DOUBLE PRECISION",
            "ALTER TABLE recommendations ADD COLUMN converted BIGINT",
            "CREATE INDEX recommendations_experiment ON recommendations (experiment_id, variant, user_id) WHERE experiment_id IS NOT NULL",
        ]),
    ]
}
