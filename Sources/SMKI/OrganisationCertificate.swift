import AnchorCore
import Crypto
import GBCS
import SwiftASN1
import X509

/// An X.509 certificate read the way a GPF and the DCC read an SMKI Organisation Certificate:
/// the role from the subject's OU, the entity ID from its x500UniqueIdentifier (2.5.4.45), the
/// one key usage, the 8-octet subject key identifier and the ECDSA P-256 public key.
///
/// Certificates that are not strict DER, as some of DCC's own are, are read through a strict
/// re-encoding (``readLeniently``); their bytes stay as published (``der``), and
/// ``isIssued(by:)`` checks the issuer's signature over those bytes.
public struct OrganisationCertificate: Sendable {
    /// The OID of x500UniqueIdentifier.
    public static let uniqueIdentifierOID: ASN1ObjectIdentifier = [2, 5, 4, 45]

    /// The certificate's bytes exactly as published: DER, or, when ``readLeniently``, BER.
    public let der: [UInt8]
    /// Whether the bytes are not strict DER (an INTEGER not in its fewest octets, a length not in
    /// its shortest form) and the fields were read from their DER re-encoding.
    public let readLeniently: Bool
    /// The parsed certificate.
    public let certificate: X509.Certificate
    /// The role the OU names, if it names one (`02` supplier, `03` network operator, `04` ACB, ...).
    public let role: OrganisationRole?
    /// The OU text as written.
    public let organisationalUnit: String?
    /// The entity ID from x500UniqueIdentifier.
    public let entityId: EUI64?
    /// Digital Signing or Key Agreement, when the key usage extension says exactly one of them.
    public let keyUsage: AnchorCore.KeyUsage?
    /// Whether the key usage extension is marked critical.
    public let keyUsageIsCritical: Bool
    /// The subject key identifier octets.
    public let keyIdentifier: [UInt8]
    /// The ECDSA P-256 public key, if the key is one.
    public let publicKey: P256.Signing.PublicKey?
    /// A device certificate's device ID: the `hwSerialNum` of its subjectAltName hardwareModuleName.
    public let deviceId: EUI64?
    /// The public key for ECDH (a Key Agreement certificate's use), if it is P-256.
    public let keyAgreementKey: P256.KeyAgreement.PublicKey?

    /// Reads a certificate: DER, or the BER that real SMKI material holds (see ``readLeniently``).
    /// - Throws: ``CertificateCheckError`` (`unreadable`) when it is not an X.509 certificate.
    public init(der: [UInt8]) throws(CertificateCheckError) {
        let certificate: X509.Certificate
        do {
            certificate = try X509.Certificate(derEncoded: der)
            readLeniently = false
        } catch {
            guard let reencoded = try? LenientCertificateDER.reencoded(der),
                  let parsed = try? X509.Certificate(derEncoded: reencoded)
            else { throw CertificateCheckError(.unreadable, "not an X.509 certificate: \(error)") }
            certificate = parsed
            readLeniently = true
        }
        self.der = der
        self.certificate = certificate
        var unit: String?
        var entity: EUI64?
        for attribute in certificate.subject.flatMap({ $0 }) {
            if attribute.type == .RDNAttributeType.organizationalUnitName {
                unit = String(attribute.value)
            } else if attribute.type == OrganisationCertificate.uniqueIdentifierOID,
                      let bits = try? ASN1BitString(asn1Any: ASN1Any(attribute.value)), bits.bytes.count == 8 {
                entity = EUI64(rawValue: bits.bytes.reduce(0) { $0 << 8 | UInt64($1) })
            }
        }
        organisationalUnit = unit
        role = unit.flatMap { text in
            OrganisationRole.allCases.first { role in
                text.count == 2 && UInt8(text) == role.remotePartyRoleCode
            }
        }
        entityId = entity
        let usage = (try? certificate.extensions.keyUsage) ?? nil
        switch (usage?.digitalSignature, usage?.keyAgreement, usage?.keyCertSign, usage?.cRLSign) {
        case (true, false, false, false): keyUsage = .digitalSigning
        case (false, true, false, false): keyUsage = .keyAgreement
        default: keyUsage = nil
        }
        keyUsageIsCritical = certificate.extensions.first { $0.oid == .X509ExtensionID.keyUsage }?.critical ?? false
        keyIdentifier = ((try? certificate.extensions.subjectKeyIdentifier) ?? nil).map { Array($0.keyIdentifier) } ?? []
        publicKey = P256.Signing.PublicKey(certificate.publicKey)
        deviceId = OrganisationCertificate.hardwareModuleSerial(certificate)
        keyAgreementKey = publicKey.flatMap { try? P256.KeyAgreement.PublicKey(rawRepresentation: $0.rawRepresentation) }
    }

    /// The 8-octet `hwSerialNum` of a subjectAltName otherName hardwareModuleName, as an EUI-64.
    private static func hardwareModuleSerial(_ certificate: X509.Certificate) -> EUI64? {
        guard let names = (try? certificate.extensions.subjectAlternativeNames) ?? nil else { return nil }
        for name in names {
            var serializer = DER.Serializer()
            guard case .otherName(let other) = name, other.typeID == DemoIssuingAuthority.hardwareModuleNameOID,
                  let value = other.value, (try? serializer.serialize(value)) != nil,
                  let node = try? DER.parse(serializer.serializedBytes), case .constructed(let children) = node.content
            else { continue }
            let members = Array(children)
            guard members.count == 2, case .primitive(let serial) = members[1].content, serial.count == 8 else { continue }
            return EUI64(rawValue: serial.reduce(0) { $0 << 8 | UInt64($1) })
        }
        return nil
    }

