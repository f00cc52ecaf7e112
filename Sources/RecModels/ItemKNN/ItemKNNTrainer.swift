import Foundation
import RecMath

/// Item-kNN: cosine similarity between item columns of the interaction matrix, keeping each item's top
/// `neighbors` (with a `shrink` term that damps similarities resting on few co-occurrences).
public struct ItemKNNTrainer: Sendable {
    /// The parameters item-kNN accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("neighbors", default: 100, 1, 5000, scale: .integerLogarithmic, tuned: true, search: 20...1000, "similar items kept per item"),
        ParameterSpec("shrink", default: 10, 0, 10_000, scale: .linear, tuned: true, search: 0...200, "added to the cosine denominator"),
        ParameterSpec("binary", default: 1, 0, 1, scale: .integer, "1 treats every interaction as 1; 0 uses the weights"),
        ParameterSpec.halfLifeDays(),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> ItemSimilarityModel {
        guard data.pairCount > 0 else { throw .insufficientData("there are no interactions to train on") }
        let binary = parameters.int("binary") == 1
        let userItems = binary ? data.userItems.mapValues { _ in 1 } : data.userItems
        let itemUsers = binary ? data.itemUsers.mapValues { _ in 1 } : data.itemUsers
        let n = data.itemCount
        let keep = min(parameters.int("neighbors"), max(0, n - 1))
        let shrink = parameters.float("shrink")
        var norms = [Float](repeating: 0, count: n)
        for item in 0..<n {
            norms[item] = sqrt(itemUsers.values[itemUsers.range(ofRow: item)].reduce(0) { $0 + $1 * $1 })
        }
        // Each item's kept neighbours land in its own slots of these arrays.
        let itemNorms = norms
        var columns = [Int32](repeating: 0, count: n * keep)
        var values = [Float](repeating: 0, count: n * keep)
        var counts = [Int](repeating: 0, count: n)
        let threads = context.threads
        var accumulators = [Float](repeating: 0, count: threads * n)
        let cancelled = SharedFlag()
        let chunk = 64
        let done = ProgressCounter()
        columns.withUnsafeMutableBufferPointer { colOut in
            values.withUnsafeMutableBufferPointer { valOut in
                counts.withUnsafeMutableBufferPointer { countOut in
                    accumulators.withUnsafeMutableBufferPointer { acc in
                        let colOut = SharedBuffer(colOut), valOut = SharedBuffer(valOut)
                        let countOut = SharedBuffer(countOut), acc = SharedBuffer(acc)
                        ParallelLoop.run(count: n, threads: threads, chunkSize: chunk) { range, worker in
                            if cancelled.isSet || context.isCancelled() { cancelled.set(); return }
                            let sums = acc.base + worker * n
                            var touched: [Int32] = []
                            var top = TopK(k: keep)
                            for item in range {
                                touched.removeAll(keepingCapacity: true)
                                for userSlot in itemUsers.range(ofRow: item) {
                                    let user = Int(itemUsers.columns[userSlot])
                                    let weight = itemUsers.values[userSlot]
                                    for slot in userItems.range(ofRow: user) {
                                        let other = Int(userItems.columns[slot])
                                        if sums[other] == 0 { touched.append(Int32(other)) }
                                        sums[other] += weight * userItems.values[slot]
                                    }
                                }
                                top.reset()
                                for other in touched {
                                    let j = Int(other)
                                    let dot = sums[j]
                                    sums[j] = 0
                                    guard j != item else { continue }
                                    let similarity = dot / (itemNorms[item] * itemNorms[j] + shrink + 1e-9)
                                    if similarity > top.threshold { top.offer(other, similarity) }
                                }
                                let kept = top.sorted().sorted { $0.index < $1.index }
                                for (position, entry) in kept.enumerated() {
                                    colOut[item * keep + position] = entry.index
                                    valOut[item * keep + position] = entry.score
                                }
                                countOut[item] = kept.count
                            }
                            let finished = done.add(range.count)
                            if worker == 0 {
                                context.report(.init(stage: "similarity", epoch: finished, epochs: n))
                            }
                        }
                    }
                }
            }
        }
        if cancelled.isSet { throw .cancelled }
        // Compact the fixed-width slots into CSR.
        var rowStart = [Int](repeating: 0, count: n + 1)
        for item in 0..<n { rowStart[item + 1] = rowStart[item] + counts[item] }
        var outColumns = [Int32](repeating: 0, count: rowStart[n])
        var outValues = [Float](repeating: 0, count: rowStart[n])
        for item in 0..<n where counts[item] > 0 {
            for position in 0..<counts[item] {
                outColumns[rowStart[item] + position] = columns[item * keep + position]
                outValues[rowStart[item] + position] = values[item * keep + position]
            }
        }
        context.report(.init(stage: "similarity", epoch: n, epochs: n))
        let neighbours = SparseMatrix(rows: n, cols: n, rowStart: rowStart, columns: outColumns, values: outValues)
        return ItemSimilarityModel(neighbours: neighbours, userCount: data.userCount)
    }
}
