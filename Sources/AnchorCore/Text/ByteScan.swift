/// Checks over UTF-8 bytes sixteen at a time: every line of a long report goes through them
/// (display safety, CSV quoting), so they run over gigabytes.
public enum ByteScan {
    /// Whether every byte is printable ASCII (0x20 to 0x7E), or a line feed where `lineFeeds`.
    public static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>, allowingLineFeeds lineFeeds: Bool) -> Bool {
        let space = SIMD16<UInt8>(repeating: 0x20), delete = SIMD16<UInt8>(repeating: 0x7F), lineFeed = SIMD16<UInt8>(repeating: 0x0A)
        var offset = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while offset + 16 <= raw.count {
            let chunk = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            var refused = (chunk .< space) .| (chunk .>= delete)
            if lineFeeds { refused = refused .& .!(chunk .== lineFeed) }
            if any(refused) { return false }
            offset += 16
        }
        for byte in bytes[offset...] where (byte < 0x20 && !(lineFeeds && byte == 0x0A)) || byte >= 0x7F { return false }
        return true
    }

    /// Whether any byte is one of the four given.
    public static func containsAny(_ bytes: UnsafeBufferPointer<UInt8>, of first: UInt8, _ second: UInt8, _ third: UInt8, _ fourth: UInt8) -> Bool {
        let targets = (SIMD16<UInt8>(repeating: first), SIMD16<UInt8>(repeating: second), SIMD16<UInt8>(repeating: third),
                       SIMD16<UInt8>(repeating: fourth))
        var offset = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while offset + 16 <= raw.count {
            let chunk = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            if any((chunk .== targets.0) .| (chunk .== targets.1) .| (chunk .== targets.2) .| (chunk .== targets.3)) { return true }
            offset += 16
        }
        return bytes[offset...].contains { $0 == first || $0 == second || $0 == third || $0 == fourth }
    }
}
