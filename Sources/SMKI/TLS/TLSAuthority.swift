import Crypto
import Foundation
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#endif

/// A self-signed certificate authority for TLS (ECDSA P-256) that issues the DSP's server
/// certificate and the operators' client certificates for the operator API.
///
/// Its certificate is a CA's (basic constraints `CA:true`, critical, path length 0; key usage
/// keyCertSign and cRLSign, critical). Each certificate it issues is a leaf (`CA:false`), with key
/// usage digitalSignature, one extended key usage (serverAuth or clientAuth), a random 20-octet
/// serial and subject and authority key identifiers. Validity is always the caller's: no clock is read.
public struct TLSAuthority: Sendable {
    /// The organisation named in the subjects of the demo's CA and its operators.
    public static let demoOrganisationName = "AnchorDesk demo"

    private let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    /// The CA's certificate as PEM (`CERTIFICATE`): what a server or client is told to trust.
    public let certificatePEM: String
    /// The CA's private key as PKCS#8 PEM (`PRIVATE KEY`): needed only to issue more certificates.
    public var privateKeyPEM: String { key.pemRepresentation }
    /// The CA's subject as ``subject(ofCertificateDER:)`` writes it (`CN=...,O=AnchorDesk demo`).
    public var subject: String { String(describing: certificate.subject) }

    private init(certificate: Certificate, key: P256.Signing.PrivateKey) throws {
        self.certificate = certificate
        self.key = key
        certificatePEM = try certificate.serializeAsPEM().pemString
    }

