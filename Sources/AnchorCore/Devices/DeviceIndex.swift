/// Answers ``DeviceFilter`` queries over a large estate without comparing strings per device.
///
/// One bitset per Network Operator cell holder, per Supplier and per device type, one for
/// "has a recorded counter", and every device ID as 16 hex digits in one flat buffer for
/// free-text terms. A query ANDs bitsets word by word and only then looks at IDs.
public struct DeviceIndex: Sendable {
    private var byNetworkOperator: [String: Bitset] = [:]
    private var bySupplier: [String: Bitset] = [:]
    private var byType: [DeviceType: Bitset] = [:]
    private var recorded: Bitset
    private var hexIDs: [UInt8]
    private var networkOperatorAt: [String?]
    private var supplierAt: [String]
    /// The number of devices indexed.
    public let count: Int

    /// Indexes every device of the table, by position.
    public init(devices: DeviceTable, ledger: Ledger) {
        count = devices.count
        recorded = Bitset(count: count)
        hexIDs = [UInt8](repeating: 0, count: count * 16)
        networkOperatorAt = Array(repeating: nil, count: count)
        supplierAt = Array(repeating: "", count: count)
        var ownerOfCertificate: [String: String] = [:]
        for certificate in ledger.certificates { ownerOfCertificate[certificate.id] = certificate.owner }
        hexIDs.withUnsafeMutableBufferPointer { hex in
            for (position, device) in devices.devices.enumerated() {
                DeviceIndex.writeHex(device.id, into: hex, at: position * 16)
            }
        }
        var ownerByStorage: [UInt: String?] = [:]
        for (position, device) in devices.devices.enumerated() {
            byType[device.type, default: Bitset(count: count)].insert(position)
            // Devices loaded together share cell storage, so most owners come from this cache.
            let identity = device.cells.storageIdentity
            let owner: String?
            if let cached = ownerByStorage[identity] {
                owner = cached
            } else {
                owner = device.cells[.networkOperatorDS].flatMap { ownerOfCertificate[$0] }
                ownerByStorage[identity] = .some(owner)
            }
            set(position, device: device, owner: owner, ledger: ledger)
        }
    }

    /// Re-indexes one device after a request changed it (its cells, or its recorded counter).
    public mutating func update(position: Int, device: Device, ledger: Ledger) {
        guard position < count else { return }
        if let previous = networkOperatorAt[position] { byNetworkOperator[previous]?.remove(position) }
        bySupplier[supplierAt[position]]?.remove(position)
        recorded.remove(position)
        let owner = device.cells[.networkOperatorDS].flatMap { ledger.certificate($0)?.owner }
        set(position, device: device, owner: owner, ledger: ledger)
    }

    /// The positions (in ``DeviceTable/devices``) of the devices matching every term, ascending.
    public func positions(matching filter: DeviceFilter) -> [Int] {
        var candidates = Bitset(count: count, filled: true)
        var texts: [[UInt8]] = []
        for term in filter.terms {
            switch term {
            case .networkOperator(let organisation): candidates.formIntersection(byNetworkOperator[organisation])
            case .supplier(let organisation): candidates.formIntersection(bySupplier[organisation])
            case .type(let type): candidates.formIntersection(byType[type])
            case .hasRecordedCounter: candidates.formIntersection(recorded)
            case .idContains(let digits): texts.append(Array(digits.utf8))
            }
        }
        var result: [Int] = []
        hexIDs.withUnsafeBufferPointer { hex in
            candidates.forEach { position in
                if texts.allSatisfy({ DeviceIndex.hex(hex, at: position * 16, contains: $0) }) { result.append(position) }
            }
        }
        return result
    }

    private mutating func set(_ position: Int, device: Device, owner: String?, ledger: Ledger) {
        networkOperatorAt[position] = owner
        if let owner { byNetworkOperator[owner, default: Bitset(count: count)].insert(position) }
        supplierAt[position] = device.supplier
        bySupplier[device.supplier, default: Bitset(count: count)].insert(position)
        if ledger.recordedCounters[device.id] != nil { recorded.insert(position) }
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

/// A fixed-size set of positions, one bit each.
struct Bitset: Sendable {
    private(set) var words: [UInt64]
    let count: Int

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
