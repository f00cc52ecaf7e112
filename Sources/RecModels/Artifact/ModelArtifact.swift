import Foundation
import RecMath

/// A trained model with the ids behind its indices, in a self-describing binary form:
/// `RECMODEL`, a format version (UInt32), a JSON header's length (UInt32) and the header, then the header's arrays
/// as little-endian raw values. The artifact store checksums these bytes; `decode` checks every length.
public struct ModelArtifact: Sendable {
    /// Why bytes are not a valid artifact.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// The model family.
    public let kind: ModelKind
    /// The parameters it was trained with.
    public let parameters: [String: Double]
    /// External user id of each user index.
    public let userIDs: [String]
    /// External item id of each item index.
    public let itemIDs: [String]
    /// The model.
    public let model: any RecommendationModel
    /// The id of the last interaction the training snapshot read (0 when unknown): users with later interactions
    /// are folded in at serving time instead of using their stored factors.
    public let snapshotInteractionID: Int64

    /// Bundles a model with its id spaces.
    public init(kind: ModelKind, parameters: [String: Double], userIDs: [String], itemIDs: [String], model: any RecommendationModel, snapshotInteractionID: Int64 = 0) {
        self.snapshotInteractionID = snapshotInteractionID
        self.kind = kind
        self.parameters = parameters
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.model = model
    }

    private static let magic = Array("RECMODEL".utf8)
    private static let formatVersion: UInt32 = 1

    /// The artifact's bytes.
    public func encode() -> [UInt8] {
        var arrays: [(name: String, payload: ArrayPayload)] = []
        var extra: [String: Any] = [:]
        switch model {
        case let factors as FactorModel:
            extra["factors"] = factors.factors
            arrays = [("user_factors", .floats(factors.userFactors.values)), ("item_factors", .floats(factors.itemFactors.values))]
            if !factors.itemBias.isEmpty { arrays.append(("item_bias", .floats(factors.itemBias))) }
            if !factors.itemDegrees.isEmpty { arrays.append(("item_degrees", .floats(factors.itemDegrees))) }
        case let popularity as PopularityModel:
            arrays = [("item_scores", .floats(popularity.itemScores))]
        case let knn as ItemSimilarityModel:
            arrays = [
                ("row_start", .int64s(knn.neighbours.rowStart.map(Int64.init))),
                ("columns", .int32s(knn.neighbours.columns)),
                ("values", .floats(knn.neighbours.values)),
            ]
        case let ease as EASEModel:
            arrays = [("weights", .floats(ease.weights.values))]
        case let filter as GraphFilterModel:
            extra["rank"] = filter.rank
            extra["linear_weight"] = Double(filter.linearWeight)
            extra["degree_power"] = Double(filter.degreePower)
            extra["binary"] = filter.binary ? 1 : 0
            arrays = [
                ("row_start", .int64s(filter.graph.rowStart.map(Int64.init))),
                ("columns", .int32s(filter.graph.columns)),
                ("values", .floats(filter.graph.values)),
                ("item_degrees", .floats(filter.itemDegrees)),
                ("basis", .floats(filter.basis.values)),
                ("spectral_weights", .floats(filter.spectralWeights)),
            ]
        case let towers as TwoTowerModel:
            extra["factors"] = towers.factors
            extra["feature_buckets"] = towers.vocabulary.buckets
            extra["history_length"] = towers.historyLength
            extra["item_boundaries"] = towers.vocabulary.itemBoundaries
            extra["user_boundaries"] = towers.vocabulary.userBoundaries
            arrays = [
                ("user_factors", .floats(towers.vectors.userFactors.values)), ("item_factors", .floats(towers.vectors.itemFactors.values)),
                ("item_embeddings", .floats(towers.itemEmbeddings.values)),
                ("feature_embeddings", .floats(towers.featureEmbeddings.values)),
                ("item_layer", .floats(towers.itemLayer.values)), ("user_layer", .floats(towers.userLayer.values)),
                ("trained_items", .int32s(towers.trainedItems.map { $0 ? 1 : 0 })),
            ]
        default:
            preconditionFailure("no artifact encoding for \(type(of: model))")
        }
        var header: [String: Any] = [
            "kind": kind.rawValue, "params": parameters, "user_ids": userIDs, "item_ids": itemIDs,
            "users": model.userCount, "items": model.itemCount, "snapshot_interaction_id": snapshotInteractionID,
            "arrays": arrays.map { ["name": $0.name, "type": $0.payload.typeName, "count": $0.payload.count] },
        ]
        header.merge(extra) { a, _ in a }
        let json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data()
        var out = Self.magic
        out.reserveCapacity(json.count + arrays.reduce(0) { $0 + $1.payload.byteCount } + 16)
        append(Self.formatVersion, to: &out)
        append(UInt32(json.count), to: &out)
        out.append(contentsOf: json)
        for array in arrays { array.payload.append(to: &out) }
        return out
    }

