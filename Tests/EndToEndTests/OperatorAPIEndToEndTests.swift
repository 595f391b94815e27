import AnchorStore
import DUISServer
import Foundation
import Testing

/// The National Grid → Cadent story from operators' machines through the DSP's operator API:
/// each machine holds only its User's keys, its operator certificate and the CA; `serve` holds
/// the store and the DCC's keys.
@Suite(.serialized) struct OperatorAPIEndToEndTests {
    @Test func theStoryRunsFromOperatorsMachinesThroughTheOperatorAPI() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let device = try Self.device(heldBy: "national-grid", suppliedBy: "heron-energy", in: store)
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let cadent = try OperatorMachine("cadent", of: store)
        let heron = try OperatorMachine("heron-energy", of: store)

        let handBack = try nationalGrid.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb", "--json"], dsp)
        #expect(handBack.exitCode == 0, "\(handBack.stderr)")
        #expect(try handBack.json()["outcome"] as? String == "succeeded")
        let recorded = try #require((try handBack.json()["originatorCounter"] as? String).flatMap { UInt64($0) })

        // Cadent's operator cannot act for National Grid, whatever keys it holds.
        let refused = try cadent.run(["request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"], dsp)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("may not act for national-grid"), "\(refused.stderr)")

        let handover = try heron.run(["request", "6.21", "--as", "heron-energy", "--device", device, "--gno", "cadent", "--json"], dsp)
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        #expect(try handover.json()["outcome"] as? String == "succeeded")
        let counter = try #require((try handover.json()["originatorCounter"] as? String).flatMap { UInt64($0) })
        #expect(counter > recorded)

        // The DSP's own view: Cadent now holds the device's Network Operator cell.
        let shown = try store.run(["device", "show", device, "--json"]).json()
        #expect((shown["networkOperatorCell"] as? [String: Any])?["owner"] as? String == "cadent")

        // The operator's machine reads the device, its counters and its requests as the DSP shows them, in the same JSON.
        for read in [["device", "show", device], ["counters", device], ["requests", "--device", device]] {
            let remote = try cadent.run(read + ["--json"], dsp)
            #expect(remote.exitCode == 0, "\(remote.stderr)")
            #expect(remote.stdout == (try store.run(read + ["--json"])).stdout, "\(read)")
        }
        #expect(try cadent.run(["requests", "--device", device], dsp).stdout.contains("6.21"))
        // Both reports, read by the DSP with the filters asked for: the same output and exit code.
        for report in [
            ["report", "counter-risk", "--json"], ["report", "counter-risk", "--org", "heron-energy", "--format", "csv"],
            ["report", "post-commissioning", "--as-of", "2026-11-30", "--json"], ["report", "post-commissioning", "--verdict", "non-compliant"],
            ["report", "counter-risk", "--org", "heron-enrgy", "--json"],
        ] {
            let remote = try cadent.run(report, dsp)
            let local = try store.run(report)
            #expect(remote.exitCode == local.exitCode && remote.stdout == local.stdout && remote.stderr == local.stderr, "\(report): \(remote.stderr)")
        }
        // The whole request log and the audit check, made by the DSP: the same output.
        for read in [["requests", "--json"], ["requests"], ["audit", "verify", "--json"]] {
            let remote = try cadent.run(read, dsp)
            #expect(remote.exitCode == 0, "\(read): \(remote.stderr)")
            #expect(remote.stdout == (try store.run(read)).stdout, "\(read)")
        }
        // An entry altered on the DSP's disk: the check through the API fails as at the DSP, naming the file but not where it is.
        let journal = store.path + "/journal.jsonl"
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        let altered = try #require(text.range(of: "\"outcome\":\"succeeded\""))
        try text.replacingCharacters(in: altered, with: "\"outcome\":\"rejected\"").write(toFile: journal, atomically: false, encoding: .utf8)
        let broken = try cadent.run(["audit", "verify"], dsp)
        #expect(broken.exitCode == 3 && broken.stderr.hasPrefix("error: audit entry ") && broken.stderr.contains("(journal.jsonl byte "), "\(broken.stderr)")
        #expect(!broken.stderr.contains(store.path))
        try text.write(toFile: journal, atomically: false, encoding: .utf8)

        // Each request names the operator that sent it, in the log and in the audit chain, through a compaction.
        let logged = try store.run(["requests", "--device", device, "--json"]).json()["requests"] as? [[String: Any]] ?? []
        let operators = logged.suffix(2).map { $0["operator"] as? String }
        #expect(operators == ["CN=national-grid,O=AnchorDesk demo operators", "CN=heron-energy,O=AnchorDesk demo operators"], "\(logged.suffix(2))")
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
        let compacted = try store.run(["store", "compact"])
        #expect(compacted.exitCode == 0, "\(compacted.stderr)")
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
        #expect(try store.run(["requests", "--device", device, "--json"]).stdout.contains("\"operator\": \"CN=heron-energy"))
    }

    /// README's "scheduled departure" from operators' machines: National Grid's bulk hand-back,
    /// future-dated and signed on its own machine, gives the same requests a bulk run at the DSP
    /// gives; once midnight has passed, Kestrel's SRV6.21 places Cadent above the recorded counter.
    @Test func theScheduledDepartureRunsFromOperatorsMachines() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let atTheDSP = try DemoStore()
        defer { atTheDSP.remove() }
        var dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let cadent = try OperatorMachine("cadent", of: store)
        let handBack = ["bulk", "6.15.1", "--as", "national-grid", "--filter", "no=national-grid", "--cert", "acb",
                        "--execute-at", "2026-12-01T00:00:00Z", "--group-size", "7"]

        // Cadent's operator may not hand back National Grid's devices: refused before anything is planned.
        let refused = try cadent.run(handBack, dsp)
        #expect(refused.exitCode == 1 && refused.stderr.contains("may not act for national-grid"), "\(refused.stderr)")
        #expect(try store.requestsSinceInit().isEmpty)

        let remote = try nationalGrid.run(handBack + ["--json"], dsp)
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        let local = try atTheDSP.run(handBack + ["--json"], environment: ["ANCHORDESK_KEYS": atTheDSP.path + "/demo-user-keys"])
        #expect(local.exitCode == 0, "\(local.stderr)")
        // The same requests, line for line, but for the operator each remote one names.
        func lines(_ output: String) throws -> [[String: String]] {
            try output.split(separator: "\n").map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return object.mapValues { "\($0)" }
            }
        }
        let remoteLines = try lines(remote.stdout)
        #expect(remoteLines.count > 40)
        #expect(remoteLines.allSatisfy { $0["outcome"] == "scheduled" && $0["operator"] == "CN=national-grid,O=AnchorDesk demo operators" })
        #expect(remoteLines.map { $0.filter { $0.key != "operator" } } == (try lines(local.stdout)))

        // A rerun sends nothing twice.
        let rerun = try nationalGrid.run(handBack, dsp)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("0 of 0 sent") && rerun.stdout.contains("\(remoteLines.count) already done"), "\(rerun.stdout)")
        #expect(rerun.stderr.contains("already hold a scheduled command and are skipped"), "\(rerun.stderr)")

        // Midnight has passed: the devices execute it, and the DSP records each counter from its alert.
        dsp.stop()
        dsp = try OperatorDSP(store: store, now: "2026-12-01T00:05:00Z")
        let device = try #require(remoteLines.first?["device"])
        let supplier = try #require(try store.run(["device", "show", device, "--json"]).json()["supplier"] as? String)
        let handover = try OperatorMachine(supplier, of: store).run(
            ["request", "6.21", "--as", supplier, "--device", device, "--gno", "cadent", "--json"], dsp)
        #expect(handover.exitCode == 0, "\(handover.stderr)")
        let scheduled = try #require(remoteLines.first?["originatorCounter"].flatMap { UInt64($0) })
        let counter = try #require((try handover.json()["originatorCounter"] as? String).flatMap { UInt64($0) })
        #expect(counter > scheduled)

        // National Grid's devices all hold the ACB now: the DCC's operator ceases it and revokes
        // its certificates from its own machine; National Grid's operator may do neither.
        let refusedCease = try nationalGrid.run(["org", "cease", "national-grid"], dsp)
        #expect(refusedCease.exitCode == 1 && refusedCease.stderr.contains("may not take the DCC's actions"), "\(refusedCease.stderr)")
        let dcc = try OperatorMachine("dcc", of: store)
        for action in ["cease", "revoke"] {
            let done = try dcc.run(["org", action, "national-grid", "--json"], dsp)
            #expect(done.exitCode == 0, "\(done.stderr)")
            #expect(try done.json()["outcome"] as? String == "succeeded")
            #expect(try done.json()["operator"] as? String == "CN=dcc,O=AnchorDesk demo operators")
        }
        let again = try dcc.run(["org", "revoke", "national-grid"], dsp)
        #expect(again.exitCode == 0 && again.stdout.contains("nothing to do"), "\(again.stdout)")
        // The records keep the operator through a compaction, in the audit chain.
        dsp.stop()
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
        #expect(try store.run(["store", "compact"]).exitCode == 0)
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
        let exported = try store.run(["audit", "export"]).stdout
        #expect(exported.split(separator: "\n").filter { $0.contains("\"kind\":\"lifecycle\"") && $0.contains("\"operator\":\"CN=dcc,") }.count == 2,
                "\(exported.suffix(600))")
    }

    /// A future-dated SRV6.15.1 and its cancellation from the GNO's own machine: the DSP drafts the
    /// request with its ExecutionDateTime, the pre-command this machine signs carries it, and the
    /// requests are the ones a run at the DSP records; a time the DSP's clock has passed is refused
    /// as at the DSP, with nothing recorded.
    @Test func aFutureDatedHandBackAndItsCancellationRunFromTheGNOsMachine() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let atTheDSP = try DemoStore()
        defer { atTheDSP.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let device = try #require(try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]])
            .first?["id"] as? String
        let request = ["request", "6.15.1", "--as", "national-grid", "--device", try #require(device), "--cert", "acb", "--json"]
        let local = ["ANCHORDESK_KEYS": atTheDSP.path + "/demo-user-keys"]
        func withoutOperator(_ result: AnchorDeskProcess.Result) throws -> [String: String] {
            try result.json().filter { $0.key != "operator" }.mapValues { "\($0)" }
        }

        let past = try nationalGrid.run(request + ["--execute-at", "2020-01-01T00:00:00Z"], dsp)
        let pastAtTheDSP = try atTheDSP.run(request + ["--execute-at", "2020-01-01T00:00:00Z"], environment: local)
        #expect(past.exitCode == pastAtTheDSP.exitCode && past.exitCode != 0, "\(past.stderr)")
        #expect(past.stderr.contains("is not after now"), "\(past.stderr) / \(pastAtTheDSP.stderr)")
        // DUIS reads an ExecutionDateTime from 3000-12-31 on as a cancellation: such a time is refused, not sent as one.
        let farOff = try nationalGrid.run(request + ["--execute-at", "5000-01-01T00:00:00Z"], dsp)
        #expect(farOff.exitCode == 2 && farOff.stderr.contains("is DUIS's cancellation, not a time"), "\(farOff.stderr)")
        #expect(try store.requestsSinceInit().isEmpty)

        for execution in [["--execute-at", "2026-12-01T00:00:00Z"], ["--cancel-scheduled"]] {
            let remote = try nationalGrid.run(request + execution, dsp)
            #expect(remote.exitCode == 0, "\(execution): \(remote.stderr)")
            #expect(try remote.json()["operator"] as? String == "CN=national-grid,O=AnchorDesk demo operators")
            let there = try atTheDSP.run(request + execution, environment: local)
            #expect(there.exitCode == 0, "\(there.stderr)")
            #expect(try withoutOperator(remote) == (try withoutOperator(there)), "\(execution)")
        }
        let recorded = try store.requestsSinceInit()
        #expect(recorded.map { $0["outcome"] as? String } == ["scheduled", "succeeded"], "\(recorded)")
        #expect((recorded.last?["detail"] as? String)?.contains("which was due at 2026-12-01T00:00:00Z; nothing was replaced") == true, "\(recorded)")

        let wire = try nationalGrid.run(request + ["--show-wire"], dsp)
        #expect(wire.exitCode == 2 && wire.stderr.contains("--show-wire does not work through the operator API yet"), "\(wire.stderr)")
    }

    /// `audit export` from an operator's machine: the DSP's trail, line for line what the export
    /// at the DSP writes, sent as it is read (four GNOs' hand-backs make it longer than one 64 KiB chunk).
    @Test func theAuditTrailIsExportedFromAnOperatorsMachineAsAtTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let machines = try ["national-grid", "cadent", "sgn", "wales-west"].map { ($0, try OperatorMachine($0, of: store)) }
        for (gno, machine) in machines {
            let bulk = try machine.run(["bulk", "6.15.1", "--as", gno, "--filter", "no=\(gno)", "--cert", "acb"], dsp)
            #expect(bulk.exitCode == 0, "\(gno): \(bulk.stderr)")
        }
        let nationalGrid = machines[0].1

        let remote = try nationalGrid.run(["audit", "export"], dsp)
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        let local = try store.run(["audit", "export"])
        #expect(local.exitCode == 0 && remote.stdout == local.stdout)
        #expect(remote.stdout.utf8.count > DUISService.auditExportChunk, "\(remote.stdout.utf8.count) bytes: one chunk only")
        #expect(remote.stdout.split(separator: "\n").filter { $0.contains("\"operator\":\"CN=national-grid,") }.count > 40)
    }

    /// `orgs` and `org show` from an operator's machine: the DSP's organisations, certificates
    /// (serials and validity from its Repository), lifecycle and holdings, with the same output as
    /// at the DSP; an unknown organisation is the same refusal and suggestion.
    @Test func organisationsReadFromAnOperatorsMachineAsAtTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let dcc = try OperatorMachine("dcc", of: store)
        // A cease refused (its devices still hold its certificates) is in the lifecycle shown.
        #expect(try dcc.run(["org", "cease", "harbour-gas"], dsp).exitCode == 1)
        let cadent = try OperatorMachine("cadent", of: store)
        for arguments in [["orgs"], ["orgs", "--json"], ["org", "show", "national-grid"], ["org", "show", "harbour-gas", "--json"],
                          ["org", "show", "heron-energy", "--json"]] {
            let remote = try cadent.run(arguments, dsp)
            let local = try store.run(arguments)
            #expect(remote.exitCode == 0 && local.exitCode == 0, "\(arguments): \(remote.stderr) \(local.stderr)")
            #expect(remote.stdout == local.stdout, "\(arguments)")
        }
        #expect(try cadent.run(["orgs", "--json"], dsp).stdout.contains("\"serial\""), "the Repository's certificates are read")
        #expect(try cadent.run(["org", "show", "harbour-gas"], dsp).stdout.contains("cease rejected (certificates-on-devices)"))
        let unknown = try cadent.run(["org", "show", "national-grd"], dsp)
        let unknownThere = try store.run(["org", "show", "national-grd"])
        #expect(unknown.exitCode == 2 && unknown.exitCode == unknownThere.exitCode && unknown.stderr == unknownThere.stderr, "\(unknown.stderr)")
    }

    /// `alerts pending` and `alerts list` from an operator's machine: the DSP's schedule log and
    /// the alerts that arrived, with the same output as at the DSP.
    @Test func alertsAndPendingCommandsReadFromAnOperatorsMachineAsAtTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let cadent = try OperatorMachine("cadent", of: store)
        let scheduled = try cadent.run(["bulk", "6.15.1", "--as", "cadent", "--filter", "no=cadent", "--cert", "acb", "--limit", "3",
                                        "--execute-at", "2026-12-01T00:00:00Z"], dsp)
        #expect(scheduled.exitCode == 0, "\(scheduled.stderr)")
        func same(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
            let remote = try cadent.run(arguments, dsp)
            let local = try store.run(arguments, environment: environment)
            #expect(remote.exitCode == 0 && local.exitCode == 0, "\(arguments): \(remote.stderr) \(local.stderr)")
            #expect(remote.stdout == local.stdout, "\(arguments)")
            return remote.stdout
        }
        #expect(try same(["alerts", "pending"]).split(separator: "\n").count == 4, "a header and three pending")
        _ = try same(["alerts", "pending", "--json"])
        #expect(try same(["alerts", "list"]).contains("no alerts yet"))
        // Midnight passes at the DSP: the devices execute them and their alerts arrive.
        let processed = try store.run(["alerts", "process"], environment: ["ANCHORDESK_NOW": "2026-12-01T00:05:00Z"])
        #expect(processed.exitCode == 0, "\(processed.stderr)")
        #expect(try same(["alerts", "list", "--json"]).components(separatedBy: "\"alertCounter\"").count == 4)
        #expect(try same(["alerts", "pending"]).contains("nothing pending"))
    }

    /// `cert show` from an operator's machine: an organisation's certificate from the DSP's
    /// Repository, a device's as the DSP's Device CA issues it; the same output and refusals as at
    /// the DSP.
    @Test func certificatesReadFromAnOperatorsMachineAsAtTheDSP() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let cadent = try OperatorMachine("cadent", of: store)
        let device = "00-DB-12-01-73-F7-8B-92"
        for arguments in [["cert", "show", "cadent-ds"], ["cert", "show", "acb-ka", "--json"], ["cert", "show", "cadent-ds", "--pem"],
                          ["cert", "show", device], ["cert", "show", "cadent-dz"], ["cert", "show", "00-DB-12-00-00-00-00-01", "--usage", "ds"]] {
            let remote = try cadent.run(arguments, dsp)
            let local = try store.run(arguments)
            #expect(remote.exitCode == local.exitCode, "\(arguments): \(remote.stderr) / \(local.stderr)")
            #expect(remote.stdout == local.stdout && remote.stderr == local.stderr, "\(arguments): \(remote.stderr) / \(local.stderr)")
        }
        #expect(try cadent.run(["cert", "show", "cadent-dz"], dsp).exitCode == 2)
        // A device's: the same certificate but for its ECDSA signature, which each issue makes afresh.
        for usage in ["ds", "ka"] {
            let arguments = ["cert", "show", device, "--usage", usage, "--json"]
            let remote = try cadent.run(arguments, dsp)
            #expect(remote.exitCode == 0, "\(remote.stderr)")
            let signed: Set = ["sha1", "sha256", "pem"]
            #expect(try remote.json().filter { !signed.contains($0.key) }.mapValues { "\($0)" }
                == (try store.run(arguments).json().filter { !signed.contains($0.key) }.mapValues { "\($0)" }))
            #expect((try remote.json()["pem"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        }
    }

    /// The Fenland Recovery Event from the DCC's operator's machine: planned and signed by the DSP
    /// with the SMKI Recovery key it holds, the same requests as at the DSP, each naming the
    /// operator; a User's operator may not ask, and a floor jump needs asking for as at the DSP.
    @Test func aRecoveryEventRunsFromTheDCCsOperatorsMachine() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let atTheDSP = try DemoStore()
        defer { atTheDSP.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let dcc = try OperatorMachine("dcc", of: store)
        let cadent = try OperatorMachine("cadent", of: store)
        let recovery = ["recovery", "--filter", "no=fenland-pipelines", "--replace-with", "acb", "--reason", "Fenland's keys were lost", "--yes"]

        let refused = try cadent.run(recovery, dsp)
        #expect(refused.exitCode == 1 && refused.stderr.contains("may not take the DCC's actions"), "\(refused.stderr)")
        let jump = recovery + ["--new-floor", "99999999999999999"]
        let remoteJump = try dcc.run(jump, dsp)
        let localJump = try atTheDSP.run(jump)
        #expect(remoteJump.exitCode == 2 && remoteJump.stderr == localJump.stderr, "\(remoteJump.stderr)")
        #expect(try store.requestsSinceInit().isEmpty)

        let remote = try dcc.run(recovery + ["--json"], dsp)
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        let local = try atTheDSP.run(recovery + ["--json"])
        #expect(local.exitCode == 0, "\(local.stderr)")
        let remoteLines = try remote.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let localLines = try local.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(!remoteLines.isEmpty && remoteLines.count == localLines.count)
        #expect(remoteLines.allSatisfy { $0["service"] as? String == "recovery" && $0["outcome"] as? String == "succeeded"
            && $0["operator"] as? String == "CN=dcc,O=AnchorDesk demo operators" })
        func canonical(_ line: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: line.filter { $0.key != "operator" }, options: .sortedKeys), as: UTF8.self)
        }
        #expect(try remoteLines.map(canonical) == localLines.map(canonical))
        #expect(try store.run(["audit", "verify"]).exitCode == 0)
    }

    /// `org cease --hand-back` from an operator granted both National Grid and the DCC's actions:
    /// the hand-back signed on its machine, then the cease, with the same JSON lines as at the DSP.
    @Test func aCeaseWithItsHandBackRunsFromAnOperatorsMachine() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let atTheDSP = try DemoStore()
        defer { atTheDSP.remove() }
        let subject = "CN=national-grid,O=AnchorDesk demo operators"
        try store.grantDCCActions(to: subject)
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let nationalGrid = try OperatorMachine("national-grid", of: store)
        let cease = ["org", "cease", "national-grid", "--hand-back", "--group-size", "25", "--json"]

        let remote = try nationalGrid.run(cease, dsp)
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        let local = try atTheDSP.run(cease)
        #expect(local.exitCode == 0, "\(local.stderr)")
        let remoteLines = try remote.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let localLines = try local.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(remoteLines.count == localLines.count && remoteLines.count > 50, "\(remoteLines.count) \(localLines.count)")
        #expect(remoteLines.dropLast().allSatisfy { $0["service"] as? String == "6.15.1" && $0["outcome"] as? String == "succeeded" && $0["operator"] as? String == subject },
                "\(remoteLines.first ?? [:])")
        let ceased = try #require(remoteLines.last)
        #expect(ceased["action"] as? String == "cease" && ceased["outcome"] as? String == "succeeded" && ceased["operator"] as? String == subject, "\(ceased)")
        #expect(localLines.last?["action"] as? String == "cease" && localLines.last?["outcome"] as? String == "succeeded")
        #expect((try store.run(["devices", "--filter", "no=national-grid", "--json"]).json()["devices"] as? [[String: Any]])?.isEmpty == true)
        #expect(try store.run(["audit", "verify"]).exitCode == 0)

        // Run again (its answer lost, say): nothing to hand back and nothing to do, as at the DSP.
        let again = try nationalGrid.run(cease, dsp)
        let localAgain = try atTheDSP.run(cease)
        #expect(again.exitCode == 0 && again.exitCode == localAgain.exitCode, "\(again.stderr)")
        #expect(again.stdout == localAgain.stdout && again.stdout.contains("\"outcome\":\"unchanged\""), "\(again.stdout)")
    }

    @Test func badConnectionsGiveOneErrorLineAndTheirExitCode() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let cadent = try OperatorMachine("cadent", of: store)
        let unreachable = try AnchorDeskProcess.run(["whoami", "--store", "https://127.0.0.1:1"], environment: cadent.environment)
        #expect(unreachable.exitCode == 3)
        #expect(unreachable.stderr == "error: cannot reach the DSP at https://127.0.0.1:1: connection refused\n", "\(unreachable.stderr)")

        var noCertificate = cadent.environment
        noCertificate["ANCHORDESK_CLIENT_CERT"] = nil
        let missing = try AnchorDeskProcess.run(["whoami", "--store", dsp.address], environment: noCertificate)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--client-cert"))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cadent.folder + "/operator.key")
        let readable = try AnchorDeskProcess.run(["whoami", "--store", dsp.address], environment: cadent.environment)
        #expect(readable.exitCode == 3)
        #expect(readable.stderr.contains("chmod 600"))
        #expect(!readable.stderr.contains("PRIVATE KEY"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cadent.folder + "/operator.key")

        let whoami = try AnchorDeskProcess.run(["whoami", "--store", dsp.address, "--json"], environment: cadent.environment)
        #expect(whoami.exitCode == 0, "\(whoami.stderr)")
        #expect(try whoami.json()["organisations"] as? [String] == ["cadent"])

        // A DSP whose certificate another CA issued: refused at the handshake, the reason in words.
        let other = try DemoStore()
        defer { other.remove() }
        var otherCA = cadent.environment
        otherCA["ANCHORDESK_CA"] = other.path + "/operator-tls/operator-ca.pem"
        let untrusted = try AnchorDeskProcess.run(["whoami", "--store", dsp.address], environment: otherCA)
        #expect(untrusted.exitCode == 3)
        #expect(untrusted.stderr.contains("the DSP's certificate was not issued by the CA given with --ca") && !untrusted.stderr.contains(".cc:"),
                "\(untrusted.stderr)")

        let elsewhere = try AnchorDeskProcess.run(["store", "compact", "--store", dsp.address], environment: cadent.environment)
        #expect(elsewhere.exitCode == 2)
        #expect(elsewhere.stderr.contains("does not work through a DSP's operator API yet"))
    }

    @Test func aConfigFileNamesTheFilesForEachDSPAsKubeconfigDoes() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store)
        defer { dsp.stop() }
        let cadent = try OperatorMachine("cadent", of: store)
        let config = cadent.folder + "/config.json"
        let entry: [String: Any] = ["store": dsp.address + "/", "clientCert": cadent.folder + "/operator.pem",
                                    "clientKey": cadent.folder + "/operator.key", "ca": cadent.folder + "/ca.pem"]
        try JSONSerialization.data(withJSONObject: ["dsps": [["store": "https://elsewhere:1"], entry]]).write(to: URL(fileURLWithPath: config))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)
        let environment = ["ANCHORDESK_CONFIG": config, "ANCHORDESK_CLIENT_CERT": "", "ANCHORDESK_CLIENT_KEY": "", "ANCHORDESK_CA": ""]
        let whoami = try AnchorDeskProcess.run(["whoami", "--store", dsp.address, "--json"], environment: environment)
        #expect(whoami.exitCode == 0, "\(whoami.stderr)")
        #expect(try whoami.json()["organisations"] as? [String] == ["cadent"])

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let readable = try AnchorDeskProcess.run(["whoami", "--store", dsp.address], environment: environment)
        #expect(readable.exitCode == 3 && readable.stderr.contains("chmod 600"), "\(readable.stderr)")
        try Data("{\"dsps\": {}}".utf8).write(to: URL(fileURLWithPath: config))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)
        let malformed = try AnchorDeskProcess.run(["whoami", "--store", dsp.address], environment: environment)
        #expect(malformed.exitCode == 2 && malformed.stderr.contains("is not an AnchorDesk config file"), "\(malformed.stderr)")
        #expect(malformed.stderr.split(separator: "\n").count == 1)
    }

    /// Anyone who can reach the port, with no certificate, opens more connections than `serve` may
    /// open files and never starts TLS on them: `serve` keeps running, the DUIS port still answers,
    /// and operators are answered once the flood ends. (Before, every connection was held for ever:
    /// the process ran out of file descriptors, both ports stopped answering, and with a limit of
    /// 20,000 `serve` crashed.)
    @Test func aFloodOfIdleConnectionsNeitherStopsServeNorStarvesTheDUISPort() throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dsp = try OperatorDSP(store: store, openFileLimit: 256)
        defer { dsp.stop() }
        let port = try #require(URL(string: dsp.address)?.port)
        let flood = try (0..<400).map { _ in try IdleConnection(port: port) }
        Thread.sleep(forTimeInterval: 1)
        let answered = try dsp.post("<r/>", to: "serviceS")
        #expect(answered.status == 400, "the DUIS port did not answer during the flood: \(answered)")
        #expect(dsp.server.process.isRunning)
        flood.forEach { $0.close() }
        let cadent = try OperatorMachine("cadent", of: store)
        let whoami = try cadent.run(["whoami", "--json"], dsp)
        #expect(whoami.exitCode == 0, "\(whoami.stderr)")
    }

    /// A GPF whose Network Operator cell holds `holder`'s certificate and whose Supplier is `supplier`.
    static func device(heldBy holder: String, suppliedBy supplier: String, in store: DemoStore) throws -> String {
        try device(heldBy: holder, suppliedBy: supplier, listing: try store.run(["devices", "--filter", "no=\(holder)", "--json"]))
    }

    /// As above, from `devices --json`'s answer.
    static func device(heldBy holder: String, suppliedBy supplier: String, listing: AnchorDeskProcess.Result) throws -> String {
        let devices = try listing.json()["devices"] as? [[String: Any]] ?? []
        return try #require(devices.first { $0["supplier"] as? String == supplier }?["id"] as? String)
    }
}

