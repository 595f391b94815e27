import AnchorCore
import AnchorService
import Testing

/// The reports through the service: the filter keeps the rows it names and the totals count
/// only those; an unknown organisation is refused before any row.
@Suite("The service's reports")
struct ReportUseCaseTests {
    @Test func aFilterKeepsTheRowsItNamesAndTheTotalsCountThose() throws {
        let (service, _) = ServiceFixture.service()
        let whole = PostCommissioningReport(estate: ServiceFixture.demo, asOf: ServiceFixture.now)
        for filter in [PostCommissioningReport.Filter(verdict: .nonCompliant), .init(reason: .gnoNotDccUser),
                       .init(organisation: "national-grid"), .init(verdict: .compliant, organisation: "heron-energy")] {
            var rows: [PostCommissioningReport.Row] = []
            let totals = try service.postCommissioning(asOf: ServiceFixture.now, filter: filter, warn: { _ in }) { rows.append($0) }
            let expected = whole.rows.filter(filter.matches)
            #expect(!expected.isEmpty && expected.count < whole.rows.count, "\(filter) keeps some rows, not all")
            #expect(rows == expected)
            #expect(totals.total == expected.count && totals.bySupplier.map(\.total).reduce(0, +) == expected.count)
            #expect(totals.byVerdict[.nonCompliant] ?? 0 == expected.filter { $0.verdict == .nonCompliant }.count)
        }
        let risks = CounterRiskReport(estate: ServiceFixture.demo).rows
        for filter in [CounterRiskReport.Filter(risk: .recordedAboveGenerated), .init(organisation: "national-grid")] {
            var rows: [CounterRiskReport.Row] = []
            let summary = try service.counterRisk(filter: filter, warn: { _ in }) { rows.append($0) }
            let expected = risks.filter(filter.matches)
            #expect(!expected.isEmpty && expected.count < risks.count, "\(filter) keeps some rows, not all")
            #expect(rows == expected)
            #expect(summary.total == expected.count)
            #expect(summary.nextGenerated == ServiceFixture.demo.ledger.soleOrganisation(withRole: .acb)?.lastCounter.successor)
        }
    }

    @Test func anUnknownOrganisationIsRefusedBeforeAnyRow() {
        let (service, _) = ServiceFixture.service()
        var rows = 0
        #expect(throws: ServiceError.self) {
            try service.counterRisk(filter: .init(organisation: "nationalgrid"), warn: { _ in }) { _ in rows += 1 }
        }
        do {
            try service.postCommissioning(asOf: ServiceFixture.now, filter: .init(organisation: "nationalgrid"), warn: { _ in }) { _ in rows += 1 }
            Issue.record("an unknown organisation was not refused")
        } catch {
            guard case .request(.unknownOrganisation("nationalgrid", suggestion: "national-grid")) = error else {
                Issue.record("refused with \(error)")
                return
            }
        }
        #expect(rows == 0)
    }
}
