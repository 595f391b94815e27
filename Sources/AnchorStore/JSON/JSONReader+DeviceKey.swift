import AnchorCore

extension JSONReader {
    /// Reads the next key of an object keyed by device ID (recorded counters, counter histories)
    /// and the `:` after it, without making a `String`; or consumes `}` and returns `nil`.
    mutating func nextDeviceKey() throws(JSONReadError) -> EUI64? {
        guard let key = try nextASCIIKey() else { return nil }
        guard let device = EUI64(utf8: key) else {
            throw error("'\(DisplaySafeText.sanitize(String(decoding: key, as: UTF8.self)))' is not a device ID")
        }
        return device
    }
}
