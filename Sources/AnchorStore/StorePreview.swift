import AnchorCore

/// The first screen's worth of a store: its organisations, certificates, recorded counters and
/// first devices, read from the head of the snapshot's body. The body's checksum and the
/// journal are not read, so it is shown while the store is read in full and never acted on.
public struct StorePreview: Sendable {
    /// The organisations, certificates, recorded counters and the first devices; no request log.
    public var estate: Estate
    /// How many devices the whole store holds.
    public var deviceCount: Int

    /// A preview of `deviceCount` devices showing those in `estate`.
    public init(estate: Estate, deviceCount: Int) {
        self.estate = estate
        self.deviceCount = deviceCount
    }

    /// Reads a preview of the store in a directory; `nil` when it has none to give (no store, a
    /// damaged head, or a body written before the recorded counters came first): the full read
    /// says why.
    /// - Parameter limit: how many devices to read, from the first.
    public static func read(directory: String, devices limit: Int) -> StorePreview? {
        let path = Store.path(directory, Store.snapshotName)
        guard let mapping = try? FileMapping(path: path), let layout = try? SnapshotFile.locate(mapping.bytes, path: path) else { return nil }
        defer { mapping.release(0..<mapping.bytes.count) }
        var parts = SnapshotCodec.Parts()
        guard (try? SnapshotCodec.decode(UnsafeBufferPointer(rebasing: mapping.bytes[layout.body]), recordingOffsets: false,
                                         into: &parts, stoppingAfter: max(1, limit))) != nil,
              let deviceCount = parts.deviceCount, parts.readRecordedCounters
        else { return nil }
        return StorePreview(estate: parts.contents().estate, deviceCount: deviceCount)
    }
}
