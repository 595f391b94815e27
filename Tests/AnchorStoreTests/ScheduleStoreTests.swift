import AnchorCore
import AnchorService
import Foundation
import GPFSimulator
import SMKI
import Testing
@testable import AnchorStore

/// Future-dated commands in the store: the acknowledgement, the alert's arrival and its
/// processing are each a durable journal record and an audit entry, survive reopening and
/// compaction, and an alert is processed once even when the processing never reached the disk.
@Suite("The store: scheduled commands, arrived alerts, processing once")
struct ScheduleStoreTests {
    let support = StoreTests()
    static let due = StoreTests.now.adding(days: 1)
    static let later = due.adding(days: 1)

    /// A demo store where the first `count` National Grid devices have a hand-back scheduled for ``due``.
    func scheduledStore(_ count: Int) throws -> (FileLayerTestDirectory, String, [EUI64]) {
        let (scratch, directory) = try support.makeStore()
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        defer { store.close() }
        let filter = try DeviceFilter(parsing: "no=national-grid")
        let targets = store.estate.devices.filter { filter.matches($0, in: store.estate.ledger) }.prefix(count).map(\.id)
        for device in targets {
            try store.commit(try store.estate.evaluate(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
                sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"], execution: .at(Self.due))),
                now: StoreTests.now))
        }
        return (scratch, directory, targets)
    }

    func credentials(_ store: Store) -> EstateCredentials { DemoCredentialsCache.credentials(for: store.estate.ledger) }

    @Test func theAcknowledgementAlertAndProcessingAreSeparateAuditedRecordsThatSurviveCompaction() throws {
        let (scratch, directory, devices) = try scheduledStore(2)
        defer { scratch.cleanUp() }
        var store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(store.estate.ledger.pendingCommands.map(\.device) == devices)
        #expect(store.auditTrail.map(\.kind) == [.request, .schedule, .request, .schedule])
        #expect(try !store.hasDueAlertWork(at: StoreTests.now))
        #expect(try store.hasDueAlertWork(at: Self.later))
        let report = try store.deliverDueAlerts(now: Self.later, credentials: credentials(store))
        #expect(report.arrived == 2)
        #expect(report.processed.map(\.event) == [.executed, .executed])
        #expect(Array(store.auditTrail.map(\.kind).suffix(4)) == [.alert, .alert, .schedule, .schedule])
        let expected = store.estate
        store.close()

        store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(store.estate == expected, "the journal replays to the same estate")
        #expect(try !store.hasDueAlertWork(at: Self.later))
        try store.compact()
        store.close()
        let reopened = try Store.open(at: directory, access: .readOnly)
        #expect(reopened.estate == expected, "the snapshot holds the schedule log, the alerts and the devices' alert counters")
        #expect(reopened.estate.devices[devices[0]]?.lastAlertCounter == OriginatorCounter(1))
        #expect(try AuditVerifier.verify(directory: directory).entries == 8)
    }

    @Test func aPendingCommandSurvivesCompactionInTheDevicesRow() throws {
        let (scratch, directory, devices) = try scheduledStore(1)
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let pending = try #require(store.estate.devices[devices[0]]?.pending)
        try store.compact()
        store.close()
        let reopened = try Store.open(at: directory, access: .readOnly)
        #expect(reopened.estate.devices[devices[0]]?.pending == pending)
        #expect(reopened.estate.ledger.pendingCommand(for: devices[0])?.dueAt == Self.due)
    }

    @Test func anAlertThatArrivedButWasNeverProcessedIsProcessedOnceByTheNextWriter() throws {
        let (scratch, directory, devices) = try scheduledStore(1)
        defer { scratch.cleanUp() }
        // The arrival reaches the disk; the writer stops before processing (as after a crash).
        var store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        let arrival = try #require(store.estate.alertArrival(from: devices[0], now: Self.later, credentials: credentials(store)))
        try store.commit(arrival)
        store.close()

        store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        #expect(store.estate.ledger.unprocessedAlerts == [arrival.alert])
        let report = try store.deliverDueAlerts(now: Self.later, credentials: credentials(store))
        #expect(report.arrived == 0, "the device already acted; it does not act again")
        #expect(report.processed.map(\.event) == [.executed])
        let again = try store.deliverDueAlerts(now: Self.later, credentials: credentials(store))
        #expect(again.isEmpty)
        #expect(store.estate.ledger.counterHistory[devices[0]]?.count == 1)
        store.close()
    }

    @Test func anAlteredAlertRowFailsTheAuditAtItsEntry() throws {
        let (scratch, directory, _) = try scheduledStore(1)
        defer { scratch.cleanUp() }
        let store = try Store.open(at: directory, access: .readWrite(lockTimeout: .seconds(1)))
        try store.deliverDueAlerts(now: Self.later, credentials: credentials(store))
        try store.compact()
        store.close()
        let path = directory + "/snapshot.json"
        let text = String(decoding: try support.read(path), as: UTF8.self)
        #expect(text.contains("\"bytes\":\"DF09"))
        try support.write(try support.reframedSnapshot(text, lastSequence: 4) {
            $0.replacingOccurrences(of: "\"bytes\":\"DF09", with: "\"bytes\":\"DF08")
        }, path)
        let failure = #expect(throws: AuditFailure.self) { try AuditVerifier.verify(directory: directory) }
        #expect(failure?.sequence == 3, "the alert's arrival is entry 3")
    }
}