    /// Reads a PEM certificate (the first `CERTIFICATE` block).
    /// - Throws: ``CertificateCheckError`` (`unreadable`).
    public init(pem: String) throws(CertificateCheckError) {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem)
        } catch {
            throw CertificateCheckError(.unreadable, "not a PEM certificate (no readable BEGIN CERTIFICATE block)")
        }
        guard document.discriminator == "CERTIFICATE" else {
            throw CertificateCheckError(.unreadable, "the PEM block is a \(document.discriminator), not a CERTIFICATE")
        }
        try self.init(der: document.derBytes)
    }

    /// The PEM text.
    public var pem: String {
        PEMDocument(type: "CERTIFICATE", derBytes: der).pemString
    }

    /// What a device reads from this certificate, under the ID the store knows it by.
    public func subject(id: String) -> CertificateSubject? {
        guard let entityId, let role, let keyUsage else { return nil }
        return CertificateSubject(certificateId: id, entityId: entityId, role: role, keyUsage: keyUsage)
    }

    /// The serial number in hex.
    public var serial: String { Hex.string(certificate.serialNumber.bytes, separator: ":") }

    /// The subject as text (`OU=03, x500UniqueIdentifier=90-B3-...`).
    public var subjectText: String {
        certificate.subject.flatMap { $0 }.map { attribute in
            if attribute.type == OrganisationCertificate.uniqueIdentifierOID {
                return "x500UniqueIdentifier=" + (entityId?.description ?? "?")
            }
            let name = attribute.type == .RDNAttributeType.organizationalUnitName ? "OU"
                : attribute.type == .RDNAttributeType.commonName ? "CN" : attribute.type.description
            return name + "=" + (String(attribute.value) ?? "?")
        }.joined(separator: ", ")
    }

    /// The key usage bits as text (`digitalSignature`, `keyAgreement`, or the list it has).
    public var keyUsageText: String {
        ((try? certificate.extensions.keyUsage) ?? nil).map { "\($0)" } ?? "none"
    }

    /// SHA-1 of the DER, as hex.
    public var sha1: String { Hex.string(Insecure.SHA1.hash(data: der)) }
    /// SHA-256 of the DER, as hex.
    public var sha256: String { Hex.string(SHA256.hash(data: der)) }

    /// The public key's algorithm, for messages (`ECDSA P-256`, `ECDSA P-384`, ...).
    public var keyAlgorithm: String {
        if publicKey != nil { return "ECDSA P-256" }
        if P384.Signing.PublicKey(certificate.publicKey) != nil { return "ECDSA P-384" }
        if P521.Signing.PublicKey(certificate.publicKey) != nil { return "ECDSA P-521" }
        return "a key that is not ECDSA P-256"
    }


    /// Whether `issuer`'s key made this certificate's signature, over its to-be-signed part
    /// exactly as published (for a certificate read leniently, not over its re-encoding).
    public func isIssued(by issuer: OrganisationCertificate) -> Bool {
        guard readLeniently else { return issuer.certificate.publicKey.isValidSignature(certificate.signature, for: certificate) }
        guard let parts = try? LenientCertificateDER.signedParts(der) else { return false }
        return issuer.certificate.publicKey.isValidSignature(parts.signature, for: parts.toBeSigned, signatureAlgorithm: certificate.signatureAlgorithm)
    }

    /// Whether a 64-octet r‖s signature over `message` verifies with this certificate's key.
    public func verifies(signature: [UInt8], over message: [UInt8]) -> Bool {
        guard let publicKey, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return publicKey.isValidSignature(parsed, for: message)
    }

    /// Checks it is an Organisation Certificate for `organisation`: P-256, the organisation's role
    /// as OU, its entity ID, and a critical key usage of exactly digitalSignature or keyAgreement.
    /// - Throws: ``CertificateCheckError`` with the first reason it is not.
    public func check(for organisation: Organisation) throws(CertificateCheckError) {
        guard publicKey != nil else {
            throw CertificateCheckError(.wrongCurve, "the key is \(keyAlgorithm); SMKI Organisation Certificates use ECDSA P-256")
        }
        guard let unit = organisationalUnit else {
            throw CertificateCheckError(.missingField, "the subject has no OU (the remote-party role code)")
        }
        let expected = organisation.role.remotePartyRoleCode < 10 ? "0\(organisation.role.remotePartyRoleCode)" : "\(organisation.role.remotePartyRoleCode)"
        guard role == organisation.role else {
            throw CertificateCheckError(.wrongRole, "the subject's OU is '\(unit)'\(role.map { " (\($0.label))" } ?? ""), but \(organisation.id) is a \(organisation.role.label) (OU \(expected))")
        }
        guard let keyUsage, keyUsageIsCritical else {
            throw CertificateCheckError(.wrongKeyUsage, "key usage is \(keyUsageText)\(keyUsageIsCritical ? "" : " (not critical)"); it must be critical and exactly digitalSignature or keyAgreement")
        }
        _ = keyUsage
        guard let entityId else {
            throw CertificateCheckError(.missingField, "the subject has no x500UniqueIdentifier (2.5.4.45) of 8 octets")
        }
        guard entityId == organisation.entityId else {
            throw CertificateCheckError(.wrongEntity, "the subject's entity ID is \(entityId), but \(organisation.id)'s is \(organisation.entityId)")
        }
    }
}
