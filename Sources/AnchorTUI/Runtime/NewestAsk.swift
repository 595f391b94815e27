import Foundation

/// Numbers the reads of one kind as they are asked for, so that work queued behind a newer
/// ask of the same kind can be skipped before it starts: typing a filter over a database's
/// pages asks for a page (and a count) per key, and only the newest answer is shown.
final class NewestAsk: @unchecked Sendable {
    private let lock = NSLock()
    private var newest = 0

    /// A number for a new ask, newer than every one before it.
    func next() -> Int {
        lock.withLock {
            newest += 1
            return newest
        }
    }

    /// Whether no ask came after `number`.
    func isNewest(_ number: Int) -> Bool {
        lock.withLock { number == newest }
    }
}
