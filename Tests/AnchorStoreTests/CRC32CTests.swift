import Testing
@testable import AnchorStore

/// Bit-at-a-time reference implementation to cross-check the table-driven one.
private func referenceCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
        }
    }
    return ~crc
}

@Suite struct CRC32CTests {
    @Test func standardVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func ascendingAndDescendingVectors() {
        // RFC 3720 (iSCSI) B.4 test vectors.
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func nonContiguousCollectionMatches() {
        let text = "123456789".utf8
        #expect(CRC32C.checksum(text) == 0xE306_9283)
        #expect(CRC32C.checksum(text.lazy.map { $0 }) == 0xE306_9283)
    }

    @Test func matchesBitwiseReferenceForManyLengths() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC32C.checksum(bytes) == referenceCRC32C(bytes), "length \(length)")
        }
    }

    @Test func incrementalUpdateEqualsWholeAtEverySplit() {
        let bytes = (0..<77).map { UInt8(($0 * 37 + 11) & 0xFF) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let first = CRC32C.checksum(bytes[0..<split])
            let combined = Array(bytes[split...]).withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(combined == whole, "split at \(split)")
        }
    }

    @Test func hexIsEightLowercaseDigits() {
        #expect(CRC32C.hex(0xE306_9283) == "e3069283")
        #expect(CRC32C.hex(0x0000_00AB) == "000000ab")
        #expect(CRC32C.hex(0) == "00000000")
    }
}

@Suite("CRC-32C hardware path")
struct CRC32CHardwareTests {
    @Test func hardwareAndSoftwareAgreeOnEveryLengthAndSplit() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<777).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for length in 0...all.count where length % 7 == 0 || length < 40 {
                let slice = UnsafeRawBufferPointer(rebasing: all[0..<length])
                #expect(CRC32C.update(0, slice) == CRC32C.softwareUpdate(0, slice), "length \(length)")
                let split = length / 3
                let first = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: all[0..<split]))
                #expect(CRC32C.update(first, UnsafeRawBufferPointer(rebasing: all[split..<length])) == CRC32C.softwareUpdate(0, slice))
            }
        }
    }
}
