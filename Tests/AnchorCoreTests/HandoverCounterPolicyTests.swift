import AnchorCore
import Testing

@Suite("SRV6.21 counter policy (FIA 4.1.1)")
struct HandoverCounterPolicyTests {
    @Test("the recorded-counter rule", arguments: [
        // (generated, recorded, legacy, expected)
        (UInt64(100), UInt64?.none, false, UInt64?.some(100)),         // nothing recorded
        (100, 50, false, 100),                                           // recorded below generated
        (100, 100, false, 101),                                          // equal: equality fails the device too
        (100, 5_000, false, 5_001),                                      // recorded above generated
        (100, 5_000, true, 100),                                         // legacy ignores the recorded counter
        (100, UInt64.max - 1, false, UInt64.max),                        // the last counter there is
        (100, UInt64.max, false, nil),                                   // no greater counter exists
        (UInt64.max, UInt64.max - 5, false, UInt64.max),                 // generated already the greatest
    ])
    func policy(generated: UInt64, recorded: UInt64?, legacy: Bool, expected: UInt64?) {
        let counter = HandoverCounterPolicy.counter(
            generated: OriginatorCounter(generated), recorded: recorded.map(OriginatorCounter.init), legacy: legacy)
        #expect(counter?.value == expected)
    }
}
