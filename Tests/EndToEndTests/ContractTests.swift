import AnchorCore
import Foundation
import Testing

/// The README and the reference it links (docs/REFERENCE.md) are the CLI's contract: every
/// subcommand the executable has is in the reference's command table with every option it
/// takes, and every rejection reason and outcome is named, so the two cannot drift apart.
@Suite("The README's command table matches the executable")
struct ContractTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let readmeOnly = (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    /// The contract: the README, then the reference it links.
    static let readme = readmeOnly + "\n" + ((try? String(contentsOf: root.appendingPathComponent("docs/REFERENCE.md"), encoding: .utf8)) ?? "")

    /// The command table's rows, with optional parts' brackets taken away (`alerts [list]` names `alerts list`).
    static let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `anchordesk") }
        .map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") }

    /// Options every command takes, documented once for all.
    static let common: Set<String> = ["--help", "--version", "--store", "--json", "--client-cert", "--client-key", "--ca"]

    /// `anchordesk PATH --help`, which must succeed.
    func help(_ path: [String]) throws -> String {
        let result = try AnchorDeskProcess.run(path + ["--help"])
        #expect(result.exitCode == 0, "\(path) --help: \(result.stderr)")
        return result.stdout
    }

    /// The names listed under SUBCOMMANDS in a help text.
    func subcommands(in help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  See ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
    }

    /// Every command that runs something, with its help text.
    func leaves(_ path: [String] = []) throws -> [(path: [String], help: String)] {
        let text = try help(path)
        let children = subcommands(in: text)
        if children.isEmpty { return [(path, text)] }
        return try children.flatMap { try leaves(path + [$0]) }
    }

    @Test func everySubcommandAndItsOptionsAreInTheCommandTable() throws {
        let leaves = try leaves()
        #expect(leaves.count >= 25, "the walk found \(leaves.count) commands")
        for (path, text) in leaves {
            let name = "`anchordesk " + path.joined(separator: " ")
            let mine = Self.rows.filter { $0.contains(name + " ") || $0.contains(name + "`") }
            #expect(!mine.isEmpty, "\(path.joined(separator: " ")) is not in the README's command table")
            let options = Set(text.components(separatedBy: "OPTIONS:").dropFirst().joined()
                .matches(of: /--[a-z][a-z0-9-]+/).map { String($0.output) })
            for option in options.subtracting(Self.common).sorted() where !mine.contains(where: { $0.contains(option) }) {
                Issue.record("\(path.joined(separator: " ")) takes \(option), which its README row does not mention")
            }
        }
    }

    /// Issue 28, item 7: someone holding only the binary reaches `init --demo` and the console
    /// within the README's first screenful, and the README links the reference.
    @Test func theReadmeStartsWithAQuickStartAndLinksTheReference() throws {
        let firstScreen = Self.readmeOnly.split(separator: "\n", omittingEmptySubsequences: false).prefix(24).joined(separator: "\n")
        #expect(firstScreen.contains("## Quick start"))
        #expect(firstScreen.contains("\nanchordesk init --demo --store /tmp/demo "))
        #expect(firstScreen.contains("\nanchordesk --store /tmp/demo "))
        #expect(firstScreen.contains("[docs/REFERENCE.md](docs/REFERENCE.md)"))
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("docs/REFERENCE.md").path))
        #expect(!Self.readmeOnly.contains("| `anchordesk request"), "the command table is in docs/REFERENCE.md")
        // The two set-up commands stay, exactly (CI runs the second).
        #expect(Self.readmeOnly.contains("\nswift run anchordesk    # opens the console on the bundled demo data"))
        #expect(Self.readmeOnly.contains("\nswift test              # runs the tests\n"))
        // Every docs/ link in the README names a file that exists.
        for link in Self.readmeOnly.matches(of: /\]\((docs\/[A-Z-]+\.md)/) {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(String(link.output.1)).path), "\(link.output.1)")
        }
    }

    @Test func everyOutcomeAndReasonIsNamed() {
        for reason in RejectionReason.allCases where !Self.readme.contains("`\(reason.rawValue)`") {
            Issue.record("the README does not name the reason \(reason.rawValue)")
        }
        for outcome in ["succeeded", "rejected", "scheduled"] where !Self.readme.contains("`\(outcome)`") {
            Issue.record("the README does not name the outcome \(outcome)")
        }
        for code in 0...4 { #expect(Self.readme.contains("`\(code)`"), "exit code \(code)") }
    }

    /// Errors come as JSON under `--json`, from every command: each leaf command, given a store
    /// that does not exist (or arguments it cannot parse), prints exactly one JSON document on
    /// stdout, `{"error": {"code", "message"}}`, and one `error:` line on stderr.
    @Test func everyCommandThatFailsPrintsOneJSONErrorDocumentWithJSON() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-none-\(UUID().uuidString)").path
        for (path, _) in try leaves() {
            let result = try AnchorDeskProcess.run(path + ["--json", "--store", missing])
            let name = path.joined(separator: " ")
            #expect(result.exitCode == 2 || result.exitCode == 3, "\(name): exit \(result.exitCode)")
            let error = (try? result.json())?["error"] as? [String: Any]
            #expect(error?["code"] is String && error?["message"] is String, "\(name): stdout \(result.stdout)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        }
    }
}
