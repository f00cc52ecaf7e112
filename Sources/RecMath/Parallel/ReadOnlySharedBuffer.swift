/// A raw view of a buffer that parallel workers only read: no setter, and its base is an `UnsafePointer`.
///
/// Invariant: the owner of the storage keeps it alive, unmoved and unchanged for as long as any copy of this view is
/// used. That is why it is `@unchecked Sendable`; it owns nothing and frees nothing.
public struct ReadOnlySharedBuffer<Element>: @unchecked Sendable {
    /// The first element (for an empty buffer, an aligned address that no valid index reaches, never dereferenced).
    public let base: UnsafePointer<Element>
    /// Number of elements.
    public let count: Int

    /// A view of `buffer`.
    public init(_ buffer: UnsafeBufferPointer<Element>) {
        self.base = buffer.baseAddress ?? UnsafePointer(SharedBuffer<Element>.emptyBase)
        self.count = buffer.count
    }

    /// Element access (unchecked).
    @inline(__always)
    public subscript(index: Int) -> Element {
        base[index]
    }
}
