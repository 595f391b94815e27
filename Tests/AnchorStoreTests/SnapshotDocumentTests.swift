import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

/// `snapshot.json` is one JSON document any JSON tool reads, with the length and CRC-32C check
/// kept; snapshots in the older two-value layout still open and are rewritten on compaction.
@Suite("Snapshot: one JSON document")
struct SnapshotDocumentTests {
    let support = StoreTests()

    @Test func foundationAndPythonReadTheWholeSnapshot() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        _ = try support.handBack(2, in: directory)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.compact()
        store.close()
        let path = directory + "/snapshot.json"
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let header = try #require(document["anchordesk-snapshot"] as? [String: Any])
        #expect(header["schemaVersion"] as? Int == SnapshotFile.schemaVersion)
        let body = try #require(document["body"] as? [String: Any])
        #expect((body["devices"] as? [Any])?.count == 221)
        #expect(body["requests"] == nil)
        let log = try #require(document["log"] as? [String: Any])
        #expect((log["requests"] as? [Any])?.count == 2)
        #expect((log["audit"] as? [Any])?.count == 2)

        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import json,sys; d = json.load(open(sys.argv[1])); print(len(d['body']['devices']), len(d['log']['requests']))", path]
        let output = Pipe()
        python.standardOutput = output
        try python.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "python3's json.load refused the snapshot")
        #expect(printed == "221 2\n")
    }

    @Test func theChecksumStillCoversTheBodyByteRange() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let path = directory + "/snapshot.json"
        var bytes = try support.read(path)
        let text = String(decoding: bytes, as: UTF8.self)
        let body = try #require(text.range(of: "\"body\":")).upperBound
        let index = text.utf8.distance(from: text.utf8.startIndex, to: body) + 40
        bytes[index] = bytes[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try support.write(bytes, path)
        let error = #expect(throws: StoreError.self) { try Store.open(at: directory, access: .readOnly) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("CRC32C") == true, "\(String(describing: error?.message))")
    }

    @Test func anOlderTwoValueSnapshotOpensAndCompactionRewritesItAsOneDocument() throws {
        let (scratch, directory) = try support.makeStore()
        defer { scratch.cleanUp() }
        let path = directory + "/snapshot.json"
        // Read into memory: the file the open mapped is about to be written over in place.
        var estate = try Store.open(at: directory, access: .readOnly).estate
        estate.devices = DeviceTable(Array(estate.devices))
        // The layout of schemas 1 to 3: a header line with "format", the body, a newline.
        let body = SnapshotCodec.encode(estate)
        let header = "{\"bodyLength\":\(body.count),\"crc32c\":\"\(CRC32C.hex(CRC32C.checksum(body)))\",\"format\":\"anchordesk-snapshot\",\"lastSequence\":\"0\",\"schemaVersion\":3}\n"
        try support.write(Array(header.utf8) + body + [UInt8(ascii: "\n")], path)
        #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) == nil, "the old layout is two values")

        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(store.estate == estate)
        try store.compact()
        store.close()
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) is [String: Any])
        #expect(try Store.open(at: directory, access: .readOnly).estate == estate)
    }
}
