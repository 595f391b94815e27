import Foundation
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct JournalFileTests {
    private let payloads: [[UInt8]] = [
        Array(#"{"seq":1}"#.utf8),
        Array(#"{"seq":2,"note":"second"}"#.utf8),
        Array(#"{"seq":3}"#.utf8),
    ]

    @Test func appendThenReadRoundTripsWithMode0600() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("journal.jsonl")

        let journal = try JournalFile.openForAppend(path: path)
        try journal.append(Array(payloads[0..<2]))
        try journal.append([payloads[2]])
        journal.close()

        #expect(fileLayerPermissionBits(path) == 0o600)
        let bytes = try JournalFile.read(path: path)
        let expected = try payloads.flatMap { try JournalFrame.encode($0) }
        #expect(bytes == expected)
        let scan = try JournalScanner.scan(bytes, path: path)
        #expect(scan.records.map(\.payload) == payloads)
        #expect(scan.tornTail == nil)
    }

    @Test func reopenAppendsAfterExistingRecords() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("journal.jsonl")
        for payload in payloads {
            let journal = try JournalFile.openForAppend(path: path)
            try journal.append([payload])
            journal.close()
        }
        let scan = try JournalScanner.scan(try JournalFile.read(path: path), path: path)
        #expect(scan.records.map(\.payload) == payloads)
    }

    @Test func invalidPayloadWritesNothingAndJournalStaysUsable() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("journal.jsonl")
        let journal = try JournalFile.openForAppend(path: path)
        defer { journal.close() }
        let error = #expect(throws: StoreError.self) {
            try journal.append([payloads[0], Array("{\n}".utf8)])
        }
        #expect(error?.code == .invalidArgument)
        #expect(try JournalFile.read(path: path).isEmpty)
        #expect(journal.isUsable)
        try journal.append([payloads[0]])
        #expect(try JournalFile.read(path: path) == (try JournalFrame.encode(payloads[0])))
    }

    @Test func truncateCutsTornTail() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("journal.jsonl")
        let good = try payloads.flatMap { try JournalFrame.encode($0) }
        let torn = Array(try JournalFrame.encode(Array(#"{"seq":4}"#.utf8)).prefix(11))
        try fileLayerWriteRaw(good + torn, to: path)

        let before = try JournalScanner.scan(try JournalFile.read(path: path), path: path)
        #expect(before.tornTail == JournalScan.TornTail(offset: good.count, length: torn.count))

        let journal = try JournalFile.openForAppend(path: path)
        try journal.truncate(toLength: before.validLength)
        try journal.append([Array(#"{"seq":4}"#.utf8)])
        journal.close()

        let after = try JournalScanner.scan(try JournalFile.read(path: path), path: path)
        #expect(after.tornTail == nil)
        #expect(after.records.map(\.payload) == payloads + [Array(#"{"seq":4}"#.utf8)])
        #expect(after.records.last?.offset == good.count)
    }

    @Test func readOfMissingFileIsEmpty() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        #expect(try JournalFile.read(path: dir.file("absent.jsonl")).isEmpty)
    }

    @Test func appendAfterCloseThrows() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let journal = try JournalFile.openForAppend(path: dir.file("journal.jsonl"))
        journal.close()
        journal.close()  // idempotent
        #expect(throws: StoreError.self) { try journal.append([payloads[0]]) }
    }

    @Test func failedWriteThrowsIOAndPoisonsTheJournal() throws {
        // /dev/full accepts open() but every write fails with ENOSPC.
        guard access("/dev/full", W_OK) == 0 else { return }
        let journal = try JournalFile.openForAppend(path: "/dev/full")
        defer { journal.close() }
        let first = #expect(throws: StoreError.self) { try journal.append([payloads[0]]) }
        #expect(first?.code == .io)
        #expect(first?.errno == ENOSPC)
        #expect(!journal.isUsable)
        let second = #expect(throws: StoreError.self) { try journal.append([payloads[1]]) }
        #expect(second?.code == .io)
        #expect(second?.message.contains("unusable") == true)
    }

    @Test func openUnderARegularFileIsAStoreError() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try fileLayerWriteRaw(Array("x".utf8), to: dir.file("plain"))
        let error = #expect(throws: StoreError.self) {
            try JournalFile.openForAppend(path: dir.file("plain/journal.jsonl"))
        }
        #expect(error?.code == .io)
        #expect(error?.errno == ENOTDIR)
        #expect(error?.path == dir.file("plain/journal.jsonl"))
    }

    @Test func openInMissingDirectoryIsNotFound() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let error = #expect(throws: StoreError.self) {
            try JournalFile.openForAppend(path: dir.file("missing/journal.jsonl"))
        }
        #expect(error?.code == .notFound)
    }
}
