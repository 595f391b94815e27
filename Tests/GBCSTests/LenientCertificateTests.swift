import AnchorCore
import Crypto
import Foundation
import SMKI
import SwiftASN1
import Testing
import X509

/// Certificates that are BER rather than strict DER, as some of DCC's own are, are read; their
/// issuer's signature is checked over their bytes as published; and hostile bytes are refused
/// with an error, never a crash or a hang.
@Suite struct LenientCertificateTests {
    static let authority = try! DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: Date(timeIntervalSince1970: 1_700_000_000))
    static let entity = EUI64(rawValue: 0x90B3_D51F_3002_0000)

    /// A strict DER certificate from the demo CA.
    static func strict() throws -> OrganisationCertificate {
        try authority.issue(entity: entity, organisationalUnit: "03", usage: .digitalSigning, publicKey: P256.Signing.PrivateKey().publicKey,
                            serial: [0x01, 0x02, 0x03], validFrom: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// `certificate` written again as BER: every length in a long form longer than DER allows and
    /// every INTEGER with a redundant leading `00`; signed over those bytes unless `signDER`.
    static func ber(_ certificate: OrganisationCertificate, signDER: Bool = false, outerIndefinite: Bool = false) throws -> [UInt8] {
        let parts = try children(try DER.parse(certificate.der))
        let toBeSigned = BERWriter.write(parts[0])
        let signed = signDER ? Array(parts[0].encodedBytes) : toBeSigned
        let signature = try authority.key.signature(for: signed).derRepresentation
        let content = toBeSigned + Array(parts[1].encodedBytes) + BERWriter.tagged(0x03, [0x00] + Array(signature))
        return outerIndefinite ? [0x30, 0x80] + content + [0x00, 0x00] : BERWriter.tagged(0x30, content)
    }

    static func children(_ node: ASN1Node) throws -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else { throw ASN1Error.invalidASN1Object(reason: "primitive") }
        return Array(nodes)
    }

    @Test func aBERCertificateIsReadAndItsSignatureCheckedOverItsOwnBytes() throws {
        let strict = try Self.strict()
        #expect(!strict.readLeniently && strict.isIssued(by: Self.authority.certificate))
        let bytes = try Self.ber(strict)
        #expect(bytes != strict.der)
        let lenient = try OrganisationCertificate(der: bytes)
        #expect(lenient.readLeniently)
        #expect(lenient.der == bytes, "the bytes are kept as published")
        #expect(lenient.entityId == Self.entity && lenient.role == .networkOperator && lenient.keyUsage == .digitalSigning)
        #expect(lenient.certificate.serialNumber == strict.certificate.serialNumber)
        #expect(lenient.publicKey?.rawRepresentation == strict.publicKey?.rawRepresentation)
        #expect(lenient.keyIdentifier == strict.keyIdentifier)
        #expect(lenient.isIssued(by: Self.authority.certificate))
        #expect(!lenient.isIssued(by: try Self.strict()), "another key did not sign it")
        #expect(try OrganisationCertificate(pem: lenient.pem).der == bytes)
    }

    @Test func aSignatureOverTheDEREncodingDoesNotVerifyForTheBERBytes() throws {
        let lenient = try OrganisationCertificate(der: try Self.ber(try Self.strict(), signDER: true))
        #expect(lenient.readLeniently)
        #expect(!lenient.isIssued(by: Self.authority.certificate), "the signature must cover the bytes as published, not their re-encoding")
    }

    @Test func anIndefiniteLengthCertificateIsReadAndVerifies() throws {
        let lenient = try OrganisationCertificate(der: try Self.ber(try Self.strict(), outerIndefinite: true))
        #expect(lenient.readLeniently && lenient.isIssued(by: Self.authority.certificate))
    }

    @Test func theReferenceCertificateWithANonMinimalSignatureIntegerIsReadAndKeepsItsBytes() throws {
        let certificate = try ConformanceFixtures.certificate("00db12345678909b", "ds")
        #expect(certificate.readLeniently)
        #expect(certificate.deviceId == EUI64("00-DB-12-34-56-78-90-9B"))
        #expect(certificate.keyUsage == .digitalSigning)
        let text = try String(contentsOf: ConformanceFixtures.folder.appendingPathComponent("keystore/00db12345678909b-ds.pem"), encoding: .utf8)
        #expect(try PEMDocument(pemString: text).derBytes == certificate.der)
    }

    // MARK: Hostile bytes

    @Test func everyTruncationIsRefused() throws {
        let bytes = try Self.ber(try Self.strict())
        for length in 0..<bytes.count {
            #expect(throws: CertificateCheckError.self, "\(length) bytes") { try OrganisationCertificate(der: Array(bytes.prefix(length))) }
        }
    }

    @Test func trailingBytesAreRefused() throws {
        for certificate in [try Self.strict().der, try Self.ber(try Self.strict())] {
            for tail in [[0x00], [0x00, 0x00], [0x30, 0x00], [UInt8](repeating: 0xFF, count: 100)] as [[UInt8]] {
                #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: certificate + tail) }
            }
        }
    }

    @Test(arguments: [
        [0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x89, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], [0x8F] + [UInt8](repeating: 0xFF, count: 15), [0xFF],
    ] as [[UInt8]])
    func anOversizedLengthIsRefused(length: [UInt8]) throws {
        let bytes = try Self.ber(try Self.strict())
        let content = try Self.contentAfterOuterHeader(bytes)
        #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: [0x30] + length + content) }
        // The same length on the to-be-signed part inside.
        #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: BERWriter.tagged(0x30, [0x30] + length + Array(content.dropFirst(4)))) }
    }

    @Test func deeplyNestedIndefiniteLengthsAreRefusedWithoutExhaustingTheStack() {
        for depth in [51, 1_000, 100_000] {
            let bomb: [UInt8] = (0..<depth * 2).map { $0 % 2 == 0 ? 0x30 : 0x80 }
            #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: bomb) }
            #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: bomb + [UInt8](repeating: 0, count: depth * 2)) }
        }
    }

    @Test func anUnterminatedIndefiniteLengthIsRefused() throws {
        let bytes = try Self.ber(try Self.strict(), outerIndefinite: true)
        #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: Array(bytes.dropLast(2))) }
        #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: [0x30, 0x80]) }
    }

    /// Thousands of one-byte changes: each is refused or read, none traps; and one that still
    /// verifies left the to-be-signed bytes as they were.
    @Test func mutatedCertificatesNeverTrapAndOnlyAnUnchangedToBeSignedPartVerifies() throws {
        let bytes = try Self.ber(try Self.strict())
        let toBeSigned = Array(try Self.children(try BER.parse(bytes))[0].encodedBytes)
        var generator = SplitMix64(seed: 30)
        for _ in 0..<4_000 {
            var mutated = bytes
            let index = Int(generator.next() % UInt64(mutated.count))
            mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            guard let read = try? OrganisationCertificate(der: mutated) else { continue }
            if read.isIssued(by: Self.authority.certificate) {
                #expect(mutated.containsSequence(toBeSigned), "byte \(index) changed the signed part and it still verifies")
            }
        }
    }

    static func contentAfterOuterHeader(_ bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count > 2, bytes[1] & 0x80 != 0 else { throw ASN1Error.invalidASN1Object(reason: "short form") }
        return Array(bytes.dropFirst(2 + Int(bytes[1] & 0x7F)))
    }
}

