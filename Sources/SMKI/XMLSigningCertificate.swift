import AnchorCore
import Foundation
import X509

/// The DUIS XML-signing roles, written as the subject OU of the certificate (SMKI role codes
/// 135 and 137; DCC's test certificates write them `87` and `89`, the codes in hex).
public enum XMLSigningRole: String, Sendable, CaseIterable {
    /// A DCC User signing its DUIS requests.
    case user = "87"
    /// The DSP signing its DUIS responses.
    case dsp = "89"
}

extension OrganisationCertificate {
    /// The XML-signing role its OU names, if it is an XML-signing certificate.
    public var xmlSigningRole: XMLSigningRole? {
        organisationalUnit.flatMap(XMLSigningRole.init(rawValue:))
    }

    /// The issuer as `X509IssuerName` writes it (RFC 4514: `CN=...,OU=07`).
    public var issuerName: String {
        String(describing: certificate.issuer)
    }

    /// The serial number in decimal, as `X509SerialNumber` writes it.
    public var decimalSerial: String {
        var digits: [UInt8] = []
        var number = Array(certificate.serialNumber.bytes)
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in number.indices {
                let value = remainder << 8 | Int(number[index])
                number[index] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(remainder))
        }
        return digits.isEmpty ? "0" : String(digits.reversed().map { Character(String($0)) })
    }

    /// Checks it can sign DUIS XML for `entity` in `role`: ECDSA P-256, that OU, that entity ID,
    /// a critical digitalSignature key usage, not a CA, valid at `now` and issued (signed) by `issuer`.
    /// - Throws: ``CertificateCheckError`` with the first reason it cannot.
    public func checkXMLSigning(role: XMLSigningRole, entity: EUI64, issuer: OrganisationCertificate, now: Date) throws(CertificateCheckError) {
        try checkXMLSigning(role: role, entity: entity)
        guard ((try? certificate.extensions.basicConstraints) ?? nil).map({ $0 == .notCertificateAuthority }) ?? true else {
            throw CertificateCheckError(.wrongKeyUsage, "it is a CA certificate; an XML-signing certificate is an end entity's")
        }
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw CertificateCheckError(.notValidNow, "it is valid from \(certificate.notValidBefore) to \(certificate.notValidAfter), not now")
        }
        guard certificate.issuer == issuer.certificate.subject, isIssued(by: issuer) else {
            throw CertificateCheckError(.untrusted, "it is not issued by this store's issuing CA (\(issuer.subjectText))")
        }
    }

    /// The checks of ``checkXMLSigning(role:entity:issuer:now:)`` that need no issuer or clock.
    /// - Throws: ``CertificateCheckError`` with the first reason it cannot.
    public func checkXMLSigning(role: XMLSigningRole, entity: EUI64) throws(CertificateCheckError) {
        guard publicKey != nil else {
            throw CertificateCheckError(.wrongCurve, "the key is \(keyAlgorithm); XML-signing certificates use ECDSA P-256")
        }
        guard xmlSigningRole == role else {
            throw CertificateCheckError(.wrongRole, "the subject's OU is '\(organisationalUnit ?? "none")'; an XML-signing certificate of this role has OU \(role.rawValue)")
        }
        guard keyUsage == .digitalSigning, keyUsageIsCritical else {
            throw CertificateCheckError(.wrongKeyUsage, "key usage is \(keyUsageText); it must be critical and exactly digitalSignature")
        }
        guard entityId == entity else {
            throw CertificateCheckError(.wrongEntity, "the subject's entity ID is \(entityId?.description ?? "missing"), not \(entity)")
        }
    }
}
