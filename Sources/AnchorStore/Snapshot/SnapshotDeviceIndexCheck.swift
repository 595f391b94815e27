import AnchorCore

/// `store check`'s look at `snapshot.devices`: made again from the snapshot body's device rows
/// and compared word for word with the file, since opening trusts an index that names its body.
public enum SnapshotDeviceIndexCheck {
    /// What the check found.
    public enum Finding: Equatable, Sendable {
        /// The index is the one the body gives; it locates this many device rows.
        case matches(devices: Int)
        /// The snapshot predates the log (schema 4 or older): its rows are always read whole.
        case notNeeded
        /// There is no index, or it names another body or fails its own checksum: the next
        /// writer makes it again, and until then the rows are read whole, so nothing is wrong.
        case missing, stale
        /// The index names this body and passes its checksum, yet differs from what the body gives.
        case wrong
    }

    /// Checks the device index of the store in `directory`.
    /// - Throws: `StoreError` when the snapshot cannot be read, its body does not match its
    ///   CRC-32C or does not read, read around its rows (as an open with a fitting index reads
    ///   it) gives other than the whole read, or something other than a file stands where the index goes.
    public static func check(directory: String) throws(StoreError) -> Finding {
        let path = Store.path(directory, Store.snapshotName)
        let indexPath = SnapshotFile.deviceIndexPath(besides: path)
        try SnapshotIndexCheck.refuseAnythingButAFile(at: indexPath)
        let snapshot = try FileMapping(path: path)
        defer { snapshot.release(0..<snapshot.bytes.count) }
        let layout = try SnapshotFile.locate(snapshot.bytes, path: path)
        guard layout.log != nil else { return .notNeeded }
        let body = UnsafeBufferPointer(rebasing: snapshot.bytes[layout.body])
        let checksum = CRC32C.update(0, UnsafeRawBufferPointer(body))
        guard CRC32C.hex(checksum) == layout.header.crc32c else {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound, reason: "CRC32C mismatch in the snapshot body")
        }
        guard let mapping = try? FileMapping(path: indexPath) else { return .missing }
        guard let index = SnapshotDeviceIndex.read(mapping, bodyLength: body.count, bodyChecksum: checksum) else { return .stale }
        var parts = SnapshotCodec.Parts()
        parts.deviceRows = SnapshotDeviceIndex.Rows(array: 0..<0)
        do throws(JSONReadError) {
            try SnapshotCodec.decode(body, recordingOffsets: false, into: &parts)
        } catch {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound + error.offset, reason: error.message)
        }
        guard let rows = parts.deviceRows else { return .wrong }
        let expected = SnapshotDeviceIndex(rows: rows, bodyLength: body.count, bodyChecksum: checksum)
        guard expected.fileBytes == index.fileBytes else { return .wrong }
        do throws(JSONReadError) {
            try checkReadAround(body, index: index, whole: parts)
        } catch {
            throw StoreError.corrupt(path: path, offset: layout.body.lowerBound + error.offset,
                                     reason: "read around its device rows, as an open reads it, the body \(error.message); `anchordesk store compact` writes it again")
        }
        return .matches(devices: index.count)
    }

    /// The body read as an open with the index reads it, leaving the rows and the counter
    /// histories where they are, then every history read from where it was found: it must
    /// give what the whole read gave (or not read that way at all, and so be read whole).
    private static func checkReadAround(
        _ body: UnsafeBufferPointer<UInt8>, index: SnapshotDeviceIndex, whole: SnapshotCodec.Parts
    ) throws(JSONReadError) {
        var around = SnapshotCodec.Parts()
        around.deviceIndex = index
        do {
            try SnapshotCodec.decode(body, recordingOffsets: false, into: &around)
        } catch {
            return  // what does not read around its rows, an open reads whole
        }
        var histories = around.history
        if let object = around.historyObject {
            let rows = try SnapshotCounterHistories.locate(in: body, object: object)
            for (device, start) in zip(rows.devices, rows.starts) {
                histories[EUI64(rawValue: device)] = try SnapshotCounterHistories.entries(in: body, at: start)
            }
        }
        guard around.organisations == whole.organisations, around.certificates == whole.certificates,
              around.cellSets == whole.cellSets, around.recorded == whole.recorded, histories == whole.history,
              around.lifecycle == whole.lifecycle, around.schedule == whole.schedule, around.alerts == whole.alerts
        else { throw JSONReadError(offset: 0, message: "does not give what reading it whole gives") }
    }
}
