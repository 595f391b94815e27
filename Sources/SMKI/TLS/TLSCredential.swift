/// A TLS certificate and its private key, as PEM text: the certificate as `CERTIFICATE`, the
/// ECDSA P-256 key as PKCS#8 `PRIVATE KEY` (the forms swift-nio-ssl's `NIOSSLCertificate` and
/// `NIOSSLPrivateKey` read, and OpenSSL's `x509` and `pkey`).
public struct TLSCredential: Sendable, Equatable {
    /// The certificate (`-----BEGIN CERTIFICATE-----`).
    public let certificatePEM: String
    /// The private key (`-----BEGIN PRIVATE KEY-----`).
    public let privateKeyPEM: String

    /// A certificate and its key.
    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}
