import AnchorCore

/// How lifecycle actions and organisation details are shown.
enum LifecyclePresentation {
    static func record(_ record: LifecycleRecord, listFilter: String?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("action", .string(record.action.rawValue)),
            ("organisation", .string(Presentation.safe(record.organisation))),
            ("outcome", .string(record.outcome.rawValue)),
            ("reason", .optional(record.reason?.rawValue)),
            ("detail", .string(Presentation.safe(record.detail))),
            ("devicesHoldingCertificates", .integer(record.devicesHoldingCertificates)),
            ("certificates", .array(record.certificates.map { .string(Presentation.safe($0)) })),
            ("at", .string(record.at.description)),
        ]
        if let subject = record.operatorSubject { members.append(("operator", .string(Presentation.safe(subject)))) }
        if record.reason == .certificatesOnDevices, let listFilter {
            members.append(("listDevices", .string("anchordesk devices --filter " + Presentation.safe(listFilter))))
        }
        return .object(members)
    }

    static func recordLines(_ record: LifecycleRecord) -> [String] {
        let verb = record.outcome == .succeeded ? "succeeded" : "REJECTED (\(record.reason?.rawValue ?? "-"))"
        var lines = [
            "org \(record.action.rawValue) \(Presentation.safe(record.organisation)): \(verb)",
            "  result      \(Presentation.safe(record.detail))",
        ]
        if !record.certificates.isEmpty {
            lines.append("  certificates \(record.certificates.map(Presentation.safe).joined(separator: ", "))")
        }
        if let subject = record.operatorSubject { lines.append("  operator    \(Presentation.safe(subject))") }
        return lines
    }

    static func unchanged(_ action: OrganisationAction, _ organisation: String, _ detail: String) -> JSONValue {
        .object([
            ("action", .string(action.rawValue)),
            ("organisation", .string(Presentation.safe(organisation))),
            ("outcome", .string("unchanged")),
            ("reason", .null),
            ("detail", .string(Presentation.safe(detail))),
        ])
    }
}
