import AnchorCore
import AnchorService
import AnchorStore
import AnchorTUI
import DUISServer
import Foundation
import OperatorClient

/// The console through a DSP's operator API (`anchordesk --store https://HOST:PORT`): it is a
/// client, the DSP decides. It reads the estate a page at a time (``AnchorStore/DevicePageCodec``),
/// never whole; a request from the launcher is signed here with the User's own keys, as the CLI
/// does through the API (``RemoteRequest``); another operator's commit reaches it within moments
/// (``RemoteChangeWatch``); marked work, lifecycle actions and Recovery Events run through the API
/// (``RemoteJobs``). What does not work through it yet is refused with a line saying where it runs.
final class RemoteStoreService: StoreService, @unchecked Sendable {
    /// The DSP.
    let connection: OperatorConnection
    /// The User key directory requests are signed with (`--keys` / `$ANCHORDESK_KEYS`).
    let userKeys: String?
    /// Never send anything.
    let readOnly: Bool
    /// Pushes the store's change token as the DSP announces it.
    let changes: RemoteChangeWatch
    /// Why the first page could not be read, for ``load()``.
    private var firstFailure: String?
    private let lock = NSLock()

    init(connection: OperatorConnection, userKeys: String?, readOnly: Bool) {
        self.connection = connection
        self.userKeys = userKeys
        self.readOnly = readOnly
        changes = RemoteChangeWatch(connection: connection)
    }

    /// Devices a page holds: enough for the tallest screen.
    static let pageSize = 500

    /// Only reached when the first page could not be read: the estate is never read whole.
    func load() -> LoadResult {
        .failed(lock.withLock { firstFailure } ?? "\(connection.address) gave no first page")
    }

    func firstPage() -> DevicePage? {
        switch page(.first, filter: .all, sort: DeviceSort()) {
        case .success(let page): return page
        case .failure(let error):
            lock.withLock { firstFailure = error.message }
            return nil
        }
    }

    func page(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort) -> Result<DevicePage, StoreError> {
        read(start, filter: filter, sort: sort, limit: Self.pageSize)
    }

    func holdings() -> Result<OrganisationHoldings, StoreError> {
        call { () throws(CLIFailure) in
            OrganisationHoldings(counts: try OperatorCall.json(connection.get(OperatorAPIPath.holdings), from: connection))
        }
    }

    func lifecycleCounts(_ organisation: String) -> Result<LifecycleCounts, StoreError> {
        let handBack = read(.first, filter: DeviceFilter(terms: [.networkOperator(organisation)]), sort: DeviceSort(), limit: 0)
        return handBack.flatMap { page in
            holdings().map { LifecycleCounts(holding: $0.counts[organisation] ?? 0, handBack: page.matching) }
        }
    }

    /// Planned by the DSP as `anchordesk recovery --store https://…` plans it; the form's own
    /// fields are checked here first.
    func planRecovery(_ form: RecoveryForm) -> Result<RecoveryPreview, RequestError> {
        do throws(RequestError) {
            let checked = try form.checked()
            let draft = RecoveryDraft(filter: checked.filter, replacement: form.replacement, newFloor: checked.newFloor, reason: checked.reason,
                                      confirmedDevices: 0)
            do throws(CLIFailure) {
                let plan = try RemoteRecovery(connection: connection, draft: draft).planned()
                return .success(RecoveryPreview(checked, replacement: form.replacement, pending: plan.pending.count, skipped: plan.skipped,
                                                certificates: plan.certificates ?? [], recovery: plan.recovery))
            } catch {
                throw .invalidRequest(error.message)
            }
        } catch {
            return .failure(error)
        }
    }

    /// The DSP lets due commands execute itself.
    func processDueAlerts() -> DueAlertsResult { .nothingDue }

    func submit(_ draft: RequestDraft) -> RequestResult {
        guard !readOnly else { return .notSent("the console is read-only (--read-only)") }
        let duis: DUISRequestDraft
        switch draft.service {
        case .updateSecurityCredentials:
            duis = DUISRequestDraft(service: .updateSecurityCredentials, organisation: draft.actingOrganisation, device: draft.device,
                                    certificate: draft.certificate, counter: draft.counter?.value, newFloor: draft.newFloor?.value,
                                    execution: draft.executeAt.map(CommandExecution.at) ?? .immediate)
        case .requestHandover:
            guard !draft.legacyCounters else { return .notSent(Self.atTheDSP("legacy counters")) }
            duis = DUISRequestDraft(service: .requestHandover, organisation: draft.actingOrganisation, device: draft.device,
                                    networkOperator: draft.networkOperator)
        case .recovery:
            return .notSent(Self.atTheDSP("a Recovery Event"))
        }
        do throws(CLIFailure) {
            // The page is read again afterwards: the DSP holds the estate.
            return .processed(try RemoteRequest.decided(duis, through: connection, keys: userKeys), nil)
        } catch {
            return .notSent(error.message)
        }
    }

