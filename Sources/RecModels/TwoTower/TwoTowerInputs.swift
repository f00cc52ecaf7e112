/// What the two towers read for each training user and item, as flat lists: every user's most recent distinct items
/// (oldest first, at most the history length), and every user's and item's feature-table rows.
struct TwoTowerInputs: Sendable {
    private let recentStart: [Int]
    private let recentItems: [Int32]
    private let userRowStart: [Int]
    private let userRowList: [Int32]
    private let itemRowStart: [Int]
    private let itemRowList: [Int32]

    /// The inputs of `dataset`'s users and items (events of positive weight make the histories); `matrix` sizes them.
    init(dataset: Dataset, matrix: InteractionMatrix, vocabulary: FeatureVocabulary, historyLength: Int) {
        // Newest events first, per user: the first `historyLength` distinct items are the recent history.
        let events = dataset.interactions.indices.filter { dataset.interactions[$0].weight > 0 }.sorted {
            let a = dataset.interactions[$0], b = dataset.interactions[$1]
            if a.user != b.user { return a.user < b.user }
            if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
            return $0 > $1
        }
        var start = [Int](repeating: 0, count: matrix.userCount + 1)
        var list: [Int32] = []
        var position = 0
        for user in 0..<matrix.userCount {
            var seen = Set<Int32>()
            var newest: [Int32] = []
            while position < events.count, Int(dataset.interactions[events[position]].user) == user {
                let item = dataset.interactions[events[position]].item
                if newest.count < historyLength, seen.insert(item).inserted { newest.append(item) }
                position += 1
            }
            list += newest.reversed()
            start[user + 1] = list.count
        }
        recentStart = start
        recentItems = list
        (userRowStart, userRowList) = Self.rows(count: matrix.userCount) { user in
            dataset.userFeatures.isEmpty ? [] : vocabulary.rows(dataset.userFeatures[user], side: .user)
        }
        (itemRowStart, itemRowList) = Self.rows(count: matrix.itemCount) { item in
            dataset.itemFeatures.isEmpty ? [] : vocabulary.rows(dataset.itemFeatures[item], side: .item)
        }
    }

    /// User `user`'s most recent distinct items, oldest first.
    func recent(_ user: Int) -> ArraySlice<Int32> { recentItems[recentStart[user]..<recentStart[user + 1]] }
    /// User `user`'s feature-table rows.
    func userRows(_ user: Int) -> ArraySlice<Int32> { userRowList[userRowStart[user]..<userRowStart[user + 1]] }
    /// Item `item`'s feature-table rows.
    func itemRows(_ item: Int) -> ArraySlice<Int32> { itemRowList[itemRowStart[item]..<itemRowStart[item + 1]] }
    /// Whether item `item` has any feature.
    func hasItemFeatures(_ item: Int) -> Bool { itemRowStart[item + 1] > itemRowStart[item] }

    private static func rows(count: Int, _ rows: (Int) -> [Int32]) -> ([Int], [Int32]) {
        var start = [Int](repeating: 0, count: count + 1)
        var list: [Int32] = []
        for index in 0..<count {
            list += rows(index)
            start[index + 1] = list.count
        }
        return (start, list)
    }
}
