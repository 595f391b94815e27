import AnchorCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The CLI's connection to a DSP's operator API: HTTPS, TLS 1.2 or later, with the operator's
/// client certificate, trusting only the CA it is given for the DSP's server certificate.
/// Calls block the calling thread (the CLI is synchronous) until the DSP answers.
public final class OperatorConnection: @unchecked Sendable {
    /// An answer: its HTTP status and body.
    public struct Reply: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body.
        public var body: [UInt8]
    }

    /// The DSP's address, `https://HOST:PORT`, shown in messages.
    public let address: String
    private let base: URL
    private let client: HTTPClient

    /// A connection to `address` with the operator's certificate and key and the CA to trust.
    /// - Parameters:
    ///   - address: `https://HOST:PORT`.
    ///   - certificate: the operator's certificate chain (PEM).
    ///   - key: the operator's private key (PEM).
    ///   - authority: the CA that issued the DSP's server certificate (PEM).
    /// - Throws: ``OperatorClientError/badSettings(_:)`` for an address that is not https, or PEM that does not read.
    public init(address: String, certificate: [UInt8], key: [UInt8], authority: [UInt8]) throws(OperatorClientError) {
        guard let base = URL(string: address), base.scheme == "https", let host = base.host, !host.isEmpty,
              base.path.isEmpty || base.path == "/", base.query == nil, base.user == nil
        else {
            throw .badSettings("the store URL must be https://HOST:PORT")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
        } catch {
            throw .badSettings("the client certificate is not PEM")
        }
        do {
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        } catch {
            throw .badSettings("the client key is not a PEM private key")
        }
        do {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(authority))
        } catch {
            throw .badSettings("the CA file is not PEM")
        }
        // BoringSSL pairs the key with the certificate only when a context is made: a key that is not
        // the certificate's is said here, as bad settings, not later as a failed handshake.
        do {
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw .badSettings("the client key is not the client certificate's (--client-key, --client-cert)")
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(120))
        // A refused connection or a failed handshake is said at once, not retried until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.address = address
        self.base = base
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        try? client.syncShutdown()
    }

    /// `GET path`.
    public func get(_ path: String) throws(OperatorClientError) -> Reply {
        try send(.GET, path, body: nil, contentType: nil)
    }

    /// `POST path` with `body` of `contentType`.
    public func post(_ path: String, body: [UInt8], contentType: String) throws(OperatorClientError) -> Reply {
        try send(.POST, path, body: body, contentType: contentType)
    }

    /// `GET path`, whose body, when the DSP answers 200, goes to `sink` as it arrives, until
    /// `sink` returns `false` (the rest is not read); the reply's body is then empty. Any other
    /// answer is collected as ``get(_:)`` collects it. The body may take up to `deadline` in all,
    /// each read up to two minutes.
    public func stream(_ path: String, deadline: Duration = .seconds(3600), into sink: @escaping @Sendable ([UInt8]) -> Bool) throws(OperatorClientError) -> Reply {
        let request = HTTPClientRequest(url: base.absoluteString.trimmingSuffix("/") + path)
        do {
            return try Blocking.run { [client, request] () async throws -> Reply in
                let response = try await client.execute(request, deadline: .now() + .seconds(deadline.components.seconds))
                guard response.status == .ok else {
                    return Reply(status: Int(response.status.code), body: Array(buffer: try await response.body.collect(upTo: 1 << 20)))
                }
                for try await part in response.body where !sink(Array(buffer: part)) { break }
                return Reply(status: 200, body: [])
            }
        } catch {
            throw OperatorClientError.classify(error, address: address)
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String?) throws(OperatorClientError) -> Reply {
        var request = HTTPClientRequest(url: base.absoluteString.trimmingSuffix("/") + path)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try Blocking.run { [client, request] () async throws -> Reply in
                let response = try await client.execute(request, timeout: .seconds(120))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                return Reply(status: Int(response.status.code), body: Array(buffer: bytes))
            }
        } catch {
            throw OperatorClientError.classify(error, address: address)
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