/// `serve` with the operator API, on the TLS files `init --demo` wrote.
struct OperatorDSP {
    let server: RunningAnchorDesk
    let address: String
    /// The DUIS port's base address (`…/api/v1/`).
    let duis: String

    /// - Parameters:
    ///   - now: the DSP's clock, and its devices' (`ANCHORDESK_NOW`), if not the tests' usual one.
    ///   - openFileLimit: the most files `serve` may open, if it should have a limit of its own.
    init(store: DemoStore, now: String? = nil, openFileLimit: Int? = nil) throws {
        try self.init(store: store.path, environment: now.map { ["ANCHORDESK_NOW": $0] } ?? [:],
                      log: store.root.appendingPathComponent("serve.log").path, openFileLimit: openFileLimit)
    }

    /// `serve --store STORE` with `environment` added (a PostgreSQL store's password and local directory).
    init(store: String, environment: [String: String], log: String, openFileLimit: Int? = nil) throws {
        (server, duis) = try ServeProcess.start(
            ["serve", "--store", store, "--operator-listen", "127.0.0.1:0"],
            environment: ["ANCHORDESK_NOW": "2026-11-25T09:00:00Z"].merging(environment) { $1 }, log: log, openFileLimit: openFileLimit)
        var found: String?
        for _ in 0..<200 where found == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").first { $0.hasPrefix("serving the operator API on ") }
                .map { String($0.dropFirst("serving the operator API on ".count).prefix { $0 != " " }) }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        address = try #require(found)
    }

