/// stdout written in blocks of about 64 KiB: a report of ten million rows is one write per
/// block, not one per line. Text is kept as UTF-8 bytes until it is written, and CSV lines are
/// made in place (``csvLine(_:)``), so a row is copied once on its way out.
struct BufferedOutput {
    private static let blockSize = 1 << 16
    private var pending: [UInt8] = []

    init() {
        pending.reserveCapacity(Self.blockSize + 4096)
    }

    /// Appends text; writes when a block is full.
    mutating func write(_ text: String) {
        pending.append(contentsOf: text.utf8)
        writeIfFull()
    }

    /// Appends a line.
    mutating func line(_ text: String) {
        pending.append(contentsOf: text.utf8)
        pending.append(UInt8(ascii: "\n"))
        writeIfFull()
    }

    /// Appends one CSV line of `fields` (``ReportFormat/appendCSVLine(_:to:)``).
    mutating func csvLine(_ fields: [String]) {
        ReportFormat.appendCSVLine(fields, to: &pending)
        pending.append(UInt8(ascii: "\n"))
        writeIfFull()
    }

    /// Writes what is pending. Call once at the end.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        Console.text(utf8: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func writeIfFull() {
        if pending.count >= Self.blockSize { flush() }
    }
}
