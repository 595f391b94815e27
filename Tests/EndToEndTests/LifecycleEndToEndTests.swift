import Foundation
import Testing

/// National Grid's departure, Recovery Events, reports and the audit trail, through the executable.
@Suite("End to end: organisation lifecycle, recovery, reports, audit")
struct LifecycleEndToEndTests {
    let handedBackDevice = "00-DB-12-01-73-F7-8B-92"  // National Grid's, supplier Heron Energy

    @Test func nationalGridDeparts() throws {
        let store = try DemoStore()
        defer { store.remove() }

        let refused = try store.run(["org", "cease", "national-grid", "--json"])
        #expect(refused.exitCode == 1, "\(refused.stderr)")
        let refusal = try refused.json()
        #expect(refusal["reason"] as? String == "certificates-on-devices")
        #expect(refusal["devicesHoldingCertificates"] as? Int == 60)
        #expect(refusal["listDevices"] as? String == "anchordesk devices --filter no=national-grid")

        let handBack = try store.run(["org", "cease", "national-grid", "--hand-back", "--json"])
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        let lines = handBack.stdout.split(separator: "\n")
        #expect(lines.count == 61)
        let cease = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        #expect(cease["action"] as? String == "cease")
        #expect(cease["outcome"] as? String == "succeeded")
        #expect(try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["total"] as? Int == 0)
        // The 60 hand-backs, and the 2 National Grid devices whose counters history.json recorded.
        #expect(try store.run(["devices", "--filter", "counter", "--json"]).json()["total"] as? Int == 62)

        let revoke = try store.run(["org", "revoke", "national-grid", "--json"])
        #expect(revoke.exitCode == 0, "\(revoke.stderr)")
        #expect(try revoke.json()["certificates"] as? [String] == ["national-grid-ds", "national-grid-ka"])

        let subscribe = try store.run(["org", "subscribe", "national-grid", "--json"])
        #expect(subscribe.exitCode == 1)
        #expect(try subscribe.json()["reason"] as? String == "no-further-subscription")

        let show = try store.run(["org", "show", "national-grid", "--json"]).json()
        #expect(show["dccUser"] as? Bool == false)
        #expect(show["revocationRequested"] as? Bool == true)
        #expect(show["devicesHoldingCertificates"] as? Int == 0)
        #expect((show["lifecycle"] as? [[String: Any]])?.map { $0["action"] as? String } == ["cease", "cease", "revoke", "subscribe"])

        let forNationalGrid = try store.run(["request", "6.21", "--as", "heron-energy", "--device", handedBackDevice, "--gno", "national-grid", "--json"])
        #expect(forNationalGrid.exitCode == 1)
        #expect(try forNationalGrid.json()["reason"] as? String == "gno-not-dcc-user")
        let forCadent = try store.run(["request", "6.21", "--as", "heron-energy", "--device", handedBackDevice, "--gno", "cadent", "--json"])
        #expect(forCadent.exitCode == 0, "\(forCadent.stderr)")
        #expect(try forCadent.json()["outcome"] as? String == "succeeded")

        let verify = try store.run(["audit", "verify", "--json"])
        #expect(verify.exitCode == 0, "\(verify.stderr)")
        #expect(try verify.json()["entries"] as? Int == 66)
        let export = try store.run(["audit", "export"])
        #expect(export.stdout.split(separator: "\n").count == 66)
    }

