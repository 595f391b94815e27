import AnchorCore
import SMKI

/// How domain values are shown: the contract's JSON shapes and the human tables.
/// Every string that comes from data passes through ``DisplaySafeText``.
enum Presentation {
    static func safe(_ text: String) -> String { DisplaySafeText.sanitize(text) }

    static func deviceSummary(_ view: DeviceView) -> [(String, JSONValue)] {
        let device = view.device
        return [
            ("id", .string(device.id.description)),
            ("type", .string(device.type.rawValue)),
            ("supplier", .string(safe(device.supplier))),
            ("commissionedAt", .optional(device.commissionedAt)),
            ("networkOperatorCell", .object([
                ("owner", .optional(view.networkOperatorOwner.map(safe))),
                ("certificate", .optional(device.cells[.networkOperatorDS].map(safe))),
            ])),
            ("recordedCounter", .optional(view.recordedCounter)),
        ]
    }

    static func deviceDetail(_ view: DeviceView) -> JSONValue {
        let device = view.device
        let cells: [JSONValue] = device.cells.all.map { cell, certificate in
            .object([
                ("name", .string(cell.rawValue)),
                ("role", .string(cell.role.rawValue)),
                ("keyUsage", .string(cell.keyUsage.rawValue)),
                ("owner", .optional(certificate.flatMap { view.cellOwners[$0] }.map(safe))),
                ("certificate", .optional(certificate.map(safe))),
            ])
        }
        let floors: [(String, JSONValue)] = OrganisationRole.allCases.map { ($0.rawValue, .string(device.floors[$0].description)) }
        return .object(deviceSummary(view) + [
            ("cells", .array(cells)), ("floors", .object(floors)), ("lastRequest", view.lastRequest.map(request) ?? .null),
            ("scheduled", view.scheduled.map(schedule) ?? .null),
        ])
    }

    /// A schedule log entry: a future-dated command's acknowledgement, cancellation or alert.
    static func schedule(_ record: ScheduleRecord) -> JSONValue {
        .object([
            ("event", .string(record.event.rawValue)),
            ("requestId", .string(safe(record.requestId))),
            ("device", .string(record.device.description)),
            ("sender", .string(safe(record.sender))),
            ("counter", .string(record.counter.description)),
            ("dueAt", .string(record.dueAt.description)),
            ("handBack", .bool(record.handBack)),
            ("alert", .optional(record.alert.map(safe))),
            ("recordedCounter", .optional(record.recordedCounter)),
            ("detail", .string(safe(record.detail))),
            ("at", .string(record.at.description)),
        ])
    }

    static func request(_ record: RequestRecord) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("requestId", .string(record.requestId)),
            ("service", .string(record.service.rawValue)),
            ("device", .string(record.device.description)),
            ("requester", .string(safe(record.requester))),
            ("originator", .string(safe(record.originator))),
            ("originatorCounter", .string(record.originatorCounter.description)),
            ("outcome", .string(record.outcome.rawValue)),
            ("reason", .optional(record.reason?.rawValue)),
            ("detail", .string(safe(record.detail))),
            ("recordedCounter", .optional(record.recordedCounter)),
            ("deviceFloor", .optional(record.deviceFloor)),
        ]
        if record.service == .requestHandover {
            members += [
                ("generatedCounter", .optional(record.generatedCounter)),
                ("storedCounter", .optional(record.storedCounter)),
                ("legacyCounters", .bool(record.legacyCounters ?? false)),
            ]
        }
        members += [("certificates", .array(record.certificates.map { .string(safe($0)) })), ("at", .string(record.at.description))]
        if let subject = record.operatorSubject { members.append(("operator", .string(safe(subject)))) }
        if let recovery = record.recovery {
            members.append(("recovery", .object([
                ("reason", .string(safe(recovery.reason))),
                ("previousHolder", .optional(recovery.previousHolder.map(safe))),
                ("newFloor", .string(recovery.newFloor.description)),
            ])))
        }
        return .object(members)
    }

    static func requestLines(_ record: RequestRecord) -> [String] {
        let verb = switch record.outcome {
        case .succeeded: "succeeded"
        case .scheduled: "scheduled"
        case .rejected: "REJECTED (\(record.reason?.rawValue ?? "-"))"
        }
        var lines = [
            (record.service == .recovery ? "Recovery Event" : "SRV\(record.service.rawValue)") + " \(verb)",
            "  request     \(record.requestId)",
            "  command     \(safe(record.originator)) → \(record.device), counter \(record.originatorCounter)",
        ]
        if record.service == .requestHandover {
            lines.append("  counters    generated \(record.generatedCounter?.description ?? "-"), recorded \(record.storedCounter?.description ?? "none")"
                + (record.legacyCounters == true ? " (legacy counters: recorded ignored)" : ""))
        }
        if let recovery = record.recovery {
            lines.append("  reason      \(safe(recovery.reason)) (previous holder \(recovery.previousHolder.map(safe) ?? "none"), new NO floor \(recovery.newFloor))")
        }
        lines += [
            "  result      \(safe(record.detail))",
            "  recorded    \(record.recordedCounter?.description ?? "none")   device NO floor \(record.deviceFloor?.description ?? "not reported")",
        ]
        if let subject = record.operatorSubject { lines.append("  operator    \(safe(subject))") }
        return lines
    }

    static func organisation(_ organisation: Organisation, _ ledger: Ledger, issued: [String: OrganisationCertificate] = [:]) -> JSONValue {
        .object([
            ("id", .string(safe(organisation.id))),
            ("name", .string(safe(organisation.name))),
            ("role", .string(organisation.role.rawValue)),
            ("entityId", .string(organisation.entityId.description)),
            ("dccUser", .bool(organisation.dccUser)),
            ("subscribed", .bool(organisation.subscribed)),
            ("lastCounter", .string(organisation.lastCounter.description)),
            ("certificates", .array(ledger.certificates(ownedBy: organisation.id).map { certificate in
                .object([
                    ("id", .string(safe(certificate.id))),
                    ("keyUsage", .string(certificate.keyUsage.rawValue)),
                    ("inRepository", .bool(certificate.inRepository)),
                    ("revoked", .bool(certificate.revoked)),
                ] + (issued[certificate.id].map(CertificatePresentation.members) ?? []).filter { $0.0 != "keyUsage" })
            })),
        ])
    }
}
