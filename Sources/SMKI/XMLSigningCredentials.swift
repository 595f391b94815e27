import AnchorCore
import Crypto
import Foundation

/// The SMKI Repository's XML-signing certificates (Users' `OU=87`, the DSP's `OU=89`) and the
/// DSP's own key: what a DUIS endpoint needs to check a request's signature and sign its answers.
public struct XMLSigningCredentials: Sendable {
    /// Every XML-signing certificate, by the owner's entity ID (one each).
    public var certificates: [EUI64: OrganisationCertificate]
    /// The DSP's XML-signing key.
    public let dspKey: P256.Signing.PrivateKey
    /// The DSP's XML-signing certificate.
    public let dspCertificate: OrganisationCertificate

    /// Credentials from certificates and the DSP's key and certificate.
    public init(certificates: [EUI64: OrganisationCertificate], dspKey: P256.Signing.PrivateKey, dspCertificate: OrganisationCertificate) {
        self.certificates = certificates
        self.dspKey = dspKey
        self.dspCertificate = dspCertificate
    }

    /// The certificate an `X509IssuerSerial` names: same serial, and the same issuer attributes
    /// (compared without regard to spacing, the case of attribute types or their order).
    public func certificate(issuer: String, serial: String) -> OrganisationCertificate? {
        XMLSigningCredentials.certificate(among: certificates.values, issuer: issuer, serial: serial)
    }

    /// The certificate among `certificates` that an `X509IssuerSerial` names.
    public static func certificate(
        among certificates: some Collection<OrganisationCertificate>, issuer: String, serial: String
    ) -> OrganisationCertificate? {
        let wanted = attributes(issuer)
        return certificates.first { certificate in
            certificate.decimalSerial == serial && attributes(certificate.issuerName) == wanted
        }
    }

    /// An RFC 4514 name as a set of `TYPE=value` pairs.
    static func attributes(_ name: String) -> Set<String> {
        Set(name.split(separator: ",").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? parts[0].uppercased() + "=" + parts[1] : String(pair)
        })
    }
}
