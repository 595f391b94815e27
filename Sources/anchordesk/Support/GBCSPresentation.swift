import AnchorCore
import Foundation
import GBCS

/// The `gbcs decode` output: the contract's JSON document and the human breakdown.
enum GBCSPresentation {
    static func json(_ message: GBCSMessage) -> JSONValue {
        let block = message.block
        return .object([
            ("cra", .string(block.cra.name)),
            ("originatorCounter", .string(block.originatorCounter.description)),
            ("originator", .string(block.originator.description)),
            ("recipient", .string(block.recipient.description)),
            ("messageCode", .string(MessageCode.hex(block.messageCode))),
            ("wrapped", .bool(message.mac != nil)),
            ("signed", .bool(block.signature.isSigned)),
            ("signature", {
                if case .ecdsa(let value) = block.signature { return .string(Hex.string(value)) }
                return .null
            }()),
            ("payload", payload(message)),
            ("fields", .array(message.fields.map { field in
                .object([
                    ("name", .string(field.name.trimmingCharacters(in: .whitespaces))),
                    ("offset", .integer(field.offset)),
                    ("hex", .string(Hex.string(field.bytes))),
                    ("meaning", .string(Presentation.safe(field.meaning))),
                ])
            })),
        ])
    }

    static func payload(_ message: GBCSMessage) -> JSONValue {
        func cell(_ identifier: TrustAnchorCellIdentifier) -> JSONValue {
            .object([
                ("remotePartyRole", .integer(Int(identifier.roleCode))),
                ("keyUsage", .optional(identifier.keyUsage?.rawValue)),
                ("cell", .optional(identifier.cell?.rawValue)),
            ])
        }
        func identifier(_ bytes: [UInt8]) -> JSONValue { bytes.isEmpty ? .null : .string(Hex.string(bytes)) }
        switch message.payload {
        case .updateSecurityCredentialsCommand(let command):
            return .object([
                ("type", .string("CS02b command")),
                ("replacementMode", .integer(Int(command.mode))),
                ("authorisingRemotePartySeqNumber", .string(String(command.authorisingSequenceNumber))),
                ("newRemotePartyFloorSeqNumber", .optional(command.newFloor)),
                ("replacements", .array(command.replacements.map { replacement in
                    .object([("targetCell", cell(replacement.target)), ("certificate", .string(Hex.string(replacement.certificate)))])
                })),
            ])
        case .updateSecurityCredentialsResponse(let response):
            guard let response else { return .object([("type", .string("CS02b response")), ("commandAccepted", .bool(true))]) }
            return .object([
                ("type", .string("CS02b response")),
                ("authorisingRemotePartySeqNumber", .string(String(response.authorisingSequenceNumber))),
                ("replacementMode", .integer(Int(response.mode))),
                ("remotePartySeqNumberChanges", .array(response.floorChanges.map { change in
                    .object([("remotePartyRole", .integer(Int(change.role))), ("floorSeqNumber", .string(String(change.floor)))])
                })),
                ("replacementOutcomes", .array(response.outcomes.map { outcome in
                    .object([
                        ("cell", cell(outcome.cell)),
                        ("status", .integer(Int(outcome.status))),
                        ("existingSubjectUniqueId", identifier(outcome.existingSubject)),
                        ("existingSubjectKeyId", identifier(outcome.existingKeyIdentifier)),
                        ("replacingSubjectUniqueId", identifier(outcome.replacingSubject)),
                        ("replacingSubjectKeyId", identifier(outcome.replacingKeyIdentifier)),
                    ])
                })),
            ])
        case .commandRefused(let alert):
            return .object([("type", .string("command refused (model)")), ("reason", .integer(Int(alert.reason.rawValue)))])
        case .other:
            return .object([("type", .string("other")), ("content", .string(Hex.string(message.block.content)))])
        }
    }

    static func lines(_ message: GBCSMessage) -> [String] {
        let block = message.block
        return [
            "\(block.cra.name), counter \(block.originatorCounter), \(block.originator) → \(block.recipient), "
                + "\(MessageCode.describe(block.messageCode)), \(block.signature.isSigned ? "signed" : "not signed")",
        ] + WirePresentation.fieldLines(message.fields)
    }
}
