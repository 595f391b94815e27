import AnchorCore
#if canImport(Glibc)
import Glibc
#endif

/// An on-disk AnchorDesk store: a snapshot plus an append-only journal in one directory.
///
/// Opening reads the snapshot and replays the journal. A writer holds the directory's lock
/// for as long as the store is open, and ``commit(_:)`` returns only once the journal record
/// is on disk (`fsync`). Readers take no lock and never modify files.
public final class Store {
    /// How a store is opened.
    public enum Access: Sendable {
        /// Read only; takes no lock, changes nothing (a torn journal tail is ignored, not cut).
        case readOnly
        /// Read and write; takes the lock, waiting up to the timeout for another writer.
        case readWrite(lockTimeout: Duration)
    }

    /// The store directory.
    public let directory: String
    /// The estate as of the last committed request.
    public private(set) var estate: Estate
    /// Things the user should know about the open (for example a torn tail that was cut).
    public private(set) var warnings: [String]
    /// The audit chain: one entry per logged request or lifecycle action since the store had one, oldest first.
    public private(set) var auditTrail: AuditTrail

    private let journal: JournalFile?
    private let lock: StoreLock?
    /// The sequence of the last record the estate holds.
    public private(set) var lastSequence: UInt64
    private var staged: [[UInt8]] = []
    private var journalBytes: Int
    private var snapshotBytes: Int
    /// How many journal records the open replayed on top of the snapshot.
    public private(set) var replayedRecords = 0
    /// Bytes of an unfinished last journal record that a read-only open ignored.
    public private(set) var ignoredTornTailBytes = 0
    /// Where that record starts, if a read-only open ignored one.
    public private(set) var ignoredTornTailOffset: Int?
    private var failure: StoreError?

    /// The snapshot's file name inside the store directory.
    public static let snapshotName = "snapshot.json"
    /// The journal's file name inside the store directory.
    public static let journalName = "journal.jsonl"

    private init(
        directory: String, estate: Estate, auditTrail: AuditTrail, warnings: [String], journal: JournalFile?, lock: StoreLock?,
        lastSequence: UInt64, journalBytes: Int, snapshotBytes: Int
    ) {
        self.auditTrail = auditTrail
        self.journalBytes = journalBytes
        self.snapshotBytes = snapshotBytes
        self.directory = directory
        self.estate = estate
        self.warnings = warnings
        self.journal = journal
        self.lock = lock
        self.lastSequence = lastSequence
    }

    /// Creates a new store holding an estate.
    /// - Parameters:
    ///   - directory: where; created `0700` if missing.
    ///   - estate: the initial contents; validated first.
    ///   - replacingExisting: overwrite a store already there (`init --force`).
    /// - Throws: `.alreadyExists` when a store is there and `replacingExisting` is false;
    ///   `.invalidArgument` when the estate does not validate; I/O errors.
    ///   - audit: the audit chain the estate's logs already have (a copy of another store's).
    ///   - lastSequence: the sequence of the last record the estate holds (a copy of another store's).
    public static func create(
        at directory: String, with estate: Estate, audit: AuditTrail? = nil, lastSequence: UInt64 = 0, replacingExisting: Bool
    ) throws(StoreError) {
        do {
            try estate.validate()
        } catch {
            throw StoreError.invalidArgument(error.description)
        }
        try StoreDirectory.create(path: directory)
        try StoreTrust.check(directory: directory)
        let lock = try StoreLock.acquire(directory: directory, timeout: .seconds(2))
        defer { lock.release() }
        let snapshotPath = path(directory, snapshotName)
        if !replacingExisting, exists(at: directory) {
            throw StoreError(code: .alreadyExists,
                             message: "a store already exists here; use --force to replace it", path: directory)
        }
        try SnapshotFile.write(estate, audit: audit ?? AuditTrail(), lastSequence: lastSequence, to: snapshotPath)
        let journal = try JournalFile.openForAppend(path: path(directory, journalName))
        defer { journal.close() }
        try journal.truncate(toLength: 0)
    }

    /// Whether a store exists in a directory.
    public static func exists(at directory: String) -> Bool {
        var info = stat()
        return stat(path(directory, snapshotName), &info) == 0
    }

