import AnchorCore

/// Every certificate of an estate, read from X.509, by the ID the store knows it by.
///
/// A GPF uses it to read the certificates in its cells and in the commands it receives
/// (*(model)*: a device stores a cell as the ID of the certificate whose DER it received).
/// The DCC side uses it to put certificates on the wire and to name the subject key
/// identifiers a response reports.
public struct CertificateDirectory: Sendable {
    /// Certificate ID → certificate.
    public private(set) var certificates: [String: OrganisationCertificate] = [:]
    private var idsByDER: [[UInt8]: String] = [:]
    private var idsByKeyIdentifier: [[UInt8]: String] = [:]

    /// An empty directory.
    public init() {}

    /// Adds or replaces the certificate with this ID.
    public mutating func insert(_ certificate: OrganisationCertificate, id: String) {
        if let old = certificates[id] {
            idsByDER[old.der] = nil
            idsByKeyIdentifier[old.keyIdentifier] = nil
        }
        certificates[id] = certificate
        idsByDER[certificate.der] = id
        idsByKeyIdentifier[certificate.keyIdentifier] = id
    }

    /// The certificate with this ID.
    public subscript(id: String) -> OrganisationCertificate? { certificates[id] }

    /// The ID of the certificate with exactly these DER bytes.
    public func id(ofDER der: [UInt8]) -> String? { idsByDER[der] }

    /// The ID of the certificate with this subject key identifier.
    public func id(ofKeyIdentifier identifier: [UInt8]) -> String? { idsByKeyIdentifier[identifier] }
}
