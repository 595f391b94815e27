import AnchorCore
import GBCS

/// The `gbcs decode --json` names of CS02b's ASN.1 values: the ASN.1's own names, counters as decimal strings.
extension TrustAnchorCellIdentifier {
    var json: JSONValue {
        .object([
            ("remotePartyRole", .integer(Int(roleCode))),
            ("keyUsage", .string(keyUsage?.rawValue ?? Hex.string(keyUsageBits))),
            ("cellUsage", .integer(Int(cellUsage ?? 0))),
            ("cell", .optional(cell?.rawValue)),
        ])
    }
}

extension RemotePartySeqNumberChange {
    var json: JSONValue {
        .object([
            ("remotePartyRole", .integer(Int(role))), ("floorSeqNumber", .string(String(floor))),
            ("specialistFloorSeqNumbers", specialistFloors.map { .array($0.map(\.json)) } ?? .null),
        ])
    }
}

extension SpecialistSeqNumber {
    var json: JSONValue { .object([("seqNumberUsage", .integer(Int(usage))), ("seqNumber", .string(String(seqNumber)))]) }
}

extension CS02bCommandPayload {
    func json(type: String) -> JSONValue {
        .object([
            ("type", .string(type)),
            ("replacementMode", .integer(Int(mode))),
            ("plaintextSymmetricKey", plaintextSymmetricKey.map { .string("\($0.count) bytes") } ?? .null),
            ("applyTimeBasedCPVChecks", applyTimeBasedCPVChecks.map { .integer(Int($0)) } ?? .null),
            ("authorisingRemotePartyTACellIdentifier", authorisingCell?.json ?? .null),
            ("authorisingRemotePartySeqNumber", .string(String(authorisingSequenceNumber))),
            ("newRemotePartyFloorSeqNumber", .optional(newFloor.map(String.init))),
            ("newRemotePartySpecialistFloorSeqNumbers", newSpecialistFloors.map { .array($0.map(\.json)) } ?? .null),
            ("otherRemotePartySeqNumberChanges", otherChanges.map { .array($0.map(\.json)) } ?? .null),
            ("replacements", .array(replacements.map { replacement in
                .object([("targetTrustAnchorCell", replacement.target.json), ("certificate", GBCSPresentation.certificate(replacement.certificate))])
            })),
            ("certificationPathCertificates", .array(certificationPath.map(GBCSPresentation.certificate))),
            ("executionDateTime", .optional(executionDateTime.map(Presentation.safe))),
        ])
    }
}

extension CS02bResponsePayload {
    var json: JSONValue {
        func identifier(_ bytes: [UInt8]) -> JSONValue { bytes.isEmpty ? .null : .string(Hex.string(bytes)) }
        return .object([
            ("authorisingRemotePartySeqNumber", .string(String(authorisingSequenceNumber))),
            ("credentialsReplacementMode", .integer(Int(mode))),
            ("remotePartySeqNumberChanges", .array(floorChanges.map(\.json))),
            ("replacementOutcomes", .array(outcomes.map { outcome in
                .object([
                    ("affectedTrustAnchorCell", outcome.cell.json),
                    ("statusCode", .integer(Int(clamping: outcome.status))),
                    ("existingSubjectUniqueID", identifier(outcome.existingSubject)),
                    ("existingSubjectKeyIdentifier", identifier(outcome.existingKeyIdentifier)),
                    ("replacingSubjectUniqueID", identifier(outcome.replacingSubject)),
                    ("replacingSubjectKeyIdentifier", identifier(outcome.replacingKeyIdentifier)),
                ])
            })),
        ])
    }
}
