/// The certificates held in a device's Trust Anchor Cells, by certificate ID.
///
/// A fixed slot per cell rather than a dictionary, so a million devices stay small.
public struct TrustAnchorCells: Hashable, Sendable {
    private var slots: [String?]

    /// Empty cells.
    public init() {
        slots = Array(repeating: nil, count: TrustAnchorCell.allCases.count)
    }

    /// Cells holding the given certificate IDs.
    public init(_ contents: [TrustAnchorCell: String]) {
        self.init()
        for (cell, certificate) in contents { self[cell] = certificate }
    }

    /// The certificate ID held in a cell, or `nil` when it is empty.
    public subscript(cell: TrustAnchorCell) -> String? {
        get { slots[TrustAnchorCells.index(of: cell)] }
        set { slots[TrustAnchorCells.index(of: cell)] = newValue }
    }

    /// A number that is the same for cell sets sharing one storage buffer (as devices loaded
    /// from one snapshot cell set do). Equal identities imply equal contents; unequal ones
    /// say nothing. For caches that want to avoid hashing ten strings per device.
    public var storageIdentity: UInt {
        slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    /// Every cell with its certificate ID, in the order GBCS lists them.
    public var all: [(cell: TrustAnchorCell, certificate: String?)] {
        TrustAnchorCell.allCases.map { ($0, self[$0]) }
    }

    private static func index(of cell: TrustAnchorCell) -> Int {
        TrustAnchorCell.allCases.firstIndex(of: cell) ?? 0
    }
}

extension TrustAnchorCells: Codable {
    public init(from decoder: any Decoder) throws {
        let contents = try [TrustAnchorCell: String](from: decoder)
        self.init(contents)
    }

    public func encode(to encoder: any Encoder) throws {
        var contents: [TrustAnchorCell: String] = [:]
        for (cell, certificate) in all { contents[cell] = certificate }
        try contents.encode(to: encoder)
    }
}