    func stop() {
        server.process.terminate()
        server.process.waitUntilExit()
    }

    /// POSTs `body` to the DUIS port's `endpoint`, as a User's tooling does; status 0 when nothing answered in 20 seconds.
    func post(_ body: String, to endpoint: String) throws -> (status: Int, body: String) {
        try ServeProcess.post(body, to: duis + endpoint, timeout: 20)
    }
}

/// An operator's machine: a folder with its User's keys (copied from the demo's), its operator
/// certificate and key, and the CA; nothing of the store.
extension DemoStore {
    /// Gives the operator whose certificate has `subject` the DCC's actions too, in the grants
    /// `init --demo` wrote (read by `serve` as it starts).
    func grantDCCActions(to subject: String) throws {
        let file = path + "/operator-tls/grants.json"
        var grants = try OperatorGrants.read(path: file)
        grants.operators = grants.operators.map { var grant = $0; grant.dcc = grant.dcc || grant.subject == subject; return grant }
        try JSONEncoder().encode(grants).write(to: URL(fileURLWithPath: file))
    }
}

struct OperatorMachine {
    let folder: String
    let environment: [String: String]

    init(_ organisation: String, of store: DemoStore) throws {
        let organisations = try store.run(["orgs", "--json"]).json()["orgs"] as? [[String: Any]] ?? []
        try self.init(organisation, organisations: organisations, files: store.path, in: store.root.path)
    }

