import AnchorCore
import Crypto
import DCCWire
import DUISServer
import Foundation
import GBCS
import SMKI

/// What an operator's machine signs in a bulk SRV6.15.1 through the operator API: the GNO's
/// Digital Signing key signs only the pre-commands the run asked the DSP for, whatever a DSP
/// (or whoever answers in its name) hands back.
struct BulkPreCommandSigner {
    /// The GNO's Digital Signing key.
    let key: P256.Signing.PrivateKey
    /// The GNO's entity ID: every pre-command's originator.
    let entityId: EUI64
    /// The execution the run asked for: every pre-command's.
    let execution: CommandExecution
    /// What the run asked to place (`--cert`): every pre-command's replacements are of that role
    /// (``PreCommandShape``).
    let replacing: String
    /// The replacement certificates read so far.
    let certificates: CertificateSummaries

    /// A signer for a run from `entityId` asking for `execution` and `replacing`, whose certificates
    /// `issuer` (the SMKI Organisation CA kept with the GNO's keys, if it is) must have issued.
    init(key: P256.Signing.PrivateKey, entityId: EUI64, execution: CommandExecution, replacing: String, issuer: OrganisationCertificate? = nil) {
        self.key = key
        self.entityId = entityId
        self.execution = execution
        self.replacing = replacing
        certificates = CertificateSummaries(issuer: issuer)
    }

    /// A pre-command signed, and its counter.
    struct Signed: Equatable {
        var command: OperatorBulk.Command
        var counter: OriginatorCounter
    }

    /// The pre-command signed; `nil` unless it is what was asked: an unsigned CS02b command from
    /// the GNO to the device it is given for, one of `devices`, carrying the execution asked and
    /// setting the device's floor to its own counter, as the DSP prepares it (a floor far above
    /// it would burn the counters of the device's next holder for good), with a counter above
    /// `after` when the group was asked for above it, and below 2^52 (a counter further on may skip
    /// and burn the GNO's counters for good, and a bulk run through the API takes no
    /// `--allow-counter-jump`: such a GNO's run is made at the DSP); and
    /// replacing only the Network Operator cells with certificates of the role asked for
    /// (``PreCommandShape``).
    func signed(_ preCommand: OperatorBulk.Command, devices: Set<EUI64>, after: OriginatorCounter? = nil) -> Signed? {
        guard devices.contains(preCommand.device), let bytes = Data(base64Encoded: preCommand.gbcs),
              let message = try? GBCSMessage.decode(Array(bytes), recordingFields: false), message.mac == nil,
              message.block.signature == .absent, case .updateSecurityCredentialsCommand(let payload) = message.payload
        else { return nil }
        var block = message.block
        guard block.cra == .command, block.originator == entityId, block.recipient == preCommand.device,
              block.originatorCounter.value < 1 << 52, after.map({ block.originatorCounter > $0 }) ?? true,
              payload.newFloor == block.originatorCounter.value, payload.executionDateTime == CommandWire.executionDateTime(execution),
              PreCommandShape.problem(payload, counter: block.originatorCounter.value, replacing: replacing, read: certificates) == nil,
              let signature = try? P256CommandSigner(key: key).signature(over: block.signedBytes)
        else { return nil }
        block.signature = .ecdsa(signature)
        return Signed(command: OperatorBulk.Command(device: preCommand.device, gbcs: Data(block.encoded).base64EncodedString()),
                      counter: block.originatorCounter)
    }
}
