import AnchorCore

/// The content of a CS02b Update Security Credentials response:
///
/// ```
/// SEQUENCE {
///   commandAccepted NULL,
///   executionOutcome SEQUENCE {
///     authorisingRemotePartySeqNumber INTEGER, credentialsReplacementMode INTEGER,
///     remotePartySeqNumberChanges SEQUENCE OF SEQUENCE { remotePartyRole INTEGER, floorSeqNumber INTEGER },
///     replacementOutcomes SEQUENCE OF SEQUENCE {
///       affectedTrustAnchorCell TrustAnchorCellIdentifier, statusCode ENUMERATED,
///       existingSubjectUniqueID, existingSubjectKeyIdentifier,
///       replacingSubjectUniqueID, replacingSubjectKeyIdentifier OCTET STRING } } OPTIONAL }
/// ```
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
    /// `remotePartySeqNumberChanges`: role code → the floor the device now holds.
    public var floorChanges: [(role: UInt64, floor: UInt64)]
    /// One outcome per replacement, in command order.
    public var outcomes: [Outcome]

    /// Creates a payload.
    public init(authorisingSequenceNumber: UInt64, mode: UInt64, floorChanges: [(role: UInt64, floor: UInt64)], outcomes: [Outcome]) {
        self.authorisingSequenceNumber = authorisingSequenceNumber
        self.mode = mode
        self.floorChanges = floorChanges
        self.outcomes = outcomes
    }

    public static func == (lhs: CS02bResponsePayload, rhs: CS02bResponsePayload) -> Bool {
        lhs.authorisingSequenceNumber == rhs.authorisingSequenceNumber && lhs.mode == rhs.mode
            && lhs.floorChanges.map(\.role) == rhs.floorChanges.map(\.role)
            && lhs.floorChanges.map(\.floor) == rhs.floorChanges.map(\.floor) && lhs.outcomes == rhs.outcomes
    }

    static let statusNames: [UInt64: String] = [
        0: "success", 5: "badCertificate", 10: "noTrustAnchor", 17: "insufficientMemory",
        25: "trustAnchorNotFound", 30: "resourcesBusy", 127: "other",
    ]

    /// The DER encoding.
    public var encoded: [UInt8] {
        let changes = floorChanges.flatMap { DERWriter.sequence(DERWriter.unsigned($0.role), DERWriter.unsigned($0.floor)) }
        let results = outcomes.flatMap { outcome in
            DERWriter.sequence(
                outcome.cell.encoded, DERWriter.unsigned(outcome.status, tag: 0x0A),
                DERWriter.octetString(outcome.existingSubject), DERWriter.octetString(outcome.existingKeyIdentifier),
                DERWriter.octetString(outcome.replacingSubject), DERWriter.octetString(outcome.replacingKeyIdentifier))
        }
        return DERWriter.sequence(
            [0x05, 0x00],
            DERWriter.sequence(
                DERWriter.unsigned(authorisingSequenceNumber), DERWriter.unsigned(mode),
                DERWriter.tlv(0x30, changes), DERWriter.tlv(0x30, results)))
    }

    /// Reads the payload, recording each field; `nil` when the device only accepted the command (no outcome yet).
    static func read(_ reader: inout ByteReader, fields: inout WireFieldLog) throws(GBCSDecodingError) -> CS02bResponsePayload? {
        var body = try reader.der([0x30], "Update Security Credentials response", depth: 0, fields: &fields).content
        _ = try body.primitive([0x05], "command accepted", depth: 1, fields: &fields) { _ in "NULL" }
        guard !body.isAtEnd else {
            try reader.expectEnd("the content")
            return nil
        }
        var outcome = try body.der([0x30], "execution outcome", depth: 1, fields: &fields).content
        let sequence = try outcome.unsigned([0x02], "authorising remote party seq number", depth: 2, fields: &fields)
        let mode = try outcome.unsigned([0x02, 0x0A], "credentials replacement mode", depth: 2, fields: &fields,
                                        names: CS02bCommandPayload.modeNames)
        var changeList = try outcome.der([0x30], "remote party seq number changes", depth: 2, fields: &fields).content
        var changes: [(role: UInt64, floor: UInt64)] = []
        while !changeList.isAtEnd {
            var change = try changeList.der([0x30], "change \(changes.count + 1)", depth: 3, fields: &fields).content
            let role = try change.unsigned([0x02, 0x0A], "remote party role", depth: 4, fields: &fields,
                                           names: TrustAnchorCellIdentifier.roleNames)
            let floor = try change.unsigned([0x02], "floor seq number", depth: 4, fields: &fields)
            if change.peek() == 0x30 { _ = try change.der([0x30], "specialist floor seq numbers", depth: 4, fields: &fields) }
            try change.expectEnd("a seq number change")
            changes.append((role, floor))
        }
        var outcomeList = try outcome.der([0x30], "replacement outcomes", depth: 2, fields: &fields).content
        var outcomes: [Outcome] = []
        while !outcomeList.isAtEnd {
            var item = try outcomeList.der([0x30], "outcome \(outcomes.count + 1)", depth: 3, fields: &fields).content
            let cell = try TrustAnchorCellIdentifier.read(&item, "affected trust anchor cell", depth: 4, fields: &fields)
            let status = try item.unsigned([0x0A, 0x02], "status code", depth: 4, fields: &fields, names: statusNames)
            func identifier(_ name: String) throws(GBCSDecodingError) -> [UInt8] {
                try item.primitive([0x04], name, depth: 4, fields: &fields) { value in
                    value.isEmpty ? "none" : (value.count == 8 && name.hasSuffix("unique ID")
                        ? EUI64(rawValue: value.reduce(0) { $0 << 8 | UInt64($1) }).description
                        : Hex.string(value, separator: " "))
                }
            }
            let existingSubject = try identifier("existing subject unique ID")
            let existingKey = try identifier("existing subject key ID")
            let replacingSubject = try identifier("replacing subject unique ID")
            let replacingKey = try identifier("replacing subject key ID")
            try item.expectEnd("a replacement outcome")
            outcomes.append(Outcome(cell: cell, status: status, existingSubject: existingSubject, existingKeyIdentifier: existingKey,
                                    replacingSubject: replacingSubject, replacingKeyIdentifier: replacingKey))
        }
        try outcome.expectEnd("the execution outcome")
        try body.expectEnd("the Update Security Credentials response")
        try reader.expectEnd("the content")
        return CS02bResponsePayload(authorisingSequenceNumber: sequence, mode: mode, floorChanges: changes, outcomes: outcomes)
    }
}
