import AnchorCore
import AnchorStore
import Crypto
import DUISServer
import Foundation
import GPFSimulator
import OperatorClient
import SMKI

/// A departing GNO's hand-back through the DSP's operator API (``DUISServer/OperatorBulk``), for
/// the CLI's `bulk 6.15.1 --store https://…` and the console's cease: the DSP plans the run and
/// prepares each group's pre-commands; this machine signs them with the GNO's own Digital Signing
/// key (`--keys DIR`), which never leaves it; the DSP checks every signature, sends the group and
/// makes it durable together. While a group is sent, the next is prepared and signed on another
/// thread (``SignedAhead``). That thread reads only the constants; ``signer`` and ``ahead`` are
/// touched only by the thread that sends.
final class RemoteHandBack: @unchecked Sendable {
    let connection: OperatorConnection
    let sender: String
    let certificate: String
    let executeAt: String?
    /// The execution `executeAt` asks for: every pre-command this machine signs carries it.
    let execution: CommandExecution
    /// The GNO's key, once ``plan(filter:limit:keys:)`` has named its entity.
    private var signer: BulkPreCommandSigner?
    /// The next group, prepared and signed meanwhile.
    private var ahead: SignedAhead?

    init(connection: OperatorConnection, sender: String, certificate: String, executeAt: String?, execution: CommandExecution) {
        self.connection = connection
        self.sender = sender
        self.certificate = certificate
        self.executeAt = executeAt
        self.execution = execution
    }

    /// The devices `filter` selects (at most `limit`) still to do, as the DSP plans them; the
    /// GNO's signing key read from `keys`.
    func plan(filter: String, limit: Int?, keys: String?) throws(CLIFailure) -> OperatorBulk.Plan {
        guard let keys else {
            throw CLIFailure.badInput(
                "through the operator API the GNO signs on this machine: pass --keys DIR (or $ANCHORDESK_KEYS) holding \(Presentation.safe(sender))'s keys",
                code: "no-user-key")
        }
        let plan: OperatorBulk.Plan = try OperatorCall.json(connection.post(
            OperatorAPIPath.bulkPlan, body: OperatorCall.encoded(OperatorBulk.PlanRequest(
                organisation: sender, filter: filter, certificate: certificate, executeAt: executeAt, limit: limit)),
            contentType: "application/json"), from: connection)
        signer = BulkPreCommandSigner(key: try signingKey(plan.entityId, in: keys), entityId: plan.entityId, execution: execution, replacing: certificate,
                                      issuer: try RemoteRequest.organisationCA(in: keys))
        return plan
    }

    /// One group of the plan sent (its pre-commands prepared, signed here and sent back), the
    /// group after it (`next`) prepared and signed meanwhile.
    /// - Parameter durable: hears of each answer's requests as it comes, durable at the DSP, so
    ///   none goes unreported if a later call of the group fails.
    /// - Returns: the devices the DSP refused before sending.
    func send(_ devices: [EUI64], next: [EUI64]?, durable: ([RequestRecord]) -> Void) throws(CLIFailure) -> [OperatorBulk.Refusal] {
        guard let signer else { preconditionFailure("a hand-back's groups are sent after its plan") }
        let group: SignedGroup
        if let prepared = try ahead.take(devices) { group = prepared } else { group = try signedGroup(devices, after: nil, signer: signer) }
        let last = group.lastCounter
        ahead = next.map { next in SignedAhead(next) { [self] () throws(CLIFailure) in try signedGroup(next, after: last, signer: signer) } }
        return try send(group, signedWith: signer, durable: durable)
    }

    /// A cease's GNO as the DSP's ledger has it, for the checks the DSP's own cease makes before
    /// handing back (a page of no devices, `no=ORG`).
    /// - Throws: as a page read does (`unknown-org` with its suggestion).
    static func organisation(_ organisation: String, through connection: OperatorConnection) throws(CLIFailure) -> Organisation? {
        let filter = DeviceFilter(terms: [.networkOperator(organisation)])
        let bytes = try OperatorCall.bytes(connection.get(OperatorPageQuery(start: .first, filter: filter, sort: DeviceSort(), limit: 0).path), from: connection)
        do throws(StoreError) {
            let page = try DevicePageCodec.decode(bytes, filter: filter, sort: DeviceSort(), start: .first, limit: 0, shownAs: connection.address)
            return page.preview.estate.ledger.organisation(organisation)
        } catch {
            throw OperatorCall.unreadable(connection, "its page of devices does not read: \(error.description)")
        }
    }

