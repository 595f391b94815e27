import AnchorCore
import Crypto
import Foundation
import SwiftASN1
import X509

/// A demo SMKI issuing CA that issues Organisation Certificates shaped like SMKI's:
/// ECDSA P-256, subject OU = role code and x500UniqueIdentifier = entity ID, a critical key
/// usage of exactly digitalSignature or keyAgreement, 8-octet subject and authority key identifiers.
///
/// *(model)* It is not the SMKI: no certificate policies, one issuing CA for every
/// organisation, and the Root and Recovery "certificates" are issued like organisations'
/// (OU `00` and `01`) so every Trust Anchor Cell holds a real certificate.
public struct DemoIssuingAuthority: Sendable {
    /// The CA's private key.
    public let key: P256.Signing.PrivateKey
    /// The CA's self-signed certificate.
    public let certificate: OrganisationCertificate

    /// The common name of the demo Organisation CA.
    public static let organisationCAName = "AnchorDesk demo issuing CA"
    /// The common name of the demo Device CA.
    public static let deviceCAName = "AnchorDesk demo Device CA"

    /// Creates the CA with this key, valid from `validFrom` for 30 years.
    /// - Parameter commonName: the CA's name (subject and issuer), OU `07` (issuing authority).
    /// - Throws: when the certificate cannot be built (it can always be for a P-256 key).
    public init(key: P256.Signing.PrivateKey, validFrom: Date, commonName: String = organisationCAName) throws {
        self.key = key
        let name = (try? DistinguishedName {
            OrganizationalUnitName("07")
            CommonName(commonName)
        }) ?? DistinguishedName()
        let identifier = DemoIssuingAuthority.keyIdentifier(of: key.publicKey)
        let certificate = try X509.Certificate(
            version: .v3, serialNumber: X509.Certificate.SerialNumber(bytes: [0x01]),
            publicKey: .init(key.publicKey), notValidBefore: validFrom,
            notValidAfter: validFrom.addingTimeInterval(30 * 365 * 86_400), issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try X509.Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(X509.KeyUsage(keyCertSign: true))
                SubjectKeyIdentifier(keyIdentifier: identifier[...])
            },
            issuerPrivateKey: .init(key))
        self.certificate = try OrganisationCertificate(der: try DemoIssuingAuthority.serialize(certificate))
    }

    /// Reloads a CA from its key and certificate.
    public init(key: P256.Signing.PrivateKey, certificate: OrganisationCertificate) {
        self.key = key
        self.certificate = certificate
    }

    /// Issues an Organisation Certificate for `organisation`'s `usage` key.
    /// - Parameters:
    ///   - serial: the serial number's octets (the caller chooses: random at `init`, fixed in tests).
    ///   - validFrom: the start of validity; it lasts 10 years.
    /// - Throws: when the certificate cannot be built.
    public func issue(
        for organisation: Organisation, usage: AnchorCore.KeyUsage, publicKey: P256.Signing.PublicKey, serial: [UInt8], validFrom: Date
    ) throws -> OrganisationCertificate {
        let code = organisation.role.remotePartyRoleCode
        return try issue(
            entity: organisation.entityId, organisationalUnit: code < 10 ? "0\(code)" : "\(code)", usage: usage,
            publicKey: publicKey, serial: serial, validFrom: validFrom)
    }

    /// Issues a certificate for `entity` whose subject OU is `organisationalUnit`: an Organisation
    /// Certificate's role code, or `87` / `89` for a DUIS XML-signing certificate (a User's / the DSP's).
    /// - Throws: when the certificate cannot be built.
    public func issue(
        entity: EUI64, organisationalUnit: String, usage: AnchorCore.KeyUsage, publicKey: P256.Signing.PublicKey, serial: [UInt8],
        validFrom: Date
    ) throws -> OrganisationCertificate {
        let subject = DistinguishedName([
            RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
                type: .RDNAttributeType.organizationalUnitName, utf8String: organisationalUnit)),
            RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
                type: OrganisationCertificate.uniqueIdentifierOID,
                value: try ASN1Any(erasing: ASN1BitString(bytes: entity.octets[...])))),
        ])
        let caIdentifier = certificate.keyIdentifier
        let certificate = try X509.Certificate(
            version: .v3, serialNumber: X509.Certificate.SerialNumber(bytes: serial), publicKey: .init(publicKey),
            notValidBefore: validFrom, notValidAfter: validFrom.addingTimeInterval(10 * 365 * 86_400),
            issuer: self.certificate.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try X509.Certificate.Extensions {
                Critical(usage == .digitalSigning ? X509.KeyUsage(digitalSignature: true) : X509.KeyUsage(keyAgreement: true))
                SubjectKeyIdentifier(keyIdentifier: DemoIssuingAuthority.keyIdentifier(of: publicKey)[...])
                AuthorityKeyIdentifier(keyIdentifier: caIdentifier[...])
            },
            issuerPrivateKey: .init(key))
        return try OrganisationCertificate(der: try DemoIssuingAuthority.serialize(certificate))
    }

    /// The 8-octet key identifier: the first 8 octets of SHA-1 over the public key point. *(model)*
    public static func keyIdentifier(of key: P256.Signing.PublicKey) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: key.x963Representation).prefix(8))
    }

    static func serialize(_ certificate: X509.Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
