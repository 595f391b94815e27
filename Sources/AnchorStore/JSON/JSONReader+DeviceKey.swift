import AnchorCore

extension JSONReader {
    /// Reads the next key of an object keyed by device ID (recorded counters, counter histories)
    /// and the `:` after it, without making a `String` of a plain key; or consumes `}` and returns `nil`.
    mutating func nextDeviceKey() throws(JSONReadError) -> EUI64? {
        let read = try nextKey { bytes -> Result<EUI64, KeyIsNoDevice> in
            EUI64(utf8: bytes).map { .success($0) } ?? .failure(KeyIsNoDevice(text: String(decoding: bytes, as: UTF8.self)))
        }
        switch read {
        case nil: return nil
        case .success(let device): return device
        case .failure(let key): throw error("'\(DisplaySafeText.sanitize(key.text))' is not a device ID")
        }
    }
}

/// A key that is not a device ID, as read.
private struct KeyIsNoDevice: Error {
    let text: String
}