/// Writes an ASN.1 tree as BER that DER forbids: lengths in a long form one octet longer than
/// needed, INTEGERs with a redundant leading `00`.
enum BERWriter {
    static func write(_ node: ASN1Node) -> [UInt8] {
        let identifier = node.identifier
        let constructed: Bool
        var content: [UInt8]
        switch node.content {
        case .constructed(let children):
            constructed = true
            content = children.flatMap(write)
        case .primitive(let bytes):
            constructed = false
            content = Array(bytes)
            if identifier == .integer, let first = content.first, first & 0x80 == 0 { content.insert(0x00, at: 0) }
        }
        let classBits: UInt8 = switch identifier.tagClass {
        case .universal: 0x00
        case .application: 0x40
        case .contextSpecific: 0x80
        case .private: 0xC0
        }
        return tagged(classBits | (constructed ? 0x20 : 0) | UInt8(identifier.tagNumber), content)
    }

    /// A tag, a two-octet long-form length (`82 hi lo`, longer than DER's for short contents), and the content.
    static func tagged(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag, 0x82, UInt8(content.count >> 8), UInt8(content.count & 0xFF)] + content
    }
}

/// More hostile shapes, each refused or read without trapping.
@Suite struct HostileCertificateShapeTests {
    typealias L = LenientCertificateTests

    /// The certificate's parts, for rebuilding it with one changed.
    static func parts() throws -> [ASN1Node] { try L.children(try BER.parse(try L.ber(try L.strict()))) }

    @Test func aSignatureBitStringWithUnusedBitsIsRefused() throws {
        let parts = try Self.parts()
        guard case .primitive(let signature) = parts[2].content else { Issue.record("not primitive"); return }
        let bytes = BERWriter.tagged(0x30, Array(parts[0].encodedBytes) + Array(parts[1].encodedBytes)
            + BERWriter.tagged(0x03, [0x01] + Array(signature.dropFirst())))
        #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(der: bytes) }
    }

    /// A certificate the CA signed with an extension whose value nests 20,000 indefinite
    /// lengths, its outer length then written in BER: read, the value left as it is, no trap.
    @Test func anExtensionValueThatIsAnIndefiniteLengthBombDoesNotTrap() throws {
        let bomb: [UInt8] = (0..<20_000).flatMap { _ in [0x30, 0x80] as [UInt8] }
        let issued = try X509.Certificate(
            version: .v3, serialNumber: X509.Certificate.SerialNumber(bytes: [0x07]), publicKey: .init(P256.Signing.PrivateKey().publicKey),
            notValidBefore: Date(timeIntervalSince1970: 1_700_000_000), notValidAfter: Date(timeIntervalSince1970: 1_800_000_000),
            issuer: L.authority.certificate.certificate.subject, subject: L.authority.certificate.certificate.subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try X509.Certificate.Extensions([X509.Certificate.Extension(oid: [1, 2, 3, 4], critical: false, value: bomb[...])]),
            issuerPrivateKey: .init(L.authority.key))
        var serializer = DER.Serializer()
        try serializer.serialize(issued)
        let der = serializer.serializedBytes
        let content = try L.contentAfterOuterHeader(der)
        let ber = [0x30, 0x84, 0, 0, UInt8(content.count >> 8), UInt8(content.count & 0xFF)] + content
        let read = try OrganisationCertificate(der: ber)
        #expect(read.readLeniently && read.isIssued(by: L.authority.certificate))
        #expect(read.certificate.extensions.first { $0.oid == [1, 2, 3, 4] }.map { Array($0.value) } == bomb)
    }

    @Test func pemThatIsNotBase64OrHoldsNoCertificateIsRefused() {
        for text in ["", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----\nMIIB\n",
                     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", String(repeating: "A", count: 100_000)] {
            #expect(throws: CertificateCheckError.self) { try OrganisationCertificate(pem: text) }
        }
    }
}