    /// Run through the API (``RemoteJobs``); the pages are read again afterwards.
    func perform(_ job: StoreJob, progress: (BulkProgress) -> Bool) -> JobReport {
        guard !readOnly else {
            var outcome = JobOutcome(job: job)
            outcome.failure = "the console is read-only (--read-only); nothing was sent"
            return JobReport(outcome: outcome, estate: nil)
        }
        return JobReport(outcome: RemoteJobs(connection: connection, userKeys: userKeys).perform(job, progress: progress), estate: nil)
    }

    /// Made by the DSP over its own chain.
    func verifyAudit() -> AuditSummary {
        let read = call { () throws(CLIFailure) -> OperatorReplies.Audit in try OperatorCall.json(connection.get(OperatorAPIPath.audit), from: connection) }
        switch read {
        case .success(let audit):
            if let failure = audit.failure { return AuditSummary(intact: false, problem: failure.description) }
            return AuditSummary(intact: true, entries: audit.entries, headSequence: audit.headSequence, headHash: audit.headHash, unaudited: audit.unaudited)
        case .failure(let error):
            return AuditSummary(intact: false, problem: error.message)
        }
    }

    /// Read by the DSP as `anchordesk report` reads it, and sent whole.
    func report(_ kind: ReportKind, asOf: Timestamp, progress: (Int) -> Void) -> Result<ReportSnapshot, ServiceError> {
        let read = call { () throws(CLIFailure) -> ReportSnapshot in
            switch kind {
            case .counterRisk:
                let rows: OperatorReplies.Rows<CounterRiskReport.Row> = try OperatorCall.json(
                    connection.get(OperatorReportQuery.counterRisk(CounterRiskReport.Filter())), from: connection)
                return ReportSnapshot(kind: kind, counterRisk: CounterRiskReport(rows: rows.rows))
            case .postCommissioning:
                let rows: OperatorReplies.Rows<PostCommissioningReport.Row> = try OperatorCall.json(
                    connection.get(OperatorReportQuery.postCommissioning(asOf: asOf, PostCommissioningReport.Filter())), from: connection)
                var totals = PostCommissioningReport.Totals()
                for row in rows.rows { totals.count(row) }
                return ReportSnapshot(kind: kind, postCommissioning: PostCommissioningReport(asOf: asOf, rows: rows.rows, totals: totals))
            }
        }
        return read.mapError { ServiceError.store($0) }
    }

    func changeToken() -> String {
        changes.token
    }

    /// Issued by the DSP's Device CA, as `cert show ID --usage` reads them through the API.
    func deviceCertificates(_ device: EUI64) -> DeviceCertificateRows {
        do throws(CLIFailure) {
            let issued = try RemoteCertificates.device(device, through: connection)
            return DeviceCertificateRows(device: device, certificates: KeyUsage.allCases.compactMap { issued[$0] })
        } catch {
            return DeviceCertificateRows(device: device, failure: error.message)
        }
    }

    /// Says that something does not work through the operator API yet.
    private static func atTheDSP(_ what: String) -> String {
        "\(what): not through the operator API yet; run it at the DSP"
    }

    private func read(_ start: DevicePageStart, filter: DeviceFilter, sort: DeviceSort, limit: Int) -> Result<DevicePage, StoreError> {
        let path = OperatorPageQuery(start: start, filter: filter, sort: sort, limit: limit).path
        return call { () throws(CLIFailure) in
            let bytes = try OperatorCall.bytes(connection.get(path), from: connection)
            do throws(StoreError) {
                return try DevicePageCodec.decode(bytes, filter: filter, sort: sort, start: start, limit: limit, shownAs: connection.address)
            } catch {
                throw OperatorCall.unreadable(connection, "its page of devices does not read: \(error.description)")
            }
        }
    }

    /// A call's value, or its failure as the console shows a store's.
    private func call<Value>(_ body: () throws(CLIFailure) -> Value) -> Result<Value, StoreError> {
        do throws(CLIFailure) {
            return .success(try body())
        } catch {
            return .failure(StoreError(code: .io, message: error.message, path: nil))
        }
    }
}
