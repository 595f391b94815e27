/// What a GPF sends instead of a response when it refuses a command before executing it.
///
/// *(model)* A real GPF discards such a command and raises an alert; AnchorDesk models that
/// alert as a general signing block with CRA flag 3 (alert), the command's counter and message
/// code, and the content `SEQUENCE { alertCode INTEGER, reason ENUMERATED }`, where the alert
/// code is AnchorDesk's `0x8F1C` and the reason one of ``Reason``.
public struct CommandRefusalAlert: Equatable, Sendable {
    /// Why the device refused.
    public enum Reason: UInt64, Sendable {
        /// The signature did not verify against the certificate in the authorising cell.
        case authentication = 1
        /// The authorising cell does not hold the originator's certificate, or the mode is not allowed.
        case authorisation = 2
        /// The counter was not greater than the authorising role's floor.
        case antiReplay = 3
        /// The command could not be parsed.
        case malformed = 4
        /// The command's MAC did not verify.
        case integrity = 5

        var name: String {
            switch self {
            case .authentication: "authentication failed"
            case .authorisation: "not authorised"
            case .antiReplay: "anti-replay"
            case .malformed: "malformed command"
            case .integrity: "MAC does not verify"
            }
        }
    }

    /// AnchorDesk's alert code for a refused command. *(model)*
    public static let alertCode: UInt64 = 0x8F1C

    /// Why.
    public var reason: Reason

    /// Creates an alert.
    public init(reason: Reason) {
        self.reason = reason
    }

    /// The DER encoding.
    public var encoded: [UInt8] {
        DERWriter.device.sequence(DERWriter.device.unsigned(CommandRefusalAlert.alertCode), DERWriter.device.unsigned(reason.rawValue, tag: 0x0A))
    }

    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CommandRefusalAlert {
        var body = try reader.der([0x30], "command refused alert (model)", depth: 0, fields: &fields).content
        _ = try body.unsigned([0x02], "alert code", depth: 1, fields: &fields, names: [alertCode: "command refused (model)"])
        let start = body.offset
        let raw = try body.unsigned([0x0A], "reason", depth: 1, fields: &fields,
                                    names: [1: "authentication failed", 2: "not authorised", 3: "anti-replay", 4: "malformed command", 5: "MAC does not verify"])
        guard let reason = Reason(rawValue: raw) else { throw body.failure("alert reason \(raw) is not one AnchorDesk knows", at: start) }
        try body.expectEnd("the alert")
        try reader.expectEnd("the content")
        return CommandRefusalAlert(reason: reason)
    }
}
