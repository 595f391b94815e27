@testable import AnchorCore
import Testing

/// The sixteen-at-a-time byte checks give what a byte-by-byte check gives, at every length and
/// position: each boundary byte (0x1F, 0x20, 0x0A, 0x7E, 0x7F, 0xFF, the CSV specials) is put
/// in every place of buffers from empty to three chunks and a tail long.
@Suite struct ByteScanTests {
    static let probes: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x22, 0x2C, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]

    static func printable(_ bytes: [UInt8], lineFeeds: Bool) -> Bool {
        bytes.allSatisfy { (0x20...0x7E).contains($0) || (lineFeeds && $0 == 0x0A) }
    }

    @Test func printableASCIIAgreesWithTheByteByByteCheckEverywhere() {
        for length in 0...53 {
            for position in 0..<max(length, 1) {
                for probe in Self.probes {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[position] = probe }
                    for lineFeeds in [false, true] {
                        let fast = bytes.withUnsafeBufferPointer { ByteScan.isPrintableASCII($0, allowingLineFeeds: lineFeeds) }
                        #expect(fast == Self.printable(bytes, lineFeeds: lineFeeds), "length \(length), 0x\(String(probe, radix: 16)) at \(position)")
                    }
                }
            }
        }
    }

    @Test func containsAnyAgreesWithTheByteByByteCheckEverywhere() {
        let targets: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D]
        for length in 0...53 {
            for position in 0..<max(length, 1) {
                for probe in Self.probes {
                    var bytes = [UInt8](repeating: UInt8(ascii: "b"), count: length)
                    if length > 0 { bytes[position] = probe }
                    let fast = bytes.withUnsafeBufferPointer { ByteScan.containsAny($0, of: targets[0], targets[1], targets[2], targets[3]) }
                    #expect(fast == bytes.contains(where: targets.contains), "length \(length), 0x\(String(probe, radix: 16)) at \(position)")
                }
            }
        }
    }
}
