@testable import AnchorCore
import Testing

/// The post-commissioning totals, counted row by row without hashing each row's Supplier, agree
/// with a plain count however many Suppliers there are.
@Suite("Post-commissioning totals")
struct ReportTotalsTests {
    typealias Report = PostCommissioningReport

    @Test func verdictAndReasonPlacesAreThoseOfAllCases() {
        #expect(Report.Verdict.allCases.map(\.position) == Array(Report.Verdict.allCases.indices))
        #expect(Report.NonCompliance.allCases.map(\.position) == Array(Report.NonCompliance.allCases.indices))
    }

    @Test(arguments: [3, 40])
    func totalsAgreeWithAPlainCount(suppliers: Int) {
        var totals = Report.Totals()
        var expected: [String: Report.SupplierTotals] = [:]
        var verdicts: [Report.Verdict: Int] = [:], reasons: [Report.NonCompliance: Int] = [:]
        var random = SplitMix64(seed: UInt64(suppliers))
        for index in 0..<5_000 {
            let supplier = "supplier-\(random.next() % UInt64(suppliers))"
            let verdict = Report.Verdict.allCases[Int(random.next() % 3)]
            let reason = verdict == .nonCompliant ? Report.NonCompliance.allCases[Int(random.next() % 4)] : nil
            let time = Timestamp(secondsSince1970: Int64(index))
            totals.count(Report.Row(device: EUI64(rawValue: UInt64(index)), supplier: supplier, commissionedAt: time, deadline: time,
                                    heldAtDeadline: nil, verdict: verdict, reason: reason))
            var row = expected[supplier] ?? Report.SupplierTotals(supplier: supplier)
            switch verdict {
            case .compliant: row.compliant += 1
            case .pending: row.pending += 1
            case .nonCompliant: row.nonCompliant += 1
            }
            expected[supplier] = row
            verdicts[verdict, default: 0] += 1
            if let reason { reasons[reason, default: 0] += 1 }
        }
        #expect(totals.bySupplier == expected.values.sorted { $0.supplier < $1.supplier })
        #expect(totals.byVerdict == verdicts && totals.byReason == reasons && totals.total == 5_000)
    }
}
