import Foundation

/// stdout written in blocks of about 64 KiB: a report of ten million rows is one write per
/// block, not one per line.
struct BufferedOutput {
    private var pending = ""

    /// Appends text; writes when a block is full.
    mutating func write(_ text: String) {
        pending += text
        if pending.utf8.count >= 1 << 16 { flush() }
    }

    /// Appends a line.
    mutating func line(_ text: String) {
        write(text)
        write("\n")
    }

    /// Writes what is pending. Call once at the end.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        Console.text(pending)
        pending = ""
    }
}
