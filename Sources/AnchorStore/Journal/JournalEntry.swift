import AnchorCore

/// One journal record's payload: a committed request with all its effects, and its sequence number.
struct JournalEntry: Codable {
    /// 1, 2, 3, ... continuing from the snapshot's `lastSequence`.
    var sequence: OriginatorCounter
    /// What the request changed.
    var change: EstateChange
}
