/// One intact record found by `JournalScanner`.
public struct JournalRecordSlice: Equatable, Sendable {
    /// The byte offset of the start of the record's line in the journal file.
    public var offset: Int
    /// The byte length of the whole line, including its trailing newline.
    public var lineLength: Int
    /// The caller's payload bytes, exactly as passed to `JournalFrame.encode`.
    public var payload: [UInt8]

    /// Creates a record slice.
    ///
    /// - Parameters:
    ///   - offset: The byte offset of the start of the line.
    ///   - lineLength: The byte length of the line including its newline.
    ///   - payload: The payload bytes.
    public init(offset: Int, lineLength: Int, payload: [UInt8]) {
        self.offset = offset
        self.lineLength = lineLength
        self.payload = payload
    }
}
