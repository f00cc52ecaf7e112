/// A raw view of a buffer that parallel workers write to at disjoint positions.
///
/// Invariant: the owner of the storage keeps it alive and unmoved for as long as any copy of this view is used,
/// and concurrent users never touch the same element (each worker owns whole rows or its own scratch).
/// That is why it is `@unchecked Sendable`; it owns nothing and frees nothing.
public struct SharedBuffer<Element>: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Element>
    /// Number of elements.
    public let count: Int

    /// A view of `buffer`.
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.base = buffer.baseAddress ?? UnsafeMutablePointer<Element>.allocate(capacity: 0)
        self.count = buffer.count
    }

    /// A view of a buffer the workers only read.
    public init(readOnly buffer: UnsafeBufferPointer<Element>) {
        self.init(UnsafeMutableBufferPointer(mutating: buffer))
    }

    /// Element access (unchecked).
    @inline(__always)
    public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}
