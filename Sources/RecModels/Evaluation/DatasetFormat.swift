/// File formats the eval and tune commands read.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// `user item item ...` per line (the LightGCN Gowalla files); every pair weighs 1, no time.
    case lightgcn
    /// MovieLens `u.data`: `user<TAB>item<TAB>rating<TAB>timestamp`; every rating is an interaction of weight 1.
    case movielens
    /// `user,item[,weight[,timestamp]]` with an optional header row; timestamps in Unix seconds.
    case csv
}
