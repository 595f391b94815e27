import AnchorCore
import Foundation

/// stdout written in blocks of about 64 KiB: a report of ten million rows is one write per
/// block, not one per line. Text is kept as UTF-8 bytes until it is written, and CSV lines are
/// made in place (``csvLine(_:)``), so a row is copied once on its way out.
///
/// A full block is written by a thread of its own (``BlockWriter``), in order, while the next is
/// made: the kernel's copy of a gigabyte-long report then runs beside the formatting, not after
/// each block of it.
struct BufferedOutput {
    private static let blockSize = 1 << 16
    private var pending: [UInt8] = []
    private let writer = BlockWriter()

    init() {
        pending.reserveCapacity(Self.blockSize + 4096)
    }

    /// Appends text; hands the block over when it is full.
    mutating func write(_ text: String) {
        pending.append(contentsOf: text.utf8)
        handOverIfFull()
    }

    /// Appends a line.
    mutating func line(_ text: String) {
        pending.append(contentsOf: text.utf8)
        pending.append(UInt8(ascii: "\n"))
        handOverIfFull()
    }

    /// Appends one CSV line of `fields` (``ReportFormat/appendCSVLine(_:to:)``).
    mutating func csvLine(_ fields: [String]) {
        ReportFormat.appendCSVLine(fields, to: &pending)
        pending.append(UInt8(ascii: "\n"))
        handOverIfFull()
    }

    /// Appends one CSV line whose fields `make` gives one at a time (``CSVLineWriter``): for
    /// millions of rows, no array of fields is made.
    mutating func csvLine(_ make: (inout CSVLineWriter) -> Void) {
        var writer = CSVLineWriter()
        swap(&writer.bytes, &pending)
        make(&writer)
        swap(&writer.bytes, &pending)
        pending.append(UInt8(ascii: "\n"))
        handOverIfFull()
    }

    /// Writes what is pending and returns once every block is written. Call once at the end.
    mutating func flush() {
        if !pending.isEmpty { pending = writer.enqueue(pending) }
        writer.finish()
    }

    private mutating func handOverIfFull() {
        guard pending.count >= Self.blockSize else { return }
        pending = writer.enqueue(pending)
        if pending.capacity < Self.blockSize + 4096 { pending.reserveCapacity(Self.blockSize + 4096) }
    }
}

/// The thread that writes ``BufferedOutput``'s blocks to stdout, first in first out, holding at
/// most ``limit`` blocks: a reader slower than the report holds the report up rather than
/// filling memory. A written block's buffer is handed back for the next, so a long report
/// allocates a few buffers, not one a block. Every access to its state holds the condition's lock.
private final class BlockWriter: @unchecked Sendable {
    private static let limit = 8
    private let condition = NSCondition()
    private var blocks: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var writing = false
    private var started = false
    private var finished = false

    /// Queues a block, waiting while ``limit`` are queued, and returns an empty buffer to fill
    /// next; starts the thread on the first.
    func enqueue(_ block: [UInt8]) -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= Self.limit { condition.wait() }
        blocks.append(block)
        condition.broadcast()
        if !started {
            started = true
            Thread { self.run() }.start()
        }
        return spare.popLast() ?? []
    }

    /// Returns once every block queued is written; the thread then ends.
    func finish() {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.broadcast()
        while started && (!blocks.isEmpty || writing) { condition.wait() }
    }

    private func run() {
        condition.lock()
        while true {
            while blocks.isEmpty && !finished { condition.wait() }
            guard !blocks.isEmpty else { break }
            var block = blocks.removeFirst()
            writing = true
            condition.broadcast()
            condition.unlock()
            Console.text(utf8: block)
            block.removeAll(keepingCapacity: true)
            condition.lock()
            spare.append(block)
            writing = false
            condition.broadcast()
        }
        condition.unlock()
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
