import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

/// With its device rows, a snapshot's counter histories stay on disk until one is asked for;
/// a body laid out otherwise than its writer lays it out is read whole.
@Suite("Snapshot counter histories: left on disk until asked for")
struct SnapshotCounterHistoriesTests {
    let support = StoreTests()

    /// A store whose snapshot holds `count` hand-backs' histories, and the devices handed back.
    private func compactedAfterHandBacks(_ count: Int) throws -> (FileLayerTestDirectory, String, [EUI64]) {
        let (scratch, directory) = try support.makeStore()
        let handedBack = try support.handBack(count, in: directory).map(\.device)
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.compact()
        store.close()
        return (scratch, directory, handedBack)
    }

    /// The store read with its rows and histories in memory (its device index moved aside).
    private func readWhole(_ directory: String) throws -> Estate {
        let index = directory + "/" + SnapshotDeviceIndex.fileName
        let aside = directory + "/../devices-aside"
        try FileManager.default.moveItem(atPath: index, toPath: aside)
        defer { try? FileManager.default.moveItem(atPath: aside, toPath: index) }
        let estate = try Store.open(at: directory, access: .readOnly).estate
        #expect(estate.ledger.counterHistory.stored == nil)
        return estate
    }

    private func expectSameHistories(_ lazy: Ledger, _ whole: Ledger, of devices: [EUI64]) {
        #expect(lazy.counterHistory == whole.counterHistory && lazy.recordedCounters == whole.recordedCounters)
        #expect(lazy.counterHistory.map(\.device) == whole.counterHistory.map(\.device))
        for device in devices {
            #expect(lazy.counterHistory[device] == whole.counterHistory[device] && lazy.counterHistory[device]?.isEmpty == false)
            #expect(lazy.recordedCounters[device] == whole.recordedCounters[device] && lazy.recordedCounters[device] != nil)
        }
    }

    @Test func historiesStayInTheSnapshotAndReadAsAWholeReadDoes() throws {
        let (scratch, directory, handedBack) = try compactedAfterHandBacks(4)
        defer { scratch.cleanUp() }
        let lazy = try Store.open(at: directory, access: .readOnly).estate
        #expect(lazy.ledger.counterHistory.stored != nil)
        expectSameHistories(lazy.ledger, try readWhole(directory).ledger, of: handedBack)
        #expect(lazy.ledger == (try Store.open(at: directory, access: .readOnly).estate.ledger), "two opens compare")
    }

