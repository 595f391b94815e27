@testable import AnchorCore
import Testing

/// "Did you mean": the store's name a mistyped one most likely meant, and none for a name
/// that is nothing like any of them.
struct NameSuggestionTests {
    static let organisations = ["smki-root", "dcc-acb", "national-grid", "cadent", "sgn", "northern-gas-networks", "wales-west",
                                "fenland-pipelines", "brightwater-gas", "heron-energy", "kestrel-supply"]

    @Test(arguments: [
        ("nationalgrid", "national-grid"), ("National-Grid", "national-grid"), ("NATIONAL_GRID", "national-grid"),
        ("national", "national-grid"), ("kestrel", "kestrel-supply"), ("cadnet", "cadent"), ("cadet", "cadent"),
        ("wales-wset", "wales-west"), ("heron-enrgy", "heron-energy"), ("sng", "sgn"),
    ])
    func aSlipFindsTheName(typed: String, meant: String) {
        #expect(NameSuggestion.closest(to: typed, among: Self.organisations) == meant)
    }

    @Test(arguments: ["nobody", "zzzzzz", "", "-", "acme-gas", "x"])
    func aNameLikeNoneFindsNothing(typed: String) {
        #expect(NameSuggestion.closest(to: typed, among: Self.organisations) == nil)
    }

    /// A megabyte pasted where a name goes (the console's filter prompt asks for a suggestion at
    /// every key) finds nothing at once: before, each of the store's names was compared with it
    /// letter by letter, 4 s for 100,000 characters among 40 names in a release build, so a
    /// paste froze the console and this test ran for minutes.
    @Test func aHugeNameIsNotComparedLetterByLetter() {
        let names = (0..<200).map { "organisation-\($0)" }
        #expect(NameSuggestion.closest(to: String(repeating: "q", count: 1 << 20), among: names) == nil)
        #expect(NameSuggestion.closest(to: "organisation-7" + String(repeating: "q", count: 1 << 20), among: names) == nil)
        #expect(NameSuggestion.closest(to: "organisaton-7", among: names) == "organisation-7")
    }

    @Test func theAnswerDoesNotDependOnTheStoresOrder() {
        let names = ["gas-b", "gas-a", "gas-abc"]
        #expect(NameSuggestion.closest(to: "gas", among: names) == "gas-a")
        #expect(NameSuggestion.closest(to: "gas", among: names.reversed()) == "gas-a")
    }

    @Test func editDistanceCountsASwapAsOne() {
        func distance(_ a: String, _ b: String) -> Int { NameSuggestion.editDistance(Array(a), Array(b)) }
        #expect(distance("devcies", "devices") == 1)
        #expect(distance("abc", "abc") == 0)
        #expect(distance("", "abc") == 3)
        #expect(distance("kitten", "sitting") == 3)
    }

    @Test func nearMissesAreOneDigitOrOneSwapAway() {
        let id = EUI64(rawValue: 0x00DB_1201_73F7_8B92)
        let misses = id.nearMisses
        #expect(misses.count == 16 * 15 + 14, "15 other digits in each of 16 places, and a swap of each of the 14 adjacent unequal pairs")
        #expect(misses == misses.sorted() && Set(misses).count == misses.count && !misses.contains(id))
        #expect(misses.contains(EUI64(rawValue: 0x00DB_1201_73F7_8B29)))
        #expect(misses.contains(EUI64(rawValue: 0x00DB_1201_73F7_8B93)))
        #expect(!misses.contains(EUI64(rawValue: 0x00DB_1201_73F7_8BA3)), "two digits changed is not a slip")
        let table = DeviceTable([Device(id: id, type: .gpf, supplier: "heron-energy", commissionedAt: nil, cells: TrustAnchorCells())])
        #expect(table.nearMiss(of: EUI64(rawValue: 0x00DB_1201_73F7_8B29)) == id)
        #expect(table.nearMiss(of: EUI64(rawValue: 0x00DB_1201_73F7_8BA3)) == nil)
    }

    @Test func unknownNamesSayWhatTheStoreHolds() {
        let ledger = Ledger(organisations: [], certificates: [])
        #expect(ledger.unknownOrganisation("x") == .unknownOrganisation("x"))
        #expect(RequestError.unknownOrganisation("nationalgrid", suggestion: "national-grid").description
            == "no organisation 'nationalgrid': did you mean 'national-grid'?")
        #expect(RequestError.unknownDevice("00-DB-12-01-73-F7-8B-29", suggestion: "00-DB-12-01-73-F7-8B-92").description
            == "no device '00-DB-12-01-73-F7-8B-29': did you mean '00-DB-12-01-73-F7-8B-92'?")
        #expect(RequestError.unknownDevice("00-DB-12-01-73-F7-8B-29").description == "no device '00-DB-12-01-73-F7-8B-29'")
    }
}
