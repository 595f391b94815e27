import DUISServer
import Foundation
import OperatorClient
import SMKI

/// One exchange with the operator API as the CLI reports it: a connection failure or a refusal
/// is one `error:` line with its exit code; an answer is decoded from JSON.
enum OperatorCall {
    /// The JSON answer to `exchange`, decoded.
    /// - Throws: exit 3 when the DSP cannot be reached, the handshake fails or the connection is
    ///   lost; exit 1 (`not-authorised`) for 403; exit 2 for 400; exit 3 for 503; exit 4 for an
    ///   answer that does not read.
    static func json<Value: Decodable>(
        _ exchange: @autoclosure () throws(OperatorClientError) -> OperatorConnection.Reply, from connection: OperatorConnection
    ) throws(CLIFailure) -> Value {
        let body = try bytes(exchange(), from: connection)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(body))
        } catch {
            throw unreadable(connection, "its answer is not the JSON this AnchorDesk reads")
        }
    }

    /// The body of the answer to `exchange`, failing as ``json(_:from:)`` does.
    static func bytes(
        _ exchange: @autoclosure () throws(OperatorClientError) -> OperatorConnection.Reply, from connection: OperatorConnection
    ) throws(CLIFailure) -> [UInt8] {
        let reply: OperatorConnection.Reply
        do {
            reply = try exchange()
        } catch {
            throw CLIFailure(exitCode: .storeUnusable, code: code(of: error), message: Presentation.safe(error.description))
        }
        guard reply.status == 200 else {
            let failure = try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body))
            if reply.status == 400, let failure, let code = failure.code {
                // Bad input the DSP found as the CLI would have: the same code, message and suggestion.
                throw CLIFailure(exitCode: .badInput, code: Presentation.safe(code), message: Presentation.safe(failure.error),
                                 details: failure.suggestion.map { [("suggestion", .string(Presentation.safe($0)))] } ?? [])
            }
            let why = failure?.error ?? "HTTP \(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))"
            let message = "\(connection.address) refused: \(Presentation.safe(why))"
            switch reply.status {
            case 403:
                var failure = CLIFailure(exitCode: .rejected, code: "not-authorised", message: message)
                failure.printedItsOwnReport = false
                throw failure
            case 400...499: throw CLIFailure.badInput(message, code: "refused-by-dsp")
            default: throw CLIFailure(exitCode: .storeUnusable, code: "dsp-unavailable", message: message)
            }
        }
        return reply.body
    }

    /// An answer from the DSP that this build cannot read (exit 4).
    static func unreadable(_ connection: OperatorConnection, _ why: String) -> CLIFailure {
        CLIFailure(exitCode: .internalError, code: "unreadable-answer", message: "\(connection.address) answered, but \(why)")
    }

    /// A certificate the DSP sent as base64 DER.
    /// - Throws: exit 4 (``unreadable(_:_:)``) naming `what` when it does not read.
    static func certificate(_ base64: String, from connection: OperatorConnection, what: String) throws(CLIFailure) -> OrganisationCertificate {
        guard let der = Data(base64Encoded: base64), let certificate = try? OrganisationCertificate(der: Array(der)) else {
            throw unreadable(connection, "\(what) is not a readable certificate")
        }
        return certificate
    }

    /// A request body as JSON.
    static func encoded(_ value: some Encodable) -> [UInt8] {
        (try? JSONEncoder().encode(value)).map(Array.init) ?? []
    }

    private static func code(of error: OperatorClientError) -> String {
        switch error {
        case .badSettings: "bad-operator-settings"
        case .unreachable: "unreachable"
        case .handshake: "tls-handshake"
        case .connectionLost: "connection-lost"
        }
    }
}
