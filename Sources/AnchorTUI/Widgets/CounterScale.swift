import Foundation
import AnchorCore

/// A logarithmic axis for Originator Counters, from 10^0 to 10^20 (a counter is an unsigned
/// 64-bit number, below 1.9×10^19): the ACB's counters (tens of thousands) and time-based GNO
/// counters (around 10^15) differ by eleven decades, so on a linear axis every GNO counter is a
/// full bar and every ACB counter an empty one. The axis is the same for every device, so
/// charts compare; the exact step from one counter to the next is printed beside each bar.
///
/// Only a bar's length is worked out in floating point; the counters themselves are printed
/// exactly beside their bars and never pass through a Double.
struct CounterScale: Hashable, Sendable {
    /// The axis runs from 10^`lowDecade` to 10^`highDecade`.
    var lowDecade = 0
    var highDecade = 20

    /// A decade as the axis writes it.
    static func label(_ decade: Int) -> String { "10^\(decade)" }

    /// How many of `width` columns a value fills: none for 0, at least one for anything above.
    func length(_ value: OriginatorCounter, width: Int) -> Int {
        guard value.value > 0, width > 0 else { return 0 }
        let position = (log10(Double(value.value)) - Double(lowDecade)) / Double(highDecade - lowDecade)
        return max(1, min(width, Int((position * Double(width)).rounded())))
    }

    /// A bar for a value, `width` columns at 10^``highDecade``.
    func bar(_ value: OriginatorCounter, width: Int, glyphs: Glyphs) -> String {
        String(repeating: glyphs.bar, count: length(value, width: width))
    }

    /// The axis under a heading: its lowest, middle and highest decades spread over `width` columns.
    func axis(width: Int) -> String {
        let low = Self.label(lowDecade)
        let high = Self.label(highDecade)
        let middleDecade = (lowDecade + highDecade) / 2
        guard width >= TextWidth.of(low) + TextWidth.of(high) + 2 else { return TextWidth.fit(low, to: width) }
        var line = Array(repeating: Character(" "), count: width)
        func place(_ text: String, at column: Int) {
            for (offset, character) in text.enumerated() where column + offset < width { line[column + offset] = character }
        }
        place(low, at: 0)
        let middle = Self.label(middleDecade)
        let middleColumn = (width * (middleDecade - lowDecade)) / (highDecade - lowDecade) - middle.count / 2
        if middleDecade != lowDecade, middleDecade != highDecade, middleColumn > low.count + 1,
           middleColumn + middle.count + 1 < width - high.count {
            place(middle, at: middleColumn)
        }
        place(high, at: width - high.count)
        return String(line)
    }

    /// The change from one counter to the next, exactly: `+1`, `-1647302399951788`, `0`.
    static func step(from previous: OriginatorCounter, to next: OriginatorCounter) -> String {
        next.value >= previous.value ? "+\(next.value - previous.value)" : "-\(previous.value - next.value)"
    }
}
