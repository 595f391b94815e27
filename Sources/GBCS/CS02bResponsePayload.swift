import AnchorCore

/// The `ExecutionOutcome` of a CS02b (or CS02g) command, as a response or a future-dated alert carries it:
///
/// ```
/// ExecutionOutcome ::= SEQUENCE {
///   authorisingRemotePartySeqNumber INTEGER, credentialsReplacementMode INTEGER,
///   remotePartySeqNumberChanges SEQUENCE OF RemotePartySeqNumberChange,
///   replacementOutcomes SEQUENCE OF SEQUENCE {
///     affectedTrustAnchorCell TrustAnchorCellIdentifier, statusCode ENUMERATED,
///     existingSubjectUniqueID, existingSubjectKeyIdentifier,
///     replacingSubjectUniqueID, replacingSubjectKeyIdentifier OCTET STRING } }
/// ```
/// The response itself is `SEQUENCE { commandAccepted NULL, executionOutcome OPTIONAL }`.
public struct CS02bResponsePayload: Equatable, Sendable {
    /// One replacement's outcome.
    public struct Outcome: Equatable, Sendable {
        /// The cell the replacement targeted.
        public var cell: TrustAnchorCellIdentifier
        /// The GBCS status code (0 success, 5 badCertificate, ...).
        public var status: UInt64
        /// The subject unique ID (entity ID) of the certificate the cell held; empty if none.
        public var existingSubject: [UInt8]
        /// That certificate's subject key identifier; empty if none.
        public var existingKeyIdentifier: [UInt8]
        /// The replacement's subject unique ID.
        public var replacingSubject: [UInt8]
        /// The replacement's subject key identifier.
        public var replacingKeyIdentifier: [UInt8]

        /// Creates an outcome.
        public init(
            cell: TrustAnchorCellIdentifier, status: UInt64, existingSubject: [UInt8], existingKeyIdentifier: [UInt8],
            replacingSubject: [UInt8], replacingKeyIdentifier: [UInt8]
        ) {
            self.cell = cell
            self.status = status
            self.existingSubject = existingSubject
            self.existingKeyIdentifier = existingKeyIdentifier
            self.replacingSubject = replacingSubject
            self.replacingKeyIdentifier = replacingKeyIdentifier
        }
    }

    /// The command's `authorisingRemotePartySeqNumber`, echoed.
    public var authorisingSequenceNumber: UInt64
    /// The command's replacement mode, echoed.
    public var mode: UInt64
    /// `remotePartySeqNumberChanges`: the floors the device now holds for the roles that changed.
    public var floorChanges: [RemotePartySeqNumberChange]
    /// One outcome per replacement, in command order.
    public var outcomes: [Outcome]

    /// Creates an execution outcome.
    public init(authorisingSequenceNumber: UInt64, mode: UInt64, floorChanges: [RemotePartySeqNumberChange], outcomes: [Outcome]) {
        self.authorisingSequenceNumber = authorisingSequenceNumber
        self.mode = mode
        self.floorChanges = floorChanges
        self.outcomes = outcomes
    }

    static let statusNames: [UInt64: String] = [
        0: "success", 5: "badCertificate", 10: "noTrustAnchor", 17: "insufficientMemory",
        25: "trustAnchorNotFound", 30: "resourcesBusy", 127: "other",
    ]

    /// The `ExecutionOutcome` SEQUENCE, lengths written as a device writes them.
    func encodedOutcome(_ writer: DERWriter = .device) -> [UInt8] {
        let results = outcomes.flatMap { outcome in
            writer.sequence(
                outcome.cell.encoded(writer), writer.unsigned(outcome.status, tag: 0x0A),
                writer.octetString(outcome.existingSubject), writer.octetString(outcome.existingKeyIdentifier),
                writer.octetString(outcome.replacingSubject), writer.octetString(outcome.replacingKeyIdentifier))
        }
        return writer.sequence(
            writer.unsigned(authorisingSequenceNumber), writer.unsigned(mode),
            writer.tlv(0x30, floorChanges.flatMap { $0.encoded(writer) }), writer.tlv(0x30, results))
    }

    /// The response content when a device accepts a future-dated command or a cancellation:
    /// `commandAccepted` and no outcome yet (as in DCC's future-dated reference response).
    public static let acceptedOnly: [UInt8] = [0x30, 0x02, 0x05, 0x00]

    /// The response content, `commandAccepted` with this outcome, as a device writes it.
    public var encoded: [UInt8] {
        DERWriter.device.sequence([0x05, 0x00], encodedOutcome())
    }

    /// Reads a response, recording each field; `nil` when the device only accepted the command (no outcome yet).
    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bResponsePayload? {
        var body = try reader.der([0x30], "Update Security Credentials response", depth: 0, fields: &fields).content
        _ = try body.primitive([0x05], "command accepted", depth: 1, fields: &fields) { _ in "NULL" }
        var outcome: CS02bResponsePayload?
        if !body.isAtEnd { outcome = try readOutcome(&body, depth: 1, fields: &fields) }
        try body.expectEnd("the Update Security Credentials response")
        try reader.expectEnd("the content")
        return outcome
    }

    /// Reads an `ExecutionOutcome`.
    static func readOutcome(_ reader: inout ByteReader, depth: Int, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bResponsePayload {
        var outcome = try reader.der([0x30], "execution outcome", depth: depth, fields: &fields).content
        let sequence = try outcome.unsigned([0x02], "authorising remote party seq number", depth: depth + 1, fields: &fields)
        let mode = try outcome.unsigned([0x02, 0x0A], "credentials replacement mode", depth: depth + 1, fields: &fields,
                                        names: CS02bCommandPayload.modeNames)
        let changes = try RemotePartySeqNumberChange.readList(
            &outcome, tag: 0x30, "remote party seq number changes", depth: depth + 1, fields: &fields)
        let itemDepth = depth + 3
        let outcomes = try outcome.sequenceOfSequences(
            0x30, "replacement outcomes", item: "outcome", whole: "a replacement outcome", depth: depth + 1, fields: &fields
        ) { item, fields throws(GBCSDecodingError) in
            let cell = try TrustAnchorCellIdentifier.read(&item, "affected trust anchor cell", depth: itemDepth, fields: &fields)
            let status = try item.unsigned([0x0A, 0x02], "status code", depth: itemDepth, fields: &fields, names: statusNames)
            func identifier(_ name: String) throws(GBCSDecodingError) -> [UInt8] {
                try item.primitive([0x04], name, depth: itemDepth, fields: &fields) { value in
                    value.isEmpty ? "none" : (value.count == 8 && name.hasSuffix("unique ID")
                        ? EUI64(rawValue: value.reduce(0) { $0 << 8 | UInt64($1) }).description
                        : Hex.string(value, separator: " "))
                }
            }
            return Outcome(
                cell: cell, status: status, existingSubject: try identifier("existing subject unique ID"),
                existingKeyIdentifier: try identifier("existing subject key ID"),
                replacingSubject: try identifier("replacing subject unique ID"), replacingKeyIdentifier: try identifier("replacing subject key ID"))
        }
        try outcome.expectEnd("the execution outcome")
        return CS02bResponsePayload(authorisingSequenceNumber: sequence, mode: mode, floorChanges: changes, outcomes: outcomes)
    }
}
