import AnchorCore
import Crypto
import DUIS
@testable import DUISServer
import Foundation
import SMKI
import Testing

/// The signer's certificate must be valid when the request arrives, allowing a signer's clock
/// a few minutes ahead (a certificate made moments ago starts in whole seconds).
@Suite struct DUISAuthenticationTests {
    static let entity = EUI64(rawValue: 0x90B3_D51F_3000_0021)

    private func credentials(validFrom: Date) throws -> (XMLSigningCredentials, P256.Signing.PrivateKey, OrganisationCertificate) {
        let authority = try DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: validFrom.addingTimeInterval(-86_400))
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(entity: Self.entity, organisationalUnit: "87", usage: .digitalSigning, publicKey: key.publicKey,
                                              serial: [0x05], validFrom: validFrom)
        let dspKey = P256.Signing.PrivateKey()
        let dsp = try authority.issue(entity: EUI64(rawValue: 4), organisationalUnit: "89", usage: .digitalSigning, publicKey: dspKey.publicKey,
                                      serial: [0x06], validFrom: validFrom)
        return (XMLSigningCredentials(certificates: [Self.entity: certificate, EUI64(rawValue: 4): dsp], dspKey: dspKey, dspCertificate: dsp), key, certificate)
    }

    private func request(signedWith key: P256.Signing.PrivateKey, _ certificate: OrganisationCertificate) throws -> ParsedXML {
        let unsigned = DUISRequestDocument.requestHandover(
            requestID: DUISRequestID(originator: Self.entity, target: EUI64(rawValue: 1), counter: 1),
            certificates: .init(digitalSigning: certificate.der, keyAgreement: nil, path: [certificate.der]))
        return try ParsedXML(try XMLSignature.sign(unsigned, key: key, keyName: .init(issuer: certificate.issuerName, serial: certificate.decimalSerial)))
    }

    @Test func aCertificateMadeMomentsAgoIsGoodAndOneFromTheFutureIsNot() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000.4)
        let (fresh, freshKey, freshCertificate) = try credentials(validFrom: now.addingTimeInterval(0.9))
        let verified = try DUISAuthentication.verify(try request(signedWith: freshKey, freshCertificate), with: fresh, at: now)
        #expect(verified.request.requestID.originator == Self.entity)

        let (future, futureKey, futureCertificate) = try credentials(validFrom: now.addingTimeInterval(3_600))
        #expect(throws: DUISRefusal.self) {
            _ = try DUISAuthentication.verify(try request(signedWith: futureKey, futureCertificate), with: future, at: now)
        }
        let (expired, expiredKey, expiredCertificate) = try credentials(validFrom: now.addingTimeInterval(-11 * 365 * 86_400))
        #expect(throws: DUISRefusal.self) {
            _ = try DUISAuthentication.verify(try request(signedWith: expiredKey, expiredCertificate), with: expired, at: now)
        }
    }
}
