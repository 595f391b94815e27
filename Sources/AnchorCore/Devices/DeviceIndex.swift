/// Answers ``DeviceFilter`` queries over a large estate without comparing strings per device.
///
/// One bitset per Network Operator cell holder, per Supplier and per device type, and one for
/// "has a recorded counter"; free-text terms are matched against the IDs of the devices the
/// bitsets leave. A query ANDs bitsets word by word and only then looks at IDs.
public struct DeviceIndex: Sendable {
    /// Organisations holding a Network Operator cell, and Suppliers, each by a small code: a
    /// device's holder and Supplier are codes into these, and each code has its bitset.
    private var networkOperators = CodedBitsets()
    private var suppliers = CodedBitsets()
    private var byType: [Bitset]
    private var recorded: Bitset
    /// The table indexed, for its IDs (which a position never changes).
    private let devices: DeviceTable
    /// Each device's holder code (``CodedBitsets/none`` when the cell is empty) and Supplier code.
    private var networkOperatorAt: [UInt16]
    private var supplierAt: [UInt16]
    /// The number of devices indexed.
    public let count: Int

    /// Indexes every device of the table, by position. Rows kept outside memory and unchanged
    /// since are indexed from their columns, without reading them.
    public init(devices: DeviceTable, ledger: Ledger) {
        self.devices = devices
        count = devices.count
        recorded = Bitset(count: count)
        byType = Array(repeating: Bitset(count: devices.count), count: DeviceType.allCases.count)
        networkOperatorAt = Array(repeating: CodedBitsets.none, count: count)
        supplierAt = Array(repeating: CodedBitsets.none, count: count)
        var ownerOfCertificate: [String: String] = [:]
        for certificate in ledger.certificates { ownerOfCertificate[certificate.id] = certificate.owner }
        if let stored = devices.stored {
            indexColumns(of: stored, in: devices, ownerOfCertificate: ownerOfCertificate)
        } else {
            indexDevices(ownerOfCertificate: ownerOfCertificate)
        }
        for position in devices.positions(ofAscending: ledger.recordedCounters.ascendingDevices) { recorded.insert(position) }
    }

    /// Indexes devices held in memory. Devices loaded together share cell storage, so a
    /// device's holder is found by its storage among the few the estate has, and its Supplier
    /// among the few Suppliers: no hashing per device.
    private mutating func indexDevices(ownerOfCertificate: [String: String]) {
        var ownerByStorage: [(storage: UInt, owner: UInt16)] = []
        var lastSupplier: (name: String, code: UInt16)?
        for (position, device) in devices.enumerated() {
            let storage = device.cells.storageIdentity
            let owner: UInt16
            if let cached = ownerByStorage.first(where: { $0.storage == storage }) {
                owner = cached.owner
            } else {
                owner = networkOperators.code(for: device.cells[.networkOperatorDS].flatMap { ownerOfCertificate[$0] }, count: count)
                ownerByStorage.append((storage, owner))
            }
            let supplier: UInt16
            if let lastSupplier, lastSupplier.name == device.supplier {
                supplier = lastSupplier.code
            } else {
                supplier = suppliers.code(for: device.supplier, count: count)
                lastSupplier = (device.supplier, supplier)
            }
            insert(position, type: device.type, owner: owner, supplier: supplier)
        }
    }

    /// Indexes stored rows from their columns (cell set, Supplier, type); a device changed
    /// since is indexed as it is now.
    private mutating func indexColumns(of stored: any StoredDeviceRows, in table: DeviceTable, ownerOfCertificate: [String: String]) {
        let ownerOfCellSet = stored.cellSets.map { cells in
            networkOperators.code(for: cells[.networkOperatorDS].flatMap { ownerOfCertificate[$0] }, count: count)
        }
        let supplierOfCode = stored.suppliers.map { suppliers.code(for: $0, count: count) }
        // Every bitset's words side by side (holders, then Suppliers, then types), filled in one
        // pass through buffers: no copy-on-write check per device.
        let wordCount = (count + 63) / 64
        let supplierBase = networkOperators.codeCount, typeBase = supplierBase + suppliers.codeCount
        var words = [UInt64](repeating: 0, count: (typeBase + byType.count) * wordCount)
        words.withUnsafeMutableBufferPointer { words in
            networkOperatorAt.withUnsafeMutableBufferPointer { ownerAt in
                supplierAt.withUnsafeMutableBufferPointer { supplierAt in
                    stored.forEachColumns { position, columns in
                        let word = position >> 6, bit: UInt64 = 1 << UInt64(position & 63)
                        let owner = ownerOfCellSet[columns.cellSet], supplier = supplierOfCode[columns.supplier]
                        ownerAt[position] = owner
                        supplierAt[position] = supplier
                        if owner != CodedBitsets.none { words[Int(owner) * wordCount + word] |= bit }
                        words[(supplierBase + Int(supplier)) * wordCount + word] |= bit
                        words[(typeBase + Self.typeIndex(columns.type)) * wordCount + word] |= bit
                    }
                }
            }
        }
        func bitset(_ number: Int) -> Bitset { Bitset(words: Array(words[(number * wordCount)..<((number + 1) * wordCount)]), count: count) }
        for code in 0..<networkOperators.codeCount { networkOperators.replace(code: code, with: bitset(code)) }
        for code in 0..<suppliers.codeCount { suppliers.replace(code: code, with: bitset(supplierBase + code)) }
        for type in byType.indices { byType[type] = bitset(typeBase + type) }
        for position in table.changedPositions {
            let device = table[position]
            for type in byType.indices { byType[type].remove(position) }
            networkOperators.remove(position, code: networkOperatorAt[position])
            suppliers.remove(position, code: supplierAt[position])
            insert(position, type: device.type,
                   owner: networkOperators.code(for: device.cells[.networkOperatorDS].flatMap { ownerOfCertificate[$0] }, count: count),
                   supplier: suppliers.code(for: device.supplier, count: count))
        }
    }

