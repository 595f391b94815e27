import AnchorCore
@testable import AnchorStore
import Foundation
import Testing

/// A page of devices as the operator API carries it reads back as the same page, histories and
/// all; bytes that are not a page are refused as such, naming where they came from.
@Suite("A page of devices on the wire")
struct DevicePageCodecTests {
    static let estate: Estate = try! DemoData.load(from: StoreTests.demoFolder, now: StoreTests.demoNow)

    @Test func aPageReadsBackAsItWasWritten() throws {
        let pages = EstatePages(Self.estate)
        let ids = Self.estate.devices.map(\.id)
        #expect(!Self.estate.ledger.requests.isEmpty && !Self.estate.ledger.counterHistory.isEmpty, "the demo has history to carry")
        for (start, filter, sort, limit) in [
            (DevicePageStart.first, DeviceFilter.all, DeviceSort(), 500),
            (.after(ids[3]), try DeviceFilter(parsing: "counter"), DeviceSort(column: .recordedCounter, ascending: false), 20),
            (.last, try DeviceFilter(parsing: "no=dcc-acb"), DeviceSort(column: .supplier), 9),
            (.first, try DeviceFilter(parsing: "no=nobody-at-all"), DeviceSort(), 50),
        ] {
            let page = pages.page(start, filter: filter, sort: sort, limit: limit)
            let read = try DevicePageCodec.decode(DevicePageCodec.encode(page), filter: filter, sort: sort, start: start, limit: limit, shownAs: "dsp")
            #expect(read.preview.estate == page.preview.estate)
            #expect(read.preview.deviceCount == page.preview.deviceCount && read.matching == page.matching)
            #expect(read.filter == filter && read.sort == sort && read.start == start && read.limit == limit)
        }
        let whole = pages.page(.first, filter: .all, sort: DeviceSort(), limit: 500).preview.estate
        #expect(whole.ledger.requests.count == Self.estate.ledger.requests.count, "every request of the page's devices goes with it")
    }

    @Test(arguments: [
        "", "[]", #"{"deviceCount":1}"#, #"{"deviceCount":1,"matching":1,"estate":{},"requests":[],"extra":1}"#,
        #"{"deviceCount":"x","matching":1,"estate":{},"requests":[]}"#,
    ])
    func bytesThatAreNotAPageAreRefused(text: String) {
        #expect {
            _ = try DevicePageCodec.decode(Array(text.utf8), filter: .all, sort: DeviceSort(), start: .first, limit: 5, shownAs: "https://dsp:8443")
        } throws: { error in
            (error as? StoreError)?.code == .corrupt && (error as? StoreError)?.path == "https://dsp:8443"
        }
    }

    @Test func aTruncatedPageIsRefused() {
        let bytes = DevicePageCodec.encode(EstatePages(Self.estate).page(.first, filter: .all, sort: DeviceSort(), limit: 30))
        for cut in [10, bytes.count / 2, bytes.count - 2] {
            #expect(throws: StoreError.self) {
                _ = try DevicePageCodec.decode(Array(bytes.prefix(cut)), filter: .all, sort: DeviceSort(), start: .first, limit: 30, shownAs: "dsp")
            }
        }
    }
}