    /// Reads an artifact, checking its structure.
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> ModelArtifact {
        var reader = ByteReader(bytes: bytes)
        guard try reader.take(magic.count) == magic else { throw FormatError(description: "not a model artifact") }
        guard try reader.uint32() == formatVersion else { throw FormatError(description: "unsupported artifact format version") }
        let headerLength = Int(try reader.uint32())
        let headerBytes = try reader.take(headerLength)
        guard let header = (try? JSONSerialization.jsonObject(with: Data(headerBytes))) as? [String: Any],
              let kindName = header["kind"] as? String, let kind = ModelKind(rawValue: kindName),
              let userIDs = header["user_ids"] as? [String], let itemIDs = header["item_ids"] as? [String],
              let specs = header["arrays"] as? [[String: Any]] else {
            throw FormatError(description: "artifact header is malformed")
        }
        let parameters = (header["params"] as? [String: Double]) ?? [:]
        var floats: [String: [Float]] = [:]
        var int32s: [String: [Int32]] = [:]
        var int64s: [String: [Int64]] = [:]
        for spec in specs {
            guard let name = spec["name"] as? String, let type = spec["type"] as? String, let count = spec["count"] as? Int, count >= 0 else {
                throw FormatError(description: "artifact array entry is malformed")
            }
            switch type {
            case "f32": floats[name] = try reader.values(count, as: Float.self)
            case "i32": int32s[name] = try reader.values(count, as: Int32.self)
            case "i64": int64s[name] = try reader.values(count, as: Int64.self)
            default: throw FormatError(description: "unknown array type \(type)")
            }
        }
        guard reader.isAtEnd else { throw FormatError(description: "trailing bytes after the arrays") }
        let users = userIDs.count
        let items = itemIDs.count
        let model: any RecommendationModel
        switch kind {
        case .ials, .bpr, .lightgcn:
            guard let k = header["factors"] as? Int, (1...4096).contains(k), let u = floats["user_factors"], let v = floats["item_factors"],
                  u.count == users.multipliedReportingOverflow(by: k).partialValue, !users.multipliedReportingOverflow(by: k).overflow,
                  v.count == items.multipliedReportingOverflow(by: k).partialValue, !items.multipliedReportingOverflow(by: k).overflow else { throw FormatError(description: "factor arrays do not match the id lists") }
            let bias = floats["item_bias"] ?? []
            guard bias.isEmpty || bias.count == items else { throw FormatError(description: "item_bias does not match the items") }
            let degrees = floats["item_degrees"] ?? []
            guard degrees.count == (kind == .lightgcn ? items : 0) else { throw FormatError(description: "item_degrees does not match the items") }
            model = FactorModel(kind: kind, userFactors: DenseMatrix(rows: users, cols: k, values: u), itemFactors: DenseMatrix(rows: items, cols: k, values: v),
                                itemBias: bias, itemDegrees: degrees)
        case .popularity:
            guard let scores = floats["item_scores"], scores.count == items else { throw FormatError(description: "item_scores does not match the items") }
            model = PopularityModel(itemScores: scores, userCount: users)
        case .itemknn:
            guard let start = int64s["row_start"], let columns = int32s["columns"], let values = floats["values"],
                  start.count == items + 1, columns.count == values.count, start.first == 0, start.last == Int64(columns.count),
                  zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }), columns.allSatisfy({ $0 >= 0 && Int($0) < items }) else {
                throw FormatError(description: "neighbour arrays are inconsistent")
            }
            model = ItemSimilarityModel(neighbours: SparseMatrix(rows: items, cols: items, rowStart: start.map { Int($0) }, columns: columns, values: values), userCount: users)
        case .ease:
            guard let weights = floats["weights"], !items.multipliedReportingOverflow(by: items).overflow, weights.count == items * items else { throw FormatError(description: "weights do not match the items") }
            model = EASEModel(weights: DenseMatrix(rows: items, cols: items, values: weights), userCount: users)
        case .graphFilter:
            guard let rank = header["rank"] as? Int, (0...4096).contains(rank),
                  let linear = (header["linear_weight"] as? NSNumber)?.floatValue, let power = (header["degree_power"] as? NSNumber)?.floatValue,
                  let binary = header["binary"] as? Int, (0...1).contains(binary),
                  let start = int64s["row_start"], let columns = int32s["columns"], let values = floats["values"],
                  start.count == users + 1, columns.count == values.count, start.first == 0, start.last == Int64(columns.count),
                  zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }), columns.allSatisfy({ $0 >= 0 && Int($0) < items }),
                  let degrees = floats["item_degrees"], degrees.count == items,
                  let basis = floats["basis"], basis.count == items * rank, let weights = floats["spectral_weights"], weights.count == rank,
                  linear.isFinite, linear >= 0, power.isFinite, (0...1).contains(power),
                  values.allSatisfy({ $0.isFinite && $0 >= 0 }), degrees.allSatisfy({ $0.isFinite && $0 >= 0 }),
                  basis.allSatisfy(\.isFinite), weights.allSatisfy(\.isFinite) else {
                throw FormatError(description: "graph filter arrays do not match the id lists")
            }
            let graph = SparseMatrix(rows: users, cols: items, rowStart: start.map { Int($0) }, columns: columns, values: values)
            model = GraphFilterModel(graph: graph, itemDegrees: degrees, basis: DenseMatrix(rows: items, cols: rank, values: basis),
                                     spectralWeights: weights, linearWeight: linear, degreePower: power, binary: binary == 1)
        case .twoTower:
            model = try Self.decodeTwoTower(header: header, floats: floats, int32s: int32s, users: users, items: items)
        }
        let snapshot = (header["snapshot_interaction_id"] as? NSNumber)?.int64Value ?? 0
        return ModelArtifact(kind: kind, parameters: parameters, userIDs: userIDs, itemIDs: itemIDs, model: model, snapshotInteractionID: snapshot)
    }
}

