import RecMath
import RecTesting
import Testing

@Suite("Shared buffers")
struct SharedBufferTests {
    @Test("views of empty buffers allocate nothing: every empty view shares one aligned, never-dereferenced base")
    func emptyViewsAllocateNothing() async throws {
        try await offTheLoops {
            // A buffer with no base address: what an empty `UnsafeMutableBufferPointer` may carry.
            let views = (0..<3).map { _ in SharedBuffer<Double>(UnsafeMutableBufferPointer(start: nil, count: 0)) }
            #expect(views.allSatisfy { $0.count == 0 })
            #expect(Set(views.map { UInt(bitPattern: $0.base) }).count == 1, "a fresh allocation per view would give distinct addresses")
            #expect(UInt(bitPattern: views[0].base) % UInt(MemoryLayout<Double>.alignment) == 0)
            let readOnly = ReadOnlySharedBuffer<Double>(UnsafeBufferPointer(start: nil, count: 0))
            #expect(readOnly.count == 0)
            #expect(UInt(bitPattern: readOnly.base) == UInt(bitPattern: views[0].base))
        }
    }

    @Test("a read-only view reads what its buffer holds while a writable view writes its own rows")
    func readOnlyAndWritableViews() async throws {
        try await offTheLoops {
            let source: [Float] = (0..<1_000).map(Float.init)
            var doubled = [Float](repeating: 0, count: source.count)
            source.withUnsafeBufferPointer { input in
                doubled.withUnsafeMutableBufferPointer { output in
                    let input = ReadOnlySharedBuffer(input), output = SharedBuffer(output)
                    ParallelLoop.run(count: input.count, threads: 2, chunkSize: 64) { range, _ in
                        for index in range { output[index] = 2 * input[index] }
                    }
                }
            }
            #expect(doubled == source.map { 2 * $0 })
        }
    }
}
