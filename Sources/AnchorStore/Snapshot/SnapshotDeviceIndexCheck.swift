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
    ///   CRC-32C or does not read, or something other than a file stands where the index goes.
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
        return expected.fileBytes == index.fileBytes ? .matches(devices: index.count) : .wrong
    }
}
