extension RecordStore {
    /// Every operation the store measures (the `operation` label of `rec_store_*`), so their counters are exported at
    /// 0 from the start. A test checks the list against the `measure("…")` calls in the sources.
    public static let operations: [String] = [
        "cancel_job", "catalogue_signature", "claim_deliveries", "claim_due_schedules", "claim_job",
        "commit_import_chunk", "complete_delivery", "count_interactions", "count_pending_deliveries",
        "count_queued_jobs", "create_experiment", "create_job", "create_tenant", "create_webhook", "delete_artifact", "delete_item",
        "delete_schedule", "delete_webhook", "end_experiment", "enqueue_delivery", "experiment_totals", "fail_delivery", "finish_job", "get_experiment", "get_item", "get_job",
        "get_job_checkpoint", "get_job_status", "get_model", "get_previous_model", "get_running_experiment", "get_schedule", "get_served_list",
        "get_serving_model", "get_tenant", "get_user", "has_active_job", "heartbeat", "insert_interactions",
        "insert_key", "interaction_id_back", "latest_training_outcomes", "list_firing_alerts", "list_heartbeats",
        "list_ended_rollouts", "list_experiments", "list_interaction_types", "list_items", "list_jobs", "list_keys", "list_models", "list_running_experiments", "list_serving_models", "list_users",
        "list_tenants", "list_webhooks", "lookup_key", "promote_model", "prune_alert_history", "prune_idempotency_keys",
        "prune_served_lists", "put_artifact", "put_interaction_type", "put_schedule", "read_artifact",
        "read_interaction_tail", "read_interaction_tail_late", "read_monitored_lists", "record_list_outcomes", "record_served_lists",
        "register_model", "release_job", "revoke_key", "rollback_model", "set_tenant_rate_limit", "set_tenant_status",
        "transition_alert", "update_job_progress", "upsert_items", "upsert_users", "user_interactions",
    ]
}
