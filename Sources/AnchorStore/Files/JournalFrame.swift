import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk framing of one journal record: a single line of JSON (JSON Lines).
///
/// Layout (byte-exact): `{"length":N,"crc32c":"xxxxxxxx","record":<payload>}\n`, where `N` is the payload's
/// byte count in decimal without leading zeros and `xxxxxxxx` is the lowercase hexadecimal CRC-32C of exactly
/// the payload bytes. The payload is the caller's JSON and must be non-empty and free of newline bytes.
public enum JournalFrame {
    /// The bytes preceding the decimal length: `{"length":`.
    static let lengthPrefix: [UInt8] = Array(#"{"length":"#.utf8)
    /// The bytes between the length and the checksum digits: `,"crc32c":"`.
    static let crcPrefix: [UInt8] = Array(#","crc32c":""#.utf8)
    /// The bytes between the checksum digits and the payload: `","record":`.
    static let recordPrefix: [UInt8] = Array(#"","record":"#.utf8)
    /// The bytes after the payload: `}` and a newline.
    static let suffix: [UInt8] = Array("}\n".utf8)

    /// Checks that a payload can be framed.
    ///
    /// - Parameter payload: The caller's JSON bytes.
    /// - Throws: `StoreError` with code `.invalidArgument` if the payload is empty or contains a newline (0x0A) byte.
    public static func validate(_ payload: [UInt8]) throws(StoreError) {
        if payload.isEmpty {
            throw StoreError.invalidArgument("journal payload is empty; pass a JSON value")
        }
        if let index = payload.firstIndex(of: 0x0A) {
            throw StoreError.invalidArgument(
                "journal payload contains a raw newline byte at payload offset \(index); "
                    + "encode the record as single-line JSON (newlines inside strings must be escaped as \\n)"
            )
        }
    }

    /// Frames one payload as a complete journal line, including the trailing newline.
    ///
    /// - Parameter payload: The caller's JSON bytes; must be non-empty and contain no newline byte.
    /// - Returns: The framed line.
    /// - Throws: `StoreError` with code `.invalidArgument` if the payload cannot be framed.
    public static func encode(_ payload: [UInt8]) throws(StoreError) -> [UInt8] {
        try validate(payload)
        var line: [UInt8] = []
        line.reserveCapacity(payload.count + 64)
        appendFrame(of: payload, to: &line)
        return line
    }

    /// Appends the frame of an already-validated payload to `buffer`.
    static func appendFrame(of payload: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(contentsOf: lengthPrefix)
        buffer.append(contentsOf: String(payload.count).utf8)
        buffer.append(contentsOf: crcPrefix)
        buffer.append(contentsOf: CRC32C.hex(CRC32C.checksum(payload)).utf8)
        buffer.append(contentsOf: recordPrefix)
        buffer.append(contentsOf: payload)
        buffer.append(contentsOf: suffix)
    }
}
