import AnchorCore

/// `snapshot.index`, derived from the snapshot's log and never trusted over it: where each
/// request and audit row starts, and the request rows sorted by device and by Request ID, so
/// opening a store with a million logged requests reads none of them.
///
/// The file is 64-bit little-endian words: an eight-word header (`ADLOGIX1`, the log's length
/// and CRC-32C, the request and audit row counts, the CRC-32C of everything after the header,
/// two zeros), then each request row's start and the end of the last one, the same for the
/// audit rows, `(device, position)` pairs in order, and `(Request ID hash, position)` pairs in
/// order. Offsets count from the log's first byte. It names the log it was made from by length
/// and CRC-32C, so an index of another log (a snapshot written since, a copy from elsewhere) is
/// stale: the store reads the log once to make it again. Rows read through it are checked
/// against what was asked for (``SnapshotLog``), and `store check` rebuilds it and compares.
struct SnapshotLogIndex: @unchecked Sendable {
    /// The index's file name inside the store directory.
    static let fileName = "snapshot.index"
    /// `ADLOGIX1` as a little-endian word.
    static let magic: UInt64 = Array("ADLOGIX1".utf8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    private static let headerWords = 8

    /// What the index describes, as found in the log.
    struct Rows {
        /// Each request row's start, then the end of the last row (or one 0 when there are none).
        var requestStarts: [UInt64]
        /// Each audit row's start, then the end of the last row.
        var auditStarts: [UInt64]
        /// Each request row's device.
        var devices: [UInt64]
        /// Each request row's ``requestIdHash(_:)``.
        var requestIdHashes: [UInt64]
    }

    private let owner: AnyObject
    private let words: UnsafeBufferPointer<UInt64>
    /// The log's length and CRC-32C the index was made from.
    let logLength: Int, logChecksum: UInt32
    let requestCount: Int, auditCount: Int

    private var requestStarts: Int { Self.headerWords }
    private var auditStarts: Int { requestStarts + requestCount + 1 }
    private var byDevice: Int { auditStarts + auditCount + 1 }
    private var byRequestId: Int { byDevice + 2 * requestCount }
    private var wordCount: Int { byRequestId + 2 * requestCount }

    /// Where request row `position` starts in the log.
    func requestStart(_ position: Int) -> Int { Int(words[requestStarts + position]) }
    /// Where audit row `position` starts in the log.
    func auditStart(_ position: Int) -> Int { Int(words[auditStarts + position]) }
    /// The bytes of all request rows, as written (`row,\nrow…`), or an empty range.
    var requestRowsRange: Range<Int> { requestCount == 0 ? 0..<0 : requestStart(0)..<requestStart(requestCount) }
    /// The bytes of all audit rows, as written, or an empty range.
    var auditRowsRange: Range<Int> { auditCount == 0 ? 0..<0 : auditStart(0)..<auditStart(auditCount) }

    /// The positions of the request rows indexed under a device, oldest first.
    func positions(ofDevice device: UInt64) -> [Int] { positions(in: byDevice, key: device) }

    /// The positions of the request rows whose Request ID has this hash.
    func positions(ofRequestIdHash hash: UInt64) -> [Int] { positions(in: byRequestId, key: hash) }

    private func positions(in table: Int, key: UInt64) -> [Int] {
        var low = 0, high = requestCount
        while low < high {
            let middle = (low + high) / 2
            if words[table + 2 * middle] < key { low = middle + 1 } else { high = middle }
        }
        var found: [Int] = []
        while low < requestCount, words[table + 2 * low] == key {
            found.append(Int(words[table + 2 * low + 1]))
            low += 1
        }
        return found
    }

    /// FNV-1a over the Request ID's UTF-8: the same in every process (Swift's `Hasher` is not).
    static func requestIdHash(_ requestId: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in requestId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }

    // MARK: Making one

    /// An index of a log's rows, held in memory.
    init(rows: Rows, logLength: Int, logChecksum: UInt32) {
        let requestCount = rows.devices.count, auditCount = max(0, rows.auditStarts.count - 1)
        var words: [UInt64] = [Self.magic, UInt64(logLength), UInt64(logChecksum), UInt64(requestCount), UInt64(auditCount), 0, 0, 0]
        words.reserveCapacity(Self.headerWords + 6 * requestCount + auditCount + 2)
        words += rows.requestStarts + rows.auditStarts
        for table in [rows.devices, rows.requestIdHashes] {
            var pairs = Array(zip(table, UInt64(0)...))
            pairs.sort { $0 < $1 }
            for (key, position) in pairs { words += [key, position] }
        }
        words[5] = UInt64(words.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[(Self.headerWords * 8)...])) })
        let storage = WordStorage(words)
        self.init(owner: storage, words: storage.words)!
    }

    /// Whether this is the very index `other` is (the same words), not just an equal one.
    func isSame(as other: SnapshotLogIndex) -> Bool { owner === other.owner }

    /// The index's file bytes.
    var fileBytes: [UInt8] { Array(UnsafeRawBufferPointer(words)) }

    // MARK: Reading one

    /// The index in a mapped file, if it is whole, matches its own checksum and describes a log
    /// of this length and CRC-32C; `nil` (stale or damaged: make it again) otherwise.
    static func read(_ mapping: FileMapping, logLength: Int, logChecksum: UInt32) -> SnapshotLogIndex? {
        let raw = UnsafeRawBufferPointer(mapping.bytes)
        guard raw.count % 8 == 0, raw.count >= headerWords * 8, let base = raw.baseAddress else { return nil }
        let words = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt64.self), count: raw.count / 8)
        // Each pass gives the pages it read back as it goes, so checking adds little to peak memory.
        guard let index = SnapshotLogIndex(owner: mapping, words: words), index.logLength == logLength,
              index.logChecksum == logChecksum, index.isWellFormed(releasing: mapping),
              UInt64(mapping.checksumReleasing((headerWords * 8)..<raw.count)) == words[5]
        else { return nil }
        return index
    }

    /// Whether every row start lies inside the log, each after the one before, and every table
    /// names real positions: so that a forged index that still passes its checksum can make a
    /// row unreadable (``SnapshotLog`` then makes the index again) but never send a read astray.
    private func isWellFormed(releasing mapping: FileMapping) -> Bool {
        // The sections lie one after another, so the words are read once, in file order.
        var released = 0
        func read(_ word: Int) -> UInt64 {
            if word - released >= 1 << 19 {
                mapping.release(0..<(word * 8))
                released = word
            }
            return words[word]
        }
        func increasing(from start: Int, count: Int) -> Bool {
            var previous: UInt64 = 0
            for offset in 0...count {
                let value = read(start + offset)
                guard value < UInt64(logLength), offset == 0 || value > previous || (offset == count && value >= previous) else { return false }
                previous = value
            }
            return true
        }
        guard increasing(from: requestStarts, count: requestCount), increasing(from: auditStarts, count: auditCount) else { return false }
        for table in [byDevice, byRequestId] {
            for pair in 0..<requestCount where read(table + 2 * pair + 1) >= UInt64(requestCount) { return false }
        }
        mapping.release(0..<(words.count * 8))
        return true
    }

    /// An index over words that hold one whole; `nil` when the header does not add up.
    private init?(owner: AnyObject, words: UnsafeBufferPointer<UInt64>) {
        // Every word is bounded before it becomes an `Int`: the file may hold anything.
        guard words.count >= Self.headerWords, words[0] == Self.magic, words[6] == 0, words[7] == 0, words[1] <= UInt64(Int.max),
              words[3] <= UInt64(words.count), words[4] <= UInt64(words.count) else { return nil }
        self.owner = owner
        self.words = words
        logLength = Int(words[1])
        logChecksum = UInt32(truncatingIfNeeded: words[2])
        requestCount = Int(words[3])
        auditCount = Int(words[4])
        guard words[2] <= UInt64(UInt32.max), wordCount == words.count else { return nil }
    }
}
