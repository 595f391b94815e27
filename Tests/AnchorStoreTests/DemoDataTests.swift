import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

@Suite("Demo data files")
struct DemoDataTests {
    @Test func theBundledStoryLoads() throws {
        let estate = try DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow)
        let ledger = estate.ledger
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid type=GPF")
        #expect(estate.devices.filter { nationalGrid.matches($0, in: ledger) }.count == 60)
        #expect(estate.devices.contains { $0.type != .gpf })
        #expect(ledger.organisation("cadent")?.dccUser == true)
        #expect(ledger.organisation("northern-gas-networks")?.dccUser == false)
        #expect(ledger.organisation("national-grid")!.lastCounter > ledger.organisation("dcc-acb")!.lastCounter)
    }

    @Test func theBuiltInCopyIsTheFolderByteForByte() throws {
        for name in ["organisations.json", "certificates.json", "devices.json", "history.json"] {
            let file = try String(contentsOfFile: StoreTests.demoFolder + "/" + name, encoding: .utf8)
            #expect(EmbeddedDemoData.files[name] == file, "\(name) differs from demo-data/")
        }
        #expect(try DemoData.load(.embedded, now: StoreTests.demoNow) == DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow))
        #expect(DemoData.Source.bundled(environment: [:]) == .embedded)
        #expect(DemoData.Source.bundled(environment: ["ANCHORDESK_DEMO_DATA": "/x"]) == .folder("/x"))
    }

    /// Copies the demo folder, applies an edit to one file's text, and returns the load error.
    func loadError(editing file: String, now: Timestamp = StoreTests.demoNow, _ edit: (String) -> String) throws -> StoreError? {
        let scratch = try FileLayerTestDirectory()
        defer { scratch.cleanUp() }
        for name in ["organisations.json", "certificates.json", "devices.json", "history.json"] {
            var text = try String(contentsOfFile: StoreTests.demoFolder + "/" + name, encoding: .utf8)
            if name == file { text = edit(text) }
            try text.write(toFile: scratch.file(name), atomically: false, encoding: .utf8)
        }
        do {
            _ = try DemoData.load(from: scratch.path, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func recentDevicesAreCommissionedRelativeToTheClock() throws {
        let now = Timestamp(iso8601: "2030-01-10T12:00:00Z")!
        let estate = try DemoData.load(from: StoreTests.demoFolder, now: now)
        let recent = estate.devices.compactMap(\.commissionedAt).filter { $0 > now.adding(days: -7) }
        #expect(recent.count == 4)
        #expect(recent.allSatisfy { $0 <= now })
        #expect(recent.contains(Timestamp(iso8601: "2030-01-10T06:00:00Z")!), "6 hours before the clock")
    }

    @Test func theHistoryBecomesTheLogAndTheRecordedCounters() throws {
        let ledger = try DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow).ledger
        #expect(ledger.requests.count == 7)
        #expect(ledger.requests.map(\.at) == ledger.requests.map(\.at).sorted())
        let handedBack = try #require(ledger.requests.first)
        #expect(handedBack.requester == "national-grid")
        #expect(ledger.recordedCounters[handedBack.device] == handedBack.originatorCounter)
        #expect(ledger.counterHistory[handedBack.device]?.map(\.requestId) == [handedBack.requestId])
        #expect(ledger.recordedCounters.count == 2)
    }

    @Test func aFolderWithoutHistoryLoadsWithAnEmptyLog() throws {
        let scratch = try FileLayerTestDirectory()
        defer { scratch.cleanUp() }
        for name in ["organisations.json", "certificates.json", "devices.json"] {
            try FileManager.default.copyItem(atPath: StoreTests.demoFolder + "/" + name, toPath: scratch.file(name))
        }
        let estate = try DemoData.load(from: scratch.path, now: StoreTests.demoNow)
        #expect(estate.ledger.requests.isEmpty)
        #expect(estate.devices.count == 221)
    }

    @Test("a history or relative time that does not fit is refused with its JSON path", arguments: [
        ("history.json", "\"requester\": \"national-grid\"", "\"requester\": \"nobody\"", "requests[0].requester: no organisation nobody"),
        ("history.json", "\"at\": \"2023-07-06T11:00:00Z\"", "\"at\": \"2023-12-31T11:00:00Z\"", "requests[3].at: 2023-09-01T10:00:00Z is before the entry above it"),
        ("history.json", "\"originatorCounter\": \"46001\"", "\"originatorCounter\": \"48211\"", "requests[2].originatorCounter: 48211 is above dcc-acb's lastCounter 48210"),
        ("history.json", "\"requestId\": \"90-B3-D5-1F-30-00-00-10:00-DB-12-0A-CE-96-01-C4:1647253800000000\",\n      \"service\": \"6.15.1\"",
         "\"requestId\": \"x\",\n      \"service\": \"6.15.1\"", "requests[0].requestId: 'x' is not national-grid's entity ID"),
        ("history.json", "\"counterHistory\": [",
         "\"counterHistory\": [{\"device\": \"00-DB-12-0A-CE-96-01-C4\", \"at\": \"2022-03-14T10:30:00Z\", \"requestId\": \"nope\", \"service\": \"6.15.1\", \"counter\": \"1\"},",
         "counterHistory[0].requestId: no succeeded request nope"),
        ("history.json", "\"requestId\": \"90-B3-D5-1F-30-00-00-23:00-DB-12-A2-5A-DF-64-F5:101\"",
         "\"requestId\": \"90-B3-D5-1F-30-00-00-23:00-DB-12-A2-5A-DF-64-F5:301\"", "requests[2].requestId: '90-B3-D5-1F-30-00-00-23:00-DB-12-A2-5A-DF-64-F5:301' is not"),
        ("history.json", "\"outcome\": \"succeeded\"", "\"outcome\": \"scheduled\"", "requests[0].outcome: the history holds processed requests only"),
        ("history.json", "\"at\": \"2022-03-14T10:30:00Z\"", "\"at\": \"2021-01-01T00:00:00Z\"", "requests[0].at: 2021-01-01T00:00:00Z is before 00-DB-12-0A-CE-96-01-C4 was commissioned"),
        ("history.json", "\"recordedCounter\": \"1647253800000000\"", "\"recordedCounter\": null", "requests[0].recordedCounter: null is not the device's recorded counter after it, 1647253800000000"),
        ("history.json", "\"detail\"", "\"notes\": 1, \"detail\"", "requests[0].notes: unknown field"),
        ("history.json", "\"counter\": \"1647273600000000\"", "\"counter\": \"5\"", "requests[1].recordedCounter: 1647273600000000 is not the device's recorded counter after it, 5"),
        ("history.json", "\"device\": \"00-DB-12-0A-CE-96-01-C4\"", "\"device\": \"00-DB-12-00-00-00-00-01\"",
         "requests[0].device: no device 00-DB-12-00-00-00-00-01"),
        ("history.json", "\"outcome\": \"succeeded\"", "\"outcome\": \"maybe\"", "requests[0].outcome: 'maybe' is not one of the allowed values"),
        ("devices.json", "\"networkOperator\": \"1647273600000000\"", "\"networkOperator\": \"1647273600000009\"",
         "its Network Operator floor 1647273600000009 in devices.json is above its recorded counter 1647273600000000"),
        ("devices.json", "\"commissionedHoursBeforeInit\": 6", "\"commissionedHoursBeforeInit\": -6", "commissionedHoursBeforeInit: -6 is not a number of hours"),
        ("devices.json", "\"commissionedHoursBeforeInit\": 6", "\"commissionedHoursBeforeInit\": 6, \"commissionedAt\": \"2024-01-01T00:00:00Z\"",
         "give commissionedAt or commissionedHoursBeforeInit, not both"),
    ])
    func historyProblems(file: String, find: String, replace: String, message: String) throws {
        let error = try loadError(editing: file) { text in
            guard let range = text.range(of: find) else { return "find text not present: \(find)" }
            return text.replacingCharacters(in: range, with: replace)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func aClockBeforeTheHistoryIsRefused() throws {
        let error = try loadError(editing: "history.json", now: Timestamp(iso8601: "2022-03-14T12:00:00Z")!) { $0 }
        #expect(error?.message.contains("requests[1].at: 2022-03-14T16:00:00Z is after init's clock (2022-03-14T12:00:00Z, $ANCHORDESK_NOW or the system clock)") == true,
                "\(String(describing: error))")
    }

    @Test func malformedJSONIsRefused() throws {
        let error = try loadError(editing: "devices.json") { String($0.dropLast(10)) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.path?.hasSuffix("devices.json") == true)
    }

    @Test func aWrongTypeIsRefusedWithItsJSONPath() throws {
        let error = try loadError(editing: "organisations.json") { $0.replacingOccurrences(of: "\"dccUser\": true", with: "\"dccUser\": \"yes\"") }
        #expect(error?.message.contains("organisations[0].dccUser") == true, "\(String(describing: error))")
    }

    @Test func aDuplicateIdIsRefused() throws {
        let error = try loadError(editing: "certificates.json") { $0.replacingOccurrences(of: "\"id\": \"cadent-ka\"", with: "\"id\": \"cadent-ds\"") }
        #expect(error?.message.contains("duplicate certificate ID 'cadent-ds'") == true, "\(String(describing: error))")
    }

    @Test func aMissingReferenceIsRefused() throws {
        let error = try loadError(editing: "certificates.json") { $0.replacingOccurrences(of: "\"owner\": \"cadent\"", with: "\"owner\": \"nobody\"") }
        #expect(error?.message.contains("certificates[") == true)
        #expect(error?.message.contains("no organisation 'nobody'") == true)
    }

    @Test func anOutOfRangeCounterIsRefused() throws {
        let error = try loadError(editing: "organisations.json") { $0.replacingOccurrences(of: "\"lastCounter\": \"48210\"", with: "\"lastCounter\": \"18446744073709551616\"") }
        #expect(error?.message.contains("lastCounter") == true, "\(String(describing: error))")
    }
}

@Suite("Demo data: unknown fields")
struct DemoDataUnknownFieldTests {
    @Test("unknown fields are refused with their JSON path", arguments: [
        ("organisations.json", "\"dccUser\": true", "\"dccuser\": true, \"dccUser\": true", "organisations[0].dccuser"),
        ("certificates.json", "\"revoked\": false", "\"revoked\": false, \"colour\": \"red\"", "certificates[0].colour"),
        ("devices.json", "\"root\": \"root-ds\"", "\"root\": \"root-ds\", \"attic\": \"x\"", "devices[0].cells.attic"),
        ("devices.json", "\"type\": \"GPF\"", "\"type\": \"GPF\", \"notes\": 1", "devices[0].notes"),
    ])
    func unknownFields(file: String, find: String, replace: String, path: String) throws {
        let error = try DemoDataTests().loadError(editing: file) { text in
            guard let range = text.range(of: find) else { return text }
            return text.replacingCharacters(in: range, with: replace)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(path) == true, "\(String(describing: error))")
    }
}
