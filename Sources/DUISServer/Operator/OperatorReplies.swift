import AnchorCore
import AnchorStore
import Foundation

/// The operator API's JSON bodies, shared by `serve` and the CLI that calls it.
public enum OperatorReplies {
    /// `POST /api/operator/v1/drafts`: the unsigned request and the certificate its signature names.
    public struct Draft: Codable, Sendable {
        /// The unsigned DUIS request (UTF-8 XML).
        public var xml: String
        /// The signing User's XML-signing certificate in the Repository (DER, base64).
        public var xmlSigningCertificate: String
    }

    /// `POST /api/operator/v1/duis/serviceT|serviceS`: what a signed request came to.
    public struct DUIS: Codable, Sendable {
        /// The DUIS response code (`I0`, `I99`, `E…`).
        public var code: String
        /// Why, in one line.
        public var note: String
        /// The DSP's signed `sr:Response` (UTF-8 XML).
        public var duis: String
        /// The request as the DSP recorded it, when the engine decided one.
        public var request: RequestRecord?
        /// The device's response, signed by the DSP (UTF-8 XML), when the device answered.
        public var deviceResponse: String?
    }

    /// `GET /api/operator/v1/devices`: a page of devices and the counts.
    public struct Devices: Codable, Sendable {
        /// The devices shown, at most the limit asked for.
        public var devices: [DeviceView]
        /// How many devices match the filter.
        public var matching: Int
        /// How many devices the store holds.
        public var inStore: Int

        /// A page.
        public init(devices: [DeviceView], matching: Int, inStore: Int) {
            self.devices = devices
            self.matching = matching
            self.inStore = inStore
        }
    }

    /// `GET /api/operator/v1/changes`: the store's change token, which differs after any commit.
    public struct Change: Codable, Sendable {
        /// The token.
        public var token: String
    }

    /// `GET /api/operator/v1/reports/…`: a report's rows, in device-ID order.
    public struct Rows<Row: Codable & Sendable>: Codable, Sendable {
        /// The rows.
        public var rows: [Row]
        /// The counter-risk report's: the counter the ACB's own sequence would give the next SRV6.21.
        public var nextGenerated: OriginatorCounter?
    }

    /// `GET /api/operator/v1/audit`: the audit check as the DSP made it.
    public struct Audit: Codable, Sendable {
        /// Entries checked.
        public var entries: Int
        /// Records older than the audit trail.
        public var unaudited: Int
        /// The last entry's sequence number and hash, if there is one.
        public var headSequence: UInt64?
        public var headHash: String?
        /// Where the chain breaks, if it does; the file is named without the DSP's path.
        public var broken: Broken?

        /// The first bad entry.
        public struct Broken: Codable, Sendable {
            public var sequence: UInt64?
            public var file: String
            public var offset: Int
            public var problem: String
        }

        /// The break as an ``AnchorStore/AuditFailure``, as at the DSP but for the file's path.
        public var failure: AuditFailure? {
            broken.map { AuditFailure(sequence: $0.sequence, path: $0.file, offset: $0.offset, problem: $0.problem) }
        }

        init(report: AuditVerifier.Report) {
            entries = report.entries
            unaudited = report.unaudited
            headSequence = report.head?.sequence
            headHash = report.head?.hash.description
        }

        init(broken failure: AuditFailure) {
            entries = 0
            unaudited = 0
            broken = Broken(sequence: failure.sequence, file: (failure.path as NSString).lastPathComponent, offset: failure.offset, problem: failure.problem)
        }
    }

    /// `GET /api/operator/v1/requests`: the whole request log, oldest first.
    public struct Requests: Codable, Sendable {
        public var requests: [RequestRecord]
    }

    /// `GET /api/operator/v1/organisations`: what `anchordesk orgs` and `org show` read of the
    /// ledger, with the Repository's certificates (public) and how many devices hold each
    /// organisation's certificates.
    public struct Organisations: Codable, Sendable {
        public var organisations: [Organisation]
        public var certificates: [Certificate]
        public var lifecycle: [LifecycleRecord]
        /// Each certificate's DER, base64, by certificate ID (those the DSP's vault holds).
        public var certificateDER: [String: String]
        /// Devices holding any of each organisation's certificates, by organisation.
        public var holdings: [String: Int]

        /// The organisations, certificates and lifecycle records as a ledger of their own.
        public var ledger: Ledger {
            Ledger(organisations: organisations, certificates: certificates, lifecycle: lifecycle)
        }
    }

    /// `GET /api/operator/v1/devices/ID/certificates`: the device's Digital Signing and Key
    /// Agreement certificates (DER, base64), as the DSP's Device CA issues them.
    public struct DeviceCertificates: Codable, Sendable {
        public var digitalSigning: String
        public var keyAgreement: String
    }

    /// `GET /api/operator/v1/schedule`: what `anchordesk alerts list` and `alerts pending` read.
    public struct Schedule: Codable, Sendable {
        /// The schedule log: acknowledgements, cancellations and alerts processed, oldest first.
        public var schedule: [ScheduleRecord]
        /// Every device alert that arrived, oldest first.
        public var alerts: [ReceivedAlert]

        /// The two logs as a ledger of their own (its pending commands worked out from them).
        public var ledger: Ledger {
            Ledger(organisations: [], certificates: [], schedule: schedule, alerts: alerts)
        }
    }

    /// Any refusal: one line, and for bad input the CLI's reason code and "did you mean".
    public struct Failure: Codable, Sendable {
        /// Why.
        public var error: String
        /// The reason code the CLI exits with (`unknown-device`, `bad-filter`…), if any.
        public var code: String?
        /// A near name, for an unknown one.
        public var suggestion: String?

        /// A refusal.
        public init(error: String, code: String? = nil, suggestion: String? = nil) {
            self.error = error
            self.code = code
            self.suggestion = suggestion
        }
    }

    /// A value as the API's JSON.
    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? Array(#"{"error":"the answer could not be written as JSON"}"#.utf8)
    }
}
