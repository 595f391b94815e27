import AnchorCore
import DUIS
import Foundation
import SMKI

/// Answers as the DSP: `sr:Response`s signed with its XML-signing key.
struct DUISResponder: Sendable {
    /// What one request came to.
    struct Outcome: Sendable {
        /// The HTTP answer.
        var reply: DUISReply
        /// The DUIS code (or HTTP status) for the log.
        var code: String
        /// Why, for the log.
        var note: String
        /// Whether a device response went to the outbox.
        var enqueued = false
        /// The request as the DSP recorded it, when the engine decided one (an operator is shown it).
        var record: RequestRecord?
        /// The device's signed response, for an operator's request: it is answered at once, not through the outbox.
        var deviceResponse: [UInt8]?
    }

    let xmlSigning: XMLSigningCredentials
    let clock: @Sendable () -> Date

    /// A signed `sr:Response` with this code, for the request's own Request ID and service.
    func respond(
        requestID: String, service: (String, String), code: DUISResponseCode, note: String, payload: DUISResponse.Payload = .none
    ) -> Outcome {
        let response = DUISResponse(
            requestID: requestID, code: code, dateTime: clock(), serviceReference: service.0,
            serviceReferenceVariant: service.1, payload: payload)
        do {
            return Outcome(reply: .duis(try sign(response)), code: code.rawValue, note: note)
        } catch {
            return Outcome(reply: .plain(500, "the response could not be signed: \(error)"), code: "500", note: "\(error)")
        }
    }

    /// The response signed with the DSP's XML-signing key.
    func sign(_ response: DUISResponse) throws -> [UInt8] {
        try XMLSignature.sign(
            response.xml, key: xmlSigning.dspKey,
            keyName: XMLSignature.KeyName(issuer: xmlSigning.dspCertificate.issuerName, serial: xmlSigning.dspCertificate.decimalSerial))
    }
}
