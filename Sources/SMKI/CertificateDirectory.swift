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
    private var idsByDER: [ByteKey: String] = [:]
    private var idsByKeyIdentifier: [ByteKey: String] = [:]

    /// An empty directory.
    public init() {}

    /// Adds or replaces the certificate with this ID.
    public mutating func insert(_ certificate: OrganisationCertificate, id: String) {
        if let old = certificates[id] {
            idsByDER[ByteKey(old.der)] = nil
            idsByKeyIdentifier[ByteKey(old.keyIdentifier)] = nil
        }
        certificates[id] = certificate
        idsByDER[ByteKey(certificate.der)] = id
        idsByKeyIdentifier[ByteKey(certificate.keyIdentifier)] = id
    }

    /// The certificate with this ID.
    public subscript(id: String) -> OrganisationCertificate? { certificates[id] }

    /// The ID of the certificate with exactly these DER bytes.
    public func id(ofDER der: [UInt8]) -> String? { idsByDER[ByteKey(der)] }

    /// The ID of the certificate with this subject key identifier.
    public func id(ofKeyIdentifier identifier: [UInt8]) -> String? { idsByKeyIdentifier[ByteKey(identifier)] }
}

/// Bytes as a dictionary key, hashed in one call: an array of octets hashes one octet at a
/// time, which made looking a certificate up by its DER (every command a device receives) cost
/// more than the lookup's other work.
private struct ByteKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
