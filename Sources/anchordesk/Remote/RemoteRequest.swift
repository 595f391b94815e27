import AnchorCore
import AnchorStore
import DUIS
import DUISServer
import Foundation
import OperatorClient
import SMKI

/// `request 6.15.1|6.21 --store https://…`: a User's request through the DSP's operator API, as
/// DUIS makes it. The DSP prepares the unsigned request; this machine signs it with the User's
/// own keys (`--keys DIR`), which never leave it; the DSP checks the signature and the operator's
/// grant, decides, and answers with the request as recorded.
enum RemoteRequest {
    /// Sends the request and reports it as a request at the DSP is reported.
    static func submit(_ draft: DUISRequestDraft, through connection: OperatorConnection, keys: String?, allowCounterJump: Bool,
                       options: CommonOptions) throws(CLIFailure) {
        try RequestSubmission.report(try decided(draft, through: connection, keys: keys, allowCounterJump: allowCounterJump), options: options)
    }

    /// The request as the DSP recorded it, signed here with the User's keys in `keys`, once the
    /// DSP's draft is checked to be the request asked for (``AskedDraft``) and, for SRV6.15.1, its
    /// pre-command to be that request's (``AskedPreCommand``).
    /// - Throws: ``CLIFailure`` for a missing key folder, an unreachable or refusing DSP, a DUIS
    ///   refusal the engine never decided, or a draft or pre-command that is not the one asked for
    ///   (exit 4, nothing signed).
    static func decided(_ draft: DUISRequestDraft, through connection: OperatorConnection, keys: String?,
                        allowCounterJump: Bool = false) throws(CLIFailure) -> RequestRecord {
        guard let keys else {
            throw CLIFailure.badInput(
                "through the operator API the User signs on this machine: pass --keys DIR (or $ANCHORDESK_KEYS) holding \(Presentation.safe(draft.organisation))'s keys",
                code: "no-user-key")
        }
        let prepared: OperatorReplies.Draft = try OperatorCall.json(
            connection.post(OperatorAPIPath.drafts, body: OperatorCall.encoded(draft), contentType: "application/json"), from: connection)
        let certificate = try OperatorCall.certificate(prepared.xmlSigningCertificate, from: connection, what: "the XML-signing certificate its draft names")
        guard let entityId = certificate.entityId else {
            throw OperatorCall.unreadable(connection, "the XML-signing certificate its draft names has no entity ID")
        }
        let xml = Array(prepared.xml.utf8)
        let drafted: DUISRequest
        switch AskedDraft(draft: draft, signer: entityId, allowCounterJump: allowCounterJump, issuer: try organisationCA(in: keys)).check(xml) {
        case .success(let request): drafted = request
        case .failure(let mismatch):
            throw OperatorCall.unreadable(connection, "its draft is not the request asked for (\(Presentation.safe(mismatch.problem))); nothing was signed")
        }
        let signer = try DUISSigner(entityId: entityId, folder: UserKeyDirectory(path: keys), xmlCertificate: certificate, shownAs: draft.organisation)
        let signed = try signer.signed(xml)
        var answer: OperatorReplies.DUIS
        switch drafted.body {
        case .updateSecurityCredentials(let body):
            let transformed = try send(signed, to: .transform, through: connection)
            guard transformed.code == DUISResponseCode.success.rawValue else { throw refusal(transformed) }
            let preCommand = try signer.signedPreCommandRequest(
                from: Array(transformed.duis.utf8), source: "the DSP's answer", shownAs: draft.organisation,
                asked: AskedPreCommand(requestID: drafted.requestID, body: body, replacing: draft.certificate ?? ""))
            answer = try send(preCommand, to: .sendCommand, through: connection)
        default:
            answer = try send(signed, to: .sendCommand, through: connection)
        }
        guard let record = answer.request else { throw refusal(answer) }
        return record
    }

    /// Refuses the options that do not work through the operator API yet (exit 2, nothing sent).
    static func refuse(_ given: KeyValuePairs<String, Bool>) throws(CLIFailure) {
        guard let option = given.first(where: { $0.value })?.key else { return }
        throw CLIFailure.badInput("\(option) does not work through the operator API yet; run it at the DSP", code: "not-through-operator-api")
    }

    /// Refuses a typed counter or floor that could burn counters for good unless that was allowed:
    /// this machine cannot see where the counters stand, so any of 2^52 or more needs `--allow-counter-jump`.
    static func checkJump(_ counters: [OriginatorCounter], allowed: Bool) throws(CLIFailure) {
        guard !allowed, let large = counters.first(where: { $0.value >= 1 << 52 }) else { return }
        throw CLIFailure.badInput(
            "the counter \(large) may be more than 2^52 past where the counters stand, which this machine cannot see; pass --allow-counter-jump if that is meant",
            code: "invalid-request")
    }

    /// The SMKI Organisation CA kept in the User key folder `keys`, if it is.
    /// - Throws: exit 3 for a file there that is not a certificate.
    static func organisationCA(in keys: String) throws(CLIFailure) -> OrganisationCertificate? {
        do {
            return try UserKeyDirectory(path: keys).organisationCA()
        } catch {
            throw CLIFailure(error)
        }
    }

    private static func send(_ request: [UInt8], to endpoint: DUISEndpoint, through connection: OperatorConnection) throws(CLIFailure) -> OperatorReplies.DUIS {
        try OperatorCall.json(connection.post(OperatorAPIPath.duis(endpoint), body: request, contentType: "application/xml"), from: connection)
    }

    /// A DUIS refusal the engine never decided (a wrong counter, role or signature): exit 1.
    private static func refusal(_ answer: OperatorReplies.DUIS) -> CLIFailure {
        var failure = CLIFailure(exitCode: .rejected, code: "duis-\(Presentation.safe(answer.code))",
                                 message: "the DSP refused the request (DUIS \(Presentation.safe(answer.code))): \(Presentation.safe(answer.note))")
        failure.printedItsOwnReport = false
        return failure
    }
}
