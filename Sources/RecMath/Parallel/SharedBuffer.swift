/// A raw view of a buffer that parallel workers write to at disjoint positions.
///
/// Invariant: the owner of the storage keeps it alive and unmoved for as long as any copy of this view is used,
/// and concurrent users never touch the same element (each worker owns whole rows or its own scratch).
/// That is why it is `@unchecked Sendable`; it owns nothing and frees nothing. Buffers the workers only read are
/// viewed through `ReadOnlySharedBuffer`.
public struct SharedBuffer<Element>: @unchecked Sendable {
    /// The first element (for an empty buffer, an aligned address that no valid index reaches, never dereferenced).
    public let base: UnsafeMutablePointer<Element>
    /// Number of elements.
    public let count: Int

    /// A view of `buffer`.
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.base = buffer.baseAddress ?? Self.emptyBase
        self.count = buffer.count
    }

    /// Element access (unchecked).
    @inline(__always)
    public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// The base of an empty view: an address aligned for `Element` and never dereferenced (count is 0), so nothing is
    /// allocated for it (and nothing leaks).
    static var emptyBase: UnsafeMutablePointer<Element> {
        // The alignment is at least 1, so the bit pattern is never zero.
        UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }
}
