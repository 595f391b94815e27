@testable import AnchorPostgres
import AnchorStore
import Foundation
import Testing

/// A machine's folder of the DCC's keys, swapped whole: the database's public files come in,
/// the machine's private keys and record stay; what a swap cut short leaves behind never blocks
/// the next one or loses the machine's own files, and a name the folder cannot hold (a private
/// one among them) is refused before anything is written.
@Suite("The DCC's keys folder on a machine")
struct VaultFolderTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-vault-\(UUID().uuidString)").path
    var folder: VaultFolder { VaultFolder(directory: root) }
    var record: String { folder.path + "/" + CredentialVault.demoUserKeysRecordName }

    init() throws {
        try FileManager.default.createDirectory(atPath: root + "/smki/keys", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: root + "/smki/acb-ds.pem"))
        try Data("old key".utf8).write(to: URL(fileURLWithPath: root + "/smki/keys/acb-ds.key"))
        try Data("/home/op/keys".utf8).write(to: URL(fileURLWithPath: root + "/smki/" + CredentialVault.demoUserKeysRecordName))
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Every file the folder holds, the machine's record and private keys among them.
    func files() throws -> [(name: String, bytes: [UInt8])] {
        try folder.files(in: folder.path).filter { $0.name != CredentialVault.demoUserKeysRecordName }
    }

    static let database: [(String, [UInt8])] = [("acb-ds.pem", Array("new".utf8)), ("xml-signing/dsp.pem", Array("dsp".utf8))]
    static let afterSwap = [Array("new".utf8), Array("old key".utf8), Array("dsp".utf8)]

    @Test func aSwapLeavesExactlyTheDatabasesFilesAndTheMachinesOwn() throws {
        defer { remove() }
        try folder.replace(with: Self.database, shown: "db")
        #expect(try files().map(\.name) == ["acb-ds.pem", "keys/acb-ds.key", "xml-signing/dsp.pem"])
        #expect(try files().map(\.bytes) == Self.afterSwap, "the machine's private key stayed as it was")
        #expect(try folder.publicFiles().map(\.name) == ["acb-ds.pem", "xml-signing/dsp.pem"], "only these go to the database")
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "/home/op/keys")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki"], "nothing left beside it")
    }

    @Test func whatASwapCutShortLeftBesideItNeverBlocksTheNextOne() throws {
        defer { remove() }
        // Killed between the two renames: the folder is `.previous`, and an `.incoming` half written.
        try FileManager.default.moveItem(atPath: folder.path, toPath: folder.path + ".previous")
        try FileManager.default.createDirectory(atPath: folder.path + ".incoming/keys", withIntermediateDirectories: true)
        try folder.replace(with: Self.database, shown: "db")
        #expect(try files().map(\.bytes) == Self.afterSwap, "the private key came back from .previous")
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "/home/op/keys", "the record came back from .previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki"])
    }

    /// A database before version 5 held the private keys too: the migration makes the folder
    /// its whole copy, keeping only the machine's record (and the private key it holds already,
    /// the same as the database's).
    @Test func theMigrationsSwapTakesThePrivateKeysFromTheDatabase() throws {
        defer { remove() }
        let whole = Self.database + [("keys/acb-ds.key", Array("old key".utf8)), ("keys/device-ca.key", Array("database key".utf8))]
        try folder.replaceWhole(with: whole, shown: "db")
        #expect(try files().map(\.name) == ["acb-ds.pem", "keys/acb-ds.key", "keys/device-ca.key", "xml-signing/dsp.pem"])
        #expect(try files().map(\.bytes) == [Array("new".utf8), Array("old key".utf8), Array("database key".utf8), Array("dsp".utf8)])
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "/home/op/keys")
    }

    /// What each swap refuses before anything is written. The database's (`replace`): a name
    /// that is not a plain, public one. The migration's (`replaceWhole`): a name that leads out of
    /// the folder (a private one is checked as a public one is), and a private file the machine
    /// holds that is not the database's copy (other bytes, or one the database does not hold),
    /// which it never overwrites or drops.
    @Test(arguments: ["", "keys/", "keys/acb-ds.key", "./acb-ds.pem", "keys//acb-ds.key", "../outside", "/etc/outside",
                      CredentialVault.demoUserKeysRecordName].map { ([($0, "x")], false) } + [
        "keys/", "keys//acb-ds.key", "keys/./acb-ds.key", "keys/../outside", "keys/../../outside", "keys/../keys/acb-ds.key",
    ].map { ([($0, "x")], true) } + [([("keys/acb-ds.key", "database key")], true), ([("keys/device-ca.key", "database key")], true)])
    func whatTheFolderCannotTakeIsRefusedBeforeAnythingIsWritten(extra: [(String, String)], migration: Bool) throws {
        defer { remove() }
        let before = try files()
        let incoming = Self.database + extra.map { ($0.0, Array($0.1.utf8)) }
        #expect(throws: StoreError.self) {
            if migration { try folder.replaceWhole(with: incoming, shown: "db") } else { try folder.replace(with: incoming, shown: "db") }
        }
        #expect(try files().map(\.name) == before.map(\.name) && files().map(\.bytes) == before.map(\.bytes))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki"])
        #expect(!FileManager.default.fileExists(atPath: root + "/outside") && !FileManager.default.fileExists(atPath: root + "/smki/outside"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/outside"))
    }

    @Test func aKeptCopyIsPutBackWhole() throws {
        defer { remove() }
        let before = try files().map(\.bytes)
        try folder.keep()
        try Data("changed".utf8).write(to: URL(fileURLWithPath: folder.path + "/acb-ds.pem"))
        try Data("added".utf8).write(to: URL(fileURLWithPath: folder.path + "/keys/extra.key"))
        try folder.restoreKept()
        #expect(try files().map(\.bytes) == before)
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "/home/op/keys")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki"])
    }

    /// What a crash leaves beside the folder (a change's kept copy, a swap's old folder or its
    /// half-written new one) holds the DCC's keys as they were, the ACB's before they moved to a
    /// token among them: whoever next holds the folder removes it, since no change or swap is
    /// under way then. A swap cut short before the new folder was in place keeps the old one,
    /// which holds the machine's record.
    @Test func copiesACrashLeftBesideTheFolderGoWhenItIsNextHeld() throws {
        defer { remove() }
        for copy in [".before-change", ".previous", ".incoming"] {
            try FileManager.default.copyItem(atPath: folder.path, toPath: folder.path + copy)
        }
        try PostgresVault.holdingFolder(root) {}
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki", "smki.lock"])
        #expect(try files().map(\.name) == ["acb-ds.pem", "keys/acb-ds.key"])

        try FileManager.default.moveItem(atPath: folder.path, toPath: folder.path + ".previous")
        try PostgresVault.holdingFolder(root) {}
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["smki.lock", "smki.previous"])
    }
}