    @Test func aRecoveryEventRecordsTheFloorSoTheHandoverSucceeds() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let recovery = try store.run(["recovery", "--filter", "no=national-grid", "--replace-with", "acb",
                                      "--reason", "SMKI PMA Recovery Event (Cadent area)", "--new-floor", "0", "--yes", "--json"])
        #expect(recovery.exitCode == 0, "\(recovery.stderr)")
        let records = try recovery.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(records.count == 60)
        #expect(records.allSatisfy { $0["service"] as? String == "recovery" && $0["outcome"] as? String == "succeeded" })
        #expect((records.first?["recovery"] as? [String: Any])?["previousHolder"] as? String == "national-grid")
        let history = try store.run(["counters", handedBackDevice, "--json"]).json()
        #expect(history["recordedCounter"] as? String == "0")
        #expect((history["history"] as? [[String: Any]])?.first?["service"] as? String == "recovery")
        let handover = try store.run(["request", "6.21", "--as", "heron-energy", "--device", handedBackDevice, "--gno", "cadent", "--json"])
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        // A rerun finds nothing left to do.
        let rerun = try store.run(["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "again", "--yes"])
        #expect(rerun.exitCode == 0)
        #expect(rerun.stdout.contains("0 of 0 sent"))
    }

    /// Issue 12: right after `init --demo`, on the clock it ran on or the real one, the reports
    /// show every verdict, every reason and both counter risks.
    @Test("the demo shows every verdict and both counter risks", arguments: ["2026-11-25T09:00:00Z", ""])
    func theDemoShowsEveryVerdict(clock: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-verdicts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = root.appendingPathComponent("store").path
        let environment = ["ANCHORDESK_NOW": clock]
        #expect(try AnchorDeskProcess.run(["init", "--demo", "--store", store], environment: environment).exitCode == 0)
        let report = try AnchorDeskProcess.run(["report", "post-commissioning", "--json", "--store", store], environment: environment).json()
        let rows = try #require(report["rows"] as? [[String: Any]])
        func count(_ verdict: String, _ reason: String? = nil) -> Int {
            rows.filter { $0["verdict"] as? String == verdict && (reason == nil || $0["reason"] as? String == reason) }.count
        }
        #expect(count("compliant") == 202)
        #expect(count("pending") == 4)
        #expect(count("non-compliant", "gno-certificate-at-commissioning") == 2)
        #expect(count("non-compliant", "gno-not-dcc-user") == 3)
        #expect(count("non-compliant", "gno-certificate-not-in-repository") == 2)
        #expect(count("non-compliant") == 7)

        let risks = try AnchorDeskProcess.run(["report", "counter-risk", "--json", "--store", store], environment: environment).json()
        let riskRows = try #require(risks["rows"] as? [[String: Any]])
        #expect(riskRows.filter { $0["risk"] as? String == "recorded-above-generated" }.count == 2)
        #expect(riskRows.filter { $0["risk"] as? String == "no-recorded-counter" }.count == 92)
        #expect(try AnchorDeskProcess.run(["audit", "verify", "--store", store]).stdout.contains("7 older records predate the audit trail"))
    }

    @Test func reportsMatchHandComputedExpectations() throws {
        let store = try DemoStore()
        defer { store.remove() }
        // 00-DB-12-01-73-F7-8B-92 was commissioned 2021-08-18T16:30:00Z with National Grid's certificates.
        let early = try store.run(["report", "post-commissioning", "--as-of", "2021-08-20", "--json"]).json()
        let earlyRows = try #require(early["rows"] as? [[String: Any]])
        let pending = try #require(earlyRows.first { $0["device"] as? String == handedBackDevice })
        #expect(pending["verdict"] as? String == "pending")
        #expect(pending["deadline"] as? String == "2021-08-25T16:30:00Z")
        #expect(pending["heldAtDeadline"] is NSNull)
        #expect(early["asOf"] as? String == "2021-08-20T23:59:59Z")

        let now = try store.run(["report", "post-commissioning", "--json"]).json()
        let rows = try #require(now["rows"] as? [[String: Any]])
        #expect(rows.count == 213)  // every demo GPF, all commissioned before 2026-11-25
        let row = try #require(rows.first { $0["device"] as? String == handedBackDevice })
        #expect(row["verdict"] as? String == "compliant")
        #expect(row["heldAtDeadline"] as? String == "national-grid")
        let totals = try #require(now["totals"] as? [[String: Any]])
        #expect(totals.map { $0["supplier"] as? String } == ["brightwater-gas", "heron-energy", "kestrel-supply"])
        #expect(totals.compactMap { $0["total"] as? Int }.reduce(0, +) == 213)

        // Streamed JSON with no rows is still one document, as a built one was.
        let before = try store.run(["report", "post-commissioning", "--as-of", "2000-01-01", "--json"])
        #expect(before.stdout.contains("\"rows\": [],\n  \"totals\": [],\n  \"summary\": {\n    \"total\": 0,"), "\(before.stdout)")
        #expect((try before.json()["rows"] as? [Any])?.isEmpty == true)

        let csv = try store.run(["report", "post-commissioning", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").first == "device,supplier,commissionedAt,deadline,heldAtDeadline,verdict,reason")
        #expect(csv.stdout.split(separator: "\n").count == 214)

        // 80 as manufactured, 8 in NGN's area and 4 commissioned days ago hold the ACB's certificate
        // with no recorded counter; 2 that National Grid handed back in 2022 have one above the ACB's.
        let fresh = try store.run(["report", "counter-risk", "--json"]).json()
        #expect(fresh["total"] as? Int == 94)
        #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", handedBackDevice, "--cert", "acb"]).exitCode == 0)
        let risk = try store.run(["report", "counter-risk", "--json"]).json()
        let handedBack = try #require((risk["rows"] as? [[String: Any]])?.first { $0["device"] as? String == handedBackDevice })
        #expect(handedBack["risk"] as? String == "recorded-above-generated")
        #expect(handedBack["recordedCounter"] as? String == "1647302400000001")
        #expect(handedBack["nextGenerated"] as? String == "48211")
        #expect(handedBack["formerNetworkOperator"] as? String == "national-grid")
    }

    @Test func oneChangedByteMakesAuditVerifyFailAtThatEntry() throws {
        let store = try DemoStore()
        defer { store.remove() }
        for device in ["00-DB-12-01-73-F7-8B-92", "00-DB-12-02-2F-AE-E4-4E", "00-DB-12-07-96-DC-E0-B1"] {
            #expect(try store.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"]).exitCode == 0)
        }
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
        let path = store.path + "/journal.jsonl"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let secondLine = try #require(bytes.firstIndex(of: UInt8(ascii: "\n"))) + 1
        // "the device replaced 2 certificate(s)" in the second record's detail becomes "... 3 ...".
        let needle = Array("replaced 2".utf8)
        let target = try #require((secondLine..<bytes.count).first { Array(bytes[$0..<min($0 + needle.count, bytes.count)]) == needle }) + 9
        bytes[target] = UInt8(ascii: "3")
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let result = try store.run(["audit", "verify", "--json"])
        #expect(result.exitCode == 3)
        let error = try #require(try result.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "audit-broken")
        #expect(error["entry"] as? String == "2")
        #expect(error["offset"] as? Int == secondLine)
        #expect(result.stderr.hasPrefix("error: audit entry 2 (") && result.stderr.split(separator: "\n").count == 1)
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let refusals: [([String], String)] = [
            (["org", "show", "nobody"], "no organisation 'nobody'"),
            (["org", "cease", "nobody"], "no organisation 'nobody'"),
            (["org", "revoke", "dcc-acb"], "only Suppliers and Network Operators"),
            (["org", "cease", "heron-energy", "--hand-back"], "--hand-back is for Network Operators"),
            (["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", " ", "--yes"], "--reason"),
            (["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "x"], "--yes"),
            (["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "x", "--json"], "--json needs --yes"),
            (["recovery", "--filter", "no=national-grid", "--replace-with", "nothing", "--reason", "x", "--yes"], "no certificate 'nothing'"),
            (["recovery", "--filter", "colour=red", "--replace-with", "acb", "--reason", "x", "--yes"], "unknown filter key"),
            (["recovery", "--filter", "no=national-grid", "--replace-with", "acb", "--reason", "x", "--new-floor=-1", "--yes"], "is not a counter"),
            (["report", "post-commissioning", "--as-of", "yesterday"], "is not YYYY-MM-DD"),
            (["report", "counter-risk", "--format", "pdf"], "pdf"),
        ]
        for (arguments, text) in refusals {
            let before = try store.files()
            let result = try store.run(arguments)
            #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
            #expect(try store.files() == before, "\(arguments) changed the store")
        }
        let missing = try AnchorDeskProcess.run(["audit", "verify", "--store", store.root.path + "/missing"])
        #expect(missing.exitCode == 3)
    }
}