extension ModelArtifact {
    /// The two-tower model's arrays, every length and value checked.
    fileprivate static func decodeTwoTower(
        header: [String: Any], floats: [String: [Float]], int32s: [String: [Int32]], users: Int, items: Int
    ) throws(FormatError) -> TwoTowerModel {
        func boundaries(_ name: String) -> [String: [Double]]? {
            guard let raw = header[name] as? [String: Any] else { return nil }
            var result: [String: [Double]] = [:]
            for (key, value) in raw {
                guard let list = value as? [NSNumber] else { return nil }
                let cuts = list.map(\.doubleValue)
                guard cuts.allSatisfy(\.isFinite), zip(cuts, cuts.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
                result[key] = cuts
            }
            return result
        }
        guard let k = header["factors"] as? Int, (1...4096).contains(k), let buckets = header["feature_buckets"] as? Int, (1...(1 << 24)).contains(buckets),
              let history = header["history_length"] as? Int, history >= 1,
              let itemBoundaries = boundaries("item_boundaries"), let userBoundaries = boundaries("user_boundaries"),
              let u = floats["user_factors"], u.count == users * k, let v = floats["item_factors"], v.count == items * k,
              let e = floats["item_embeddings"], e.count == items * k,
              let f = floats["feature_embeddings"], f.count == buckets * k,
              let wi = floats["item_layer"], wi.count == k * k, let wu = floats["user_layer"], wu.count == k * k,
              let trained = int32s["trained_items"], trained.count == items, trained.allSatisfy({ $0 == 0 || $0 == 1 }),
              [u, v, e, f, wi, wu].allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw FormatError(description: "two-tower arrays do not match the id lists")
        }
        return TwoTowerModel(
            vocabulary: FeatureVocabulary(buckets: buckets, itemBoundaries: itemBoundaries, userBoundaries: userBoundaries),
            itemEmbeddings: DenseMatrix(rows: items, cols: k, values: e),
            featureEmbeddings: DenseMatrix(rows: buckets, cols: k, values: f),
            itemLayer: DenseMatrix(rows: k, cols: k, values: wi), userLayer: DenseMatrix(rows: k, cols: k, values: wu),
            trainedItems: trained.map { $0 == 1 }, historyLength: history,
            vectors: FactorModel(kind: .twoTower, userFactors: DenseMatrix(rows: users, cols: k, values: u), itemFactors: DenseMatrix(rows: items, cols: k, values: v))
        )
    }
}

/// One typed array of an artifact.
private enum ArrayPayload {
    case floats([Float])
    case int32s([Int32])
    case int64s([Int64])

    var typeName: String {
        switch self {
        case .floats: "f32"
        case .int32s: "i32"
        case .int64s: "i64"
        }
    }

    var count: Int {
        switch self {
        case .floats(let values): values.count
        case .int32s(let values): values.count
        case .int64s(let values): values.count
        }
    }

    var byteCount: Int {
        switch self {
        case .floats(let values): values.count * 4
        case .int32s(let values): values.count * 4
        case .int64s(let values): values.count * 8
        }
    }

    func append(to out: inout [UInt8]) {
        // Every supported platform is little-endian; the format is defined as little-endian.
        switch self {
        case .floats(let values): values.withUnsafeBytes { out.append(contentsOf: $0) }
        case .int32s(let values): values.withUnsafeBytes { out.append(contentsOf: $0) }
        case .int64s(let values): values.withUnsafeBytes { out.append(contentsOf: $0) }
        }
    }
}

private func append(_ value: UInt32, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}

/// Reads an artifact front to back, failing instead of reading past the end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) throws(ModelArtifact.FormatError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .init(description: "artifact is truncated") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func uint32() throws(ModelArtifact.FormatError) -> UInt32 {
        let raw = try take(4)
        return UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
    }

    mutating func values<T>(_ count: Int, as type: T.Type) throws(ModelArtifact.FormatError) -> [T] {
        let size = MemoryLayout<T>.stride
        guard count <= (bytes.count - offset) / size else { throw .init(description: "artifact is truncated") }
        let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count * size)]))
            }
            initialized = count
        }
        offset += count * size
        return result
    }
}
