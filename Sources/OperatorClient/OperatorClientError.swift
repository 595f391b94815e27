import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Why the CLI could not talk to the DSP, in one line that names the reason and never shows key bytes.
public enum OperatorClientError: Error, CustomStringConvertible, Sendable {
    /// The store URL, certificate, key or CA cannot be used.
    case badSettings(String)
    /// Nothing answered at the address.
    case unreachable(String)
    /// The TLS handshake failed: the DSP refused the operator's certificate, or its own was not trusted.
    case handshake(String)
    /// The connection was lost before the answer came: the request may or may not have been decided.
    case connectionLost(String)

    public var description: String {
        switch self {
        case .badSettings(let why): why
        case .unreachable(let why): why
        case .handshake(let why): why
        case .connectionLost(let why): why
        }
    }

    static func classify(_ error: any Error, address: String) -> OperatorClientError {
        switch error {
        case let ssl as NIOSSLError:
            return .handshake("the TLS handshake with \(address) failed: \(Self.reason(ssl))")
        case let ssl as BoringSSLError:
            return .handshake("the TLS handshake with \(address) failed: \(ssl)")
        case let connection as NIOConnectionError:
            let why = connection.connectionErrors.first.map { Self.reason($0.error) } ?? connection.dnsAError.map { "\($0)" } ?? "no address answered"
            return .unreachable("cannot reach the DSP at \(address): \(why)")
        case let io as IOError:
            return .unreachable("cannot reach the DSP at \(address): \(Self.reason(io))")
        case let http as HTTPClientError where http == .connectTimeout || http == .connectTimeout:
            return .unreachable("cannot reach the DSP at \(address): the connection timed out")
        case let http as HTTPClientError where http == .remoteConnectionClosed || http == .readTimeout:
            return .connectionLost("the connection to \(address) was lost before the DSP answered (\(http)); check whether the request was decided before sending it again")
        default:
            return .connectionLost("the exchange with \(address) failed: \(error)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        guard let io = error as? IOError else { return "\(error)" }
        return String(cString: strerror(io.errnoCode)).lowercased()
    }

    private static func reason(_ error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let underlying): "\(underlying)"
        default: "\(error)"
        }
    }
}
