import AnchorCore
import Foundation
import SMKI
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

/// A keystore folder with hostile files: each is left out with a warning naming it; none hangs
/// the reader, and the good files beside them load.
@Suite("A DCC keystore folder, hostile files included")
struct KeystoreDirectoryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GBCSTests/Fixtures/keystore").path

    @Test func hostileFilesAreLeftOutByNameAndTheRestLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-keystore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/00db1234567890a0-ds.pem", toPath: folder + "/00db1234567890a0-ds.pem")
        try Data(repeating: 0x41, count: KeystoreDirectory.largestFile + 1).write(to: URL(fileURLWithPath: folder + "/0000000000000001-ds.pem"))
        #expect(mkfifo(folder + "/0000000000000002-ka.pem", 0o600) == 0, "a FIFO nobody writes: opening it for reading would wait forever")
        try FileManager.default.createSymbolicLink(atPath: folder + "/0000000000000003-ka.key", withDestinationPath: "/dev/urandom")
        try Data("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: folder + "/0000000000000004-ds.pem"))
        try Data("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".utf8).write(to: URL(fileURLWithPath: folder + "/0000000000000005-ka.pem"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/0000000000000006-ds.pem", withDestinationPath: folder + "/absent")
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: folder + "/0000000000000007-xx.pem"))

        var keys = VerificationKeys()
        let warnings = try KeystoreDirectory(path: folder).addKeys(to: &keys)
        #expect(keys.signing.count == 1 && keys.signingKey(of: EUI64(rawValue: 0x00DB_1234_5678_90A0))?.source == "00db1234567890a0-ds.pem")
        let named = ["0000000000000001-ds.pem", "0000000000000002-ka.pem", "0000000000000003-ka.key", "0000000000000004-ds.pem",
                     "0000000000000005-ka.pem", "0000000000000006-ds.pem"]
        #expect(warnings.count == named.count, "\(warnings)")
        for name in named { #expect(warnings.contains { $0.hasPrefix(name + " left out: ") }, "\(name): \(warnings)") }
        #expect(warnings.contains { $0.contains("more than a key file's") })
        #expect(warnings.filter { $0.contains("not a regular file") }.count == 2)
    }

    @Test func aFolderThatCannotBeListedIsAnError() {
        var keys = VerificationKeys()
        #expect(throws: StoreError.self) { try KeystoreDirectory(path: "/nonexistent-\(UUID().uuidString)").addKeys(to: &keys) }
    }
}
