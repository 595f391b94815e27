/// Validates journal bytes line by line and separates intact records from a torn tail or corruption.
public enum JournalScanner {
    /// The outcome of parsing one complete line.
    private enum LineOutcome {
        /// The line is a valid frame; the payload occupies this range of the input.
        case record(Range<Int>)
        /// The line is malformed: why, and the absolute byte offset of the problem.
        case defect(reason: String, at: Int)
    }

    /// Scans journal bytes from offset 0.
    ///
    /// Rules:
    /// - A complete line (ending in `\n`) that parses and whose CRC-32C matches is a record.
    /// - A final segment without a terminating `\n` (an interrupted append, including one cut exactly before its
    ///   newline) is reported as `tornTail`, not as an error.
    /// - A final segment consisting only of NUL bytes (optionally with newlines; a torn sector) is a torn tail.
    /// - Any other complete line that is malformed is corruption.
    /// - An empty input yields zero records.
    ///
    /// - Parameters:
    ///   - bytes: The whole journal file.
    ///   - path: The journal's path, used in error messages.
    /// - Returns: The intact records, the valid length and any torn tail.
    /// - Throws: `StoreError` with code `.corrupt`, `path` and `offset` set to the start of the first malformed
    ///   complete line.
    public static func scan(_ bytes: [UInt8], path: String) throws(StoreError) -> JournalScan {
        var records: [JournalRecordSlice] = []
        var position = 0
        let count = bytes.count
        while position < count {
            guard let newline = bytes[position...].firstIndex(of: 0x0A) else {
                return JournalScan(
                    records: records,
                    validLength: position,
                    tornTail: .init(offset: position, length: count - position)
                )
            }
            switch parseLine(bytes, start: position, end: newline) {
            case .record(let range):
                records.append(JournalRecordSlice(
                    offset: position,
                    lineLength: newline + 1 - position,
                    payload: Array(bytes[range])
                ))
                position = newline + 1
            case .defect(let reason, let at):
                if isTornSector(bytes, from: position) {
                    return JournalScan(
                        records: records,
                        validLength: position,
                        tornTail: .init(offset: position, length: count - position)
                    )
                }
                let detail = at == position ? reason : "\(reason) (problem at byte \(at))"
                throw StoreError.corrupt(path: path, offset: position, reason: detail)
            }
        }
        return JournalScan(records: records, validLength: position, tornTail: nil)
    }

    /// True if everything from `start` to the end is NUL or newline bytes and at least one NUL is present.
    private static func isTornSector(_ bytes: [UInt8], from start: Int) -> Bool {
        var sawNul = false
        for byte in bytes[start...] {
            if byte == 0 {
                sawNul = true
            } else if byte != 0x0A {
                return false
            }
        }
        return sawNul
    }

    /// Parses the line `bytes[start..<end]` (without its newline) as a frame.
    private static func parseLine(_ bytes: [UInt8], start: Int, end: Int) -> LineOutcome {
        var i = start

        func expect(_ literal: [UInt8], _ what: String) -> LineOutcome? {
            for expected in literal {
                guard i < end, bytes[i] == expected else {
                    return .defect(reason: "malformed frame: expected \(what)", at: i)
                }
                i += 1
            }
            return nil
        }

        if let defect = expect(JournalFrame.lengthPrefix, #"'{"length":'"#) { return defect }

        let digitsStart = i
        var length = 0
        while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            if i - digitsStart >= 12 {
                return .defect(reason: "malformed frame: length field is too long", at: digitsStart)
            }
            length = length * 10 + Int(bytes[i] - 0x30)
            i += 1
        }
        if i == digitsStart {
            return .defect(reason: "malformed frame: length is not a decimal number", at: digitsStart)
        }
        if bytes[digitsStart] == 0x30 {
            return .defect(reason: "malformed frame: length has a leading zero or is zero", at: digitsStart)
        }

        if let defect = expect(JournalFrame.crcPrefix, #"',"crc32c":"'"#) { return defect }

        let crcStart = i
        var stored: UInt32 = 0
        for _ in 0..<8 {
            guard i < end else {
                return .defect(reason: "malformed frame: crc32c is not 8 lowercase hex digits", at: crcStart)
            }
            let byte = bytes[i]
            let nibble: UInt32
            switch byte {
            case 0x30...0x39: nibble = UInt32(byte - 0x30)
            case 0x61...0x66: nibble = UInt32(byte - 0x61 + 10)
            default:
                return .defect(reason: "malformed frame: crc32c is not 8 lowercase hex digits", at: i)
            }
            stored = stored << 4 | nibble
            i += 1
        }

        if let defect = expect(JournalFrame.recordPrefix, #"'","record":'"#) { return defect }

        let payloadStart = i
        guard end > payloadStart, bytes[end - 1] == 0x7D else {
            return .defect(reason: "malformed frame: line does not end with '}'", at: max(end - 1, payloadStart))
        }
        let payloadEnd = end - 1
        let actual = payloadEnd - payloadStart
        if actual != length {
            return .defect(
                reason: "length mismatch: frame says \(length) payload bytes but the line holds \(actual)",
                at: digitsStart
            )
        }
        let computed = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[payloadStart..<payloadEnd]))
        }
        if computed != stored {
            return .defect(
                reason: "CRC32C mismatch (stored \(CRC32C.hex(stored)), computed \(CRC32C.hex(computed)))",
                at: payloadStart
            )
        }
        return .record(payloadStart..<payloadEnd)
    }
}
