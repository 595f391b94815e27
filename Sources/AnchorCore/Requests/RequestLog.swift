/// Request log rows kept outside memory and read when asked for: a store's snapshot holds a
/// million logged requests on disk, found through an index, rather than in the heap.
///
/// Rows are never changed once written, so an implementation may be read from any thread.
public protocol StoredRequestRows: AnyObject, Sendable {
    /// How many rows there are.
    var count: Int { get }
    /// The row at `position` (`0..<count`).
    func record(at position: Int) -> RequestRecord
    /// The positions of the rows that may be this device's, oldest first. Callers check each
    /// row's device, so a damaged index can hide a row but never put one in the wrong place.
    func positions(of device: EUI64) -> [Int]
    /// Whether a row has this Request ID.
    func contains(requestId: String) -> Bool
    /// Whether `other` holds the same rows, byte for byte, without reading them one by one.
    func hasSameRows(as other: any StoredRequestRows) -> Bool
}

/// The request log, oldest first: rows kept outside memory (``StoredRequestRows``) followed by
/// the rows logged since, held in memory. Reading a row from either is the same call.
public struct RequestLog: RandomAccessCollection, Sendable, Equatable {
    /// The rows kept outside memory, if any.
    public private(set) var stored: (any StoredRequestRows)?
    private var storedCount: Int
    /// The rows logged after the stored ones, oldest first.
    public private(set) var recent: [RequestRecord]
    private var recentRequestIds: Set<String>
    private var lastRecentPosition: [EUI64: Int]

    /// A log held wholly in memory.
    public init(_ records: [RequestRecord] = []) {
        stored = nil
        storedCount = 0
        recent = []
        recentRequestIds = Set(minimumCapacity: records.count)
        lastRecentPosition = Dictionary(minimumCapacity: records.count)
        recent.reserveCapacity(records.count)
        for record in records { append(record) }
    }

    /// A log whose rows are all kept outside memory.
    public init(stored: any StoredRequestRows) {
        self.init()
        self.stored = stored
        storedCount = stored.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storedCount + recent.count }

    public subscript(position: Int) -> RequestRecord {
        if position < storedCount, let stored { return stored.record(at: position) }
        return recent[position - storedCount]
    }

    /// Whether a row has this Request ID.
    public func contains(requestId: String) -> Bool {
        recentRequestIds.contains(requestId) || stored?.contains(requestId: requestId) == true
    }

    /// A device's rows, oldest first.
    public func records(for device: EUI64) -> [RequestRecord] {
        let older = (stored?.positions(of: device) ?? []).lazy.map { self[$0] }.filter { $0.device == device }
        return Array(older) + recent.filter { $0.device == device }
    }

    /// A device's newest row.
    public func last(for device: EUI64) -> RequestRecord? {
        if let position = lastRecentPosition[device] { return recent[position] }
        guard let position = stored?.positions(of: device).last else { return nil }
        let record = self[position]
        return record.device == device ? record : nil
    }

    /// Adds a row at the end.
    public mutating func append(_ record: RequestRecord) {
        recentRequestIds.insert(record.requestId)
        lastRecentPosition[record.device] = recent.count
        recent.append(record)
    }

    /// The same rows, now read from `stored`, which must hold exactly them (after the store
    /// wrote them into a new snapshot): the memory the recent rows took is given back.
    public mutating func keep(in stored: any StoredRequestRows) {
        precondition(stored.count == count, "the stored rows must be the log's rows")
        self = RequestLog(stored: stored)
    }

    public static func == (lhs: RequestLog, rhs: RequestLog) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if let left = lhs.stored, let right = rhs.stored, lhs.storedCount == rhs.storedCount, left.hasSameRows(as: right) {
            return lhs.recent == rhs.recent
        }
        return lhs.elementsEqual(rhs)
    }
}
