/// Text from data, made safe to print on a terminal: AnchorDesk's one rule for what may reach
/// a screen, a log or a file someone will open.
///
/// ``isUnsafe(_:)`` says which characters a terminal would act on rather than show. Where text
/// goes into a fixed-width cell (the console, a table's column) they are replaced with `�`
/// (``sanitize(_:)``); where it is printed whole (every line the CLI writes, JSON included) they
/// are written as `\uXXXX` (``escaped(_:)``), JSON's own escape, so a JSON document stays JSON
/// with the same values.
public enum DisplaySafeText {
    /// Replaces control characters, escape sequences' introducers and bidirectional overrides
    /// with `�`, so data can never move the cursor, recolour or reorder the screen.
    ///
    /// C0 and C1 controls, DEL, the bidi embedding/override/isolate marks (U+202A–U+202E,
    /// U+2066–U+2069) and the line/paragraph separators are replaced; everything else is kept.
    public static func sanitize(_ text: some StringProtocol) -> String {
        // Most data is printable ASCII: nothing to replace, no scalar-by-scalar copy.
        var whole = String(text)
        if isPrintableASCII(&whole) { return whole }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }

    /// `text` with every unsafe character but the line feed written as `\uXXXX` (four lowercase
    /// hex digits): ESC, BEL and C1 controls, DEL, carriage return and tab, and the bidirectional
    /// controls all become visible text. Inside a JSON string that is the same string; outside
    /// one, JSON has no such characters to escape.
    public static func escaped(_ text: String) -> String {
        var whole = text
        // Most output is ASCII, or at least safe (arrows, names): nothing to copy.
        if isPrintableASCIIOrLineFeed(&whole) || !text.unicodeScalars.contains(where: { $0 != "\n" && isUnsafe($0) }) { return whole }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard scalar != "\n", isUnsafe(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            result.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
        }
        return String(result)
    }

    /// Whether a scalar must not reach the terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// Whether every byte is printable ASCII or a line feed, checked over contiguous UTF-8.
    private static func isPrintableASCIIOrLineFeed(_ text: inout String) -> Bool {
        text.withUTF8 { isPrintableASCIIOrLineFeed($0) }
    }

    /// Whether every byte is printable ASCII (0x20 to 0x7E) or a line feed: such text is
    /// display-safe as it is.
    public static func isPrintableASCIIOrLineFeed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteScan.isPrintableASCII(bytes, allowingLineFeeds: true)
    }

    /// Whether every byte is printable ASCII (0x20 to 0x7E), checked over contiguous UTF-8.
    public static func isPrintableASCII(_ text: inout String) -> Bool {
        text.withUTF8 { ByteScan.isPrintableASCII($0, allowingLineFeeds: false) }
    }
}
