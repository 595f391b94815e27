import Crypto
import Foundation
import Testing

/// The DCC's private keys in a PKCS#11 token (issue 26, step 1): `cert move-to-token` puts them
/// there and deletes their files; the story, a Recovery Event and a bulk run then sign and MAC
/// in the token, and an independent check (`gbcs decode --verify`, from public keys and the
/// device's side) accepts what the token made. A token that cannot be used is one `error:` line
/// that changes nothing.
@Suite("End to end: the DCC's keys in a PKCS#11 token")
struct PKCS11TokenTests {
    let device = "00-DB-12-01-73-F7-8B-92"
    var handBack: [String] { ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"] }
    var placeCadent: [String] { ["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent"] }
    /// The demo's DCC organisations' keys: the ACB's two, the CSP's, the Transitional CoS Party's, Recovery's and Root's.
    static let dccKeyFiles = ["dcc-acb-ds", "dcc-acb-ka", "csp-north-ds", "dcc-tcos-ds", "smki-recovery-ds", "smki-root-ds"]
        .map { "smki/keys/\($0).key" }

    /// A demo store whose DCC keys `token` holds, and the keys as they were: each key's PEM
    /// body and its 32-octet scalar.
    private func storeWithKeysInToken(_ token: SoftHSMToken) throws -> (DemoStore, [(pem: String, scalar: [UInt8])]) {
        let store = try DemoStore()
        let keys = try Self.dccKeyFiles.map { name in
            let pem = try String(contentsOfFile: store.path + "/" + name, encoding: .utf8)
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            return (body, try Array(P256.Signing.PrivateKey(pemRepresentation: pem).rawRepresentation))
        }
        let moved = try store.run(["cert", "move-to-token", "--json"], environment: token.environment)
        try #require(moved.exitCode == 0, "\(moved.stderr)")
        #expect(Set(try moved.json()["deleted"] as? [String] ?? []) == Set(Self.dccKeyFiles.map { store.path + "/" + $0 }))
        return (store, keys)
    }

    @Test func theStoryAndARecoveryEventRunWithTheKeysInTheTokenAndNoFileHoldsThem() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, keys) = try storeWithKeysInToken(token)
        defer { store.remove() }
        // Not the file, and not its key as PEM, raw or hex anywhere under the store's folder.
        for (name, bytes) in try DemoStore.files(in: store.root.path) {
            let text = String(decoding: bytes, as: UTF8.self)
            for key in keys {
                #expect(!text.filter { !$0.isWhitespace }.contains(key.pem), "\(name) holds a DCC private key as PEM")
                #expect(bytes.range(of: Data(key.scalar)) == nil, "\(name) holds a DCC private key")
                #expect(!text.uppercased().contains(key.scalar.map { String(format: "%02X", $0) }.joined()), "\(name) holds a DCC private key as hex")
            }
        }
        for name in Self.dccKeyFiles { #expect(!FileManager.default.fileExists(atPath: store.path + "/" + name)) }
        // In the token, as OpenSC's pkcs11-tool sees them: sensitive, not extractable, each for its one use.
        let held = try token.privateKeys()
        #expect(held.count == Self.dccKeyFiles.count, "\(held)")
        for key in held {
            #expect(key.usage == (key.label.hasSuffix("-ka") ? "derive" : "sign"), "\(key)")
            #expect(key.access.contains("sensitive") && !key.access.contains("extractable"), "\(key)")
        }

        let handedBack = try store.run(handBack + ["--show-wire", "--json"], environment: token.environment)
        #expect(handedBack.exitCode == 0, "\(handedBack.stderr)")
        #expect(try handedBack.json()["outcome"] as? String == "succeeded")
        // SRV6.21 is signed as the ACB (in the token) and MACed with the ACB's key (in the token).
        let placed = try store.run(placeCadent + ["--show-wire", "--json"], environment: token.environment)
        #expect(placed.exitCode == 0, "\(placed.stderr)")
        let json = try placed.json()
        #expect(json["outcome"] as? String == "succeeded", "\(json)")
        #expect(json["originator"] as? String == "dcc-acb")
        let command = try #require((json["wire"] as? [String: Any])?["command"] as? String)
        let check = try store.run(["gbcs", "decode", "--verify", command])
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("signature valid (the store's certificate acb-ds)"), "\(check.stdout)")
        #expect(check.stdout.contains("MAC valid"), "\(check.stdout)")
        // A Recovery Event is signed with Recovery's key, in the token; the devices check it.
        let recovery = try store.run(["recovery", "--filter", "no=fenland-pipelines", "--replace-with", "acb", "--reason", "token test",
                                      "--yes", "--json"], environment: token.environment)
        #expect(recovery.exitCode == 0, "\(recovery.stdout.prefix(400))\(recovery.stderr)")
        #expect(!recovery.stdout.contains("\"rejected\""), "\(recovery.stdout.prefix(400))")
        #expect(try store.run(["devices", "--filter", "no=fenland-pipelines", "--json"]).json()["total"] as? Int == 0)
    }

    /// A store of 4,000 generated devices in a scratch folder (`root`, for the caller to
    /// remove), whose ACB keys `token` holds.
    private func estateWithKeysInToken(_ token: SoftHSMToken) throws -> (root: URL, store: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        let store = root.appendingPathComponent("store").path
        #expect(try AnchorDeskProcess.run(["init", "--estate", "4000", "--store", store]).exitCode == 0)
        #expect(try AnchorDeskProcess.run(["cert", "move-to-token", "--store", store], environment: token.environment).exitCode == 0)
        return (root, store)
    }

    /// National Grid's bulk hand-back of all its GPFs to the ACB, one JSON line per request.
    private func handBackAll(in store: String, _ options: [String] = []) -> [String] {
        ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb", "--json", "--store", store] + options
    }

    /// How many GPFs National Grid still holds.
    private func leftWithNationalGrid(in store: String) throws -> Int? {
        try AnchorDeskProcess.run(["devices", "--filter", "no=national-grid", "--json", "--store", store]).json()["total"] as? Int
    }

    @Test func aBulkOfOverAThousandGPFsSignsAndMACsInTheToken() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (root, store) = try estateWithKeysInToken(token)
        defer { try? FileManager.default.removeItem(at: root) }
        let bulk = try AnchorDeskProcess.run(handBackAll(in: store), environment: token.environment)
        #expect(bulk.exitCode == 0, "\(bulk.stderr)")
        let outcomes = bulk.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["outcome"] as? String
        }
        #expect(outcomes.count >= 1000, "only \(outcomes.count) requests")
        #expect(outcomes.allSatisfy { $0 == "succeeded" }, "\(Set(outcomes))")
        #expect(try leftWithNationalGrid(in: store) == 0)
    }

    /// A token that stops working part way through a bulk run (here its key objects are
    /// deleted while the run is paused after its first group) stops the run: no command goes
    /// out unsigned or with a MAC of zeros, nothing is recorded for the devices it could not
    /// reach, and one error line names the token. With the token back, a rerun finishes.
    @Test func aTokenThatStopsWorkingPartWayStopsTheRunAndRecordsNothingItCouldNotMAC() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (root, store) = try estateWithKeysInToken(token)
        defer { try? FileManager.default.removeItem(at: root) }
        let bulk = handBackAll(in: store, ["--group-size", "50"])
        // SoftHSM2 keeps each object in a file of its own beside the token's token.object.
        let tokens = token.root.appendingPathComponent("tokens")
        let objects = try FileManager.default.subpathsOfDirectory(atPath: tokens.path)
            .filter { $0.hasSuffix(".object") && !$0.hasSuffix("token.object") }.map { tokens.appendingPathComponent($0) }
        try #require(objects.count == Self.dccKeyFiles.count, "\(objects)")
        let saved = try objects.map { try Data(contentsOf: $0) }

        let log = root.appendingPathComponent("stderr")
        #expect(FileManager.default.createFile(atPath: log.path, contents: nil))
        let errors = try FileHandle(forWritingTo: log)
        var running = try RunningAnchorDesk(bulk, environment: token.environment, errors: errors)
        try errors.close()
        running.waitForLines(1)
        kill(running.process.processIdentifier, SIGSTOP)
        for object in objects { try FileManager.default.removeItem(at: object) }
        kill(running.process.processIdentifier, SIGCONT)
        running.finish()
        let stderr = try String(contentsOf: log, encoding: .utf8)
        #expect(running.process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.hasPrefix("error: ") && stderr.split(separator: "\n").count == 1 && stderr.contains("token"), "\(stderr)")
        let printed = running.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(!printed.isEmpty && printed.allSatisfy { $0["outcome"] as? String == "succeeded" }, "\(running.lines.prefix(3))")
        let logged = try #require(try AnchorDeskProcess.run(["requests", "--json", "--store", store]).json()["requests"] as? [[String: Any]])
        let sent = logged.filter { $0["requester"] as? String == "national-grid" }
        #expect(sent.count == printed.count, "\(sent.count) requests logged, \(printed.count) reported")
        #expect(sent.allSatisfy { $0["outcome"] as? String == "succeeded" }, "\(sent.first { $0["outcome"] as? String != "succeeded" } ?? [:])")

        for (object, bytes) in zip(objects, saved) { try bytes.write(to: object) }
        let rerun = try AnchorDeskProcess.run(bulk, environment: token.environment)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(try leftWithNationalGrid(in: store) == 0)
    }

    @Test func aTokenThatCannotBeUsedIsOneErrorAndChangesNothing() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, _) = try storeWithKeysInToken(token)
        defer { store.remove() }
        let before = try store.files()
        let wrongPIN = try token.makePINFile(named: "wrong-pin", holding: "1111-2222")
        let readablePIN = try token.makePINFile(named: "readable-pin", holding: SoftHSMToken.pin, mode: 0o644)
        var noToken = token.environment
        for name in ["ANCHORDESK_PKCS11_MODULE", "ANCHORDESK_PKCS11_TOKEN", "ANCHORDESK_PKCS11_PIN_FILE"] { noToken[name] = "" }
        var partly = token.environment
        partly["ANCHORDESK_PKCS11_TOKEN"] = ""
        let cases: [(String, [String: String], Int32, String)] = [
            ("a wrong PIN", token.environment.merging(["ANCHORDESK_PKCS11_PIN_FILE": wrongPIN]) { $1 }, 3, "the PIN is wrong"),
            ("a missing module", token.environment.merging(["ANCHORDESK_PKCS11_MODULE": token.root.path + "/no-such.so"]) { $1 }, 3,
             "the PKCS#11 module could not be loaded"),
            ("a missing token", token.environment.merging(["ANCHORDESK_PKCS11_TOKEN": "no-such-token"]) { $1 }, 3, "no initialised token has that label"),
            ("a PIN file others may read", token.environment.merging(["ANCHORDESK_PKCS11_PIN_FILE": readablePIN]) { $1 }, 3, "chmod 600"),
            ("no token named", noToken, 3, "the DCC's private keys are in the PKCS#11 token 'anchordesk-dsp'"),
            ("the token half named", partly, 2, "ANCHORDESK_PKCS11_TOKEN is not set"),
        ]
        for (what, environment, exitCode, message) in cases {
            for command in [handBack, placeCadent] {
                let result = try store.run(command, environment: environment)
                #expect(result.exitCode == exitCode, "\(what): \(result.stderr)")
                #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(what): \(result.stderr)")
                #expect(result.stderr.contains(message), "\(what): \(result.stderr)")
                #expect(!result.stderr.contains(SoftHSMToken.pin) && !result.stdout.contains(SoftHSMToken.pin), "\(what): the PIN was shown")
            }
        }
        #expect(try store.files() == before, "a refused command changed the store")
        #expect(try store.run(handBack, environment: token.environment).exitCode == 0, "the right settings no longer work")
    }

    @Test func aKeyFileBesideTheTokenATokenNoKeyWasMovedToAndASecondMoveAreRefused() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let original = try DemoStore()
        defer { original.remove() }
        let unmoved = try original.run(handBack, environment: token.environment)
        #expect(unmoved.exitCode == 3 && unmoved.stderr.contains("no key of this store was moved into a token"), "\(unmoved.stderr)")
        let keyFile = try Data(contentsOf: URL(fileURLWithPath: original.path + "/" + Self.dccKeyFiles[0]))
        #expect(try original.run(["cert", "move-to-token"], environment: token.environment).exitCode == 0)
        let again = try original.run(["cert", "move-to-token"], environment: token.environment)
        #expect(again.exitCode == 2 && again.stderr.contains("already moved to a token"), "\(again.stderr)")

        // The key put back as a file beside the token: no file may hold it once a token does.
        let copy = original.path + "/" + Self.dccKeyFiles[0]
        #expect(FileManager.default.createFile(atPath: copy, contents: keyFile, attributes: [.posixPermissions: 0o600]))
        let refused = try original.run(handBack, environment: token.environment)
        #expect(refused.exitCode == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains(copy) && refused.stderr.contains("yet this file holds it too"), "\(refused.stderr)")

        // Another store's ACB keys into a token already holding keys by those labels: nothing moves.
        let other = try DemoStore()
        defer { other.remove() }
        let taken = try other.run(["cert", "move-to-token"], environment: token.environment)
        #expect(taken.exitCode == 3 && taken.stderr.contains("already in the token") && taken.stderr.contains("nothing was moved"), "\(taken.stderr)")
        for name in Self.dccKeyFiles { #expect(FileManager.default.fileExists(atPath: other.path + "/" + name), "\(name) was deleted") }
    }

    /// The console's dry run knows the ACB's signing key is held when the token holds it: the
    /// SRV6.21 it previews is expected to succeed, as it then does, not to be refused for want
    /// of a key.
    @Test(.enabled(if: TUISmokeTests.tmux != nil, "tmux is not on PATH: the console test needs it (CI installs it)"))
    func theConsolesDryRunCountsTheKeyInTheToken() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, _) = try storeWithKeysInToken(token)
        defer { store.remove() }
        #expect(try store.run(handBack, environment: token.environment).exitCode == 0)
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: store.path, environment: token.environment.map { "\($0.key)=\($0.value)" })
        try session.keys(":")
        try session.type(device)
        try session.keys("Enter")
        _ = try session.waitFor("the device page") { $0.contains("Device \(device)") && $0.contains("NO cell dcc-acb") }
        try session.keys("r")
        let launcher = try session.waitFor("the SRV6.21 preview") { $0.contains("(*) SRV6.21") && $0.contains("dry run") }
        #expect(launcher.contains("expected to succeed"), "\(launcher)")
        #expect(!launcher.contains("no private key for dcc-acb"), "\(launcher)")
        try session.keys("Enter")
        _ = try session.waitFor(text: "> Cancel <")
        try session.keys("Right", "Enter")
        _ = try session.waitFor(text: "SRV6.21 succeeded")
    }

    /// A key of another curve put under the ACB's DS label while `serve` runs makes a request
    /// fail, and does not leave the token's session stuck in an unfinished signing operation:
    /// once the right key is back, the next request succeeds without a restart.
    @Test func aKeyOfAnotherCurveUnderTheACBsLabelDoesNotWedgeServe() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, keys) = try storeWithKeysInToken(token)
        defer { store.remove() }
        let devices = try #require(try store.run(["devices", "--filter", "no=dcc-acb", "--json"]).json()["devices"] as? [[String: Any]])
        let handovers = try devices.prefix(2).map { device in
            let request = try store.run(["duis", "request", "6.21", "--as", device["supplier"] as? String ?? "", "--device",
                                         device["id"] as? String ?? "", "--gno", "cadent"])
            try #require(request.exitCode == 0, "\(request.stderr)")
            return request.stdout
        }
        let serve = try ServeProcess(store: store, environment: token.environment)
        defer { serve.stop() }
        let p384 = token.root.appendingPathComponent("p384.pem").path
        try P384.Signing.PrivateKey().pemRepresentation.write(toFile: p384, atomically: true, encoding: .utf8)
        try token.deleteKey(labelled: "dcc-acb-ds")
        try token.importKey(p384, label: "dcc-acb-ds", id: "0D")
        let refused = try serve.post(handovers[0], to: "serviceS")
        #expect(refused.status == 503 && refused.body.contains("could not sign with 'dcc-acb-ds'"), "\(refused)")

        let original = token.root.appendingPathComponent("ds.pem").path
        try P256.Signing.PrivateKey(rawRepresentation: keys[0].scalar).pemRepresentation.write(toFile: original, atomically: true, encoding: .utf8)
        try token.deleteKey(labelled: "dcc-acb-ds")
        try token.importKey(original, label: "dcc-acb-ds", id: "0E")
        let answered = try serve.post(handovers[1], to: "serviceS")
        #expect(answered.body.contains("<sr:ResponseCode>I99</sr:ResponseCode>"), "\(answered)")
    }

    /// A console left open with a wrong PIN offers it to the token once, not at every load: an
    /// HSM locks its user PIN after a few wrong tries. OpenSC's PKCS#11 spy, between AnchorDesk
    /// and SoftHSM2, logs every call.
    @Test(.enabled(if: TUISmokeTests.tmux != nil, "tmux is not on PATH: the console test needs it (CI installs it)"))
    func aWrongPINIsOfferedToTheTokenOncePerProcess() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, _) = try storeWithKeysInToken(token)
        defer { store.remove() }
        let spy = "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so"
        try #require(FileManager.default.fileExists(atPath: spy), "OpenSC's pkcs11-spy.so is missing (CI installs opensc)")
        // A command that falls due: the console's loads then need the token.
        let scheduled = try store.run(handBack + ["--execute-at", "2026-11-26T00:00:00Z"], environment: token.environment)
        #expect(scheduled.exitCode == 0, "\(scheduled.stderr)")
        let wrongPIN = try token.makePINFile(named: "wrong-pin", holding: "1111-2222")
        let calls = token.root.appendingPathComponent("spy.log").path
        var environment = token.environment
        environment["ANCHORDESK_PKCS11_PIN_FILE"] = wrongPIN
        environment["ANCHORDESK_PKCS11_MODULE"] = spy
        environment["PKCS11SPY"] = SoftHSMToken.module
        environment["PKCS11SPY_OUTPUT"] = calls
        let session = TUISmokeTests.Session(tmux: try #require(TUISmokeTests.tmux))
        defer { session.kill() }
        try session.openConsole(store: store.path, environment: environment.map { "\($0.key)=\($0.value)" } + ["ANCHORDESK_NOW=2026-11-27T00:00:00Z"])
        _ = try session.waitFor(text: "due alerts were not processed")
        for _ in 0..<3 {
            try session.keys("R")
            Thread.sleep(forTimeInterval: 1)
        }
        _ = try session.waitFor(text: "due alerts were not processed")
        let logins = try String(contentsOfFile: calls, encoding: .utf8).components(separatedBy: "C_Login").count - 1
        #expect(logins == 1, "the wrong PIN was offered \(logins) times")
    }

    /// A PIN file that is a FIFO is refused at once as not a regular file, like a directory:
    /// opening it does not wait for a writer that never comes.
    @Test func aPINFileThatIsAFIFOIsRefusedAtOnce() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let (store, _) = try storeWithKeysInToken(token)
        defer { store.remove() }
        let before = try store.files()
        let fifo = token.root.appendingPathComponent("pin-fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let log = token.root.appendingPathComponent("stderr")
        #expect(FileManager.default.createFile(atPath: log.path, contents: nil))
        let errors = try FileHandle(forWritingTo: log)
        var running = try RunningAnchorDesk(handBack + ["--store", store.path],
                                            environment: token.environment.merging(["ANCHORDESK_PKCS11_PIN_FILE": fifo]) { $1 }, errors: errors)
        try errors.close()
        let deadline = Date().addingTimeInterval(30)
        while running.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            Issue.record("it was still waiting after 30 s: the PIN file was opened as a FIFO waits, for a writer")
        }
        running.finish()
        let stderr = try String(contentsOf: log, encoding: .utf8)
        #expect(running.process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.hasPrefix("error: ") && stderr.split(separator: "\n").count == 1 && stderr.contains("is not a regular file"), "\(stderr)")
        #expect(try store.files() == before)
    }

    /// A move cut short after the keys went into the token and before the vault recorded it
    /// (here: the files put back and the record removed, as a kill -9 there leaves them) is
    /// finished by running it again: the keys the token already holds are checked against
    /// their certificates and kept, not imported twice, and the files go.
    @Test func aMoveCutShortBeforeItsRecordIsFinishedByRunningItAgain() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let store = try DemoStore()
        defer { store.remove() }
        let files = Self.dccKeyFiles.map { store.path + "/" + $0 }
        let keys = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(try store.run(["cert", "move-to-token"], environment: token.environment).exitCode == 0)
        for (file, key) in zip(files, keys) {
            #expect(FileManager.default.createFile(atPath: file, contents: key, attributes: [.posixPermissions: 0o600]))
        }
        try FileManager.default.removeItem(atPath: store.path + "/smki/token-keys")

        let refused = try store.run(handBack, environment: token.environment)
        #expect(refused.exitCode == 3 && refused.stderr.contains("run 'anchordesk cert move-to-token'"), "\(refused.stderr)")
        let again = try store.run(["cert", "move-to-token", "--json"], environment: token.environment)
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(Set(try again.json()["deleted"] as? [String] ?? []) == Set(files), "\(again.stdout)")
        for file in files { #expect(!FileManager.default.fileExists(atPath: file), "\(file) is still there") }
        let labels = Self.dccKeyFiles.map { ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".key", with: "") }
        #expect(try token.privateKeys().map(\.label).sorted() == labels.sorted(), "a key was imported twice")
        let handedBack = try store.run(handBack, environment: token.environment)
        #expect(handedBack.exitCode == 0, "\(handedBack.stderr)")
    }

    /// A move refused because the token already holds keys under the DCC's labels leaves the
    /// token as it found it: it never removes a key it did not put there, a label held twice is
    /// refused before anything is imported, and the store's files stay.
    @Test func aRefusedMoveTakesNothingOutOfTheTokenItDidNotPutThere() throws {
        let token = try SoftHSMToken()
        defer { token.remove() }
        let other = try DemoStore()
        defer { other.remove() }
        let store = try DemoStore()
        defer { store.remove() }
        // Another store's ACB KA key is in the token already, put there by SoftHSM2's own tool.
        try token.importKey(other.path + "/smki/keys/dcc-acb-ka.key", label: "dcc-acb-ka", id: "0A")
        let refused = try store.run(["cert", "move-to-token"], environment: token.environment)
        #expect(refused.exitCode == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("already in the token") && refused.stderr.contains("nothing was moved"), "\(refused.stderr)")
        #expect(try token.privateKeys().map(\.label) == ["dcc-acb-ka"], "the token does not hold what it held before")

        // The ACB's DS label held twice: refused, and no third key is put beside the two.
        try token.importKey(other.path + "/smki/keys/dcc-acb-ds.key", label: "dcc-acb-ds", id: "0B")
        try token.importKey(other.path + "/smki/keys/dcc-acb-ds.key", label: "dcc-acb-ds", id: "0C")
        let twice = try store.run(["cert", "move-to-token"], environment: token.environment)
        #expect(twice.exitCode == 3 && twice.stderr.contains("more than one private key has that label"), "\(twice.stderr)")
        #expect(try token.privateKeys().map(\.label).sorted() == ["dcc-acb-ds", "dcc-acb-ds", "dcc-acb-ka"])
        for name in Self.dccKeyFiles { #expect(FileManager.default.fileExists(atPath: store.path + "/" + name), "\(name) was deleted") }
        #expect(try store.run(handBack).exitCode == 0, "the store no longer works with its own key files")
    }
}
