import AnchorCore
import Foundation
@testable import DUISServer
import Testing

/// What a granted operator's reads may cost the DSP: a change poll (`GET …/changes`) does not
/// outlive the task that asked for it, and a report (`GET …/reports/…`) holds at most
/// ``DUISServiceConfiguration/operatorReportRows`` rows.
@Suite struct OperatorReadBoundsTests {
    /// A poll whose task is cancelled (the server shutting down, or the exchange given up) answers
    /// at once with the token as it is. Before, `Task.sleep` threw at once on every turn and the
    /// error was dropped: the poll spun on the store's files, without pause, until its deadline.
    @Test func aCancelledPollAnswersAtOnceInsteadOfSpinningToItsDeadline() async throws {
        let store = try DemoStore()
        let service = DUISService(configuration: DUISServiceConfiguration(storeDirectory: store.directory))
        let known = await service.changeToken(after: nil, waitingUpTo: .zero)
        // Far beyond any wait for a busy machine's task pool (a CI run once took 136 s to get
        // to the poll at all): the poll either answers at once or spins for all of it.
        let wait = Duration.seconds(900)
        let asked = ContinuousClock.now
        let poll = Task { await service.changeToken(after: known, waitingUpTo: wait) }
        poll.cancel()
        let token = await poll.value
        #expect(token == known, "nothing was committed")
        #expect(ContinuousClock.now - asked < wait, "a cancelled poll answers before its deadline")
        await service.close()
    }

    /// A refusal does not send an operator's giant input back whole: a filter term of 100,000
    /// characters is named in at most ``OperatorRoutes/longestReason`` of them.
    @Test func aRefusalEchoesNoGiantInputBack() throws {
        let term = String(repeating: "z", count: 100_000)
        let error: RequestError
        do {
            _ = try DeviceFilter(parsing: "\(term)=x")
            Issue.record("a filter of an unknown field was read")
            return
        } catch let refused {
            error = refused
        }
        #expect(error.description.count > 100_000, "the refusal names the term")
        for failure in [OperatorFailure.invalid(error), .badRequest(error.description)] {
            let answered = OperatorRoutes.answered(failure)
            #expect(answered.error.count <= OperatorRoutes.longestReason + 1 && answered.error.hasPrefix(String(error.description.prefix(40))), "\(answered.error.prefix(80))")
        }
    }

    /// A report with more rows than the operator API sends is refused, naming the command to run
    /// at the DSP; one within the limit is the estate's report. Before, every row of the whole
    /// estate was held and encoded, for as many reports as operators asked for at once.
    @Test func aReportLargerThanTheLimitIsRefusedNotHeldWhole() async throws {
        let store = try DemoStore()
        let estate = try store.estate()
        let expected = CounterRiskReport(estate: estate).rows
        try #require(!expected.isEmpty)
        var configuration = DUISServiceConfiguration(storeDirectory: store.directory)
        configuration.operatorReportRows = expected.count
        let within = DUISService(configuration: configuration)
        #expect(try (await within.counterRiskRows(CounterRiskReport.Filter())).get().rows == expected)
        await within.close()

        configuration.operatorReportRows = expected.count - 1
        let beyond = DUISService(configuration: configuration)
        guard case .failure(let refusal) = await beyond.counterRiskRows(CounterRiskReport.Filter()) else {
            Issue.record("a report of \(expected.count) rows was sent past a limit of \(expected.count - 1)")
            return
        }
        #expect(refusal.status == 503)
        #expect(refusal.reason == "the counter-risk report has more than \(expected.count - 1) rows, more than the operator API sends; "
            + "run 'anchordesk report counter-risk' at the DSP")
        let asOf = try #require(Timestamp(iso8601: "2026-11-25T09:00:00Z"))
        let compliance = PostCommissioningReport(estate: estate, asOf: asOf).rows
        if compliance.count > expected.count - 1 {
            guard case .failure = await beyond.postCommissioningRows(asOf: asOf, PostCommissioningReport.Filter()) else {
                Issue.record("a post-commissioning report past the limit was sent")
                return
            }
        }
        // The bound is on the rows the filter keeps: one Supplier's fit where the whole report does not.
        let supplier = try #require(expected.first?.supplier)
        let kept = try (await beyond.counterRiskRows(CounterRiskReport.Filter(organisation: supplier))).get()
        #expect(kept.rows == expected.filter { $0.supplier == supplier || $0.formerNetworkOperator == supplier })
        #expect(kept.nextGenerated == CounterRiskReport.nextGenerated(in: estate.ledger))
        await beyond.close()
    }

    /// The whole request log through the operator API: sent within the bound, refused past it
    /// (naming the command to run at the DSP) rather than held and sent whole.
    @Test func aRequestLogLargerThanTheLimitIsRefused() async throws {
        let store = try DemoStore()
        let requests = Array(try store.estate().ledger.requests)
        try #require(requests.count > 1)
        var configuration = DUISServiceConfiguration(storeDirectory: store.directory)
        configuration.operatorReportRows = requests.count
        let within = DUISService(configuration: configuration)
        #expect(try (await within.requestLog()).get() == requests)
        await within.close()
        configuration.operatorReportRows = requests.count - 1
        let beyond = DUISService(configuration: configuration)
        guard case .failure(let refusal) = await beyond.requestLog() else {
            Issue.record("a log of \(requests.count) requests was sent past a limit of \(requests.count - 1)")
            return
        }
        #expect(refusal.status == 503 && refusal.reason.contains("run 'anchordesk requests' at the DSP"), "\(refusal.reason)")
        await beyond.close()
    }
}
