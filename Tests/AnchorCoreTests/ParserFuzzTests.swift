import AnchorCore
import PropertyBased
import Testing

/// Every parser of user input, fed arbitrary text: it answers or refuses, never crashes.
@Suite("Parsers of user input under arbitrary text")
struct ParserFuzzTests {
    static let anyText = Gen.unicodeScalar(in: "\u{0}"..."\u{D7FF}").array(of: 0...40).map { scalars in
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
    static let hexish = Gen<Character?>.element(of: Array("0123456789abcdefABCDEF-- xZ")).map { $0 ?? "0" }.array(of: 0...30).map { String($0) }

    @Test func deviceIDsParseOnlyToTheirCanonicalForm() async {
        await propertyCheck(count: 600, input: Gen.oneOf(Self.anyText, Self.hexish)) { text in
            if let id = EUI64(text) {
                #expect(text.filter { $0 != "-" }.uppercased() == id.description.filter { $0 != "-" })
                #expect(EUI64(id.description) == id)
            }
        }
    }

    @Test func countersParseExactlyOrNotAtAll() async {
        let digits = Gen<Character?>.element(of: Array("0123456789")).map { $0 ?? "0" }.array(of: 1...25).map { String($0) }
        await propertyCheck(count: 600, input: Gen.oneOf(Self.anyText, digits)) { text in
            if let counter = OriginatorCounter(decimal: text) {
                #expect(UInt64(text) == counter.value)
            } else {
                #expect(UInt64(text) == nil || text.contains { !$0.isASCII || !$0.isNumber })
            }
        }
    }

    @Test func filtersParseOrRefuseWithAMessage() async {
        let words = Gen<String?>.element(of: ["no=", "supplier=", "type=", "counter", "gpf", "00DB", "=", " ", "cadent", "\u{1B}[2J", "x=y"])
            .map { $0 ?? "" }.array(of: 0...6).map { $0.joined() }
        await propertyCheck(count: 600, input: Gen.oneOf(Self.anyText, words)) { text in
            if case .failure(let error) = Result(catching: { () throws(RequestError) in try DeviceFilter(parsing: text) }) {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func timestampsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int64(in: -2_000_000_000...253_402_300_799)) { seconds in
            let time = Timestamp(secondsSince1970: seconds)
            #expect(Timestamp(iso8601: time.description) == time)
        }
    }

    @Test func sanitizedTextNeverCarriesControlOrBidiCharacters() async {
        await propertyCheck(count: 600, input: Self.anyText) { text in
            let safe = DisplaySafeText.sanitize(text)
            #expect(!safe.unicodeScalars.contains(where: DisplaySafeText.isUnsafe))
            #expect(safe.unicodeScalars.count == text.unicodeScalars.count)
        }
    }
}
