/// Why TLS certificate material could not be read or made.
public enum TLSCredentialError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not an X.509 certificate in the form named (`PEM` or `DER`).
    case unreadableCertificate(form: String)
    /// Not a PEM ECDSA P-256 private key.
    case unreadableKey
    /// The private key is not the certificate's.
    case keyMismatch
    /// The certificate is not a certificate authority's (basic constraints `CA:true`).
    case notAnAuthority
    /// A validity period that does not end after it starts.
    case emptyValidity
    /// No host for a server certificate, or an empty host or name.
    case missingName

    /// The reason, for an operator.
    public var description: String {
        switch self {
        case .unreadableCertificate(let form): "not a \(form) X.509 certificate"
        case .unreadableKey: "not a PEM ECDSA P-256 private key"
        case .keyMismatch: "the private key is not the certificate's"
        case .notAnAuthority: "the certificate is not a certificate authority's (basic constraints CA:true)"
        case .emptyValidity: "a certificate's validity must end after it starts"
        case .missingName: "a certificate names at least one host, and no empty host, common name or organisation name"
        }
    }
}
