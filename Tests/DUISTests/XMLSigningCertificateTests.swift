import AnchorCore
import Crypto
import Foundation
import SMKI
import Testing

/// What makes a certificate one AnchorDesk takes as a User's XML-signing certificate.
@Suite struct XMLSigningCertificateTests {
    static let entity = EUI64(rawValue: 0x90B3_D51F_3000_0010)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func issue(by authority: DemoIssuingAuthority, unit: String = "87", validFrom: Date = now.addingTimeInterval(-86_400)) throws -> OrganisationCertificate {
        try authority.issue(entity: Self.entity, organisationalUnit: unit, usage: .digitalSigning, publicKey: P256.Signing.PrivateKey().publicKey,
                            serial: [0x01, 0x02], validFrom: validFrom)
    }

    @Test func onlyTheStoresCAsEndEntityCertificateValidNowIsTaken() throws {
        let ours = try DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: Self.now.addingTimeInterval(-1_000_000))
        let theirs = try DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: Self.now.addingTimeInterval(-1_000_000))
        try issue(by: ours).checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        #expect(throws: CertificateCheckError.self) {
            try issue(by: theirs).checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        }
        #expect(throws: CertificateCheckError.self) {
            try issue(by: ours, validFrom: Self.now.addingTimeInterval(86_400)).checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        }
        #expect(throws: CertificateCheckError.self) {
            try issue(by: ours, validFrom: Self.now.addingTimeInterval(-11 * 365 * 86_400)).checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        }
        #expect(throws: CertificateCheckError.self) {
            try issue(by: ours, unit: "89").checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        }
        #expect(throws: CertificateCheckError.self) {
            try ours.certificate.checkXMLSigning(role: .user, entity: Self.entity, issuer: ours.certificate, now: Self.now)
        }
    }
}