    private mutating func insert(_ position: Int, type: DeviceType, owner: UInt16, supplier: UInt16) {
        byType[Self.typeIndex(type)].insert(position)
        networkOperators.insert(position, code: owner)
        networkOperatorAt[position] = owner
        suppliers.insert(position, code: supplier)
        supplierAt[position] = supplier
    }

    /// Re-indexes one device after a request changed it (its cells, or its recorded counter).
    public mutating func update(position: Int, device: Device, ledger: Ledger) {
        guard position < count else { return }
        networkOperators.remove(position, code: networkOperatorAt[position])
        suppliers.remove(position, code: supplierAt[position])
        recorded.remove(position)
        let owner = networkOperators.code(for: device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner }, count: count)
        networkOperators.insert(position, code: owner)
        networkOperatorAt[position] = owner
        let supplier = suppliers.code(for: device.supplier, count: count)
        suppliers.insert(position, code: supplier)
        supplierAt[position] = supplier
        if ledger.recordedCounters[device.id] != nil { recorded.insert(position) }
    }

    /// The positions (in ``DeviceTable/devices``) of the devices matching every term, ascending.
    public func positions(matching filter: DeviceFilter) -> [Int] {
        var candidates = Bitset(count: count, filled: true)
        var texts: [[UInt8]] = []
        for term in filter.terms {
            switch term {
            case .networkOperator(let organisation): candidates.formIntersection(networkOperators.bitset(for: organisation))
            case .supplier(let organisation): candidates.formIntersection(suppliers.bitset(for: organisation))
            case .type(let type): candidates.formIntersection(byType[Self.typeIndex(type)])
            case .hasRecordedCounter: candidates.formIntersection(recorded)
            case .idContains(let digits): texts.append(Array(digits.utf8))
            }
        }
        var result: [Int] = []
        var hex = [UInt8](repeating: 0, count: 16)
        hex.withUnsafeMutableBufferPointer { hex in
            candidates.forEach { position in
                guard !texts.isEmpty else { return result.append(position) }
                DeviceIndex.writeHex(devices.id(at: position), into: hex, at: 0)
                if texts.allSatisfy({ DeviceIndex.hex(UnsafeBufferPointer(hex), at: 0, contains: $0) }) { result.append(position) }
            }
        }
        return result
    }

    /// The type's place in ``DeviceType/allCases``.
    private static func typeIndex(_ type: DeviceType) -> Int {
        switch type {
        case .gpf: 0
        case .esme: 1
        case .gsme: 2
        case .chf: 3
        }
    }

    private static func writeHex(_ id: EUI64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { table in
            for nibble in 0..<16 {
                buffer[offset + nibble] = table[Int((id.rawValue >> UInt64(60 - nibble * 4)) & 0xF)]
            }
        }
    }

    private static func hex(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, contains needle: [UInt8]) -> Bool {
        guard needle.count <= 16 else { return false }
        var start = 0
        while start + needle.count <= 16 {
            var index = 0
            while index < needle.count && buffer[offset + start + index] == needle[index] { index += 1 }
            if index == needle.count { return true }
            start += 1
        }
        return false
    }
}

/// Bitsets for the few distinct names of one column (Network Operator holders, Suppliers), each
/// name given a small code in order of first sight.
struct CodedBitsets: Sendable {
    /// The code of "no name" (an empty cell): it has no bitset.
    static let none = UInt16.max
    private var names: [String] = []
    private var bitsets: [Bitset] = []

    /// The name's code, given a new one (and an empty bitset over `count` positions) the first time.
    mutating func code(for name: String?, count: Int) -> UInt16 {
        guard let name else { return Self.none }
        if let known = names.firstIndex(of: name) { return UInt16(known) }
        names.append(name)
        bitsets.append(Bitset(count: count))
        return UInt16(names.count - 1)
    }

    /// How many names have a code.
    var codeCount: Int { names.count }

    mutating func insert(_ position: Int, code: UInt16) {
        if code != Self.none { bitsets[Int(code)].insert(position) }
    }

    /// Gives a code's name a bitset made elsewhere.
    mutating func replace(code: Int, with bitset: Bitset) {
        bitsets[code] = bitset
    }

    mutating func remove(_ position: Int, code: UInt16) {
        if code != Self.none { bitsets[Int(code)].remove(position) }
    }

    /// The positions under a name; `nil` when no device has it.
    func bitset(for name: String) -> Bitset? {
        names.firstIndex(of: name).map { bitsets[$0] }
    }
}

/// A fixed-size set of positions, one bit each.
struct Bitset: Sendable {
    private(set) var words: [UInt64]
    let count: Int

    /// A set over `count` positions from its words.
    init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) / 64)
        self.words = words
        self.count = count
    }

    init(count: Int, filled: Bool = false) {
        self.count = count
        words = Array(repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled, count % 64 != 0, !words.isEmpty { words[words.count - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    mutating func insert(_ position: Int) { words[position >> 6] |= 1 << UInt64(position & 63) }

    mutating func remove(_ position: Int) { words[position >> 6] &= ~(1 << UInt64(position & 63)) }

    /// Keeps only positions also in `other`; a missing set means no positions.
    mutating func formIntersection(_ other: Bitset?) {
        guard let other else {
            for index in words.indices { words[index] = 0 }
            return
        }
        for index in words.indices { words[index] &= other.words[index] }
    }

    func forEach(_ body: (Int) -> Void) {
        for (index, word) in words.enumerated() where word != 0 {
            var remaining = word
            while remaining != 0 {
                body(index << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }
}
