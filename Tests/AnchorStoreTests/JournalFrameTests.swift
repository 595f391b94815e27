import Foundation
import Testing
@testable import AnchorStore

private let samplePayloads: [[UInt8]] = [
    Array(#"{"kind":"deviceAdded","id":"d-1"}"#.utf8),
    Array(#"{"kind":"note","text":"multi\nline escaped","n":42}"#.utf8),
    Array(#"[1,2,3,"ünïcødé"]"#.utf8),
]

/// Encodes the sample payloads and returns the journal bytes plus each line's start offset.
private func sampleJournal() throws -> (bytes: [UInt8], offsets: [Int]) {
    var bytes: [UInt8] = []
    var offsets: [Int] = []
    for payload in samplePayloads {
        offsets.append(bytes.count)
        bytes += try JournalFrame.encode(payload)
    }
    return (bytes, offsets)
}

@Suite struct JournalFrameTests {
    @Test func encodesExactLayout() throws {
        let payload = Array(#"{"a":1}"#.utf8)
        let line = try JournalFrame.encode(payload)
        let expected = #"{"length":7,"crc32c":""# + CRC32C.hex(CRC32C.checksum(payload)) + #"","record":{"a":1}}"# + "\n"
        #expect(line == Array(expected.utf8))
        #expect(line.filter { $0 == 0x0A }.count == 1)
        #expect(line.last == 0x0A)
    }

    @Test func frameIsValidJSON() throws {
        let payload = samplePayloads[1]
        let line = try JournalFrame.encode(payload)
        let object = try JSONSerialization.jsonObject(with: Data(line.dropLast()))
        let dictionary = try #require(object as? [String: Any])
        #expect(dictionary["length"] as? Int == payload.count)
        #expect(dictionary["crc32c"] as? String == CRC32C.hex(CRC32C.checksum(payload)))
        let record = try #require(dictionary["record"] as? [String: Any])
        #expect(record["text"] as? String == "multi\nline escaped")
    }

    @Test func roundTripsThreeRecords() throws {
        let (bytes, offsets) = try sampleJournal()
        let scan = try JournalScanner.scan(bytes, path: "journal.jsonl")
        #expect(scan.records.map(\.payload) == samplePayloads)
        #expect(scan.records.map(\.offset) == offsets)
        #expect(scan.validLength == bytes.count)
        #expect(scan.tornTail == nil)
    }

    @Test func emptyFileHasNoRecords() throws {
        let scan = try JournalScanner.scan([], path: "journal.jsonl")
        #expect(scan.records.isEmpty)
        #expect(scan.validLength == 0)
        #expect(scan.tornTail == nil)
    }

    @Test func rejectsPayloadWithNewline() {
        let error = #expect(throws: StoreError.self) {
            try JournalFrame.encode(Array("{\"a\":\n1}".utf8))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("newline") == true)
    }

    @Test func rejectsEmptyPayload() {
        let error = #expect(throws: StoreError.self) { try JournalFrame.encode([]) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func truncationAtEveryOffsetIsATornTail() throws {
        let (bytes, offsets) = try sampleJournal()
        let lineEnds = offsets.dropFirst().map { $0 } + [bytes.count]
        for cut in 0..<bytes.count {
            let scan = try JournalScanner.scan(Array(bytes[0..<cut]), path: "journal.jsonl")
            let intact = lineEnds.filter { $0 <= cut }.count
            let validLength = intact == 0 ? 0 : lineEnds[intact - 1]
            #expect(scan.records.count == intact, "cut at \(cut)")
            #expect(scan.records.map(\.payload) == Array(samplePayloads.prefix(intact)), "cut at \(cut)")
            #expect(scan.validLength == validLength, "cut at \(cut)")
            if cut == validLength {
                #expect(scan.tornTail == nil, "cut at \(cut)")
            } else {
                #expect(scan.tornTail == JournalScan.TornTail(offset: validLength, length: cut - validLength),
                        "cut at \(cut)")
            }
        }
    }

    @Test func trailingNulBytesAreATornTail() throws {
        let (bytes, _) = try sampleJournal()
        for tail in [[UInt8](repeating: 0, count: 512), [UInt8](repeating: 0, count: 37) + [0x0A], [0, 0x0A, 0, 0]] {
            let scan = try JournalScanner.scan(bytes + tail, path: "journal.jsonl")
            #expect(scan.records.map(\.payload) == samplePayloads)
            #expect(scan.validLength == bytes.count)
            #expect(scan.tornTail == JournalScan.TornTail(offset: bytes.count, length: tail.count))
        }
    }

    @Test func nulLineFollowedByRecordIsCorrupt() throws {
        let (bytes, _) = try sampleJournal()
        let damaged = bytes + [0, 0, 0, 0x0A] + (try JournalFrame.encode(samplePayloads[0]))
        let error = #expect(throws: StoreError.self) { try JournalScanner.scan(damaged, path: "j") }
        #expect(error?.code == .corrupt)
        #expect(error?.offset == bytes.count)
    }

    @Test func flippedBitAnywhereInMiddleRecordIsCorruptAtItsOffset() throws {
        let (bytes, offsets) = try sampleJournal()
        for index in offsets[1]..<offsets[2] {
            var damaged = bytes
            damaged[index] ^= 0x01
            let error = #expect(throws: StoreError.self, "flip at \(index)") {
                try JournalScanner.scan(damaged, path: "journal.jsonl")
            }
            #expect(error?.code == .corrupt, "flip at \(index)")
            #expect(error?.offset == offsets[1], "flip at \(index)")
            #expect(error?.path == "journal.jsonl")
        }
    }

    @Test func flippedPayloadByteReportsCRCMismatch() throws {
        let (bytes, offsets) = try sampleJournal()
        var damaged = bytes
        damaged[offsets[2] - 5] ^= 0x02  // inside the middle record's payload
        let error = try #require(#expect(throws: StoreError.self) {
            try JournalScanner.scan(damaged, path: "journal.jsonl")
        })
        #expect(error.message.contains("CRC32C mismatch"))
        #expect(error.description.hasPrefix("journal.jsonl: corrupt record at byte \(offsets[1]): CRC32C mismatch"))
        #expect(error.description.contains("anchordesk store check"))
        #expect(!error.description.contains("\n"))
    }

    @Test func flippedByteInLastCompleteLineIsCorrupt() throws {
        let (bytes, offsets) = try sampleJournal()
        var damaged = bytes
        damaged[offsets[2] + 40] ^= 0x04
        let error = #expect(throws: StoreError.self) { try JournalScanner.scan(damaged, path: "journal.jsonl") }
        #expect(error?.code == .corrupt)
        #expect(error?.offset == offsets[2])
    }

    @Test func malformedCompleteLinesAreCorrupt() throws {
        let good = try JournalFrame.encode(Array(#"{"a":1}"#.utf8))
        let goodText = String(decoding: good, as: UTF8.self)
        let crc = CRC32C.hex(CRC32C.checksum(Array(#"{"a":1}"#.utf8)))
        let variants = [
            goodText.replacingOccurrences(of: crc, with: crc.uppercased()),          // uppercase hex
            goodText.replacingOccurrences(of: #""length":7"#, with: #""length":8"#), // length mismatch
            goodText.replacingOccurrences(of: #""length":7"#, with: #""length":07"#),
            goodText.replacingOccurrences(of: "}}\n", with: "}\n"),                    // missing closing brace
            goodText.replacingOccurrences(of: #"{"length""#, with: #"{"Length""#),   // bad prefix
            "\n",                                                                      // empty line
            "not json at all\n",
        ]
        for variant in variants {
            #expect(variant != goodText)
            let bytes = good + Array(variant.utf8) + good
            let error = #expect(throws: StoreError.self, "\(variant)") {
                try JournalScanner.scan(bytes, path: "j")
            }
            #expect(error?.code == .corrupt, "\(variant)")
            #expect(error?.offset == good.count, "\(variant)")
        }
    }
}
