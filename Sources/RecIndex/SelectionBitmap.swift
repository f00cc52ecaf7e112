/// A set of vector ids as a bitmap (bit `id % 8` of byte `id / 8`), the layout FAISS's IDSelectorBitmap reads.
public struct SelectionBitmap: Sendable, Equatable {
    /// The bits.
    public private(set) var bytes: [UInt8]
    /// How many ids the bitmap covers.
    public let count: Int

    /// A bitmap over `count` ids, all selected or none.
    public init(count: Int, allSelected: Bool) {
        self.count = count
        bytes = [UInt8](repeating: allSelected ? 0xFF : 0, count: (count + 7) / 8)
        if allSelected, count % 8 != 0 { bytes[bytes.count - 1] = UInt8((1 << (count % 8)) - 1) }
    }

    /// Whether `id` is selected.
    @inline(__always)
    public func contains(_ id: Int) -> Bool {
        id >= 0 && id < count && bytes[id >> 3] & (1 << UInt8(id & 7)) != 0
    }

    /// Selects `id`.
    @inline(__always)
    public mutating func insert(_ id: Int) {
        guard id >= 0 && id < count else { return }
        bytes[id >> 3] |= 1 << UInt8(id & 7)
    }

    /// Deselects `id`.
    @inline(__always)
    public mutating func remove(_ id: Int) {
        guard id >= 0 && id < count else { return }
        bytes[id >> 3] &= ~(1 << UInt8(id & 7))
    }
}
