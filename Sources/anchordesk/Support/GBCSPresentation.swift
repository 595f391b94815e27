import AnchorCore
import Foundation
import GBCS
import SMKI

/// The `gbcs decode` output: the contract's JSON document and the human breakdown.
enum GBCSPresentation {
    static func json(_ message: GBCSMessage, verification: MessageVerification? = nil) -> JSONValue {
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
            ("verification", json(verification ?? MessageVerification.notChecked(message))),
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

    /// The verdicts, and the keys each check used (their files or records).
    static func json(_ verification: MessageVerification) -> JSONValue {
        .object([
            ("signature", .string(verification.signature.rawValue)), ("mac", .string(verification.mac.rawValue)),
            ("signatureKey", .optional(verification.signatureKey.map(Presentation.safe))),
            ("macKeys", .array(verification.macKeys.map { .string(Presentation.safe($0)) })),
        ])
    }

    /// `verification: signature valid (90b3d51f30020000-ds.pem), MAC valid (90b3d51f30000002-ka.key with 00db1234567890a0-ka.pem)`.
    static func line(_ verification: MessageVerification) -> String {
        let signature = verification.signatureKey.map { " (\(Presentation.safe($0)))" } ?? ""
        let mac = verification.macKeys.isEmpty ? "" : " (" + verification.macKeys.map(Presentation.safe).joined(separator: " with ") + ")"
        return "verification: signature \(verification.signature.rawValue)\(signature), MAC \(verification.mac.rawValue)\(mac)"
    }

    static func payload(_ message: GBCSMessage) -> JSONValue {
        switch message.payload {
        case .updateSecurityCredentialsCommand(let command):
            return command.json(type: message.block.messageCode == MessageCode.loadControllerUpdate ? "CS02g command" : "CS02b command")
        case .updateSecurityCredentialsResponse(let response):
            return .object([
                ("type", .string(message.block.messageCode == MessageCode.loadControllerUpdate ? "CS02g response" : "CS02b response")),
                ("commandAccepted", .bool(true)), ("executionOutcome", response.map { $0.json } ?? .null),
            ])
        case .updateSecurityCredentialsAlert(let alert):
            return .object([
                ("type", .string(message.block.messageCode == MessageCode.loadControllerAlert ? "CS02g alert" : "CS02b alert")),
                ("alertCode", .string("0x" + String(alert.alertCode, radix: 16, uppercase: true))),
                ("executionDateTime", .string(Presentation.safe(alert.executionDateTime))), ("executionOutcome", alert.outcome.json),
            ])
        case .updateDeviceCertificateCommand(let der):
            return .object([("type", .string("CS02d command")), ("certificate", GBCSPresentation.certificate(der))])
        case .updateDeviceCertificateResponse(let status):
            return .object([("type", .string("CS02d response")), ("status", asn1Number(status))])
        case .commandRefused(let alert):
            return .object([("type", .string("command refused (model)")), ("reason", .integer(Int(alert.reason.rawValue)))])
        case .raw(let bytes):
            return .object([("type", .string("not decoded")), ("content", .string(Hex.string(bytes)))])
        }
    }

    /// A certificate on the wire: its DER in hex and what a reader needs from it.
    static func certificate(_ der: [UInt8]) -> JSONValue {
        guard let certificate = try? OrganisationCertificate(der: der) else {
            return .object([("readable", .bool(false)), ("der", .string(Hex.string(der)))])
        }
        return .object([
            ("serial", .string(Hex.string(certificate.certificate.serialNumber.bytes))),
            ("subjectKeyIdentifier", .string(Hex.string(certificate.keyIdentifier))),
            ("subject", .string(Presentation.safe(certificate.subjectText))),
            ("entityId", .optional(certificate.entityId?.description)),
            ("deviceId", .optional(certificate.deviceId?.description)),
            ("keyUsage", .string(certificate.keyUsageText)),
            ("der", .string(Hex.string(der))),
        ])
    }

    static func lines(_ message: GBCSMessage) -> [String] {
        let block = message.block
        return [
            "\(block.cra.name), counter \(block.originatorCounter), \(block.originator) → \(block.recipient), "
                + "\(MessageCode.describe(block.messageCode)), \(block.signature.isSigned ? "signed" : "not signed")",
        ] + WirePresentation.fieldLines(message.fields)
    }
}