    /// Opens a store: reads the snapshot, replays the journal.
    /// - Throws: `.notFound` if there is no store; `.untrusted` for a symbolic link or other
    ///   non-regular file in it or a directory others may write in (``StoreTrust``); `.corrupt`
    ///   with the file and byte offset for damage anywhere but a torn tail; `.newerSchema`;
    ///   `.locked` when another writer holds it.
    public static func open(at directory: String, access: Access) throws(StoreError) -> Store {
        let snapshotPath = path(directory, snapshotName)
        let journalPath = path(directory, journalName)
        guard StoreDirectory.exists(path: directory), exists(at: directory) else {
            throw .noStore(at: directory)
        }
        try StoreTrust.check(directory: directory)
        var lock: StoreLock?
        if case .readWrite(let timeout) = access {
            lock = try StoreLock.acquire(directory: directory, timeout: timeout)
        }
        do throws(StoreError) {
            let snapshot = try SnapshotFile.open(path: snapshotPath, writingIndex: lock != nil)
            var estate = snapshot.contents.estate
            var auditTrail = snapshot.contents.audit
            var lastSequence = snapshot.lastSequence
            let journalContents = try JournalFile.read(path: journalPath)
            let scan = try JournalScanner.scan(journalContents, path: journalPath)
            for record in scan.records {
                let entry: (sequence: UInt64, content: JournalContent, audit: AuditLink?)
                do {
                    entry = try ChangeRecordCoding.decode(record.payload)
                } catch {
                    throw StoreError.corrupt(path: journalPath, offset: record.offset, reason: "record content: \(error.description) of the record")
                }
                let sequence = entry.sequence
                if sequence <= lastSequence { continue }  // already in the snapshot (compaction was interrupted)
                guard sequence == lastSequence + 1 else {
                    throw StoreError.corrupt(path: journalPath, offset: record.offset,
                                             reason: "record \(sequence) follows record \(lastSequence)")
                }
                apply(entry.content, sequence: sequence, link: entry.audit, to: &estate, auditTrail: &auditTrail)
                lastSequence = sequence
            }
            var warnings = StoreHygiene.permissionWarnings(directory: directory, files: [snapshotName, journalName, SnapshotLogIndex.fileName, SnapshotDeviceIndex.fileName])
            if snapshot.rebuiltIndex {
                warnings.append("\(SnapshotLogIndex.fileName) was missing or did not match the snapshot's log; it was made again from the log"
                                + (lock == nil ? " (in memory only: the next writer saves it)" : ""))
            }
            var journal: JournalFile?
            if let lock {
                if let pid = lock.abandonedBy {
                    warnings.append("the previous writer (process \(pid)) stopped without closing the store; its lock was released when it died, and what it committed is intact")
                }
                warnings += try StoreHygiene.removeAbandonedTemporaryFiles(directory: directory, names: [snapshotName, SnapshotLogIndex.fileName, SnapshotDeviceIndex.fileName])
                let file = try JournalFile.openForAppend(path: journalPath)
                if let torn = scan.tornTail {
                    // Keep the cut bytes beside the journal: nothing is destroyed silently.
                    let sidePath = path(directory, "\(journalName).torn-\(torn.offset)")
                    try AtomicFile.write(Array(journalContents[torn.offset...]), to: sidePath)
                    try file.truncate(toLength: torn.offset)
                    warnings.append("\(journalName): removed an unfinished record of \(torn.length) bytes at byte \(torn.offset) (a write was interrupted; nothing acknowledged was lost); the bytes are kept in \(journalName).torn-\(torn.offset)")
                }
                journal = file
            } else if let torn = scan.tornTail {
                // A reader changes nothing, but says what it left out and what the next writer will do.
                warnings.append(tornTailWarning(journalPath: journalPath, offset: torn.offset, length: torn.length))
            }
            let store = Store(directory: directory, estate: estate, auditTrail: auditTrail, warnings: warnings, journal: journal,
                              lock: lock, lastSequence: lastSequence, journalBytes: scan.validLength, snapshotBytes: snapshot.size)
            store.replayedRecords = scan.records.count
            store.ignoredTornTailBytes = lock == nil ? scan.tornTail?.length ?? 0 : 0
            store.ignoredTornTailOffset = lock == nil ? scan.tornTail?.offset : nil
            return store
        } catch {
            lock?.release()
            throw error
        }
    }

