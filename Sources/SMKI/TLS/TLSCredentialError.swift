/// Why TLS certificate material could not be read or made, in words for an operator.
public struct TLSCredentialError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// Not a PEM or DER X.509 certificate.
        case unreadableCertificate = "tls-certificate-unreadable"
        /// Not a PEM ECDSA P-256 private key.
        case unreadableKey = "tls-key-unreadable"
        /// The private key is not the certificate's.
        case keyMismatch = "tls-key-mismatch"
        /// The certificate is not a certificate authority's.
        case notAnAuthority = "tls-not-an-authority"
        /// A validity period that ends before it starts, or a host name that is empty.
        case invalidRequest = "tls-invalid-request"
    }

    /// The kind of problem.
    public var code: Code
    /// The reason.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
