import AnchorCore
import Crypto
import Foundation
import Testing
@testable import anchordesk

/// Text from an attacker never reaches a terminal, a spreadsheet or a script as control
/// (issue 27, cases 3, 4 and 5): arguments, errors and the audit export are display-safe, JSON
/// stays JSON, CSV cells are neutralised, and `init --from` takes only slug organisation IDs.
@Suite("End to end: hostile text")
struct HostileTextTests {
    /// The argument: an OSC 52 clipboard write, BEL, a screen clear, a C1 CSI and a right-to-left override.
    static let hostile = "\u{1B}]52;c;cHduZWQ=\u{07}\u{1B}[2J\u{9B}31m\u{202E}"
    let device = "00-DB-12-01-73-F7-8B-92"

    /// Whether `text` holds nothing a terminal would act on (line feeds apart).
    private func isDisplaySafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0 != "\n" && DisplaySafeText.isUnsafe($0) }
    }

    @Test func hostileArgumentsAreEchoedDisplaySafeAndJSONStaysJSON() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let h = Self.hostile
        let commands: [[String]] = [
            ["org", "show", h], ["cert", "show", h], ["org", "subscribe", h], ["org", "cease", h], ["org", "revoke", h],
            ["request", "6.15.1", "--as", h, "--device", device, "--cert", "acb"],
            ["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", h],
            ["duis", "request", "6.21", "--as", "heron-energy", "--device", device, "--gno", h],
        ]
        for command in commands {
            for json in [false, true] {
                let result = try store.run(command + (json ? ["--json"] : []))
                #expect(result.exitCode == 2, "\(command): \(result.stderr)")
                #expect(isDisplaySafe(result.stdout) && isDisplaySafe(result.stderr), "\(command) echoed control characters: \(Array(result.stderr.utf8))")
                #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
                if json {
                    let error = try #require(try result.json()["error"] as? [String: Any], "\(command)")
                    #expect(error["message"] is String)
                }
            }
        }
        let path = store.root.appendingPathComponent(h).path
        for json in [false, true] {
            let result = try AnchorDeskProcess.run(["devices", "--store", path] + (json ? ["--json"] : []))
            #expect(result.exitCode == 3)
            #expect(isDisplaySafe(result.stdout) && isDisplaySafe(result.stderr), "the --store path reached the terminal raw")
            #expect(result.stderr.contains("\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2J\\u009b31m\\u202e"), "\(result.stderr)")
            if json { _ = try result.json() }
        }
    }

    @Test func theAuditExportEscapesARecoveryReasonsOverrideAndStaysCheckable() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let reason = "flood \u{202E}dlrow olleh\u{202C} \u{85}end"
        let recovery = try store.run(["recovery", "--filter", "no=fenland-pipelines", "--replace-with", "acb", "--reason", reason, "--yes"])
        #expect(recovery.exitCode == 0, "\(recovery.stderr)")
        #expect(isDisplaySafe(recovery.stdout) && isDisplaySafe(recovery.stderr))
        let export = try store.run(["audit", "export"])
        #expect(export.exitCode == 0)
        #expect(isDisplaySafe(export.stdout), "audit export printed a bidi override or C1 control raw")
        var checked = 0
        for line in export.stdout.split(separator: "\n").map(String.init) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let record = try #require(object["record"] as? [String: Any])
            if let recoveryDetails = record["recovery"] as? [String: Any] {
                #expect(recoveryDetails["reason"] as? String == reason)
            }
            // As the export's help says: the record's text, with those escapes turned back, is what was hashed.
            let recordText = try #require(line.range(of: ",\"record\":").map { String(line[$0.upperBound...].dropLast()) })
            let hashed = Self.unescapingDisplayEscapes(recordText)
            let sequence = try #require(object["sequence"] as? String)
            let kind = try #require(object["kind"] as? String)
            let previous = try #require(object["previousHash"] as? String)
            let digest = SHA256.hash(data: Array("anchordesk-audit-1\n\(sequence)\n\(kind)\n\(previous)\n".utf8) + Array(hashed.utf8))
            #expect(digest.map { String(format: "%02x", $0) }.joined() == object["hash"] as? String, "entry \(sequence)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    /// Undoes the `\uXXXX` escapes the export adds for display safety (and no others: a JSON
    /// escape the store itself wrote, such as `\u001b` or `\\`, is part of the hashed record).
    private static func unescapingDisplayEscapes(_ text: String) -> String {
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let next = scalars.first else {
                result.unicodeScalars.append(scalar)
                continue
            }
            if next == "u", scalars.count >= 5, let value = UInt32(String(String.UnicodeScalarView(scalars.dropFirst().prefix(4))), radix: 16),
               let escaped = Unicode.Scalar(value), value >= 0x7F, DisplaySafeText.isUnsafe(escaped) {
                result.unicodeScalars.append(escaped)
                scalars = scalars.dropFirst(5)
            } else {
                result.unicodeScalars.append(scalar)
                result.unicodeScalars.append(next)
                scalars = scalars.dropFirst()
            }
        }
        return result
    }

    @Test func csvCellsAFormulaCouldStartWithAreNeutralised() {
        var bytes: [UInt8] = []
        ReportFormat.appendCSVLine(["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a,b", "00-DB-12-01-73-F7-8B-92"], to: &bytes)
        let line = String(decoding: bytes, as: UTF8.self)
        #expect(line == "'=cmd|' /C calc'!A0,'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",plain,\"a,b\",00-DB-12-01-73-F7-8B-92")
    }

    @Test func csvFieldsWithQuotesAreQuotedAndTheirQuotesDoubled() {
        var bytes: [UInt8] = []
        ReportFormat.appendCSVLine(["say \"hi\", ok", "\"", "\"\"x\"", "no quote, but a comma", "line\nbreak", "plain"], to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self)
            == "\"say \"\"hi\"\", ok\",\"\"\"\",\"\"\"\"\"x\"\"\",\"no quote, but a comma\",\"line\nbreak\",plain")
    }

    /// `init --from` a copy of the demo data with one ID replaced everywhere it is written.
    static func initFrom(replacing id: String, with hostile: String) throws -> (result: AnchorDeskProcess.Result, created: Bool) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["organisations.json", "certificates.json", "devices.json"] {
            let text = try String(contentsOfFile: AnchorDeskProcess.demoData + "/" + name, encoding: .utf8)
            try text.replacingOccurrences(of: "\"\(id)\"", with: "\"\(hostile)\"")
                .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let storePath = root.appendingPathComponent("store").path
        let result = try AnchorDeskProcess.run(["init", "--from", folder.path, "--store", storePath])
        return (result, FileManager.default.fileExists(atPath: storePath + "/snapshot.json"))
    }

    @Test func initFromRefusesAnOrganisationIDThatIsNotASlug() throws {
        let (result, created) = try Self.initFrom(replacing: "national-grid", with: "=cmd|' /C calc'!A0")
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.contains("organisations[") && result.stderr.contains("is not an organisation ID"), "\(result.stderr)")
        #expect(!created, "a store was created")
    }

    /// A certificate ID is written where an organisation's is (and was bound into a query as
    /// part of an array literal, where a quote or comma changed which certificates it named).
    @Test(arguments: ["harbour-ds\\\",\\\"sgn-ds", "wales\\\\west-ds", "Cadent-DS", ""])
    func initFromRefusesACertificateIDThatIsNotASlug(hostile: String) throws {
        let (result, created) = try Self.initFrom(replacing: "national-grid-ds", with: hostile)
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.contains("certificates[") && result.stderr.contains("is not a certificate ID"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!created, "a store was created")
    }
}