    /// Makes a change durable (journal append and `fsync`), then applies it to ``estate``.
    ///
    /// Once this returns, the request may be reported as done. If it throws, nothing was applied
    /// and the store must be closed and reopened before further use.
    public func commit(_ change: EstateChange) throws(StoreError) {
        try commit([change])
    }

    /// Makes several changes durable with one `fsync` (group commit), then applies them in order.
    public func commit(_ changes: [EstateChange]) throws(StoreError) {
        try commit(contents: changes.flatMap(JournalContent.records(for:)))
    }

    /// Makes an alert's arrival durable (the device's new state and the alert, byte for byte),
    /// then applies it: from here the alert waits in ``Ledger/unprocessedAlerts`` until processed.
    public func commit(_ arrival: AlertArrival) throws(StoreError) {
        try commit(contents: [.alertArrival(arrival)])
    }

    /// Makes a processed alert durable, then applies it.
    public func commit(_ change: ScheduleChange) throws(StoreError) {
        try commit(contents: [.schedule(change)])
    }

    /// Makes a lifecycle action durable (journal append and `fsync`), then applies it to ``estate``.
    public func commit(_ change: LifecycleChange) throws(StoreError) {
        try commit(contents: [.lifecycle(change)])
    }

    private func commit(contents: [JournalContent]) throws(StoreError) {
        try flush()
        var links: [AuditLink] = []
        var payloads: [[UInt8]] = []
        for (offset, content) in contents.enumerated() {
            let previous = links.last?.hash ?? auditTrail.last?.hash ?? .genesis
            let encoded = ChangeRecordCoding.encode(sequence: lastSequence + UInt64(offset) + 1, content: content, previous: previous)
            payloads.append(encoded.bytes)
            links.append(AuditLink(previousHash: previous, hash: encoded.hash))
        }
        try append(payloads, after: lastSequence)
        for (offset, content) in contents.enumerated() {
            Store.apply(content, sequence: lastSequence + UInt64(offset) + 1, link: links[offset], to: &estate, auditTrail: &auditTrail)
        }
        lastSequence += UInt64(contents.count)
    }

    /// Applies a change to ``estate`` now and holds its journal record until ``flush()``.
    ///
    /// For bulk work where each request must see the one before it. Nothing staged may be
    /// reported as done until `flush` returns; if `flush` fails, the store stops accepting
    /// work and the next open recovers exactly what reached the disk.
    public func stage(_ change: EstateChange) throws(StoreError) {
        for content in JournalContent.records(for: change) { try stage(content) }
    }

    /// Stages an alert's arrival, as ``stage(_:)-(EstateChange)`` does a request.
    public func stage(_ arrival: AlertArrival) throws(StoreError) {
        try stage(.alertArrival(arrival))
    }

    /// Stages a processed alert, as ``stage(_:)-(EstateChange)`` does a request.
    public func stage(_ change: ScheduleChange) throws(StoreError) {
        try stage(.schedule(change))
    }

    private func stage(_ content: JournalContent) throws(StoreError) {
        try checkWritable()
        lastSequence += 1
        let previous = auditTrail.last?.hash ?? .genesis
        let encoded = ChangeRecordCoding.encode(sequence: lastSequence, content: content, previous: previous)
        staged.append(encoded.bytes)
        Store.apply(content, sequence: lastSequence, link: AuditLink(previousHash: previous, hash: encoded.hash),
                    to: &estate, auditTrail: &auditTrail)
    }

    /// Applies one journal record's content and, when it carries one, its audit link.
    private static func apply(
        _ content: JournalContent, sequence: UInt64, link: AuditLink?, to estate: inout Estate, auditTrail: inout AuditTrail
    ) {
        let kind = content.kind
        let position = AuditChain.rows(kind, in: estate.ledger)
        switch content {
        case .request(let change): estate.apply(change)
        case .lifecycle(let change): estate.apply(change)
        case .alertArrival(let arrival): estate.apply(arrival)
        case .schedule(let change): estate.apply(change)
        }
        if let link {
            auditTrail.append(AuditEntry(sequence: sequence, kind: kind, position: position, previousHash: link.previousHash, hash: link.hash))
        }
    }

