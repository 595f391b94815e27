import AnchorCore
import AnchorService
import AnchorStore
import Crypto
import DUISServer
import Foundation
import GBCS
import GPFSimulator
import OperatorClient
import SMKI

/// `bulk 6.15.1 --store https://…`: a departing GNO's hand-back through the DSP's operator API
/// (``DUISServer/OperatorBulk``). The DSP plans the run and prepares each group's pre-commands;
/// this machine signs them with the GNO's own Digital Signing key (`--keys DIR`), which never
/// leaves it; the DSP checks every signature, sends the group and makes it durable together.
/// The output, progress, Ctrl-C and exit codes are those of a bulk run at the DSP.
struct RemoteBulk {
    let connection: OperatorConnection
    let sender: String
    let certificate: String
    let executeAt: String?
    let json: Bool

    /// Runs the hand-back of the devices `filter` selects (at most `limit`), `groupSize` devices a group.
    func run(filter: String, limit: Int?, groupSize: Int, keys: String?) throws {
        guard let keys else {
            throw CLIFailure.badInput(
                "through the operator API the GNO signs on this machine: pass --keys DIR (or $ANCHORDESK_KEYS) holding \(Presentation.safe(sender))'s keys",
                code: "no-user-key")
        }
        let plan: OperatorBulk.Plan = try OperatorCall.json(connection.post(
            OperatorAPIPath.bulkPlan, body: OperatorCall.encoded(OperatorBulk.PlanRequest(
                organisation: sender, filter: filter, certificate: certificate, executeAt: executeAt, limit: limit)),
            contentType: "application/json"), from: connection)
        let key = try signingKey(plan.entityId, in: keys)
        if let warning = plan.warning { Console.warn(Presentation.safe(warning)) }
        let summary = BulkSummary(total: plan.pending.count, skipped: plan.skipped, json: json)
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(total: plan.pending.count) : nil
        let interruption = Interruption.install()
        defer { interruption.remove() }
        var tally = BulkTally()
        var refused = 0
        var stopped = false
        for start in stride(from: 0, to: plan.pending.count, by: groupSize) {
            if interruption.requested {
                stopped = true
                break
            }
            let sent = try send(Array(plan.pending[start..<min(start + groupSize, plan.pending.count)]), signedWith: key)
            for record in sent.requests {
                if json { Console.out(Presentation.request(record).compact()) }
                switch record.outcome {
                case .succeeded: tally.succeeded += 1
                case .scheduled: tally.scheduled += 1
                case .rejected: tally.rejected += 1
                }
            }
            tally.done += sent.requests.count
            refused += sent.refused.count
            progress?.update(done: tally.done + refused)
        }
        progress?.finish()
        try summary.finish(tally, stopped: stopped, refused: refused)
    }

    /// How many times a command whose counter another request used meanwhile is prepared again.
    private static let preparedAgain = 3

    /// One group: its pre-commands from the DSP, signed here, sent back, and those whose counters
    /// were used meanwhile prepared again; every refusal left is one warning line.
    private func send(_ devices: [EUI64], signedWith key: P256.Signing.PrivateKey) throws(CLIFailure) -> OperatorBulk.Sent {
        var sent = try sendOnce(devices, signedWith: key)
        for _ in 0..<Self.preparedAgain {
            let again = sent.refused.filter { $0.prepareAgain == true }.map(\.device)
            guard !again.isEmpty else { break }
            let retried = try sendOnce(again, signedWith: key)
            sent.requests += retried.requests
            sent.refused = sent.refused.filter { $0.prepareAgain != true } + retried.refused
        }
        for refusal in sent.refused {
            Console.warn("\(refusal.device): the DSP refused it before the device: \(Presentation.safe(refusal.error))")
        }
        return sent
    }

    /// One group's pre-commands from the DSP, signed here and sent back.
    private func sendOnce(_ devices: [EUI64], signedWith key: P256.Signing.PrivateKey) throws(CLIFailure) -> OperatorBulk.Sent {
        let prepared: OperatorBulk.Prepared = try OperatorCall.json(connection.post(
            OperatorAPIPath.bulkPrepare,
            body: OperatorCall.encoded(OperatorBulk.PrepareRequest(organisation: sender, certificate: certificate, executeAt: executeAt, devices: devices)),
            contentType: "application/json"), from: connection)
        let preCommands = prepared.preCommands
        let signed = concurrentMapUnlessNil(count: preCommands.count, workers: Speculation.onePerCore) { index in
            Self.signed(preCommands[index], with: key)
        }
        guard let signed else { throw OperatorCall.unreadable(connection, "a pre-command it prepared is not an unsigned GBCS command") }
        var sent = OperatorBulk.Sent(requests: [], refused: prepared.refused)
        if !signed.isEmpty {
            let answer: OperatorBulk.Sent = try OperatorCall.json(connection.post(
                OperatorAPIPath.bulkSend,
                body: OperatorCall.encoded(OperatorBulk.SendRequest(organisation: sender, executeAt: executeAt, commands: signed)),
                contentType: "application/json"), from: connection)
            sent.requests = answer.requests
            sent.refused += answer.refused
        }
        return sent
    }

    /// The pre-command signed with the GNO's Digital Signing key; `nil` when it is not an unsigned GBCS command.
    private static func signed(_ preCommand: OperatorBulk.Command, with key: P256.Signing.PrivateKey) -> OperatorBulk.Command? {
        guard let bytes = Data(base64Encoded: preCommand.gbcs),
              let message = try? GBCSMessage.decode(Array(bytes), recordingFields: false), message.block.signature == .absent,
              let signature = try? P256CommandSigner(key: key).signature(over: message.block.signedBytes)
        else { return nil }
        var block = message.block
        block.signature = .ecdsa(signature)
        return OperatorBulk.Command(device: preCommand.device, gbcs: Data(block.encoded).base64EncodedString())
    }

    /// The GNO's Digital Signing key from its key directory.
    private func signingKey(_ entityId: EUI64, in keys: String) throws(CLIFailure) -> P256.Signing.PrivateKey {
        let key: P256.Signing.PrivateKey?
        do {
            key = try UserKeyDirectory(path: keys).key(entityId, .digitalSigning)
        } catch {
            throw CLIFailure(error)
        }
        guard let key else {
            throw CLIFailure.badInput("no Digital Signing key for \(Presentation.safe(sender)) (\(entityId)) in \(Presentation.safe(keys))", code: "no-user-key")
        }
        return key
    }
}
