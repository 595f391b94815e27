import Foundation
import Testing

/// A SoftHSM2 token of its own (Debian's `softhsm2`), in a scratch directory removed at the end
/// of the test: the PKCS#11 token that holds the ACB's keys in these tests. CI installs
/// `softhsm2`, and `opensc` for `pkcs11-tool`, which lists what the token holds; without them
/// the tests fail rather than skip.
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
        _ = try makePINFile(named: "pin", holding: Self.pin)
        try initialiseToken(label)
    }

    /// A PIN file beside the token's, named `name`, holding `pin` and a line break, with `mode`.
    func makePINFile(named name: String, holding pin: String, mode: Int = 0o600) throws -> String {
        let path = root.appendingPathComponent(name).path
        try (pin + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// Makes another token in the same SoftHSM2 configuration.
    func initialiseToken(_ label: String) throws {
        try run("/usr/bin/softhsm2-util", ["--init-token", "--free", "--label", label, "--pin", Self.pin, "--so-pin", "0000-1111"])
    }

    /// Puts the PKCS#8 PEM private key in `file` into the token as SoftHSM2's own tool imports
    /// one (not through AnchorDesk), labelled `label` with the object ID `id` (hex).
    func importKey(_ file: String, label: String, id: String) throws {
        try run("/usr/bin/softhsm2-util", ["--import", file, "--token", self.label, "--label", label, "--id", id, "--pin", Self.pin])
    }

    /// Deletes the token's private key labelled `label` with OpenSC's `pkcs11-tool`.
    func deleteKey(labelled label: String) throws {
        try run("/usr/bin/pkcs11-tool", ["--module", Self.module, "--token-label", self.label, "--login", "--pin", Self.pin,
                                         "--delete-object", "--type", "privkey", "--label", label])
    }

    /// The token's private keys as OpenSC's `pkcs11-tool --list-objects` shows them (a tool
    /// AnchorDesk did not write): each one's label, and its `Usage:` and `Access:` lines.
    func privateKeys() throws -> [(label: String, usage: String, access: String)] {
        let listing = try run("/usr/bin/pkcs11-tool", ["--module", Self.module, "--token-label", label, "--login", "--pin", Self.pin,
                                                       "--list-objects", "--type", "privkey"])
        return listing.components(separatedBy: "Private Key Object").dropFirst().map { block in
            func field(_ name: String) -> String {
                block.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + ":") }
                    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? ""
            }
            return (field("label"), field("Usage"), field("Access"))
        }
    }

    /// Runs a SoftHSM2 or OpenSC tool on this token's configuration; its stdout.
    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = ["SOFTHSM2_CONF": configuration]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.first ?? "") failed: \(message)")
        return printed
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
