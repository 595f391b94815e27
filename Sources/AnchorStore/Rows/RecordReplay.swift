import AnchorCore

/// Committed records applied to an estate, or to the part of one a writer holds.
public enum RecordReplay {
    /// Applies one committed record (a journal record's payload) to `estate`.
    /// - Throws: `.corrupt` when the payload is not a record.
    public static func apply(_ payload: [UInt8], to estate: inout Estate, shownAs path: String) throws(StoreError) {
        let content: JournalContent
        do throws(JSONReadError) {
            content = try ChangeRecordCoding.decode(payload).content
        } catch {
            throw StoreError.corrupt(path: path, offset: error.offset, reason: "a committed record: \(error.message)")
        }
        switch content {
        case .request(let change): estate.apply(change)
        case .lifecycle(let change): estate.apply(change)
        case .alertArrival(let arrival): estate.apply(arrival)
        case .schedule(let change): estate.apply(change)
        }
    }
}
