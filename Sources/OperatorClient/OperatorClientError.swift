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
            return .handshake("the TLS handshake with \(address) failed: \(Self.words(Self.reason(ssl)))")
        case let ssl as BoringSSLError:
            return .handshake("the TLS handshake with \(address) failed: \(Self.words("\(ssl)"))")
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

    /// BoringSSL's reason in words, with its code: `CERTIFICATE_VERIFY_FAILED at …/handshake.cc:320` says
    /// nothing to an operator, and the build's paths do not belong in a message.
    static func words(_ raw: String) -> String {
        guard let code = raw.firstMatch(of: /:([A-Z0-9_]{4,})\s+at\s/)?.1 else { return raw.replacing(/\s+at\s+\/[^\])]*/, with: "") }
        let meaning = switch code {
        case "CERTIFICATE_VERIFY_FAILED":
            "the DSP's certificate was not issued by the CA given with --ca for this address, or is not valid now"
        case "TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE", "TLSV1_ALERT_DECRYPT_ERROR":
            "the DSP refused this machine's client certificate: not issued by the operator CA it trusts"
        case "SSLV3_ALERT_CERTIFICATE_EXPIRED":
            "the DSP refused this machine's client certificate: it has expired or is not valid yet"
        case "TLSV1_CERTIFICATE_REQUIRED", "TLSV1_ALERT_CERTIFICATE_REQUIRED", "PEER_DID_NOT_RETURN_A_CERTIFICATE":
            "the DSP requires a client certificate"
        case "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE":
            "the DSP refused this machine's client certificate: it is not for TLS clients"
        case "TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL":
            "no TLS version both sides accept (AnchorDesk takes 1.2 or later)"
        default:
            "the handshake was refused"
        }
        return "\(meaning) (\(code))"
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
