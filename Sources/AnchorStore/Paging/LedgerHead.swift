import AnchorCore

/// A store's organisations and certificates without its devices or logs: read from the head
/// of its snapshot, then brought up to date with the lifecycle records committed since.
/// Pages of devices are shown against it (``DevicePage``).
public struct LedgerHead: Sendable {
    /// The organisations and certificates (no devices, no log).
    public private(set) var ledger: Ledger

    /// Reads the organisations and certificates from the start of a snapshot file.
    /// - Parameter snapshotHead: the snapshot's first bytes; enough of them to hold its
    ///   organisations and certificates (they come first in the body).
    /// - Throws: `.corrupt` when the bytes are not a snapshot's head, or end too soon.
    public init(snapshotHead: [UInt8], shownAs path: String) throws(StoreError) {
        let bodyStart = try SnapshotFile.bodyStart(inHead: snapshotHead, path: path)
        var organisations: [Organisation] = []
        var certificates: [Certificate] = []
        do throws(JSONReadError) {
            try snapshotHead.withUnsafeBufferPointer { bytes throws(JSONReadError) in
                var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[bodyStart...]))
                try reader.beginObject()
                reading: while let key = try reader.nextKey() {
                    switch key {
                    case "organisations":
                        try reader.beginArray()
                        while try reader.nextElement() { organisations.append(try LedgerRecordCoding.readOrganisation(&reader)) }
                    case "certificates":
                        try reader.beginArray()
                        while try reader.nextElement() { certificates.append(try LedgerRecordCoding.readCertificate(&reader)) }
                        break reading
                    default:
                        throw reader.error("the snapshot's body does not start with its organisations and certificates")
                    }
                }
            }
        } catch {
            throw StoreError.corrupt(path: path, offset: bodyStart + error.offset, reason: "snapshot head: \(error.message)")
        }
        ledger = Ledger(organisations: organisations, certificates: certificates)
    }

    /// Puts the lifecycle log the snapshot holds (read from rows, oldest first, each as
    /// ``lifecycleRow(_:)`` writes it) before the records applied since; the head of a snapshot
    /// holds the organisations and certificates but not that log.
    /// - Throws: `.corrupt` naming `path` when a row is not a lifecycle record.
    public mutating func insertSnapshotLifecycle(rows: [String], shownAs path: String) throws(StoreError) {
        var records: [LifecycleRecord] = []
        for (position, row) in rows.enumerated() {
            var bytes = Array(row.utf8)
            do throws(JSONReadError) {
                records.append(try bytes.withUnsafeMutableBufferPointer { buffer throws(JSONReadError) in
                    var reader = JSONReader(UnsafeBufferPointer(buffer))
                    let record = try LifecycleRecordCoding.readRecord(&reader)
                    try reader.expectEnd()
                    return record
                })
            } catch {
                throw StoreError.corrupt(path: path, offset: nil, reason: "lifecycle row \(position): \(error.message)")
            }
        }
        ledger = Ledger(organisations: ledger.organisations, certificates: ledger.certificates, lifecycle: records + ledger.lifecycle)
    }

    /// A lifecycle record as a row holds it: the journal's own JSON.
    public static func lifecycleRow(_ record: LifecycleRecord) -> String {
        var writer = JSONWriter()
        LifecycleRecordCoding.write(record, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Applies a committed record if it is a lifecycle action (they change organisations and
    /// certificates); other records change neither and are passed over.
    public mutating func apply(record payload: [UInt8], shownAs path: String) throws(StoreError) {
        let content: JournalContent
        do throws(JSONReadError) {
            content = try ChangeRecordCoding.decode(payload).content
        } catch {
            throw StoreError.corrupt(path: path, offset: error.offset, reason: "a lifecycle record: \(error.message)")
        }
        if case .lifecycle(let change) = content { ledger.apply(change) }
    }

    /// The certificates an organisation owns: a device's Network Operator DS cell holding one
    /// of them is what `no=ORG` matches.
    public func certificates(ownedBy organisation: String) -> [String] {
        ledger.certificates.filter { $0.owner == organisation }.map(\.id)
    }
}