    /// A machine in `root` for `organisation`, its User's keys and operator files copied from
    /// `files` (the directory `init --demo` wrote them in).
    init(_ organisation: String, organisations: [[String: Any]], files: String, in root: String) throws {
        folder = root + "/machine-\(organisation)"
        let keys = folder + "/keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        // A User's operator holds its User's keys; the DCC's operator (`dcc`) none.
        if let entity = organisations.first(where: { $0["id"] as? String == organisation })?["entityId"] as? String {
            let stem = entity.replacingOccurrences(of: "-", with: "").lowercased()
            let demoKeys = files + "/demo-user-keys"
            // With the SMKI Organisation CA, against which the machine checks the certificates it signs for.
            for file in try FileManager.default.contentsOfDirectory(atPath: demoKeys)
            where file.hasPrefix(stem) || file == UserKeyDirectory.organisationCAName {
                try FileManager.default.copyItem(atPath: demoKeys + "/" + file, toPath: keys + "/" + file)
            }
            guard FileManager.default.fileExists(atPath: keys + "/" + UserKeyDirectory.organisationCAName) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: demoKeys + "/" + UserKeyDirectory.organisationCAName])
            }
        }
        let operators = files + "/operators"
        try FileManager.default.copyItem(atPath: operators + "/\(organisation).pem", toPath: folder + "/operator.pem")
        try FileManager.default.copyItem(atPath: operators + "/\(organisation).key", toPath: folder + "/operator.key")
        try FileManager.default.copyItem(atPath: files + "/operator-tls/operator-ca.pem", toPath: folder + "/ca.pem")
        environment = [
            "ANCHORDESK_CLIENT_CERT": folder + "/operator.pem", "ANCHORDESK_CLIENT_KEY": folder + "/operator.key",
            "ANCHORDESK_CA": folder + "/ca.pem", "ANCHORDESK_KEYS": keys,
        ]
    }

    func run(_ arguments: [String], _ dsp: OperatorDSP) throws -> AnchorDeskProcess.Result {
        try AnchorDeskProcess.run(arguments + ["--store", dsp.address], environment: environment)
    }
}