    @Test func historiesRecordedSinceAreAddedToTheStoredOnes() throws {
        let (scratch, directory, handedBack) = try compactedAfterHandBacks(3)
        defer { scratch.cleanUp() }
        // The journal now holds Cadent's arrival on a device whose hand-back is in the snapshot,
        // and Cadent's own hand-back, which records a second counter after the first.
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let supplier = try #require(store.estate.devices[handedBack[0]]).supplier
        try store.commit(try store.estate.evaluate(.requestHandover(HandoverRequest(
            supplier: supplier, device: handedBack[0], networkOperator: "cadent")), now: StoreTests.now))
        try store.commit(try store.estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "cadent", device: handedBack[0], replacementCertificates: ["acb-ds", "acb-ka"])), now: StoreTests.now))
        store.close()
        let lazy = try Store.open(at: directory, access: .readOnly).estate.ledger
        #expect(lazy.counterHistory.stored != nil)
        #expect(lazy.counterHistory[handedBack[0]]?.map { String($0.requestId.prefix(23)) } == ["90-B3-D5-1F-30-00-00-10", "90-B3-D5-1F-30-00-00-11"],
                "National Grid's hand-back from the snapshot, then Cadent's from the journal")
        expectSameHistories(lazy, try readWhole(directory).ledger, of: handedBack)
    }

    /// The store's snapshot with its `counterHistory` member edited (the CRC-32C made to match),
    /// then opened by a writer, which makes a device index that fits it.
    private func editHistories(in directory: String, checking: Bool = true, _ edit: (String) -> String) throws {
        let path = directory + "/" + Store.snapshotName
        let text = String(decoding: try support.read(path), as: UTF8.self)
        let forged = try support.reframedSnapshot(text, lastSequence: 3) { part in
            guard let histories = part.range(of: ",\n\"counterHistory\":{"), let lifecycle = part.range(of: ",\n\"lifecycle\":") else { return part }
            return String(part[..<histories.upperBound]) + edit(String(part[histories.upperBound..<lifecycle.lowerBound])) + part[lifecycle.lowerBound...]
        }
        try support.write(forged, path)
        try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1))).close()
        if checking { #expect(try SnapshotDeviceIndexCheck.check(directory: directory) == .matches(devices: 221)) }
    }

    /// Helper 26's attack: the histories' `}` ends their last line and a second `recordedCounters`
    /// follows it on that line, closed at the start of the next. Read whole, the second member
    /// lowers a counter; passing over the histories must find it too, not take it for a history.
    @Test func aMemberAfterTheHistoriesOnTheirLastLineIsRead() throws {
        let (scratch, directory, handedBack) = try compactedAfterHandBacks(3)
        defer { scratch.cleanUp() }
        try editHistories(in: directory) { histories in
            String(histories.dropLast(2)) + "},\"recordedCounters\":{\"\(handedBack[1])\":\"1\"\n}"
        }
        let opened = try Store.open(at: directory, access: .readOnly).estate
        #expect(opened.ledger.counterHistory.stored != nil)
        #expect(opened.ledger.recordedCounters[handedBack[1]] == OriginatorCounter(1))
        expectSameHistories(opened.ledger, try readWhole(directory).ledger, of: [handedBack[0], handedBack[2]])
    }

    /// Two `counterHistory` members: read whole, the second adds to the first, so the body is read whole.
    @Test func aSecondHistoriesMemberIsReadWhole() throws {
        let (scratch, directory, handedBack) = try compactedAfterHandBacks(3)
        defer { scratch.cleanUp() }
        try editHistories(in: directory) { histories in
            let lines = histories.split(separator: "\n", omittingEmptySubsequences: false)
            // The first history in a member of its own before the others.
            return "\n" + lines[1].dropLast() + "\n},\n\"counterHistory\":{\n" + lines[2...].joined(separator: "\n")
        }
        let opened = try Store.open(at: directory, access: .readOnly).estate
        #expect(opened.ledger.counterHistory.stored == nil)
        expectSameHistories(opened.ledger, try readWhole(directory).ledger, of: handedBack)
    }

    /// Histories out of order read whole (into a hash table), but not around the rows, where
    /// the first one asked for stops the process with the file's name: `store check` finds it.
    @Test func historiesOutOfOrderAreFoundByTheCheck() throws {
        let (scratch, directory, _) = try compactedAfterHandBacks(3)
        defer { scratch.cleanUp() }
        try editHistories(in: directory, checking: false) { histories in
            var lines = histories.split(separator: "\n", omittingEmptySubsequences: false)
            lines.swapAt(1, 2)
            return lines.joined(separator: "\n")
        }
        let failure = #expect(throws: StoreError.self) { try SnapshotDeviceIndexCheck.check(directory: directory) }
        #expect(failure?.description.contains("out of order or repeated") == true)
    }

    /// Layouts the writer never writes read the same: lines and spaces inside the histories,
    /// a `}` at the start of a line among them, are passed over.
    @Test(arguments: [
        ("}],", "\n}],"),
        ("\":[{", "\" : [ {"),
    ])
    func aBodyLaidOutOtherwiseReadsTheSame(from: String, to: String) throws {
        let (scratch, directory, handedBack) = try compactedAfterHandBacks(3)
        defer { scratch.cleanUp() }
        try editHistories(in: directory) { $0.replacingOccurrences(of: from, with: to) }
        let opened = try Store.open(at: directory, access: .readOnly).estate
        #expect(opened.ledger.counterHistory.stored != nil && opened.devices.stored != nil)
        expectSameHistories(opened.ledger, try readWhole(directory).ledger, of: handedBack)
    }
}
