import AnchorStore
import Foundation
import NIOSSL

/// How `serve --operator-listen` listens for operators: HTTPS with a client certificate from the
/// operator CA the DSP trusts, and the DSP's grants saying whom each operator may act for.
public struct OperatorAPIConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port (0: any free port).
    public var port: Int
    /// The DSP's TLS server certificate chain (PEM).
    public var certificatePath: String
    /// The DSP's TLS server key (PEM), readable only by its owner.
    public var keyPath: String
    /// The operator CA (PEM): a client certificate it did not issue is refused at the handshake.
    public var clientCAPath: String
    /// Which operators may act for which organisations.
    public var grants: OperatorGrants

    /// A configuration.
    public init(host: String, port: Int, certificatePath: String, keyPath: String, clientCAPath: String, grants: OperatorGrants) {
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
        self.grants = grants
    }

    /// The server's TLS: 1.2 or later, and a client certificate the operator CA issued, valid now.
    /// - Throws: ``DUISServerError/unusableTLS(_:)`` naming the file that cannot be used (never its bytes).
    func tlsConfiguration() throws -> TLSConfiguration {
        let chain = try Self.certificates(certificatePath, what: "--tls-cert")
        let authorities = try Self.certificates(clientCAPath, what: "--client-ca")
        let keyBytes: [UInt8]?
        do {
            keyBytes = try PrivateKeyFile.read(keyPath, followingLinks: true)
        } catch {
            throw DUISServerError.unusableTLS("--tls-key " + error.description)
        }
        guard let keyBytes, let key = try? NIOSSLPrivateKey(bytes: keyBytes, format: .pem) else {
            throw DUISServerError.unusableTLS("--tls-key \(keyPath): \(keyBytes == nil ? "no such file" : "not a PEM private key")")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(authorities)
        tls.sendCANameList = true
        return tls
    }

    private static func certificates(_ path: String, what: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else { throw DUISServerError.unusableTLS("\(what) \(path): cannot be read") }
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw DUISServerError.unusableTLS("\(what) \(path): not a PEM certificate")
        }
        return certificates
    }
}