    /// Waits for a group prepared ahead and drops it (nothing of it is sent).
    func finish() {
        ahead?.discard()
        ahead = nil
    }

    /// How many times a command whose counter another request used meanwhile is prepared again.
    private static let preparedAgain = 3

    /// One group sent, and those whose counters were used meanwhile prepared again. The group
    /// prepared ahead is dropped before preparing again: its counters would lie below the new
    /// ones, and it is prepared afresh. So is one prepared above a group whose last counter the
    /// DSP did not use (it refused the group's tail): groups refused whole would otherwise leave
    /// the next group's `after` further past the GNO's last each time, until the DSP refused it
    /// (``DUISServer/OperatorBulk/maximumAhead``).
    /// - Returns: the refusals left.
    private func send(
        _ group: SignedGroup, signedWith signer: BulkPreCommandSigner, durable: ([RequestRecord]) -> Void
    ) throws(CLIFailure) -> [OperatorBulk.Refusal] {
        let sent = try send(group)
        durable(sent.requests)
        if !group.usedItsLastCounter(sent.requests) { finish() }
        var refused = sent.refused
        for _ in 0..<Self.preparedAgain {
            let again = refused.filter { $0.prepareAgain == true }.map(\.device)
            guard !again.isEmpty else { break }
            finish()
            let retried = try send(signedGroup(again, after: nil, signer: signer))
            durable(retried.requests)
            refused = refused.filter { $0.prepareAgain != true } + retried.refused
        }
        return refused
    }

    /// A group's pre-commands from the DSP, their counters above `after` when given (the last of
    /// a group not sent yet), signed here.
    /// - Throws: exit 4 when the DSP hands back anything but the group's pre-commands, each once
    ///   (``BulkPreCommandSigner``): nothing is signed.
    private func signedGroup(_ devices: [EUI64], after: OriginatorCounter?, signer: BulkPreCommandSigner) throws(CLIFailure) -> SignedGroup {
        let prepared: OperatorBulk.Prepared = try OperatorCall.json(connection.post(
            OperatorAPIPath.bulkPrepare,
            body: OperatorCall.encoded(OperatorBulk.PrepareRequest(
                organisation: sender, certificate: certificate, executeAt: executeAt, devices: devices, after: after)),
            contentType: "application/json"), from: connection)
        let preCommands = prepared.preCommands
        let asked = Set(devices)
        guard Set(preCommands.map(\.device)).count == preCommands.count else {
            throw OperatorCall.unreadable(connection, "it prepared two pre-commands for one device")
        }
        let signed = concurrentMapUnlessNil(count: preCommands.count, workers: Speculation.onePerCore) { index in
            signer.signed(preCommands[index], devices: asked, after: after)
        }
        guard let signed else {
            throw OperatorCall.unreadable(
                connection, "a pre-command it prepared is not the one asked for (an unsigned CS02b command from \(signer.entityId) to a device of the group, with the execution asked, its floor at its own counter and that counter above the group before it, replacing only the Network Operator cells with \(certificate == "acb" ? "the ACB's" : "a Network Operator's") certificates): nothing was signed")
        }
        return SignedGroup(devices: devices, commands: signed.map(\.command), refused: prepared.refused, lastCounter: signed.map(\.counter).max())
    }

    /// A signed group sent; the DSP's refusals at preparing come with those at sending.
    private func send(_ group: SignedGroup) throws(CLIFailure) -> OperatorBulk.Sent {
        var sent = OperatorBulk.Sent(requests: [], refused: group.refused)
        if !group.commands.isEmpty {
            let answer: OperatorBulk.Sent = try OperatorCall.json(connection.post(
                OperatorAPIPath.bulkSend,
                body: OperatorCall.encoded(OperatorBulk.SendRequest(organisation: sender, executeAt: executeAt, commands: group.commands)),
                contentType: "application/json"), from: connection)
            sent.requests = answer.requests
            sent.refused += answer.refused
        }
        return sent
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
