import AnchorCore
import Foundation
import Testing
@testable import AnchorStore

@Suite("Demo data files")
struct DemoDataTests {
    @Test func theBundledStoryLoads() throws {
        let estate = try DemoData.load(from: StoreTests.demoFolder)
        let ledger = estate.ledger
        let nationalGrid = try DeviceFilter(parsing: "no=national-grid type=GPF")
        #expect(estate.devices.devices.filter { nationalGrid.matches($0, in: ledger) }.count == 60)
        #expect(estate.devices.devices.contains { $0.type != .gpf })
        #expect(ledger.organisation("cadent")?.dccUser == true)
        #expect(ledger.organisation("northern-gas-networks")?.dccUser == false)
        #expect(ledger.organisation("national-grid")!.lastCounter > ledger.organisation("dcc-acb")!.lastCounter)
    }

    @Test func theBuiltInCopyIsTheFolderByteForByte() throws {
        for name in ["organisations.json", "certificates.json", "devices.json"] {
            let file = try String(contentsOfFile: StoreTests.demoFolder + "/" + name, encoding: .utf8)
            #expect(EmbeddedDemoData.files[name] == file, "\(name) differs from demo-data/")
        }
        #expect(try DemoData.load(.embedded) == DemoData.load(from: StoreTests.demoFolder))
        #expect(DemoData.Source.bundled(environment: [:]) == .embedded)
        #expect(DemoData.Source.bundled(environment: ["ANCHORDESK_DEMO_DATA": "/x"]) == .folder("/x"))
    }

    /// Copies the demo folder, applies an edit to one file's text, and returns the load error.
    func loadError(editing file: String, _ edit: (String) -> String) throws -> StoreError? {
        let scratch = try FileLayerTestDirectory()
        defer { scratch.cleanUp() }
        for name in ["organisations.json", "certificates.json", "devices.json"] {
            var text = try String(contentsOfFile: StoreTests.demoFolder + "/" + name, encoding: .utf8)
            if name == file { text = edit(text) }
            try text.write(toFile: scratch.file(name), atomically: false, encoding: .utf8)
        }
        do {
            _ = try DemoData.load(from: scratch.path)
            return nil
        } catch {
            return error
        }
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
