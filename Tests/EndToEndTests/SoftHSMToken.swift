import Foundation
import Testing

/// A SoftHSM2 token of its own (Debian's `softhsm2`), in a scratch directory removed at the end
/// of the test: the PKCS#11 token that holds the ACB's keys in these tests. CI installs
/// `softhsm2`; without it the tests fail rather than skip.
struct SoftHSMToken {
    /// Debian's SoftHSM2 module.
    static let module = "/usr/lib/softhsm/libsofthsm2.so"
    static let pin = "7350-2961"

    let root: URL
    let label: String
    var pinFile: String { root.appendingPathComponent("pin").path }
    var configuration: String { root.appendingPathComponent("softhsm2.conf").path }

    /// A new token labelled `label`, with the user PIN ``pin`` in a 0600 file.
    init(label: String = "anchordesk-dsp") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-token-\(UUID().uuidString)")
        self.label = label
        let tokens = root.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        try "directories.tokendir = \(tokens.path)\nobjectstore.backend = file\nlog.level = ERROR\n"
            .write(toFile: configuration, atomically: true, encoding: .utf8)
        try (Self.pin + "\n").write(toFile: pinFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pinFile)
        try initialiseToken(label)
    }

    /// Makes another token in the same SoftHSM2 configuration.
    func initialiseToken(_ label: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/softhsm2-util")
        process.arguments = ["--init-token", "--free", "--label", label, "--pin", Self.pin, "--so-pin", "0000-1111"]
        process.environment = ["SOFTHSM2_CONF": configuration]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "softhsm2-util --init-token failed: \(message)")
    }

    /// The environment naming this token to AnchorDesk (and SoftHSM2 its configuration).
    var environment: [String: String] {
        ["SOFTHSM2_CONF": configuration, "ANCHORDESK_PKCS11_MODULE": Self.module, "ANCHORDESK_PKCS11_TOKEN": label,
         "ANCHORDESK_PKCS11_PIN_FILE": pinFile]
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
