import CAnchorCRC
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the processor's CRC32 instruction
/// where there is one (x86-64 SSE 4.2, through `CAnchorCRC`), else slicing-by-8 tables.
///
/// Values follow the usual convention (initial value and final XOR of 0xFFFFFFFF), so
/// `CRC32C.checksum("123456789".utf8) == 0xE3069283`.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// Eight 256-entry tables, stored contiguously (table k starts at index 256 * k).
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ polynomial : (c >> 1)
            }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// Computes the CRC-32C of a collection of bytes.
    ///
    /// - Parameter bytes: The bytes to checksum.
    /// - Returns: The finished CRC-32C value.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { update(0, $0) }
    }

    /// Continues a checksum over more bytes.
    ///
    /// `update(checksum(a), b) == checksum(a + b)`; start from `0` for a fresh checksum.
    ///
    /// - Parameters:
    ///   - crc: A finished CRC-32C value of the preceding bytes, or `0` to start.
    ///   - bytes: The next bytes.
    /// - Returns: The finished CRC-32C value of the preceding bytes followed by `bytes`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard useHardware, let base = bytes.baseAddress else { return softwareUpdate(crc, bytes) }
        return anchor_crc32c_hardware_update(crc, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Whether the processor's CRC-32C instruction is used (checked once).
    static let useHardware = anchor_crc32c_hardware_available() != 0

    /// The table-driven computation, used where the processor has no CRC-32C instruction
    /// and by tests as the reference for the hardware path.
    static func softwareUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return crc }
        let p = base.assumingMemoryBound(to: UInt8.self)
        tables.withUnsafeBufferPointer { t in
            var i = 0
            while count - i >= 8 {
                let lo = c ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24)
                let hi = UInt32(p[i + 4]) | UInt32(p[i + 5]) << 8 | UInt32(p[i + 6]) << 16 | UInt32(p[i + 7]) << 24
                c = t[7 * 256 + Int(lo & 0xFF)]
                    ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)]
                    ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)]
                    ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < count {
                c = (c >> 8) ^ t[Int((c ^ UInt32(p[i])) & 0xFF)]
                i += 1
            }
        }
        return ~c
    }

    /// Formats a CRC-32C value as exactly eight lowercase hexadecimal digits.
    ///
    /// - Parameter crc: The value to format.
    /// - Returns: For example `"e3069283"`.
    public static func hex(_ crc: UInt32) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
