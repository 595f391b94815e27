import AnchorCore
import AnchorStore
import DUIS
import DUISServer
import Foundation
import OperatorClient
import Testing

/// What a remote console reads through the operator API: pages of devices exactly as the DSP's
/// estate pages them, the organisations' holdings, and a change token the DSP answers with as
/// soon as a commit lands.
@Suite(.serialized) struct OperatorConsoleReadsTests {
    static func get(_ query: OperatorPageQuery, over connection: OperatorConnection) async throws -> OperatorConnection.Reply {
        let path = query.path
        return try await offThePool { try connection.get(path) }
    }

    @Test func eachPageIsThePageTheDSPsEstateGives() async throws {
        try await OperatorHarness.with { harness in
            let estate = try harness.store.estate()
            let ids = estate.devices.map(\.id)
            let connection = try harness.connection(as: "cadent")
            let queries = [
                OperatorPageQuery(start: .first, filter: .all, sort: DeviceSort(), limit: 7),
                OperatorPageQuery(start: .after(ids[20]), filter: try DeviceFilter(parsing: "no=national-grid"),
                                  sort: DeviceSort(column: .networkOperator, ascending: false), limit: 5),
                OperatorPageQuery(start: .last, filter: try DeviceFilter(parsing: "counter"), sort: DeviceSort(column: .recordedCounter), limit: 3),
                OperatorPageQuery(start: .at(ids[100]), filter: try DeviceFilter(parsing: "supplier=heron-energy type=GPF"), sort: DeviceSort(), limit: 4),
                OperatorPageQuery(start: .before(ids[50]), filter: .all, sort: DeviceSort(column: .lastRequest), limit: 6),
                OperatorPageQuery(start: .first, filter: try DeviceFilter(parsing: "no=cadent"), sort: DeviceSort(), limit: 0),
            ]
            for query in queries {
                let reply = try await Self.get(query, over: connection)
                #expect(reply.status == 200, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
                let page = try DevicePageCodec.decode(reply.body, filter: query.filter, sort: query.sort, start: query.start, limit: query.limit,
                                                      shownAs: "the test DSP")
                let expected = EstatePages(estate).page(query.start, filter: query.filter, sort: query.sort, limit: query.limit)
                #expect(page.preview.estate == expected.preview.estate, "\(query)")
                #expect(page.matching == expected.matching && page.preview.deviceCount == estate.devices.count, "\(query)")
                #expect(page.preview.estate.devices.count == min(query.limit, expected.preview.estate.devices.count))
            }
            let histories = try await Self.get(OperatorPageQuery(start: .first, filter: try DeviceFilter(parsing: "counter"), sort: DeviceSort(), limit: 50),
                                               over: connection)
            let withHistory = try DevicePageCodec.decode(histories.body, filter: .all, sort: DeviceSort(), start: .first, limit: 50, shownAs: "the test DSP")
            #expect(!withHistory.preview.estate.ledger.requests.isEmpty, "the page's devices come with their requests")
        }
    }

