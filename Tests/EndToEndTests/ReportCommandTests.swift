import Foundation
import Testing

/// `anchordesk report` narrowed and summarised on the demo store: `--verdict`, `--reason`,
/// `--org` and `--sort`, the summary line, the counter-risk table's keyed action notes, and the
/// table fitted to a terminal's width (issue 28, item 2).
@Suite("Report filters, order, summary and notes")
struct ReportCommandTests {
    /// The rows of a report's JSON document.
    static func rows(_ store: DemoStore, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try store.run(["report"] + arguments + ["--json"])
        try #require(result.exitCode == 0, "\(arguments): \(result.stderr)")
        return try #require(try result.json()["rows"] as? [[String: Any]])
    }

    static func devices(_ rows: [[String: Any]]) -> [String] {
        rows.compactMap { $0["device"] as? String }
    }

    @Test func filtersKeepOnlyTheRowsTheyName() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let all = try Self.rows(store, ["post-commissioning"])
        func expected(_ keep: ([String: Any]) -> Bool) -> [String] { Self.devices(all.filter(keep)) }
        let nonCompliant = try Self.rows(store, ["post-commissioning", "--verdict", "non-compliant"])
        #expect(Self.devices(nonCompliant) == expected { $0["verdict"] as? String == "non-compliant" })
        #expect(nonCompliant.count == 7)
        let pending = try Self.rows(store, ["post-commissioning", "--verdict", "pending"])
        #expect(Self.devices(pending) == expected { $0["verdict"] as? String == "pending" } && pending.count == 4)
        let notUsers = try Self.rows(store, ["post-commissioning", "--reason", "gno-not-dcc-user"])
        #expect(Self.devices(notUsers) == expected { $0["reason"] as? String == "gno-not-dcc-user" } && notUsers.count == 3)
        for org in ["national-grid", "heron-energy"] {
            let kept = try Self.rows(store, ["post-commissioning", "--org", org])
            let wanted = expected { $0["supplier"] as? String == org || $0["heldAtDeadline"] as? String == org }
            #expect(!wanted.isEmpty && wanted.count < all.count, "--org \(org) keeps some rows, not all")
            #expect(Self.devices(kept) == wanted, "--org \(org)")
        }
        let both = try Self.rows(store, ["post-commissioning", "--verdict", "non-compliant", "--org", "kestrel-supply"])
        #expect(Self.devices(both) == expected {
            $0["verdict"] as? String == "non-compliant" && ($0["supplier"] as? String == "kestrel-supply" || $0["heldAtDeadline"] as? String == "kestrel-supply")
        })

        let risks = try Self.rows(store, ["counter-risk"])
        let above = try Self.rows(store, ["counter-risk", "--reason", "recorded-above-generated"])
        #expect(Self.devices(above) == Self.devices(risks.filter { $0["risk"] as? String == "recorded-above-generated" }) && above.count == 2)
        let nationalGrid = try Self.rows(store, ["counter-risk", "--org", "national-grid"])
        let wanted = risks.filter { $0["supplier"] as? String == "national-grid" || $0["formerNetworkOperator"] as? String == "national-grid" }
        #expect(!wanted.isEmpty && wanted.count < risks.count)
        #expect(Self.devices(nationalGrid) == Self.devices(wanted))
    }

    @Test func sortPutsTheRowsInTheOrderAsked() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let byDevice = try Self.rows(store, ["post-commissioning"])
        #expect(Self.devices(byDevice) == Self.devices(byDevice).sorted())
        let byVerdict = try Self.rows(store, ["post-commissioning", "--sort", "verdict"])
        let verdicts = byVerdict.compactMap { $0["verdict"] as? String }
        #expect(verdicts == Array(repeating: "non-compliant", count: 7) + Array(repeating: "pending", count: 4) + Array(repeating: "compliant", count: 202))
        #expect(Self.devices(Array(byVerdict.prefix(7))) == Self.devices(Array(byVerdict.prefix(7))).sorted(), "ties by device ID")
        let byDeadline = try Self.rows(store, ["post-commissioning", "--sort", "deadline"]).compactMap { $0["deadline"] as? String }
        let deadlinesByDevice = Self.devices(byDevice).isEmpty ? [] : byDevice.compactMap { $0["deadline"] as? String }
        #expect(byDeadline == byDeadline.sorted() && byDeadline != deadlinesByDevice)
        // CSV sorted by Supplier: the same rows, Supplier by Supplier.
        let csv = try store.run(["report", "post-commissioning", "--format", "csv", "--sort", "supplier"])
        let lines = csv.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.map { String($0[1]) } == lines.map { String($0[1]) }.sorted())
        #expect(Set(lines.map { String($0[0]) }) == Set(Self.devices(byDevice)) && lines.count == 213)

        let byRecorded = try Self.rows(store, ["counter-risk", "--sort", "recorded"])
        let counters = byRecorded.map { ($0["recordedCounter"] as? String).flatMap { UInt64($0) } }
        #expect(counters.prefix(2).allSatisfy { $0 != nil } && counters.dropFirst(2).allSatisfy { $0 == nil })
        #expect(counters[0]! > counters[1]!, "highest recorded counter first")
        let byRisk = try Self.rows(store, ["counter-risk", "--sort", "risk"]).compactMap { $0["risk"] as? String }
        #expect(byRisk == Array(repeating: "recorded-above-generated", count: 2) + Array(repeating: "no-recorded-counter", count: 92))
    }

    @Test func theSummaryIsOnStdoutForTheTableOnStderrForCSVAndInTheJSON() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let verdicts = "213 GPFs as of 2026-11-25T09:00:00Z: 202 compliant, 4 pending, 7 non-compliant"
        let reasons = "non-compliant: 2 gno-certificate-at-commissioning, 3 gno-not-dcc-user, 2 gno-certificate-not-in-repository"
        let table = try store.run(["report", "post-commissioning"])
        #expect(table.stdout.contains("\n\(verdicts)\n\(reasons)\n") && table.stderr.isEmpty, "\(table.stdout.suffix(600))")
        let csv = try store.run(["report", "post-commissioning", "--format", "csv"])
        #expect(csv.stderr == "\(verdicts)\n\(reasons)\n" && !csv.stdout.contains("GPFs as of"))
        let filtered = try store.run(["report", "post-commissioning", "--format", "csv", "--reason", "gno-not-dcc-user"])
        #expect(filtered.stderr == "3 GPFs as of 2026-11-25T09:00:00Z: 0 compliant, 0 pending, 3 non-compliant\nnon-compliant: 3 gno-not-dcc-user\n")
        let json = try store.run(["report", "post-commissioning", "--json"])
        #expect(json.stderr.isEmpty)
        let summary = try #require(try json.json()["summary"] as? [String: Any])
        #expect(summary["total"] as? Int == 213 && summary["compliant"] as? Int == 202 && summary["pending"] as? Int == 4 && summary["nonCompliant"] as? Int == 7)
        let reasonCounts = try #require(summary["reasons"] as? [String: Int])
        #expect(reasonCounts == ["gno-certificate-at-commissioning": 2, "gno-not-dcc-user": 3, "gno-certificate-not-in-repository": 2,
                                 "no-network-operator-certificate": 0])

        let risk = "94 GPFs at risk: 2 recorded-above-generated, 92 no-recorded-counter; the ACB's next generated counter is 48211"
        let riskTable = try store.run(["report", "counter-risk"])
        #expect(riskTable.stdout.hasSuffix("\n\(risk)\n") && riskTable.stderr.isEmpty)
        let riskCSV = try store.run(["report", "counter-risk", "--format", "csv"])
        #expect(riskCSV.stderr == risk + "\n" && !riskCSV.stdout.contains("at risk"))
        let none = try store.run(["report", "counter-risk", "--format", "csv", "--reason", "failed-hand-back"])
        #expect(none.stdout == "device,supplier,recordedCounter,nextGenerated,risk,formerNetworkOperator,action\n")
        #expect(none.stderr == "0 GPFs at risk; the ACB's next generated counter is 48211\n")
        let riskJSON = try store.run(["report", "counter-risk", "--json"])
        let document = try riskJSON.json()
        #expect(riskJSON.stderr.isEmpty && document["total"] as? Int == 94 && document["nextGenerated"] as? String == "48211")
        #expect(document["risks"] as? [String: Int] == ["recorded-above-generated": 2, "no-recorded-counter": 92, "scheduled-hand-back": 0,
                                                        "failed-hand-back": 0])
    }

    /// The same advice for 92 devices was a 200-character sentence on every row; now each row
    /// has a key and each distinct action, its device ID written DEVICE, is printed once.
    @Test func theCounterRiskTableGivesEachActionOnceAsAKeyedNote() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let rows = try Self.rows(store, ["counter-risk"])
        let result = try store.run(["report", "counter-risk"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init) == ["DEVICE", "SUPPLIER", "RECORDED", "RISK", "FORMER", "GNO", "ACTION"])
        let tableRows = lines[1...rows.count]
        let keys = tableRows.map { String($0.split(separator: " ").last ?? "") }
        #expect(keys.allSatisfy { $0.wholeMatch(of: /\[[0-9]+\]/) != nil }, "\(keys)")
        let notes = lines.filter { $0.hasPrefix("[") }
        #expect(Set(keys) == Set(notes.map { String($0.prefix { $0 != " " }) }), "every key has one note")
        #expect(notes.count == Set(notes).count)
        // The notes are the actions the JSON gives, each device ID generalised.
        var expectedNotes: [String] = []
        for row in rows {
            let text = (row["action"] as? String ?? "").replacingOccurrences(of: row["device"] as? String ?? "", with: "DEVICE")
            if !expectedNotes.contains(text) { expectedNotes.append(text) }
        }
        #expect(notes == expectedNotes.enumerated().map { "[\($0.offset + 1)] \($0.element)" })
        #expect(notes.count < 10, "92 rows share one recovery advice: \(notes.count) notes")
        #expect(result.stdout.components(separatedBy: "set a known floor first").count - 1 == notes.filter { $0.contains("set a known floor first") }.count)
        #expect(lines.contains("ACTION (DEVICE is the row's device ID):"))
        #expect(tableRows.allSatisfy { !$0.contains("recovery") }, "no action text is left in a row")
        #expect(tableRows.map(\.count).max()! < 120, "rows were 311 columns")
    }

    /// Runs a report on a pseudo-terminal (`script`), as a user at a terminal would.
    static func onTerminal(_ store: DemoStore, _ arguments: [String], columns: String) throws -> [String] {
        let command = ([AnchorDeskProcess.executable, "report"] + arguments + ["--store", store.path]).map { "'\($0)'" }.joined(separator: " ")
        let result = try AnchorDeskProcess.run([], environment: ["COLUMNS": columns], via: ["/usr/bin/script", "-q", "-e", "-c", command, "/dev/null"])
        #expect(result.exitCode == 0, "\(result.stdout)")
        return result.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
    }

    @Test func theTableFitsTheTerminalByLeavingOutWholeColumns() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let risk = try Self.onTerminal(store, ["counter-risk"], columns: "80")
        #expect(risk.allSatisfy { $0.count <= 80 || $0.hasPrefix("[") || $0.contains("GPFs at risk") }, "\(risk.filter { $0.count > 80 })")
        #expect(risk[0].hasPrefix("DEVICE") && !risk[0].contains("FORMER GNO") && risk[0].contains("RISK"))
        #expect(risk.contains { $0.hasPrefix("(FORMER GNO") && $0.contains("left out to fit 80 columns; --format csv has every column)") })
        let wide = try Self.onTerminal(store, ["counter-risk"], columns: "200")
        #expect(wide[0].contains("FORMER GNO") && !wide.contains { $0.contains("left out") })
        let post = try Self.onTerminal(store, ["post-commissioning"], columns: "120")
        let table = post.prefix { !$0.isEmpty && !$0.hasPrefix("(") }
        #expect(table.count == 214 && table.allSatisfy { $0.count <= 120 }, "\(table.filter { $0.count > 120 })")
        #expect(post.contains("(COMMISSIONED, NO CELL AT DEADLINE left out to fit 120 columns; --format csv has every column)"))
        // Not on a terminal, $COLUMNS changes nothing: a pipe takes lines whole.
        let piped = try store.run(["report", "post-commissioning"], environment: ["COLUMNS": "80"])
        #expect(piped.stdout.split(separator: "\n").first?.contains("COMMISSIONED") == true && !piped.stdout.contains("left out"))
    }

    @Test func badValuesAreRefusedWithOneLineAndNothingOnStdout() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let refusals: [([String], String)] = [
            (["post-commissioning", "--org", "nationalgrid"], "error: no organisation 'nationalgrid': did you mean 'national-grid'?"),
            (["post-commissioning", "--org", "nationalgrid", "--format", "csv"], "error: no organisation 'nationalgrid': did you mean 'national-grid'?"),
            (["post-commissioning", "--org", "nationalgrid", "--format", "json"], "error: no organisation 'nationalgrid': did you mean 'national-grid'?"),
            (["counter-risk", "--org", "National-Grid", "--format", "csv"], "error: no organisation 'National-Grid': did you mean 'national-grid'?"),
            (["counter-risk", "--org", "kestrel", "--sort", "supplier"], "error: no organisation 'kestrel': did you mean 'kestrel-supply'?"),
            (["post-commissioning", "--verdict", "late"],
             "error: The value 'late' is invalid for '--verdict <verdict>'. Please provide one of 'compliant', 'pending' or 'non-compliant'. (see 'anchordesk help')"),
            (["post-commissioning", "--reason", "recorded-above-generated"],
             "error: The value 'recorded-above-generated' is invalid for '--reason <reason>'. Please provide one of 'gno-certificate-at-commissioning', 'gno-not-dcc-user', 'gno-certificate-not-in-repository' or 'no-network-operator-certificate'. (see 'anchordesk help')"),
            (["counter-risk", "--reason", "gno-not-dcc-user"],
             "error: The value 'gno-not-dcc-user' is invalid for '--reason <reason>'. Please provide one of 'recorded-above-generated', 'no-recorded-counter', 'scheduled-hand-back' or 'failed-hand-back'. (see 'anchordesk help')"),
            (["post-commissioning", "--sort", "risk"],
             "error: The value 'risk' is invalid for '--sort <sort>'. Please provide one of 'device', 'supplier', 'deadline' or 'verdict'. (see 'anchordesk help')"),
            (["counter-risk", "--sort", "deadline"],
             "error: The value 'deadline' is invalid for '--sort <sort>'. Please provide one of 'device', 'supplier', 'risk' or 'recorded'. (see 'anchordesk help')"),
            (["post-commissioning", "--verdict", "compliant", "--reason", "gno-not-dcc-user"],
             "error: --reason gno-not-dcc-user keeps non-compliant rows only, and --verdict compliant none of those (see 'anchordesk help')"),
        ]
        let before = try store.files()
        for (arguments, line) in refusals {
            let result = try store.run(["report"] + arguments)
            #expect(result.exitCode == 2, "\(arguments): exit \(result.exitCode)")
            #expect(result.stderr == line + "\n", "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments) printed \(result.stdout.prefix(200))")
        }
        let json = try store.run(["report", "counter-risk", "--org", "nobody", "--json"])
        #expect(json.exitCode == 2)
        let error = try #require(try json.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "unknown-org" && error["message"] as? String == "no organisation 'nobody'")
        #expect(try store.files() == before, "a report changed the store")
    }
}

/// A report longer than many output blocks (each written by a thread of its own while the next
/// is made) comes out whole and in order: its CSV and JSON name the same devices in the same order.
@Suite("Report output written in blocks")
struct ReportBlocksTests {
    @Test func aReportOfManyBlocksComesOutWholeAndInOrder() throws {
        let store = try DemoStore()
        defer { store.remove() }
        #expect(try store.run(["init", "--estate", "10000", "--seed", "9", "--force"]).exitCode == 0)
        for report in [["post-commissioning", "--as-of", "2026-12-01"], ["counter-risk"]] {
            let csv = try store.run(["report"] + report + ["--format", "csv"])
            try #require(csv.exitCode == 0, "\(report): \(csv.stderr)")
            #expect(csv.stdout.utf8.count > 8 * 65_536, "\(report): the CSV spans many blocks")
            let csvDevices = csv.stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
            let json = try ReportCommandTests.rows(store, report)
            #expect(csvDevices.count > 1_000 && csvDevices == ReportCommandTests.devices(json), "\(report): the CSV's rows are the JSON's, in order")
            #expect(csvDevices == csvDevices.sorted(), "\(report): in device order")
        }
    }
}
