import AnchorCore
import GBCS

/// A small ASN.1 INTEGER (a role, mode, usage or status) as a JSON number; one too large for
/// that, which only a malformed message carries, as a decimal string.
func asn1Number(_ value: UInt64) -> JSONValue {
    Int(exactly: value).map(JSONValue.integer) ?? .string(String(value))
}

/// The `gbcs decode --json` names of CS02b's ASN.1 values: the ASN.1's own names, counters as decimal strings.
extension TrustAnchorCellIdentifier {
    var json: JSONValue {
        .object([
            ("remotePartyRole", asn1Number(roleCode)),
            ("keyUsage", .string(keyUsage?.rawValue ?? Hex.string(keyUsageBits))),
            ("cellUsage", asn1Number(cellUsage ?? 0)),
            ("cell", .optional(cell?.rawValue)),
        ])
    }
}

extension RemotePartySeqNumberChange {
    var json: JSONValue {
        .object([
            ("remotePartyRole", asn1Number(role)), ("floorSeqNumber", .string(String(floor))),
            ("specialistFloorSeqNumbers", specialistFloors.map { .array($0.map(\.json)) } ?? .null),
        ])
    }
}

extension SpecialistSeqNumber {
    var json: JSONValue { .object([("seqNumberUsage", asn1Number(usage)), ("seqNumber", .string(String(seqNumber)))]) }
}

extension CS02bCommandPayload {
    func json(type: String) -> JSONValue {
        let key: JSONValue = plaintextSymmetricKey.map { .string("\($0.count) bytes, not shown") } ?? .null
        let checks: JSONValue = applyTimeBasedCPVChecks.map(asn1Number) ?? .null
        let specialist: JSONValue = newSpecialistFloors.map { .array($0.map(\.json)) } ?? .null
        let changes: JSONValue = otherChanges.map { .array($0.map(\.json)) } ?? .null
        let targets: [JSONValue] = replacements.map { replacement in
            .object([("targetTrustAnchorCell", replacement.target.json), ("certificate", GBCSPresentation.certificate(replacement.certificate))])
        }
        return .object([
            ("type", .string(type)),
            ("replacementMode", asn1Number(mode)),
            ("plaintextSymmetricKey", key),
            ("applyTimeBasedCPVChecks", checks),
            ("authorisingRemotePartyTACellIdentifier", authorisingCell?.json ?? .null),
            ("authorisingRemotePartySeqNumber", .string(String(authorisingSequenceNumber))),
            ("newRemotePartyFloorSeqNumber", .optional(newFloor.map(String.init))),
            ("newRemotePartySpecialistFloorSeqNumbers", specialist),
            ("otherRemotePartySeqNumberChanges", changes),
            ("replacements", .array(targets)),
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
            ("credentialsReplacementMode", asn1Number(mode)),
            ("remotePartySeqNumberChanges", .array(floorChanges.map(\.json))),
            ("replacementOutcomes", .array(outcomes.map { outcome in
                .object([
                    ("affectedTrustAnchorCell", outcome.cell.json),
                    ("statusCode", asn1Number(outcome.status)),
                    ("existingSubjectUniqueID", identifier(outcome.existingSubject)),
                    ("existingSubjectKeyIdentifier", identifier(outcome.existingKeyIdentifier)),
                    ("replacingSubjectUniqueID", identifier(outcome.replacingSubject)),
                    ("replacingSubjectKeyIdentifier", identifier(outcome.replacingKeyIdentifier)),
                ])
            })),
        ])
    }
}
