import AnchorCore
import Foundation

/// Reads a large array of a snapshot's log rows on every core.
///
/// The store writes each row on a line of its own (`[`, then `\n` row `,\n` row … `\n]`), and
/// JSON strings cannot hold a raw newline, so the rows are found by their line ends and parsed
/// side by side. Anything that is not exactly that layout, a row that does not parse, or one
/// that leaves bytes on its line, is read again one row at a time, so every error is the one
/// (and at the offset) a sequential read gives.
enum SnapshotRows {
    /// Arrays shorter than this are read one row at a time: the threads are not worth it.
    static let parallelThreshold = 20_000

    /// Every row of the array at `reader` (its `[` next), with each row's start and the end of
    /// the last row (0 when there is none).
    static func readArray<Row: Sendable>(
        _ reader: inout JSONReader, _ parse: @Sendable (inout JSONReader) throws(JSONReadError) -> Row
    ) throws(JSONReadError) -> (rows: [Row], starts: [Int], lastEnd: Int) {
        try reader.beginArray()
        if let (rows, starts) = readSideBySide(&reader, parse) {
            // One row a line: the last ends just before the array's closing `\n]`.
            return (rows, starts, reader.position - 2)
        }
        var rows: [Row] = [], starts: [Int] = []
        var lastEnd = 0
        while try reader.nextElement() {
            starts.append(reader.position)
            rows.append(try parse(&reader))
            lastEnd = reader.position
        }
        return (rows, starts, lastEnd)
    }

    /// The rows after `reader` consumed the array's `[`, and each one's start; `nil` (nothing
    /// consumed) when they must be read one at a time.
    static func readSideBySide<Row: Sendable>(
        _ reader: inout JSONReader, _ parse: @Sendable (inout JSONReader) throws(JSONReadError) -> Row
    ) -> ([Row], [Int])? {
        let bytes = reader.buffer
        guard let (lines, end) = lineRanges(in: bytes, from: reader.position), lines.count >= parallelThreshold else { return nil }
        let document = Document(bytes: bytes)
        guard let rows = concurrentMapUnlessNil(count: lines.count, workers: ProcessInfo.processInfo.activeProcessorCount, {
            row(lines[$0], in: document, parse)
        }) else { return nil }
        reader.finishArray(at: end)
        return (rows, lines.map(\.lowerBound))
    }

    /// The row in a range, if it reads and fills the range exactly.
    static func row<Row>(
        _ range: Range<Int>, in document: Document, _ parse: (inout JSONReader) throws(JSONReadError) -> Row
    ) -> Row? {
        var reader = JSONReader(document.bytes, startingAt: range.lowerBound)
        guard let value = try? parse(&reader), reader.position == range.upperBound else { return nil }
        return value
    }

    /// Each row's byte range (without its `,`) and the offset just past the closing `]`, when
    /// the array from `start` (just after its `[`) has the store's one-row-a-line layout or is
    /// empty (`[\n]`).
    static func rowRanges(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> ([Range<Int>], Int)? {
        if start + 1 < bytes.count, bytes[start] == UInt8(ascii: "\n"), bytes[start + 1] == UInt8(ascii: "]") { return ([], start + 2) }
        return lineRanges(in: bytes, from: start)
    }

    /// ``rowRanges(in:from:)`` for an array of at least one row.
    private static func lineRanges(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> ([Range<Int>], Int)? {
        let newline = UInt8(ascii: "\n")
        guard start < bytes.count, bytes[start] == newline else { return nil }
        var lines: [Range<Int>] = []
        var rowStart = start + 1
        while rowStart < bytes.count, bytes[rowStart] != UInt8(ascii: "]") {
            // A row is an object, or an array (the compact request and audit rows).
            let close: UInt8 = switch bytes[rowStart] {
            case UInt8(ascii: "{"): UInt8(ascii: "}")
            case UInt8(ascii: "["): UInt8(ascii: "]")
            default: 0
            }
            guard close != 0, let lineEnd = nextNewline(in: bytes, from: rowStart), lineEnd > rowStart + 1 else { return nil }
            if bytes[lineEnd - 1] == UInt8(ascii: ","), bytes[lineEnd - 2] == close {
                lines.append(rowStart..<(lineEnd - 1))
                rowStart = lineEnd + 1
            } else {
                guard bytes[lineEnd - 1] == close, lineEnd + 1 < bytes.count, bytes[lineEnd + 1] == UInt8(ascii: "]") else { return nil }
                lines.append(rowStart..<lineEnd)
                return (lines, lineEnd + 2)
            }
        }
        return nil  // `[\n]`, an empty array, is left to the caller too
    }

    private static func nextNewline(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count,
              let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// A snapshot's bytes, only read, for parsing rows on several threads while the caller
    /// keeps them valid.
    struct Document: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
    }
}
