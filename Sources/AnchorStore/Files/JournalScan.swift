/// The result of scanning a journal: its intact records and any torn tail left by an interrupted append.
public struct JournalScan: Equatable, Sendable {
    /// An incomplete final segment (a crash mid-append), which is safe to cut off with `JournalFile.truncate(toLength:)`.
    public struct TornTail: Equatable, Sendable {
        /// The byte offset where the torn segment begins (equal to `JournalScan.validLength`).
        public var offset: Int
        /// The number of bytes from `offset` to the end of the file.
        public var length: Int

        /// Creates a torn-tail description.
        ///
        /// - Parameters:
        ///   - offset: Where the torn segment begins.
        ///   - length: How many bytes it spans.
        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }

    /// The intact records, in file order.
    public var records: [JournalRecordSlice]
    /// The number of bytes up to and including the newline of the last intact record.
    public var validLength: Int
    /// The torn final segment, if the file does not end cleanly after the last record.
    public var tornTail: TornTail?

    /// Creates a scan result.
    ///
    /// - Parameters:
    ///   - records: The intact records.
    ///   - validLength: Bytes up to and including the last intact line.
    ///   - tornTail: The torn final segment, if any.
    public init(records: [JournalRecordSlice], validLength: Int, tornTail: TornTail?) {
        self.records = records
        self.validLength = validLength
        self.tornTail = tornTail
    }
}
