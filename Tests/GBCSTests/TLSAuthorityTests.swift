import Crypto
import Foundation
import SMKI
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509

/// The operator API's TLS certificates (issue 26): a CA, the DSP's server certificate and the
/// operators' client certificates, checked with swift-certificates' own chain verifier.
@Suite("TLS certificates for the operator API")
struct TLSAuthorityTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let year: TimeInterval = 365 * 86_400
    static let authority = try! TLSAuthority.generate(commonName: "AnchorDesk demo operator CA", validFrom: start,
                                                      validUntil: start.addingTimeInterval(10 * year))

    /// Whether `leafPEM` chains to `authorityPEM` at `time` under RFC 5280 and `identity` (a server's name).
    static func verifies(_ leafPEM: String, authorityPEM: String = authority.certificatePEM, at time: Date = start.addingTimeInterval(86_400),
                         serverHostname: String? = nil, serverIP: String? = nil) async throws -> Bool {
        let root = try Certificate(pemEncoded: authorityPEM)
        let leaf = try Certificate(pemEncoded: leafPEM)
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            if serverHostname != nil || serverIP != nil { ServerIdentityPolicy(serverHostname: serverHostname, serverIP: serverIP) }
        }
        if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) { return true }
        return false
    }

    @Test func theAuthorityIsASelfSignedP256CA() throws {
        let certificate = try Certificate(pemEncoded: Self.authority.certificatePEM)
        #expect(certificate.subject == certificate.issuer)
        #expect(String(describing: certificate.subject) == "CN=AnchorDesk demo operator CA,O=AnchorDesk demo")
        #expect(Self.authority.subject == "CN=AnchorDesk demo operator CA,O=AnchorDesk demo")
        let constraints = try certificate.extensions.basicConstraints
        #expect(constraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(certificate.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign && !usage.digitalSignature)
        #expect(certificate.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(certificate.notValidBefore == Self.start && certificate.notValidAfter == Self.start.addingTimeInterval(10 * Self.year))
        #expect(Self.authority.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(Self.authority.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    }

    @Test func theServerCertificateNamesItsHostsAsDNSNamesAndIPAddressesForServerAuthentication() async throws {
        let credential = try Self.authority.serverCredential(hosts: ["127.0.0.1", "::1", "localhost"], validFrom: Self.start,
                                                             validUntil: Self.start.addingTimeInterval(Self.year))
        let certificate = try Certificate(pemEncoded: credential.certificatePEM)
        let names = try #require(try certificate.extensions.subjectAlternativeNames)
        #expect(Array(names) == [
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: ArraySlice(repeating: 0, count: 15) + [1])),
            .dnsName("localhost"),
        ])
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.serverAuth])
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.keyUsage?.digitalSignature == true)
        #expect(String(describing: certificate.subject) == "CN=127.0.0.1")
        #expect(certificate.issuer == (try Certificate(pemEncoded: Self.authority.certificatePEM)).subject)
        let key = try P256.Signing.PrivateKey(pemRepresentation: credential.privateKeyPEM)
        #expect(certificate.publicKey == Certificate.PublicKey(key.publicKey))

        #expect(try await Self.verifies(credential.certificatePEM, serverHostname: "localhost"))
        #expect(try await Self.verifies(credential.certificatePEM, serverIP: "127.0.0.1"))
        #expect(try await Self.verifies(credential.certificatePEM, serverIP: "::1"))
        #expect(try await !Self.verifies(credential.certificatePEM, serverHostname: "dsp.example"))
        #expect(try await !Self.verifies(credential.certificatePEM, serverIP: "10.0.0.1"))
    }

    @Test func anOperatorCertificateIsForClientAuthenticationAndNamedByItsSubject() async throws {
        let credential = try Self.authority.clientCredential(commonName: "cadent", organisationName: "AnchorDesk demo operators",
                                                             validFrom: Self.start, validUntil: Self.start.addingTimeInterval(Self.year))
        let certificate = try Certificate(pemEncoded: credential.certificatePEM)
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.clientAuth])
        #expect(try certificate.extensions.subjectAlternativeNames == nil)
        #expect(try TLSAuthority.subject(ofCertificatePEM: credential.certificatePEM) == "CN=cadent,O=AnchorDesk demo operators")
        var der = DER.Serializer()
        try der.serialize(certificate)
        #expect(try TLSAuthority.subject(ofCertificateDER: der.serializedBytes) == "CN=cadent,O=AnchorDesk demo operators")
        #expect(try await Self.verifies(credential.certificatePEM))
        let key = try P256.Signing.PrivateKey(pemRepresentation: credential.privateKeyPEM)
        #expect(certificate.publicKey == Certificate.PublicKey(key.publicKey))

        let another = try TLSAuthority.generate(commonName: "AnchorDesk demo operator CA", validFrom: Self.start,
                                                validUntil: Self.start.addingTimeInterval(Self.year))
        #expect(try await !Self.verifies(credential.certificatePEM, authorityPEM: another.certificatePEM), "another CA with the same name")
    }

    @Test func eachCertificateHasItsOwnKeyAndSerial() throws {
        let first = try Self.authority.clientCredential(commonName: "cadent", organisationName: "O", validFrom: Self.start,
                                                        validUntil: Self.start.addingTimeInterval(Self.year))
        let second = try Self.authority.clientCredential(commonName: "cadent", organisationName: "O", validFrom: Self.start,
                                                         validUntil: Self.start.addingTimeInterval(Self.year))
        #expect(first.privateKeyPEM != second.privateKeyPEM)
        #expect(try Certificate(pemEncoded: first.certificatePEM).serialNumber != Certificate(pemEncoded: second.certificatePEM).serialNumber)
    }

    @Test func anExpiredCertificateCanBeMadeAndIsRefusedAfterItsEnd() async throws {
        let expired = try Self.authority.clientCredential(commonName: "cadent", organisationName: "AnchorDesk demo operators",
                                                          validFrom: Self.start, validUntil: Self.start.addingTimeInterval(3_600))
        #expect(try await Self.verifies(expired.certificatePEM, at: Self.start.addingTimeInterval(60)))
        #expect(try await !Self.verifies(expired.certificatePEM, at: Self.start.addingTimeInterval(7_200)))
    }

    @Test func aSavedAuthorityIssuesCertificatesTheOriginalVerifies() async throws {
        let reloaded = try TLSAuthority(certificatePEM: Self.authority.certificatePEM, privateKeyPEM: Self.authority.privateKeyPEM)
        #expect(reloaded.certificatePEM == Self.authority.certificatePEM)
        let credential = try reloaded.clientCredential(commonName: "dcc", organisationName: "AnchorDesk demo operators", validFrom: Self.start,
                                                       validUntil: Self.start.addingTimeInterval(Self.year))
        #expect(try await Self.verifies(credential.certificatePEM))
    }

    @Test func unusableAuthorityMaterialIsRefusedWithItsReason() throws {
        let leaf = try Self.authority.clientCredential(commonName: "cadent", organisationName: "O", validFrom: Self.start,
                                                       validUntil: Self.start.addingTimeInterval(Self.year))
        let cases: [(String, String, TLSCredentialError)] = [
            ("not a certificate", Self.authority.privateKeyPEM, .unreadableCertificate(form: "PEM")),
            (Self.authority.certificatePEM, "not a key", .unreadableKey),
            (Self.authority.certificatePEM, leaf.privateKeyPEM, .keyMismatch),
            (leaf.certificatePEM, leaf.privateKeyPEM, .notAnAuthority),
        ]
        for (certificate, key, error) in cases {
            #expect(throws: error) { try TLSAuthority(certificatePEM: certificate, privateKeyPEM: key) }
        }
        #expect(throws: TLSCredentialError.unreadableCertificate(form: "PEM")) { try TLSAuthority.subject(ofCertificatePEM: Self.authority.privateKeyPEM) }
        #expect(throws: TLSCredentialError.unreadableCertificate(form: "DER")) { try TLSAuthority.subject(ofCertificateDER: [0x30, 0x03, 0x02, 0x01]) }
    }

    @Test func requestsThatCannotMakeACertificateAreRefused() throws {
        let end = Self.start.addingTimeInterval(Self.year)
        let refusals: [(TLSCredentialError, () throws -> Any)] = [
            (.missingName, { try Self.authority.serverCredential(hosts: [], validFrom: Self.start, validUntil: end) }),
            (.missingName, { try Self.authority.serverCredential(hosts: ["localhost", ""], validFrom: Self.start, validUntil: end) }),
            (.emptyValidity, { try Self.authority.serverCredential(hosts: ["localhost"], validFrom: end, validUntil: Self.start) }),
            (.missingName, { try Self.authority.clientCredential(commonName: "", organisationName: "O", validFrom: Self.start, validUntil: end) }),
            (.missingName, { try Self.authority.clientCredential(commonName: "cadent", organisationName: "", validFrom: Self.start, validUntil: end) }),
            (.emptyValidity, { try Self.authority.clientCredential(commonName: "cadent", organisationName: "O", validFrom: Self.start, validUntil: Self.start) }),
            (.emptyValidity, { try TLSAuthority.generate(commonName: "CA", validFrom: end, validUntil: Self.start) }),
            (.missingName, { try TLSAuthority.generate(commonName: "", validFrom: Self.start, validUntil: end) }),
        ]
        for (error, refusal) in refusals {
            #expect(throws: error) { _ = try refusal() }
        }
    }
}