    @Test(arguments: [
        ("start=middle", "start must be"), ("start=after:00-DB", "start must be"), ("sort=colour", "sort must be"),
        ("limit=-1", "limit must be"), ("limit=5001", "limit must be"), ("filter=no%3Dcadnet", "did you mean 'cadent'"),
        ("filter=zz", "not part of a device ID"),
    ])
    func aPageAskedForWronglyIsRefusedWithTheReason(query: String, reason: String) async throws {
        try await OperatorHarness.with { harness in
            let reply = try await offThePool { try harness.connection(as: "cadent").get(OperatorAPIPath.pages + "?" + query) }
            #expect(reply.status == 400)
            let failure = try JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body))
            #expect(failure.error.contains(reason), "\(failure.error)")
        }
    }

    @Test func anOperatorTheGrantsDoNotNameReadsNothing() async throws {
        try await OperatorHarness.with { harness in
            let now = Date()
            let unknown = try harness.authority.clientCredential(
                commonName: "someone-else", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
            for path in [OperatorAPIPath.pages, OperatorAPIPath.holdings, OperatorAPIPath.changes, OperatorAPIPath.counterRisk,
                         OperatorAPIPath.postCommissioning + "?asOf=2026-11-25T09:00:00Z"] {
                let reply = try await offThePool { try harness.connection(with: unknown).get(path) }
                #expect(reply.status == 403, "\(path)")
                #expect(!String(decoding: reply.body, as: UTF8.self).contains("00-DB-12"), "\(path)")
            }
        }
    }

    @Test func holdingsAreTheEstatesAndAChangeIsAnsweredWhenACommitLands() async throws {
        try await OperatorHarness.with { harness in
            let store = harness.store
            let heron = try harness.connection(as: "heron-energy")
            let holdings = try JSONDecoder().decode([String: Int].self, from: Data(try await offThePool { try heron.get(OperatorAPIPath.holdings) }.body))
            #expect(holdings == EstatePages(try store.estate()).holdings())
            #expect(holdings["national-grid"].map { $0 > 0 } == true)

            let first = try JSONDecoder().decode(OperatorReplies.Change.self, from: Data(try await offThePool {
                try heron.get(OperatorAPIPath.changes + "?after=")
            }.body))
            #expect(!first.token.isEmpty, "a console that knows no token is answered at once")
            // A console waits on the token it knows; Heron Energy's SRV6.21 answers it with another.
            let waiting = Task {
                try await offThePool { try heron.get(OperatorAPIPath.changes + "?after=" + (first.token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            let device = try #require(try store.gpfs(heldBy: "dcc-acb").first { $0.supplier == "heron-energy" })
            let drafted = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(try await offThePool {
                try harness.draft(DUISRequestDraft(service: .requestHandover, organisation: "heron-energy", device: device.id, networkOperator: "cadent"),
                                  over: heron)
            }.body))
            let handover = try JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(try await offThePool {
                try harness.send(try store.signed(Array(drafted.xml.utf8), as: "heron-energy"), to: .sendCommand, over: heron)
            }.body))
            #expect(handover.request?.outcome == .succeeded, "\(handover.note)")
            let changed = try JSONDecoder().decode(OperatorReplies.Change.self, from: Data(try await waiting.value.body))
            #expect(changed.token != first.token)
        }
    }

    /// Both reports through the API are the reports of the DSP's estate, row for row; an as-of
    /// time that is not one is refused.
    @Test func bothReportsAreTheEstatesReports() async throws {
        try await OperatorHarness.with { harness in
            let estate = try harness.store.estate()
            let connection = try harness.connection(as: "cadent")
            let risk = try JSONDecoder().decode(OperatorReplies.Rows<CounterRiskReport.Row>.self, from: Data(try await offThePool {
                try connection.get(OperatorAPIPath.counterRisk)
            }.body))
            #expect(risk.rows == CounterRiskReport(estate: estate).rows && !risk.rows.isEmpty)
            let asOf = try #require(Timestamp(iso8601: "2026-11-25T09:00:00Z"))
            let compliance = try JSONDecoder().decode(OperatorReplies.Rows<PostCommissioningReport.Row>.self, from: Data(try await offThePool {
                try connection.get(OperatorAPIPath.postCommissioning + "?asOf=2026-11-25T09:00:00Z")
            }.body))
            #expect(compliance.rows == PostCommissioningReport(estate: estate, asOf: asOf).rows && !compliance.rows.isEmpty)
            for bad in ["", "?asOf=yesterday", "?asOf=2026-13-01T00:00:00Z"] {
                let reply = try await offThePool { try connection.get(OperatorAPIPath.postCommissioning + bad) }
                #expect(reply.status == 400 && String(decoding: reply.body, as: UTF8.self).contains("asOf must be a time"), "\(bad)")
            }
        }
    }

    /// The query a console sends reads back as the same query.
    @Test func aQueryReadsBackAsItWasAsked() throws {
        let id = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
        for query in [
            OperatorPageQuery(start: .first, filter: .all, sort: DeviceSort(), limit: 500),
            OperatorPageQuery(start: .before(id), filter: try DeviceFilter(parsing: "no=cadent supplier=heron-energy type=GPF counter 00DB12"),
                              sort: DeviceSort(column: .lastRequest, ascending: false), limit: 0),
            OperatorPageQuery(start: .last, filter: .all, sort: DeviceSort(column: nil, ascending: false), limit: 5_000),
        ] {
            var components = URLComponents()
            components.queryItems = query.queryItems
            let parsed = URLComponents(string: "https://dsp/?" + (components.percentEncodedQuery ?? ""))?.queryItems ?? []
            let read = try OperatorPageQuery(parameters: { name in parsed.first { $0.name == name }?.value })
            #expect(read == query)
        }
    }
}
