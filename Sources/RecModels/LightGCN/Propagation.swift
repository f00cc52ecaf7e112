import RecMath

/// LightGCN's layer mean over the normalised bipartite graph, P·X = (1/(K+1))·Σₖ Ãᵏ·X for a block X of user rows then
/// item rows, where Ã·[U; I] = [R̃·I; R̃ᵀ·U]. Its two layer buffers are allocated once and reused for every product.
struct Propagation {
    let graph: NormalizedGraph
    let users: Int
    let items: Int
    let width: Int
    let layers: Int
    let threads: Int
    private var current: [Float]
    private var next: [Float]

    /// Buffers for `users + items` rows of `width`.
    init(graph: NormalizedGraph, users: Int, items: Int, width: Int, layers: Int, threads: Int) {
        self.graph = graph
        self.users = users
        self.items = items
        self.width = width
        self.layers = layers
        self.threads = threads
        current = [Float](repeating: 0, count: (users + items) * width)
        next = current
    }

    /// Writes P·`input` into `output` (both `(users + items) × width`).
    mutating func apply(_ input: [Float], into output: inout [Float]) {
        precondition(input.count == current.count && output.count == current.count, "blocks of users then items")
        output.withUnsafeMutableBufferPointer { out in input.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
        current.withUnsafeMutableBufferPointer { c in input.withUnsafeBufferPointer { c.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
        let userBlock = users * width
        for _ in 0..<layers {
            current.withUnsafeBufferPointer { c in
                next.withUnsafeMutableBufferPointer { n in
                    graph.userItems.multiply(c.baseAddress! + userBlock, width: width, into: n.baseAddress!, threads: threads)
                    graph.itemUsers.multiply(c.baseAddress!, width: width, into: n.baseAddress! + userBlock, threads: threads)
                }
            }
            next.withUnsafeBufferPointer { n in
                output.withUnsafeMutableBufferPointer { out in BLAS.axpy(1, n.baseAddress!, out.baseAddress!, count: n.count) }
            }
            swap(&current, &next)
        }
        let mean = 1 / Float(layers + 1)
        output.withUnsafeMutableBufferPointer { out in for index in out.indices { out[index] *= mean } }
    }
}
