import AnchorCore
import Testing

/// Which typed counters are jumps (issue 27, case 8): far past the counter that would burn
/// nothing, or so high that little is left; time-based counters a few years ahead are not.
@Suite struct CounterJumpTests {
    static let nationalGridNext = OriginatorCounter(1_647_302_400_000_002)

    @Test(arguments: [
        (1_647_302_400_000_002, false, "the next counter"),
        (1_893_456_000_000_000, false, "time-based, 2030-01-01 in microseconds"),
        (2_208_988_800_000_000, false, "time-based, 2040-01-01 in microseconds"),
        (16_473_024_000_000_010, true, "one digit too many"),
        (UInt64.max, true, "the last counter there is"),
        (1 << 63, true, "half the counter space"),
    ] as [(UInt64, Bool, String)])
    func aTypedCounterOverNationalGridsNext(value: UInt64, isJump: Bool, what: String) {
        let jump = CounterJump.of(OriginatorCounter(value), over: Self.nationalGridNext, field: "--counter", naturalName: "next")
        #expect((jump != nil) == isJump, "\(what)")
        if let jump { #expect(jump.burned == value - Self.nationalGridNext.value) }
    }

    @Test func aSequenceCounterMovingToATimeBasedOneIsNoJumpButTheTopOfTheSpaceIs() {
        #expect(CounterJump.of(OriginatorCounter(1_790_000_000_000_000), over: OriginatorCounter(48_212), field: "--counter", naturalName: "next") == nil)
        #expect(CounterJump.of(OriginatorCounter((1 << 63) - 1), over: OriginatorCounter((1 << 63) - 10), field: "f", naturalName: "n") == nil)
        #expect(CounterJump.of(OriginatorCounter(1 << 63), over: OriginatorCounter((1 << 63) - 1), field: "f", naturalName: "n") != nil)
        #expect(CounterJump.of(OriginatorCounter(5), over: OriginatorCounter(10), field: "f", naturalName: "n") == nil, "below: not a jump, the engine decides")
    }

    @Test func theRefusalSaysHowManyCountersWouldBeBurnedAndHowManyAreLeft() throws {
        let jump = try #require(CounterJump.of(OriginatorCounter(UInt64.max), over: Self.nationalGridNext, field: "--counter",
                                               naturalName: "national-grid's next counter"))
        #expect(jump.description.hasPrefix("--counter 18446744073709551615 jumps past national-grid's next counter, 1647302400000002: "
                                           + "18445096771309551613 counters would be burned for good"))
        #expect(jump.description.contains("leaving 0 below 2^64"))
    }

    @Test func anUpdatesFloorIsMeasuredFromItsCounterAndARecoveryFloorFromTheACBs() throws {
        let ledger = EstateFixture.estate().ledger
        let nationalGrid = try #require(ledger.organisation("national-grid"))
        let next = try #require(nationalGrid.lastCounter.successor)
        #expect(CounterJump.inUpdate(counter: nil, newFloor: nil, sender: "national-grid", in: ledger).isEmpty)
        let floorOnly = CounterJump.inUpdate(counter: nil, newFloor: OriginatorCounter(UInt64.max), sender: "national-grid", in: ledger)
        #expect(floorOnly.map(\.field) == ["--new-floor"] && floorOnly.first?.natural == next)
        let both = CounterJump.inUpdate(counter: OriginatorCounter(1 << 63), newFloor: OriginatorCounter(UInt64.max), sender: "national-grid", in: ledger)
        #expect(both.map(\.field) == ["--counter", "--new-floor"])
        #expect(both.last?.natural == OriginatorCounter(1 << 63))
        #expect(CounterJump.inUpdate(counter: OriginatorCounter(UInt64.max), newFloor: nil, sender: "nobody", in: ledger).isEmpty)
        let acb = try #require(ledger.soleOrganisation(withRole: .acb))
        #expect(CounterJump.inRecovery(newFloor: OriginatorCounter(0), in: ledger) == nil)
        #expect(CounterJump.inRecovery(newFloor: OriginatorCounter(1 << 63), in: ledger)?.natural == acb.lastCounter)
    }
}