    /// A new CA with a new key, its subject `CN=<commonName>,O=<organisationName>`.
    /// - Throws: ``TLSCredentialError`` `.emptyValidity` when `validUntil` is not after
    ///   `validFrom`, `.missingName` for an empty name; an error of swift-certificates' if it cannot be built.
    public static func generate(
        commonName: String, organisationName: String = demoOrganisationName, validFrom: Date, validUntil: Date
    ) throws -> TLSAuthority {
        try checkValidity(from: validFrom, until: validUntil)
        let key = P256.Signing.PrivateKey()
        let name = try distinguishedName(commonName: commonName, organisationName: organisationName)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: validFrom, notValidAfter: validUntil, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: keyIdentifier(of: key.publicKey)[...])
            },
            issuerPrivateKey: .init(key))
        return try TLSAuthority(certificate: certificate, key: key)
    }

    /// A CA saved earlier, read back from its certificate and key (to issue more certificates).
    /// - Throws: ``TLSCredentialError``: `.unreadableCertificate`, `.unreadableKey` (not P-256),
    ///   `.keyMismatch` when the key is not the certificate's, `.notAnAuthority` when the
    ///   certificate is not a CA's.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw TLSCredentialError.unreadableCertificate(form: "PEM")
        }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM) else {
            throw TLSCredentialError.unreadableKey
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw TLSCredentialError.keyMismatch
        }
        guard Self.isAuthority(certificate) else {
            throw TLSCredentialError.notAnAuthority
        }
        try self.init(certificate: certificate, key: key)
    }

    /// A server certificate for `hosts`, for TLS servers (extended key usage serverAuth): each
    /// host that is an IPv4 or IPv6 address is an IP address subject alternative name, any other
    /// a DNS name; the subject is `CN=<first host>`.
    /// - Throws: ``TLSCredentialError`` `.missingName` for no host or an empty one,
    ///   `.emptyValidity` for a validity that does not end after it starts.
    public func serverCredential(hosts: [String], validFrom: Date, validUntil: Date) throws -> TLSCredential {
        guard let first = hosts.first, !hosts.contains(where: \.isEmpty) else {
            throw TLSCredentialError.missingName
        }
        let names = hosts.map { host in
            Self.internetAddressOctets(host).map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) } ?? .dnsName(host)
        }
        return try issue(subject: try Self.distinguishedName(commonName: first, organisationName: nil), usage: .serverAuth,
                         alternativeNames: SubjectAlternativeNames(names), validFrom: validFrom, validUntil: validUntil)
    }

    /// A client certificate for TLS clients (extended key usage clientAuth), its subject
    /// `CN=<commonName>,O=<organisationName>`: an operator's, named in the DSP's grants by
    /// that subject (``subject(ofCertificatePEM:)``).
    /// - Throws: ``TLSCredentialError`` `.missingName` for an empty name, `.emptyValidity` for a
    ///   validity that does not end after it starts.
    public func clientCredential(commonName: String, organisationName: String, validFrom: Date, validUntil: Date) throws -> TLSCredential {
        try issue(subject: try Self.distinguishedName(commonName: commonName, organisationName: organisationName), usage: .clientAuth,
                  alternativeNames: nil, validFrom: validFrom, validUntil: validUntil)
    }

    /// The subject of a PEM certificate, written as swift-certificates writes a distinguished
    /// name (`CN=cadent,O=AnchorDesk demo`): how the DSP's grants name an operator.
    /// - Throws: ``TLSCredentialError`` `.unreadableCertificate`.
    public static func subject(ofCertificatePEM pem: String) throws -> String {
        guard let certificate = try? Certificate(pemEncoded: pem) else {
            throw TLSCredentialError.unreadableCertificate(form: "PEM")
        }
        return String(describing: certificate.subject)
    }

    /// The subject of a DER certificate (as a TLS peer presents it), written as
    /// ``subject(ofCertificatePEM:)`` writes it.
    /// - Throws: ``TLSCredentialError`` `.unreadableCertificate`.
    public static func subject(ofCertificateDER der: [UInt8]) throws -> String {
        guard let certificate = try? Certificate(derEncoded: der) else {
            throw TLSCredentialError.unreadableCertificate(form: "DER")
        }
        return String(describing: certificate.subject)
    }

    private func issue(
        subject: DistinguishedName, usage: ExtendedKeyUsage.Usage, alternativeNames: SubjectAlternativeNames?, validFrom: Date, validUntil: Date
    ) throws -> TLSCredential {
        try Self.checkValidity(from: validFrom, until: validUntil)
        let leafKey = P256.Signing.PrivateKey()
        let authorityIdentifier = Self.keyIdentifier(of: key.publicKey)
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: validFrom, notValidAfter: validUntil, issuer: certificate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                SubjectKeyIdentifier(keyIdentifier: Self.keyIdentifier(of: leafKey.publicKey)[...])
                AuthorityKeyIdentifier(keyIdentifier: authorityIdentifier[...])
                if let alternativeNames { alternativeNames }
            },
            issuerPrivateKey: .init(key))
        return TLSCredential(certificatePEM: try leaf.serializeAsPEM().pemString, privateKeyPEM: leafKey.pemRepresentation)
    }

    private static func isAuthority(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { return true }
        return false
    }

    private static func checkValidity(from start: Date, until end: Date) throws(TLSCredentialError) {
        guard end > start else { throw TLSCredentialError.emptyValidity }
    }

    /// `CN=<commonName>` and, when given, `O=<organisationName>` (written before the CN in the DER,
    /// so the rendering reads `CN=...,O=...`).
    private static func distinguishedName(commonName: String, organisationName: String?) throws -> DistinguishedName {
        guard !commonName.isEmpty, organisationName?.isEmpty != true else {
            throw TLSCredentialError.missingName
        }
        return try DistinguishedName {
            if let organisationName { OrganizationName(organisationName) }
            CommonName(commonName)
        }
    }

    /// The key identifier of RFC 5280 4.2.1.2 method (1): SHA-1 of the public key's point.
    private static func keyIdentifier(of key: P256.Signing.PublicKey) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: key.x963Representation))
    }

    /// The address's octets in network order when `host` is an IPv4 or IPv6 address.
    private static func internetAddressOctets(_ host: String) -> [UInt8]? {
        var version4 = in_addr()
        if inet_pton(AF_INET, host, &version4) == 1 { return withUnsafeBytes(of: &version4) { Array($0) } }
        var version6 = in6_addr()
        if inet_pton(AF_INET6, host, &version6) == 1 { return withUnsafeBytes(of: &version6) { Array($0) } }
        return nil
    }
}
