import AnchorCore
import Crypto
import Foundation
import SMKI
import SwiftASN1
import Testing
import X509

@Suite("Organisation Certificates: shape, and refusals on import")
struct CertificateCheckTests {
    static let cadent = Organisation(id: "cadent", name: "Cadent", role: .networkOperator,
                                     entityId: EUI64(rawValue: 0x90B3_D51F_3000_0011), dccUser: true, subscribed: true)
    static let acb = Organisation(id: "dcc-acb", name: "ACB", role: .acb, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0004),
                                  dccUser: true, subscribed: true)
    static let authority = try! DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: Date(timeIntervalSince1970: 1_700_000_000))

    @Test func issuedCertificatesAreShapedLikeSMKIs() throws {
        let key = P256.Signing.PrivateKey()
        let issued = try CertificateCheckTests.authority.issue(
            for: CertificateCheckTests.cadent, usage: .keyAgreement, publicKey: key.publicKey, serial: [1, 2, 3],
            validFrom: Date(timeIntervalSince1970: 1_700_000_000))
        let read = try OrganisationCertificate(pem: issued.pem)
        #expect(read.role == .networkOperator)
        #expect(read.organisationalUnit == "03")
        #expect(read.entityId == CertificateCheckTests.cadent.entityId)
        #expect(read.keyUsage == .keyAgreement && read.keyUsageIsCritical)
        #expect(read.keyIdentifier.count == 8)
        #expect(try read.certificate.extensions.authorityKeyIdentifier?.keyIdentifier.map(Array.init) == CertificateCheckTests.authority.certificate.keyIdentifier)
        #expect(read.sha256.count == 64 && read.sha1.count == 40)
        try read.check(for: CertificateCheckTests.cadent)
    }

    @Test func aPublicSupplierCertificateIsRefusedForANetworkOperator() throws {
        let supplier = try OrganisationCertificate(pem: ReferenceMessages.supplierSigningCertificate)
        #expect(supplier.role == .supplier && supplier.keyUsage == .digitalSigning)
        #expect(supplier.entityId == EUI64("90-B3-D5-1F-30-03-00-00"))
        #expect(throws: CertificateCheckError.self) { try supplier.check(for: CertificateCheckTests.cadent) }
        do { try supplier.check(for: CertificateCheckTests.cadent) } catch { #expect(error.code == .wrongRole) }
    }

    @Test func aPublicACBCertificateIsRefusedForAnotherEntity() throws {
        let acb = try OrganisationCertificate(pem: ReferenceMessages.acbSigningCertificate)
        #expect(acb.role == .acb)
        do {
            try acb.check(for: CertificateCheckTests.acb)
            Issue.record("accepted a certificate for entity 90-B3-D5-1F-30-00-00-02 as 90-B3-D5-1F-30-00-00-04")
        } catch { #expect(error.code == .wrongEntity) }
        var sameEntity = CertificateCheckTests.acb
        sameEntity.entityId = EUI64(rawValue: 0x90B3_D51F_3000_0002)
        try acb.check(for: sameEntity)
    }

    @Test func aCACertificateHasTheWrongKeyUsage() throws {
        var organisation = CertificateCheckTests.cadent
        organisation.role = .root
        let ca = try OrganisationCertificate(der: CertificateCheckTests.authority.certificate.der)
        do { try ca.check(for: organisation) } catch { #expect(error.code == .wrongRole || error.code == .wrongKeyUsage) }
        // OU 07 names no role here, so give it an organisation whose role check passes by building one with OU 03.
        let key = P256.Signing.PrivateKey()
        let both = try X509.Certificate(
            version: .v3, serialNumber: .init(bytes: [9]), publicKey: .init(key.publicKey),
            notValidBefore: Date(timeIntervalSince1970: 1_700_000_000), notValidAfter: Date(timeIntervalSince1970: 1_800_000_000),
            issuer: CertificateCheckTests.authority.certificate.certificate.subject,
            subject: try subject(for: CertificateCheckTests.cadent), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try .init { Critical(X509.KeyUsage(digitalSignature: true, keyAgreement: true)) },
            issuerPrivateKey: .init(CertificateCheckTests.authority.key))
        let twoUsages = try OrganisationCertificate(der: try serialize(both))
        do {
            try twoUsages.check(for: CertificateCheckTests.cadent)
            Issue.record("accepted a certificate with two key usages")
        } catch { #expect(error.code == .wrongKeyUsage) }
    }

    @Test func aP384CertificateHasTheWrongCurve() throws {
        let key = P384.Signing.PrivateKey()
        let certificate = try X509.Certificate(
            version: .v3, serialNumber: .init(bytes: [7]), publicKey: .init(key.publicKey),
            notValidBefore: Date(timeIntervalSince1970: 1_700_000_000), notValidAfter: Date(timeIntervalSince1970: 1_800_000_000),
            issuer: try subject(for: CertificateCheckTests.cadent), subject: try subject(for: CertificateCheckTests.cadent),
            signatureAlgorithm: .ecdsaWithSHA384,
            extensions: try .init { Critical(X509.KeyUsage(digitalSignature: true)) }, issuerPrivateKey: .init(key))
        let p384 = try OrganisationCertificate(der: try serialize(certificate))
        do {
            try p384.check(for: CertificateCheckTests.cadent)
            Issue.record("accepted a P-384 key")
        } catch {
            #expect(error.code == .wrongCurve)
            #expect(error.reason.contains("P-384"))
        }
    }

    @Test func textThatIsNotACertificateIsUnreadable() {
        do { _ = try OrganisationCertificate(pem: "hello") } catch { #expect(error.code == .unreadable) }
    }

    func subject(for organisation: Organisation) throws -> DistinguishedName {
        DistinguishedName([
            RelativeDistinguishedName(RelativeDistinguishedName.Attribute(type: .RDNAttributeType.organizationalUnitName, utf8String: "03")),
            RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
                type: OrganisationCertificate.uniqueIdentifierOID, value: try ASN1Any(erasing: ASN1BitString(bytes: organisation.entityId.octets[...])))),
        ])
    }

    func serialize(_ certificate: X509.Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
