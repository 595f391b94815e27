import AnchorCore
import Crypto
import DCCWire
import DUIS
import DUISServer
import Foundation
import GBCS
import Testing
@testable import anchordesk

/// An operator's machine signs, with the GNO's own key, only the pre-commands its bulk run asked
/// the DSP for: a DSP (or whoever answers in its name) that hands back anything else gets no signature.
@Suite struct BulkPreCommandSignerTests {
    static let gno = EUI64(rawValue: 0x90B3_D51F_3000_0010)
    static let device = EUI64(rawValue: 0x00DB_1201_73F7_8B92)
    static let other = EUI64(rawValue: 0x00DB_1202_2FAE_E44E)
    static let counter: UInt64 = 1_647_302_400_000_001

    @Test func signsThePreCommandAskedFor() throws {
        let key = P256.Signing.PrivateKey()
        let signer = BulkPreCommandSigner(key: key, entityId: Self.gno, execution: .immediate)
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
        let signer = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: .immediate)
        var alreadySigned = try GBCSMessage.decode(Array(try #require(Data(base64Encoded: Self.preCommand().gbcs))), recordingFields: false).block
        alreadySigned.signature = .ecdsa([UInt8](repeating: 1, count: 64))
        let refused: [(String, OperatorBulk.Command)] = [
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
        for (what, preCommand) in refused {
            #expect(signer.signed(preCommand, devices: [Self.device, Self.other]) == nil, "\(what)")
        }
        // A group asked for above an unsent group's last counter: a counter at or below it is not signed.
        #expect(signer.signed(Self.preCommand(), devices: [Self.device], after: OriginatorCounter(Self.counter)) == nil)
        #expect(signer.signed(Self.preCommand(), devices: [Self.device], after: OriginatorCounter(Self.counter - 1)) != nil)
        #expect(signer.signed(Self.preCommand { block, payload in block.originatorCounter = OriginatorCounter(1 << 63); payload.newFloor = 1 << 63 },
                              devices: [Self.device]) == nil, "2^63 or above burns the GNO's counters")
        // Scheduled is signed when the run asks for that time, and only then.
        let scheduling = BulkPreCommandSigner(key: P256.Signing.PrivateKey(), entityId: Self.gno, execution: execution)
        #expect(scheduling.signed(Self.preCommand { _, payload in payload.executionDateTime = CommandWire.executionDateTime(execution) }, devices: [Self.device]) != nil)
        #expect(scheduling.signed(Self.preCommand(), devices: [Self.device]) == nil)
    }

    /// A single request through the operator API signs the pre-command the DSP hands back only if
    /// it is the one asked for: the Request ID the User signed, its device and counter, the floor
    /// and the execution.
    @Test func aSingleRequestSignsOnlyThePreCommandAskedFor() throws {
        let id = DUISRequestID(originator: Self.gno, target: Self.device, counter: Self.counter)
        let execution = CommandExecution.at(try #require(Timestamp(iso8601: "2026-12-24T00:00:00Z")))
        func message(_ command: OperatorBulk.Command) throws -> GBCSMessage {
            try GBCSMessage.decode(Array(try #require(Data(base64Encoded: command.gbcs))), recordingFields: false)
        }
        let asked = AskedPreCommand(requestID: id, newFloor: nil, execution: .immediate)
        #expect(asked.mismatch(requestID: id, try message(Self.preCommand())) == nil)
        let refused: [(String, DUISRequestID, OperatorBulk.Command)] = [
            ("another Request ID", DUISRequestID(originator: Self.gno, target: Self.device, counter: Self.counter + 1), Self.preCommand()),
            ("another device", id, Self.preCommand(device: Self.other)),
            ("another counter", id, Self.preCommand { block, payload in block.originatorCounter = OriginatorCounter(Self.counter + 1); payload.newFloor = Self.counter + 1 }),
            ("a floor of 2^64-1", id, Self.preCommand { _, payload in payload.newFloor = UInt64.max }),
            ("scheduled", id, Self.preCommand { _, payload in payload.executionDateTime = CommandWire.executionDateTime(execution) }),
            ("a cancellation", id, Self.preCommand { _, payload in payload.executionDateTime = CS02bCommandPayload.cancellationDateTime }),
        ]
        for (what, answered, preCommand) in refused {
            #expect(asked.mismatch(requestID: answered, try message(preCommand)) != nil, "\(what)")
        }
        // Scheduled, or a floor of its own, when that was asked, and only then.
        let scheduling = AskedPreCommand(requestID: id, newFloor: 7, execution: execution)
        #expect(scheduling.mismatch(requestID: id, try message(Self.preCommand { _, payload in
            payload.executionDateTime = CommandWire.executionDateTime(execution)
            payload.newFloor = 7
        })) == nil)
        #expect(scheduling.mismatch(requestID: id, try message(Self.preCommand())) != nil)
    }

    /// An unsigned CS02b pre-command from the GNO to `device`, as the DSP prepares one, changed by `alter`.
    static func preCommand(
        device: EUI64 = device, _ alter: (inout GeneralSigningBlock, inout CS02bCommandPayload) -> Void = { _, _ in }
    ) -> OperatorBulk.Command {
        var payload = CS02bCommandPayload(
            mode: 3, authorisingCell: nil, authorisingSequenceNumber: counter, newFloor: counter,
            replacements: [CS02bCommandPayload.Replacement(certificate: [0x30, 0x00], target: TrustAnchorCellIdentifier(.networkOperatorDS))])
        var block = GeneralSigningBlock(
            cra: .command, originatorCounter: OriginatorCounter(counter), originator: gno, recipient: device, messageCode: 0x0103,
            content: [], signature: .absent)
        alter(&block, &payload)
        block.content = payload.encoded
        return OperatorBulk.Command(device: device, gbcs: Data(block.encoded).base64EncodedString())
    }
}
