/// Text from data, made safe to print on a terminal.
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

    /// Whether a scalar must not reach the terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// Whether every byte is printable ASCII (0x20 to 0x7E), checked over contiguous UTF-8.
    public static func isPrintableASCII(_ text: inout String) -> Bool {
        text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return false }
            return true
        }
    }
}
