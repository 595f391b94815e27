import AnchorCore
import Crypto
import GBCS
import SMKI
import Testing

@Suite("Public reference messages decode field by field")
struct ReferenceMessageTests {
    @Test func aPreCommandWithoutSignature() throws {
        let message = try GBCSMessage.decode(try Hex.bytes(ReferenceMessages.preCommand))
        #expect(message.mac == nil)
        #expect(message.block.cra == .command)
        #expect(message.block.originatorCounter == OriginatorCounter(1001))
        #expect(message.block.originator == EUI64("90-B3-D5-1F-30-01-00-00"))
        #expect(message.block.recipient == EUI64("00-DB-12-34-56-78-90-A0"))
        #expect(message.block.dateTime == nil)
        #expect(message.block.messageCode == 0x0062)
        #expect(message.block.content.count == 0x6C)
        #expect(message.block.signature == .absent)
        #expect(message.payload == .raw(message.block.content))
    }

    @Test func anUnsignedCommandHasSignatureLengthZero() throws {
        let message = try GBCSMessage.decode(try Hex.bytes(ReferenceMessages.unsignedCommand))
        #expect(message.block.signature == .unsigned)
        #expect(message.block.encoded == (try Hex.bytes(ReferenceMessages.unsignedCommand)))
    }

    @Test func aWrappedResponseWithItsMAC() throws {
        let bytes = try Hex.bytes(ReferenceMessages.wrappedResponse)
        let message = try GBCSMessage.decode(bytes)
        #expect(message.block.cra == .response)
        #expect(message.block.originatorCounter == OriginatorCounter(1_701_691_871_960))
        #expect(message.block.originator == EUI64("1C-C1-1B-B1-00-00-1D-02"))
        #expect(message.block.recipient == EUI64("90-B3-D5-1F-30-01-00-00"))
        #expect(message.block.messageCode == 0x0069)
        #expect(message.block.content.count == 16)
        #expect(message.block.signature == .unsigned)
        #expect(message.mac == Array(bytes.suffix(12)))
    }

    @Test func aCS02aResponseWithALongFormContentLength() throws {
        let message = try GBCSMessage.decode(try Hex.bytes(ReferenceMessages.securityCredentialsResponse))
        #expect(message.block.cra == .response)
        #expect(message.block.originatorCounter == OriginatorCounter(1_705_610_336_628))
        #expect(message.block.originator == EUI64("88-73-84-FF-00-2F-96-1E"))
        #expect(message.block.recipient == EUI64("90-B3-D5-1F-30-00-00-02"))
        #expect(message.block.messageCode == 0x0008)
        #expect(message.block.content.count == 146)
        #expect(message.fields.first { $0.name == "content length" }?.bytes == [0x81, 0x92])
        // Its cells carry the same key-usage bits the CS02b payloads use.
        #expect(message.block.content.containsSequence(TrustAnchorCellIdentifier.bits(for: .digitalSigning)))
        #expect(message.block.content.containsSequence(TrustAnchorCellIdentifier.bits(for: .keyAgreement)))
    }

    @Test func aSignedResponseWhoseSignatureVerifiesOverTheBytesFrom09ToTheEndOfTheContent() throws {
        let message = try GBCSMessage.decode(try Hex.bytes(ReferenceMessages.signedResponse))
        #expect(message.block.cra == .response)
        #expect(message.block.originatorCounter == OriginatorCounter(1007))
        #expect(message.block.originator == EUI64("00-DB-12-34-56-78-90-A1"))
        #expect(message.block.recipient == EUI64("90-B3-D5-1F-30-01-00-00"))
        #expect(message.block.dateTime?.count == 12)
        #expect(message.block.messageCode == 0x006B)
        #expect(message.block.content.count == 0x71)
        guard case .ecdsa(let signature) = message.block.signature else { Issue.record("expected a signature"); return }
        let signer = try OrganisationCertificate(pem: ReferenceMessages.signedResponseSigner)
        #expect(signer.verifies(signature: signature, over: message.block.signedBytes))
        var tampered = message.block.signedBytes
        tampered[tampered.count - 1] ^= 1
        #expect(!signer.verifies(signature: signature, over: tampered))
        #expect(message.block.encoded == (try Hex.bytes(ReferenceMessages.signedResponse)))
    }
}

extension Array where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<$0 + needle.count]) == needle }
    }
}