    /// Adds things the user should know about the open that the backend found (server settings).
    /// - Parameter dropping: warnings of the open the backend answers for itself.
    public func adjustWarnings(adding more: [String], dropping: (String) -> Bool = { _ in false }) {
        warnings = warnings.filter { !dropping($0) } + more
    }

    /// The number of staged changes not yet durable.
    public var stagedCount: Int { staged.count }

    /// Makes every staged change durable with one `fsync` (group commit).
    public func flush() throws(StoreError) {
        try checkWritable()
        guard !staged.isEmpty else { return }
        try append(staged, after: lastSequence - UInt64(staged.count))
        staged.removeAll(keepingCapacity: true)
    }

    /// Makes records durable in the journal.
    private func append(_ payloads: [[UInt8]], after sequence: UInt64) throws(StoreError) {
        guard let journal else { return }
        do {
            try journal.append(payloads)
            journalBytes += payloads.reduce(0) { $0 + $1.count + 48 }
        } catch {
            failure = error
            throw error
        }
    }

    private func checkWritable() throws(StoreError) {
        guard journal != nil else {
            throw StoreError.invalidArgument("the store was opened read-only", path: directory)
        }
        if let failure {
            throw StoreError(code: failure.code, message: "the store stopped after an earlier write failed (\(failure.message)); reopen it",
                             path: failure.path)
        }
    }

    /// Folds the journal into a new snapshot and empties the journal.
    ///
    /// Crash-safe: the snapshot names the last sequence it includes, so journal records it
    /// already holds are skipped if the journal was not yet emptied.
    public func compact() throws(StoreError) {
        try flush()
        guard let journal else { return }
        let written = try SnapshotFile.write(estate, audit: auditTrail, lastSequence: lastSequence,
                                             to: Store.path(directory, Store.snapshotName))
        snapshotBytes = written.size
        // Read the rows from the new snapshot from now on: the memory the journal's rows took is given back.
        estate.ledger.keepRequests(in: written.log)
        if let devices = written.devices { estate.devices = DeviceTable(stored: devices) }
        auditTrail.keep(in: written.log)
        try journal.truncate(toLength: 0)
        journalBytes = 0
    }

    /// Compacts when replaying the journal would cost more than reading the snapshot does:
    /// the journal is over 16 MiB and larger than a quarter of the snapshot.
    /// - Returns: whether it compacted.
    @discardableResult
    public func compactIfJournalIsLarge() throws(StoreError) -> Bool {
        guard journal != nil, journalBytes > 16 << 20, journalBytes > snapshotBytes / 4 else { return false }
        try compact()
        return true
    }

    /// The snapshot's size in bytes, as last read or written.
    public var snapshotSize: Int { snapshotBytes }

    /// The journal's size in bytes, up to its last complete record.
    public var journalSize: Int { journalBytes }

    /// Releases the journal and the lock. Call on every exit path of a writer.
    public func close() {
        journal?.close()
        lock?.release()
    }

    /// The JSON payload a journal line carries for a change: for tools and benchmark baselines
    /// that need the same bytes the store writes.
    /// Its audit link is computed as if it were the first entry of the chain.
    public static func journalPayload(for change: EstateChange, sequence: UInt64) -> [UInt8] {
        ChangeRecordCoding.encode(sequence: sequence, content: .request(change), previous: .genesis).bytes
    }

    /// What a reader says of an unfinished last journal record it left out: the file, the byte
    /// offset, and that the next write will cut it.
    public static func tornTailWarning(journalPath: String, offset: Int, length: Int) -> String {
        "\(journalPath): an unfinished last record of \(length) bytes at byte \(offset) is not shown (a write was interrupted); "
            + "this reader changed nothing, and the next write will cut it, keeping its bytes in \(journalName).torn-\(offset)"
    }

    /// The open journal, for tests that inject write and sync failures through its seam.
    var journalForTesting: JournalFile? { journal }

    /// A file's path inside a store directory.
    public static func path(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
