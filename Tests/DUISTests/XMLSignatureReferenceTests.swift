import Crypto
import DUIS
import Foundation
import SMKI
import Testing

/// XMLDSig against DCC's own signed messages: if libxml2's canonical forms or the signature
/// rules here differed from DCC Boxed's, these would not verify.
@Suite struct XMLSignatureReferenceTests {
    private func verify(_ file: String, with certificates: [String]) throws -> XMLSignature.KeyName {
        let known = try certificates.map(DUISFixtures.certificate)
        return try XMLSignature.verify(try DUISFixtures.bytes(file)) { name throws(XMLSignatureError) in
            guard let match = known.first(where: { $0.decimalSerial == name.serial }), let key = match.publicKey else {
                throw .unknownSigner(name.serial)
            }
            return key
        }.signer
    }

    @Test func dccBoxedResponsesVerify() throws {
        let certificates = ["Z1-accessControlBroker-ds.pem", "Z1-accessControlBroker-dSPXmlSign.pem", "dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1.pem"]
        let ecs52 = try verify("ECS52_11.2_SUCCESS_RESPONSE_DUIS.XML", with: certificates)
        #expect(ecs52 == XMLSignature.KeyName(issuer: "CN=Z1,OU=07", serial: "117636141832862931915946451229571981153"))
        _ = try verify("read-inventory-response-5.4.xml", with: certificates)
        _ = try verify("readfw-response.xml", with: certificates)
    }

    @Test func theBrokenReferenceSignatureIsRefused() {
        #expect(throws: XMLSignatureError.self) {
            _ = try verify("readfw-response-badsignature.xml", with: ["dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1.pem"])
        }
    }

    @Test func aChangedByteInAReferenceResponseIsRefused() throws {
        var bytes = try DUISFixtures.bytes("ECS52_11.2_SUCCESS_RESPONSE_DUIS.XML")
        let code = Array("<sr:ResponseCode>I0".utf8)
        let at = try #require((0...(bytes.count - code.count)).first { bytes[$0..<($0 + code.count)].elementsEqual(code) })
        bytes[at + code.count - 1] = UInt8(ascii: "9")
        let key = try #require(try DUISFixtures.certificate("Z1-accessControlBroker-ds.pem").publicKey)
        #expect(throws: XMLSignatureError.digestMismatch) {
            _ = try XMLSignature.verify(bytes) { _ throws(XMLSignatureError) in key }
        }
    }

    @Test func serialsAreWrittenInDecimalAndIssuersAsDCCWritesThem() throws {
        let certificate = try DUISFixtures.certificate("Z1-accessControlBroker-ds.pem")
        #expect(certificate.decimalSerial == "117636141832862931915946451229571981153")
        #expect(certificate.issuerName == "CN=Z1,OU=07")
        #expect(certificate.xmlSigningRole == nil)
        #expect(try DUISFixtures.certificate("xml-sign-90B3D51F30020000-ds.pem").xmlSigningRole == .user)
        #expect(try DUISFixtures.certificate("Z1-accessControlBroker-dSPXmlSign.pem").xmlSigningRole == .dsp)
    }
}
