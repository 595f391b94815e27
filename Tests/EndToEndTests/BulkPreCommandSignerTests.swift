import AnchorCore
import Crypto
import DCCWire
import DUIS
import DUISServer
import Foundation
import GBCS
import SMKI
import Testing
@testable import anchordesk

/// An operator's machine signs, with the GNO's own key, only the pre-commands it asked the DSP
/// for, in a bulk run or a single request: a DSP (or whoever answers in its name) that hands back
/// anything else gets no signature.
@Suite struct BulkPreCommandSignerTests {
    static let gno = EUI64(rawValue: 0x90B3_D51F_3000_0010)
    static let device = EUI64(rawValue: 0x00DB_1201_73F7_8B92)
    static let other = EUI64(rawValue: 0x00DB_1202_2FAE_E44E)
    static let counter: UInt64 = 1_647_302_400_000_001
    static let issuedFrom = Date(timeIntervalSince1970: 1_700_000_000)
    static let authority = try! DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: issuedFrom)

    /// An Organisation Certificate for `entity` in role `unit` (`04` the ACB, `03` a Network Operator, `02` a Supplier).
    static func certificate(_ entity: UInt64, unit: String, _ usage: KeyUsage) -> [UInt8] {
        (try! authority.issue(entity: EUI64(rawValue: entity), organisationalUnit: unit, usage: usage, publicKey: P256.Signing.PrivateKey().publicKey,
                              serial: [0x05], validFrom: issuedFrom)).der
    }
    static let acbDS = certificate(0x90B3_D51F_3000_0002, unit: "04", .digitalSigning)
    static let acbKA = certificate(0x90B3_D51F_3000_0002, unit: "04", .keyAgreement)
    static let cadentDS = certificate(0x90B3_D51F_3000_0011, unit: "03", .digitalSigning)
    static let cadentKA = certificate(0x90B3_D51F_3000_0011, unit: "03", .keyAgreement)
    static let supplierDS = certificate(0x90B3_D51F_3000_0020, unit: "02", .digitalSigning)
    static let theACBs = [CS02bCommandPayload.Replacement(certificate: acbDS, target: TrustAnchorCellIdentifier(.networkOperatorDS)),
                          CS02bCommandPayload.Replacement(certificate: acbKA, target: TrustAnchorCellIdentifier(.networkOperatorKA))]

    @Test func signsThePreCommandAskedFor() throws {
        let key = P256.Signing.PrivateKey()
        let signer = BulkPreCommandSigner(key: key, entityId: Self.gno, execution: .immediate, replacing: "acb")
        let signed = try #require(signer.signed(Self.preCommand(), devices: [Self.device, Self.other]))
        #expect(signed.counter == OriginatorCounter(Self.counter))
        let block = try GBCSMessage.decode(Array(try #require(Data(base64Encoded: signed.command.gbcs))), recordingFields: false).block
        guard case .ecdsa(let raw) = block.signature else {
            Issue.record("not signed")
            return
        }
        #expect(key.publicKey.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: raw), for: Data(block.signedBytes)))
    }

    @Test func signsNothingElse() throws {
        let execution = CommandExecution.at(try #require(Timestamp(iso8601: "2026-12-24T00:00:00Z")))
        let signer = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: .immediate, replacing: "acb")
        var alreadySigned = try GBCSMessage.decode(Array(try #require(Data(base64Encoded: Self.preCommand().gbcs))), recordingFields: false).block
        alreadySigned.signature = .ecdsa([UInt8](repeating: 1, count: 64))
        var refused: [(String, OperatorBulk.Command)] = [
            ("a device not of the group", Self.preCommand(device: EUI64(rawValue: 0x00DB_1299_0000_0001))),
            ("given for another device than it is to", OperatorBulk.Command(device: Self.other, gbcs: Self.preCommand().gbcs)),
            ("from another originator", Self.preCommand { block, _ in block.originator = EUI64(rawValue: 0x90B3_D51F_3000_0020) }),
            ("a floor of 2^64-1", Self.preCommand { _, payload in payload.newFloor = UInt64.max }),
            ("scheduled", Self.preCommand { _, payload in payload.executionDateTime = CommandWire.executionDateTime(execution) }),
            ("a cancellation", Self.preCommand { _, payload in payload.executionDateTime = CS02bCommandPayload.cancellationDateTime }),
            ("already signed", OperatorBulk.Command(device: Self.device, gbcs: Data(alreadySigned.encoded).base64EncodedString())),
            ("not base64", OperatorBulk.Command(device: Self.device, gbcs: "%%%")),
            ("not GBCS", OperatorBulk.Command(device: Self.device, gbcs: Data([0xDF, 0x09, 0x01]).base64EncodedString())),
        ]
        refused += Self.unlikeAHandBack.map { ($0.0, Self.preCommand($0.1)) }
        for (what, preCommand) in refused {
            #expect(signer.signed(preCommand, devices: [Self.device, Self.other]) == nil, "\(what)")
        }
        // A group asked for above an unsent group's last counter: a counter at or below it is not signed.
        #expect(signer.signed(Self.preCommand(), devices: [Self.device], after: OriginatorCounter(Self.counter)) == nil)
        #expect(signer.signed(Self.preCommand(), devices: [Self.device], after: OriginatorCounter(Self.counter - 1)) != nil)
        for counter: UInt64 in [1 << 52, 1 << 63 - 2] {
            #expect(signer.signed(Self.preCommand { block, payload in
                block.originatorCounter = OriginatorCounter(counter)
                payload.newFloor = counter
                payload.authorisingSequenceNumber = counter
            }, devices: [Self.device]) == nil, "\(counter): 2^52 or above may burn the GNO's counters")
        }
        // Scheduled is signed when the run asks for that time, and only then.
        let scheduling = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: execution, replacing: "acb")
        #expect(scheduling.signed(Self.preCommand { _, payload in payload.executionDateTime = CommandWire.executionDateTime(execution) }, devices: [Self.device]) != nil)
        #expect(scheduling.signed(Self.preCommand(), devices: [Self.device]) == nil)
        // With the SMKI Organisation CA kept beside the GNO's keys: the ACB's certificates it issued,
        // and not ones of the same role that another CA made (whoever answers as the DSP could).
        let pinned = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: .immediate, replacing: "acb",
                                          issuer: Self.authority.certificate)
        #expect(pinned.signed(Self.preCommand(), devices: [Self.device]) != nil)
        #expect(pinned.signed(Self.preCommand { _, payload in payload.replacements = Self.forgedACBs }, devices: [Self.device]) == nil)
        #expect(signer.signed(Self.preCommand { _, payload in payload.replacements = Self.forgedACBs }, devices: [Self.device]) != nil,
                "without the CA, a certificate's role is all this machine can read")
        // A Network Operator's certificates, when those were asked for.
        let toCadent = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: .immediate, replacing: "cadent")
        #expect(toCadent.signed(Self.preCommand { _, payload in payload.replacements = Self.cadents }, devices: [Self.device]) != nil)
    }

    /// The ACB's role and entity, from a CA that is not the SMKI Organisation CA.
    static let forgedACBs: [CS02bCommandPayload.Replacement] = {
        let forger = try! DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: issuedFrom)
        return [KeyUsage.digitalSigning, .keyAgreement].map { usage in
            CS02bCommandPayload.Replacement(
                certificate: (try! forger.issue(entity: EUI64(rawValue: 0x90B3_D51F_3000_0002), organisationalUnit: "04", usage: usage,
                                                publicKey: P256.Signing.PrivateKey().publicKey, serial: [0x05], validFrom: issuedFrom)).der,
                target: TrustAnchorCellIdentifier(usage == .digitalSigning ? .networkOperatorDS : .networkOperatorKA))
        }
    }()

    static let cadents = [CS02bCommandPayload.Replacement(certificate: cadentDS, target: TrustAnchorCellIdentifier(.networkOperatorDS)),
                          CS02bCommandPayload.Replacement(certificate: cadentKA, target: TrustAnchorCellIdentifier(.networkOperatorKA))]

    /// Pre-commands from the GNO to the device with its counter that are still no hand-back to
    /// the ACB: each would give away more than was asked.
    static let unlikeAHandBack: [(String, @Sendable (inout GeneralSigningBlock, inout CS02bCommandPayload) -> Void)] = [
        ("a Network Operator's certificates for the ACB's", { _, payload in payload.replacements = cadents }),
        ("a Supplier's certificate", { _, payload in
            payload.replacements = [CS02bCommandPayload.Replacement(certificate: supplierDS, target: TrustAnchorCellIdentifier(.networkOperatorDS))]
        }),
        ("the ACB's into the Supplier's cell", { _, payload in
            payload.replacements = [CS02bCommandPayload.Replacement(certificate: acbDS, target: TrustAnchorCellIdentifier(.supplierDS))]
        }),
        ("a KA certificate in the DS cell", { _, payload in
            payload.replacements = [CS02bCommandPayload.Replacement(certificate: acbKA, target: TrustAnchorCellIdentifier(.networkOperatorDS))]
        }),
        ("two owners' certificates", { _, payload in payload.replacements = [theACBs[0], cadents[1]] }),
        ("the ACB's DS alone", { _, payload in payload.replacements = [theACBs[0]] }),
        ("not a certificate", { _, payload in
            payload.replacements = [CS02bCommandPayload.Replacement(certificate: [0x30, 0x00], target: TrustAnchorCellIdentifier(.networkOperatorDS))]
        }),
        ("another credentials replacement mode", { _, payload in payload.mode = 1 }),
        ("authorised by another counter", { _, payload in payload.authorisingSequenceNumber = counter - 1 }),
        ("other parties' floors changed", { _, payload in
            payload.otherChanges = [RemotePartySeqNumberChange(role: 2, floor: UInt64.max)]
        }),
    ]

    /// A single request through the operator API signs the pre-command the DSP hands back only if
    /// it is the request the User signed: its Request ID, device and counter, floor, execution and
    /// replacement certificates, and a hand-back's shape.
    @Test func aSingleRequestSignsOnlyThePreCommandOfTheRequestSigned() throws {
        let id = DUISRequestID(originator: Self.gno, target: Self.device, counter: Self.counter)
        let execution = CommandExecution.at(try #require(Timestamp(iso8601: "2026-12-24T00:00:00Z")))
        func message(_ command: OperatorBulk.Command) throws -> GBCSMessage {
            try GBCSMessage.decode(Array(try #require(Data(base64Encoded: command.gbcs))), recordingFields: false)
        }
        let asked = AskedPreCommand(requestID: id, body: try Self.signedBody(id, execution: .immediate), replacing: "acb")
        #expect(asked.mismatch(requestID: id, try message(Self.preCommand())) == nil)
        var refused: [(String, DUISRequestID, OperatorBulk.Command)] = [
            ("another Request ID", DUISRequestID(originator: Self.gno, target: Self.device, counter: Self.counter + 1), Self.preCommand()),
            ("another device", id, Self.preCommand(device: Self.other)),
            ("another counter", id, Self.preCommand { block, payload in
                block.originatorCounter = OriginatorCounter(Self.counter + 1)
                payload.newFloor = Self.counter + 1
                payload.authorisingSequenceNumber = Self.counter + 1
            }),
            ("a floor of 2^64-1", id, Self.preCommand { _, payload in payload.newFloor = UInt64.max }),
            ("scheduled", id, Self.preCommand { _, payload in payload.executionDateTime = CommandWire.executionDateTime(execution) }),
            ("a cancellation", id, Self.preCommand { _, payload in payload.executionDateTime = CS02bCommandPayload.cancellationDateTime }),
            ("the KA certificate left out", id, Self.preCommand { _, payload in payload.replacements.removeLast() }),
        ]
        refused += Self.unlikeAHandBack.map { ($0.0, id, Self.preCommand($0.1)) }
        for (what, answered, preCommand) in refused {
            #expect(asked.mismatch(requestID: answered, try message(preCommand)) != nil, "\(what)")
        }
        // Scheduled, when the request signed was.
        let scheduling = AskedPreCommand(requestID: id, body: try Self.signedBody(id, execution: execution), replacing: "acb")
        #expect(scheduling.mismatch(requestID: id, try message(Self.preCommand { _, payload in
            payload.executionDateTime = CommandWire.executionDateTime(execution)
        })) == nil)
        #expect(scheduling.mismatch(requestID: id, try message(Self.preCommand())) != nil)
    }

    /// The body of the SRV6.15.1 request the User signed, placing the ACB's certificates.
    static func signedBody(_ id: DUISRequestID, execution: CommandExecution) throws -> CredentialsReplacement {
        let xml = DUISRequestDocument.updateSecurityCredentials(
            requestID: id, floor: nil, certificates: DUISRequestDocument.Certificates(digitalSigning: acbDS, keyAgreement: acbKA, path: [acbDS]),
            execution: execution)
        guard case .updateSecurityCredentials(let body) = try DUISRequest(try ParsedXML(xml)).body else { throw BodyMissing() }
        return body
    }

    struct BodyMissing: Error {}

    /// An unsigned CS02b pre-command from the GNO to `device`, as the DSP prepares one (the ACB's
    /// certificates into the Network Operator cells), changed by `alter`.
    static func preCommand(
        device: EUI64 = device, _ alter: (inout GeneralSigningBlock, inout CS02bCommandPayload) -> Void = { _, _ in }
    ) -> OperatorBulk.Command {
        var payload = CS02bCommandPayload(mode: 3, authorisingCell: nil, authorisingSequenceNumber: counter, newFloor: counter, replacements: theACBs)
        var block = GeneralSigningBlock(
            cra: .command, originatorCounter: OriginatorCounter(counter), originator: gno, recipient: device, messageCode: 0x0103,
            content: [], signature: .absent)
        alter(&block, &payload)
        block.content = payload.encoded
        return OperatorBulk.Command(device: device, gbcs: Data(block.encoded).base64EncodedString())
    }
}
