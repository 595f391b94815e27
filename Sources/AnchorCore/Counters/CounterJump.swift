/// A counter typed by hand that would burn counters for good.
///
/// Counters only rise: an originator's next command must go above its last, a device refuses a
/// command not above its floor, and the ACB's next SRV6.21 goes above the device's recorded
/// counter. So a typed `--counter` (or a floor) far above where the sequence stands skips every
/// counter in between forever, and one near 2^64 leaves almost none: `--counter
/// 18446744073709551615` on SRV6.15.1 leaves National Grid no counter for its other devices and
/// the device's next SRV6.21 none either (`counter-exhausted`).
///
/// A jump is a counter more than ``largestStep`` past the value that would burn nothing, or one
/// that leaves fewer than 2^63 counters above it (``headroomLimit``). It is sent only when asked
/// for explicitly (`--allow-counter-jump`, or typed confirmation in the console).
public struct CounterJump: Hashable, Sendable, CustomStringConvertible {
    /// The largest step taken without asking: 2^52 (4,503,599,627,370,496). A time-based counter
    /// (microseconds since 1970, 16 digits today, as National Grid's) is far less than that past
    /// any lower counter until the year 2112, so a User moving to one, or a few years ahead,
    /// passes; one extra digit typed by mistake on such a counter does not.
    public static let largestStep: UInt64 = 1 << 52
    /// The lowest counter taken only when asked: 2^63 (9,223,372,036,854,775,808), which leaves
    /// half of the counter space. A time-based counter in nanoseconds stays below it until 2262.
    public static let headroomLimit: UInt64 = 1 << 63

    /// What was typed, as its user named it (`--counter`, `new floor`).
    public var field: String
    /// The typed value.
    public var value: OriginatorCounter
    /// The value that would burn nothing (the originator's next counter; for a floor, the
    /// command's counter; for a Recovery Event's floor, the ACB's last counter).
    public var natural: OriginatorCounter
    /// What ``natural`` is, in words (`national-grid's next counter`).
    public var naturalName: String

    /// How many counters the jump skips for good.
    public var burned: UInt64 { value.value - natural.value }
    /// How many counters are left above the typed one.
    public var headroom: UInt64 { UInt64.max - value.value }

    /// The jump `value` makes over `natural`, or `nil` when it is not one (not above it, at most
    /// ``largestStep`` past it, and below ``headroomLimit``).
    public static func of(
        _ value: OriginatorCounter, over natural: OriginatorCounter, field: String, naturalName: String
    ) -> CounterJump? {
        guard value > natural, value.value - natural.value > largestStep || value.value >= headroomLimit else { return nil }
        return CounterJump(field: field, value: value, natural: natural, naturalName: naturalName)
    }

    /// The jumps an SRV6.15.1's typed counter and new floor make: the counter over the sender's
    /// next one, the floor over the command's counter. None for a sender the ledger does not
    /// know (the request is refused as such) or one with no counter left.
    public static func inUpdate(
        counter: OriginatorCounter?, newFloor: OriginatorCounter?, sender: String, in ledger: Ledger,
        fields: (counter: String, newFloor: String) = ("--counter", "--new-floor")
    ) -> [CounterJump] {
        guard let next = ledger.organisation(sender)?.lastCounter.successor else { return [] }
        let counterJump = counter.flatMap { of($0, over: next, field: fields.counter, naturalName: "\(sender)'s next counter") }
        let floorJump = newFloor.flatMap {
            of($0, over: counter ?? next, field: fields.newFloor, naturalName: "the command's counter (the floor it sets by default)")
        }
        return [counterJump, floorJump].compactMap { $0 }
    }

    /// The jump a Recovery Event's new floor makes over the ACB's last counter: the floor becomes
    /// the recorded counter, which the device's next SRV6.21 must go above.
    public static func inRecovery(newFloor: OriginatorCounter, in ledger: Ledger, field: String = "--new-floor") -> CounterJump? {
        guard let acb = ledger.soleOrganisation(withRole: .acb) else { return nil }
        return of(newFloor, over: acb.lastCounter, field: field, naturalName: "the ACB's last counter, which its next SRV6.21 would follow")
    }

    /// One sentence: what is typed, how far it jumps, how many counters it burns and how many it leaves.
    public var description: String {
        "\(field) \(value) jumps past \(naturalName), \(natural): \(burned) counters would be burned for good "
            + "(every later one must go above it), leaving \(headroom) below 2^64; a jump of more than 2^52 "
            + "(\(CounterJump.largestStep)) or to 2^63 (\(CounterJump.headroomLimit)) or above must be asked for explicitly"
    }
}

extension CounterJump {
    /// Refuses the first of `jumps` (bad input, nothing sent) unless jumps were allowed
    /// (`--allow-counter-jump`, or its operator API field).
    public static func check(_ jumps: [CounterJump], allowed: Bool) throws(RequestError) {
        guard !allowed, let jump = jumps.first else { return }
        throw .invalidRequest(jump.description + "; pass --allow-counter-jump if that is meant")
    }
}
