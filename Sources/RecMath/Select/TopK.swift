/// Selects the `k` highest scores of a buffer: a bounded min-heap, O(n log k).
public struct TopK: Sendable {
    /// How many to keep.
    public let k: Int
    private var indices: [Int32]
    private var scores: [Float]

    /// An empty selector for `k` results.
    public init(k: Int) {
        self.k = max(0, k)
        indices = []
        scores = []
        indices.reserveCapacity(self.k)
        scores.reserveCapacity(self.k)
    }

    /// Forgets every candidate (keeps capacity).
    public mutating func reset() {
        indices.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
    }

    /// The current k-th best score (or -infinity when fewer than k are held).
    @inline(__always)
    public var threshold: Float { scores.count < k ? -.infinity : scores[0] }

    /// Offers one candidate.
    @inline(__always)
    public mutating func offer(_ index: Int32, _ score: Float) {
        guard k > 0 else { return }
        if scores.count < k {
            scores.append(score)
            indices.append(index)
            siftUp(scores.count - 1)
        } else if score > scores[0] {
            scores[0] = score
            indices[0] = index
            siftDown(0)
        }
    }

    /// Offers every entry of `buffer` whose score is finite.
    public mutating func offer(all buffer: UnsafeBufferPointer<Float>) {
        var bar = threshold
        for index in 0..<buffer.count {
            let score = buffer[index]
            // NaN and -infinity fail the comparison; +infinity is refused explicitly.
            if score > bar, score < .infinity {
                offer(Int32(index), score)
                bar = threshold
            }
        }
    }

    /// The kept candidates, best first.
    public func sorted() -> [(index: Int32, score: Float)] {
        zip(indices, scores).map { (index: $0, score: $1) }.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard scores[child] < scores[parent] else { return }
            scores.swapAt(child, parent)
            indices.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = scores.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var smallest = left
            if left + 1 < n, scores[left + 1] < scores[left] { smallest = left + 1 }
            guard scores[smallest] < scores[parent] else { return }
            scores.swapAt(smallest, parent)
            indices.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
