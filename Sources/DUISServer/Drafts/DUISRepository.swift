import AnchorCore
import DUIS
import SMKI

/// The SMKI Repository as a DUIS request carries it: a certificate's DER, with the issuing CA as
/// the certification path.
public struct DUISRepository: Sendable {
    /// The store's certificates and their issuing authority.
    public let material: CredentialMaterial
    /// The ledger naming the certificates.
    public let ledger: Ledger

    /// A Repository over the store's credentials.
    public init(material: CredentialMaterial, ledger: Ledger) {
        self.material = material
        self.ledger = ledger
    }

    /// The Digital Signing and Key Agreement certificates among `ids`, and the path.
    /// - Throws: ``RequestError/unknownCertificate(_:suggestion:)`` when none of them is a Digital Signing certificate.
    public func certificates(_ ids: [String]) throws(RequestError) -> DUISRequestDocument.Certificates {
        func der(_ usage: KeyUsage) -> [UInt8]? {
            ids.first { ledger.certificate($0)?.keyUsage == usage }.flatMap { material.certificates[$0]?.der }
        }
        guard let digitalSigning = der(.digitalSigning) else {
            throw .unknownCertificate(ids.joined(separator: ", "), suggestion: "a request carries a Digital Signing certificate")
        }
        return DUISRequestDocument.Certificates(
            digitalSigning: digitalSigning, keyAgreement: der(.keyAgreement), path: [material.authority.certificate.der])
    }
}
