/// A future-dated CS02b (or CS02g) alert: the device executed, or failed to execute, a command
/// that it had accepted with an `executionDateTime` (message code 0x00CB for CS02b, 0x0124 for CS02g):
///
/// ```
/// SEQUENCE { alertCode INTEGER, executionDateTime GeneralizedTime, executionOutcome ExecutionOutcome }
/// ```
/// Alert code 0x8F66 means the command executed, 0x8F67 that it failed. The header carries the
/// device's own counter; the outcome echoes the command's.
public struct CS02bAlertPayload: Equatable, Sendable {
    /// 0x8F66: the future-dated command executed.
    public static let executedCode: UInt64 = 0x8F66
    /// 0x8F67: the future-dated command failed.
    public static let failedCode: UInt64 = 0x8F67

    /// The alert code.
    public var alertCode: UInt64
    /// When the command was due (GeneralizedTime text).
    public var executionDateTime: String
    /// What happened.
    public var outcome: CS02bResponsePayload

    /// Creates an alert payload.
    public init(alertCode: UInt64, executionDateTime: String, outcome: CS02bResponsePayload) {
        self.alertCode = alertCode
        self.executionDateTime = executionDateTime
        self.outcome = outcome
    }

    /// The content as a device writes it.
    public var encoded: [UInt8] {
        let writer = DERWriter.device
        return writer.sequence(
            writer.unsigned(alertCode), writer.tlv(0x18, Array(executionDateTime.utf8)), outcome.encodedOutcome(writer))
    }

    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bAlertPayload {
        var body = try reader.der([0x30], "Update Security Credentials alert", depth: 0, fields: &fields).content
        let code = try body.unsigned([0x02], "alert code", depth: 1, fields: &fields, names: [
            executedCode: "0x8F66 future-dated command executed", failedCode: "0x8F67 future-dated command failed",
        ])
        let time = try body.primitive([0x18], "execution date-time", depth: 1, fields: &fields) { String(decoding: $0, as: UTF8.self) }
        let outcome = try CS02bResponsePayload.readOutcome(&body, depth: 1, fields: &fields)
        try body.expectEnd("the alert")
        try reader.expectEnd("the content")
        return CS02bAlertPayload(alertCode: code, executionDateTime: String(decoding: time, as: UTF8.self), outcome: outcome)
    }
}
