import RecCore

extension RecordStore {
    /// Upserts items in one transaction (all or nothing); later duplicates in the batch win.
    public func upsertItems(tenantID: String, _ items: [Item]) async throws {
        try await measure("upsert_items") {
            try await database.transaction { db in try await Self.upsertItemRows(tenantID: tenantID, items, into: db) }
        }
    }

    static func upsertItemRows(tenantID: String, _ items: [Item], into db: any SQLExecutor) async throws {
        let rows = try Self.lastWins(items, key: \.itemID).map { item -> [SQLValue] in
            [.text(tenantID), .text(item.itemID), item.title.sqlValue, item.category.sqlValue, .text(try JSONColumn.encode(item.tags)),
             .text(try JSONColumn.encode(item.properties)), item.available.sqlValue, .int(item.updatedAt)]
        }
        try await db.insertMany(
            table: "items", columns: ["tenant_id", "item_id", "title", "category", "tags", "properties", "available", "updated_at"], rows: rows,
            suffix: """
                ON CONFLICT (tenant_id, item_id) DO UPDATE SET title = excluded.title, category = excluded.category, tags = excluded.tags,
                properties = excluded.properties, available = excluded.available, updated_at = excluded.updated_at
                """
        )
    }

    /// One item of a tenant.
    public func item(tenantID: String, itemID: String) async throws -> Item? {
        try await measure("get_item") {
            try await database.query("SELECT * FROM items WHERE tenant_id = \(tenantID) AND item_id = \(itemID)").first.map(Self.item)
        }
    }

    /// A page of a tenant's items in id order, starting after `after`.
    public func items(tenantID: String, after: String?, limit: Int) async throws -> [Item] {
        try await measure("list_items") {
            let rows: [SQLRow]
            if let after {
                rows = try await database.query("SELECT * FROM items WHERE tenant_id = \(tenantID) AND item_id > \(after) ORDER BY item_id LIMIT \(limit)")
            } else {
                rows = try await database.query("SELECT * FROM items WHERE tenant_id = \(tenantID) ORDER BY item_id LIMIT \(limit)")
            }
            return try rows.map(Self.item)
        }
    }

    /// Deletes an item; false when the tenant has no such item.
    public func deleteItem(tenantID: String, itemID: String) async throws -> Bool {
        try await measure("delete_item") {
            !(try await database.query("DELETE FROM items WHERE tenant_id = \(tenantID) AND item_id = \(itemID) RETURNING item_id")).isEmpty
        }
    }

    /// Upserts users in one transaction; later duplicates in the batch win.
    public func upsertUsers(tenantID: String, _ users: [User]) async throws {
        try await measure("upsert_users") {
            try await database.transaction { db in try await Self.upsertUserRows(tenantID: tenantID, users, into: db) }
        }
    }

    static func upsertUserRows(tenantID: String, _ users: [User], into db: any SQLExecutor) async throws {
        let rows = try Self.lastWins(users, key: \.userID).map { user -> [SQLValue] in
            [.text(tenantID), .text(user.userID), .text(try JSONColumn.encode(user.properties)), .int(user.updatedAt)]
        }
        try await db.insertMany(
            table: "users", columns: ["tenant_id", "user_id", "properties", "updated_at"], rows: rows,
            suffix: "ON CONFLICT (tenant_id, user_id) DO UPDATE SET properties = excluded.properties, updated_at = excluded.updated_at"
        )
    }

    /// One user of a tenant.
    public func user(tenantID: String, userID: String) async throws -> User? {
        try await measure("get_user") {
            try await database.query("SELECT * FROM users WHERE tenant_id = \(tenantID) AND user_id = \(userID)").first.map(Self.user)
        }
    }

    /// A page of a tenant's users in id order, starting after `after`.
    public func users(tenantID: String, after: String?, limit: Int) async throws -> [User] {
        try await measure("list_users") {
            let rows: [SQLRow]
            if let after {
                rows = try await database.query("SELECT * FROM users WHERE tenant_id = \(tenantID) AND user_id > \(after) ORDER BY user_id LIMIT \(limit)")
            } else {
                rows = try await database.query("SELECT * FROM users WHERE tenant_id = \(tenantID) ORDER BY user_id LIMIT \(limit)")
            }
            return try rows.map(Self.user)
        }
    }

    /// A stored user row.
    static func user(_ row: SQLRow) throws -> User {
        User(userID: try row.requiredString("user_id"), properties: JSONColumn.decode([String: JSONValue].self, row.string("properties"), default: [:]), updatedAt: row.int("updated_at") ?? 0)
    }

    /// A tenant's interaction types.
    public func interactionTypes(tenantID: String) async throws -> [InteractionType] {
        try await measure("list_interaction_types") {
            try await database.query("SELECT * FROM interaction_types WHERE tenant_id = \(tenantID) ORDER BY name").map { row in
                InteractionType(name: try row.requiredString("name"), weight: row.double("weight") ?? 1, requiresValue: row.int("requires_value") == 1)
            }
        }
    }

    /// Creates or changes one interaction type of a tenant.
    public func putInteractionType(tenantID: String, _ type: InteractionType) async throws {
        try await measure("put_interaction_type") {
            try await database.execute("""
                INSERT INTO interaction_types (tenant_id, name, weight, requires_value) VALUES (\(tenantID), \(type.name), \(type.weight), \(type.requiresValue))
                ON CONFLICT (tenant_id, name) DO UPDATE SET weight = excluded.weight, requires_value = excluded.requires_value
                """)
        }
    }

    static func item(_ row: SQLRow) throws -> Item {
        Item(
            itemID: try row.requiredString("item_id"),
            title: row.string("title"),
            category: row.string("category"),
            tags: JSONColumn.decode([String].self, row.string("tags"), default: []),
            properties: JSONColumn.decode([String: JSONValue].self, row.string("properties"), default: [:]),
            available: row.int("available") != 0,
            updatedAt: row.int("updated_at") ?? 0
        )
    }

    /// Keeps the last occurrence of each key, in first-seen order, so one statement never touches a row twice.
    static func lastWins<T>(_ values: [T], key: KeyPath<T, String>) -> [T] {
        var position: [String: Int] = [:]
        var out: [T] = []
        out.reserveCapacity(values.count)
        for value in values {
            if let index = position[value[keyPath: key]] {
                out[index] = value
            } else {
                position[value[keyPath: key]] = out.count
                out.append(value)
            }
        }
        return out
    }
}
