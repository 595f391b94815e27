import AnchorCore

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

    /// Appends one CSV line whose fields `make` gives one at a time (``CSVLineWriter``): for
    /// millions of rows, no array of fields is made.
    mutating func csvLine(_ make: (inout CSVLineWriter) -> Void) {
        var writer = CSVLineWriter()
        swap(&writer.bytes, &pending)
        make(&writer)
        swap(&writer.bytes, &pending)
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

/// The fields of one CSV line, appended in place as ``ReportFormat/appendCSVLine(_:to:)`` makes them.
struct CSVLineWriter {
    fileprivate(set) var bytes: [UInt8] = []
    private var fields = 0

    /// Appends a field, quoted and neutralised as needed.
    mutating func field(_ text: String) {
        if fields > 0 { bytes.append(UInt8(ascii: ",")) }
        ReportFormat.appendCSVField(text, to: &bytes)
        fields += 1
    }

    /// Appends a time in ISO 8601 (`2024-01-17T08:30:00Z`), which never needs quoting or neutralising.
    mutating func field(_ time: Timestamp) {
        if fields > 0 { bytes.append(UInt8(ascii: ",")) }
        withUnsafeTemporaryAllocation(byteCount: 20, alignment: 1) { text in
            time.writeISO8601(into: text)
            bytes.append(contentsOf: text)
        }
        fields += 1
    }

    /// Appends a device's ID in its canonical form, which never needs quoting or neutralising.
    mutating func field(_ device: EUI64) {
        field(CSVFieldAroundDevice.bare, device)
    }

    /// Appends a field that is the same for every device but for its ID, prepared once.
    mutating func field(_ prepared: CSVFieldAroundDevice, _ device: EUI64) {
        if fields > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: prepared.before)
        withUnsafeTemporaryAllocation(byteCount: EUI64.canonicalLength, alignment: 1) { canonical in
            device.writeCanonical(into: canonical)
            bytes.append(contentsOf: canonical)
        }
        bytes.append(contentsOf: prepared.after)
        fields += 1
    }
}
