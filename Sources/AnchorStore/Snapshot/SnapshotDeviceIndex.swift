import AnchorCore

/// `snapshot.devices`, derived from the snapshot body's device rows and never trusted over it:
/// each row's device ID, where the row starts, and what filters and reports ask of it (its cell
/// set, Supplier, type and commissioning, and whether it holds a future-dated command), so
/// opening a store of ten million devices reads none of their rows.
///
/// The file is 64-bit little-endian words: an eight-word header (`ADDEVIX1`, the body's length
/// and CRC-32C, where the `devices` array's `[` is and the offset just past its `]`, the row
/// count, the number of words naming the Suppliers, the CRC-32C of everything after the header),
/// then the Suppliers (each a word holding its UTF-8 length, then its bytes padded to a word),
/// each row's ID, each row's start, each row's packed columns (``Columns``) and each row's
/// commissioning (seconds since 1970, two's complement; `Int64.min` for none). Offsets count
/// from the body's first byte. It names the body it was made from by length and CRC-32C, so an
/// index of another body is stale: the store reads the rows once to make it again. Rows read
/// through it are checked against the ID asked for (``SnapshotDeviceRows``), and `store check`
/// makes it again and compares.
struct SnapshotDeviceIndex: @unchecked Sendable {
    /// The index's file name inside the store directory.
    static let fileName = "snapshot.devices"
    /// `ADDEVIX1` as a little-endian word.
    static let magic: UInt64 = Array("ADDEVIX1".utf8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    private static let headerWords = 8

    /// One row's columns in a word: its cell set's number (bits 0–31), its Supplier's number
    /// (32–47), its type's number in ``DeviceType/allCases`` (48–55) and whether it holds a
    /// future-dated command or an alert's counter (56).
    struct Columns: Equatable {
        var cellSet: Int
        var supplier: Int
        var type: DeviceType
        var scheduled: Bool

        private static let types = DeviceType.allCases
        /// The most Suppliers and cell sets the columns can number.
        static let supplierLimit = 1 << 16, cellSetLimit = 1 << 32

        var word: UInt64 {
            UInt64(cellSet) | UInt64(supplier) << 32 | UInt64(Self.types.firstIndex(of: type)!) << 48 | (scheduled ? 1 << 56 : 0)
        }

        /// The columns a word holds; `nil` when a field is out of range.
        init?(word: UInt64, cellSetCount: Int, supplierCount: Int) {
            let type = Int(word >> 48 & 0xFF)
            cellSet = Int(word & 0xFFFF_FFFF)
            supplier = Int(word >> 32 & 0xFFFF)
            guard word >> 57 == 0, cellSet < cellSetCount, supplier < supplierCount, type < Self.types.count else { return nil }
            self.type = Self.types[type]
            scheduled = word >> 56 & 1 == 1
        }

        init(cellSet: Int, supplier: Int, type: DeviceType, scheduled: Bool) {
            self.cellSet = cellSet
            self.supplier = supplier
            self.type = type
            self.scheduled = scheduled
        }

        /// A device's columns, its cell set and Supplier numbered by the caller.
        init(_ device: Device, cellSet: Int, supplier: Int) {
            self.init(cellSet: cellSet, supplier: supplier, type: device.type,
                      scheduled: device.pending != nil || device.lastAlertCounter != nil)
        }
    }

    /// What the index describes, as found in the body.
    struct Rows {
        /// Where the `devices` array's `[` is, and the offset just past its `]`.
        var array: Range<Int>
        /// The cell sets the rows name, by number (not part of the file: the body holds them).
        var cellSets: [TrustAnchorCells] = []
        /// The Suppliers the rows name, numbered in the order they first appear.
        private(set) var suppliers: [String] = []
        /// Each row's device ID, start and packed ``Columns``, in row order.
        private(set) var ids: [UInt64] = []
        private(set) var starts: [UInt64] = []
        private(set) var columns: [UInt64] = []
        private(set) var commissioned: [UInt64] = []
        private var lastSupplier: (name: String, number: Int)?

        init(array: Range<Int>) {
            self.array = array
        }

        mutating func reserveCapacity(_ count: Int) {
            ids.reserveCapacity(count)
            starts.reserveCapacity(count)
            columns.reserveCapacity(count)
            commissioned.reserveCapacity(count)
        }

        /// Moves every row's start `offset` bytes on: the rows were written apart from the body
        /// and copied into it there.
        mutating func moveStarts(by offset: Int) {
            for index in starts.indices { starts[index] += UInt64(offset) }
        }

        /// Adds the next row: its device, where it starts, and its cell set's number.
        mutating func append(_ device: Device, start: Int, cellSet: Int) {
            let supplier: Int
            if let lastSupplier, lastSupplier.name == device.supplier {
                supplier = lastSupplier.number
            } else {
                supplier = suppliers.firstIndex(of: device.supplier) ?? suppliers.count
                if supplier == suppliers.count { suppliers.append(device.supplier) }
                lastSupplier = (device.supplier, supplier)
            }
            ids.append(device.id.rawValue)
            starts.append(UInt64(start))
            columns.append(Columns(device, cellSet: cellSet, supplier: supplier).word)
            commissioned.append(SnapshotDeviceIndex.commissionedWord(device.commissionedAt))
        }
    }

    private let owner: AnyObject
    private let words: UnsafeBufferPointer<UInt64>
    /// The body's length and CRC-32C the index was made from.
    let bodyLength: Int, bodyChecksum: UInt32
    /// Where the `devices` array's `[` is, and the offset just past its `]`, in the body.
    let array: Range<Int>
    /// How many rows the index describes.
    let count: Int
    /// The Suppliers the rows name, by number.
    let suppliers: [String]
    private let idsStart: Int

    private var startsStart: Int { idsStart + count }
    private var columnsStart: Int { startsStart + count }
    private var commissionedStart: Int { columnsStart + count }

    /// Row `position`'s device ID.
    func id(at position: Int) -> UInt64 { words[idsStart + position] }
    /// Where row `position` starts in the body.
    func start(at position: Int) -> Int { Int(words[startsStart + position]) }
    /// Row `position`'s packed ``Columns``.
    func columnsWord(at position: Int) -> UInt64 { words[columnsStart + position] }
    /// When row `position`'s device was commissioned, if it was. A time no row can hold (a forged
    /// index: `store check` finds it) reads as none rather than reach a report that would print it.
    func commissionedAt(_ position: Int) -> Timestamp? {
        let seconds = Int64(bitPattern: words[commissionedStart + position])
        return Self.commissionedRange.contains(seconds) ? Timestamp(secondsSince1970: seconds) : nil
    }

    private static let notCommissioned = UInt64(bitPattern: Int64.min)
    /// The times a row can hold (years 0000 to 9999, as ISO 8601 writes them).
    private static let commissionedRange = Timestamp(iso8601: "0000-01-01T00:00:00Z")!.secondsSince1970...Timestamp(iso8601: "9999-12-31T23:59:59Z")!.secondsSince1970

    /// A commissioning as its column holds it.
    static func commissionedWord(_ time: Timestamp?) -> UInt64 {
        time.map { UInt64(bitPattern: $0.secondsSince1970) } ?? notCommissioned
    }

    // MARK: Making one

    /// An index of a body's rows, held in memory.
    init(rows: Rows, bodyLength: Int, bodyChecksum: UInt32) {
        var supplierWords: [UInt64] = []
        for supplier in rows.suppliers {
            let bytes = Array(supplier.utf8)
            supplierWords.append(UInt64(bytes.count))
            for start in stride(from: 0, to: bytes.count, by: 8) {
                supplierWords.append(bytes[start..<min(bytes.count, start + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
            }
        }
        var words: [UInt64] = [Self.magic, UInt64(bodyLength), UInt64(bodyChecksum), UInt64(rows.array.lowerBound),
                               UInt64(rows.array.upperBound), UInt64(rows.ids.count), UInt64(supplierWords.count), 0]
        words.reserveCapacity(Self.headerWords + supplierWords.count + 4 * rows.ids.count)
        words += supplierWords
        words += rows.ids
        words += rows.starts
        words += rows.columns
        words += rows.commissioned
        words[7] = UInt64(words.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[(Self.headerWords * 8)...])) })
        let storage = WordStorage(words)
        self.init(owner: storage, words: storage.words)!
    }

    /// The index's file bytes.
    var fileBytes: [UInt8] { Array(UnsafeRawBufferPointer(words)) }

    /// The index's file bytes, not copied, to write.
    var filePiece: FilePiece { .raw(owner: owner, UnsafeRawBufferPointer(words)) }

    // MARK: Reading one

    /// The index in a mapped file, if it is whole, matches its own checksum, describes a body of
    /// this length and CRC-32C and is well formed (``isWellFormed(cellSetCount:releasing:)``);
    /// `nil` (stale or damaged: make it again) otherwise.
    static func read(_ mapping: FileMapping, bodyLength: Int, bodyChecksum: UInt32) -> SnapshotDeviceIndex? {
        let raw = UnsafeRawBufferPointer(mapping.bytes)
        guard raw.count % 8 == 0, raw.count >= headerWords * 8, let base = raw.baseAddress else { return nil }
        let words = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt64.self), count: raw.count / 8)
        guard let index = SnapshotDeviceIndex(owner: mapping, words: words), index.bodyLength == bodyLength,
              index.bodyChecksum == bodyChecksum,
              UInt64(mapping.checksumReleasing((headerWords * 8)..<raw.count)) == words[7]
        else { return nil }
        return index
    }

    /// Whether the IDs ascend, every row starts inside the `devices` array after the one before,
    /// and every row's columns name a cell set and Supplier there are: so that a forged index
    /// that still passes its checksum can make a row unreadable but never send a lookup astray.
    func isWellFormed(cellSetCount: Int, releasing mapping: FileMapping?) -> Bool {
        var released = idsStart
        func read(_ word: Int) -> UInt64 {
            if let mapping, word - released >= 1 << 19 {
                mapping.release((released * 8)..<(word * 8))
                released = word
            }
            return words[word]
        }
        var previousID: UInt64 = 0, previousStart = UInt64(array.lowerBound)
        for position in 0..<count {
            let id = read(idsStart + position)
            guard position == 0 || id > previousID else { return false }
            previousID = id
        }
        for position in 0..<count {
            let start = read(startsStart + position)
            guard start > previousStart, start < UInt64(array.upperBound) else { return false }
            previousStart = start
        }
        for position in 0..<count
        where Columns(word: read(columnsStart + position), cellSetCount: cellSetCount, supplierCount: suppliers.count) == nil {
            return false
        }
        mapping?.release(0..<(words.count * 8))
        return true
    }

    /// An index over words that hold one whole; `nil` when the header does not add up.
    private init?(owner: AnyObject, words: UnsafeBufferPointer<UInt64>) {
        // Every word is bounded before it becomes an `Int`: the file may hold anything.
        guard words.count >= Self.headerWords, words[0] == Self.magic, words[1] <= UInt64(Int.max), words[2] <= UInt64(UInt32.max),
              words[3] < words[4], words[4] <= words[1], words[5] <= UInt64(words.count), words[6] <= UInt64(words.count)
        else { return nil }
        self.owner = owner
        self.words = words
        bodyLength = Int(words[1])
        bodyChecksum = UInt32(truncatingIfNeeded: words[2])
        array = Int(words[3])..<Int(words[4])
        count = Int(words[5])
        let supplierEnd = Self.headerWords + Int(words[6])
        guard supplierEnd + 4 * count == words.count else { return nil }
        var suppliers: [String] = []
        var word = Self.headerWords
        while word < supplierEnd {
            guard words[word] <= 1 << 16 else { return nil }
            let length = Int(words[word])
            let end = word + 1 + (length + 7) / 8
            guard end <= supplierEnd else { return nil }
            let bytes = UnsafeRawBufferPointer(start: words.baseAddress! + word + 1, count: length)
            guard let name = String(validating: bytes, as: UTF8.self) else { return nil }
            suppliers.append(name)
            word = end
        }
        guard suppliers.count <= 1 << 16 else { return nil }
        self.suppliers = suppliers
        idsStart = supplierEnd
    }
}
