import Foundation
import Synchronization

/// Bytes made on a thread of their own, handed to an answer's body as it is written: one chunk
/// in flight, the maker waiting until the writer has taken it, so a long export holds a chunk in
/// memory, not the whole of it. The writer going away (a caller that hangs up, or stops reading
/// for `patience`) ends the waiting, and the maker's later chunks are dropped; the writer then
/// must not end the answer as if it were whole (``isWhole``).
final class ChunkHandoff: Sendable {
    /// The chunks, in order, for the answer's body.
    let chunks: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let taken = DispatchSemaphore(value: 0)
    private let abandoned = Atomic<Bool>(false)
    private let made = Atomic<Bool>(false)
    /// How long the maker waits for the writer to take a chunk before it gives up on the caller.
    private let patience: DispatchTimeInterval

    init(patience: DispatchTimeInterval = .seconds(120)) {
        (chunks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        self.patience = patience
    }

    /// The maker's next chunk; waits until the writer has taken it. `false`: nobody takes chunks
    /// any more, so there is no point making more.
    @discardableResult
    func put(_ chunk: [UInt8]) -> Bool {
        guard !abandoned.load(ordering: .acquiring) else { return false }
        continuation.yield(chunk)
        if taken.wait(timeout: .now() + patience) == .timedOut { abandon() }
        return !abandoned.load(ordering: .acquiring)
    }

    /// The maker has made everything (`whole`), or stopped short.
    func finish(whole: Bool) {
        made.store(whole, ordering: .releasing)
        continuation.finish()
    }

    /// Whether every chunk was made and none dropped: only then is the answer whole.
    var isWhole: Bool {
        made.load(ordering: .acquiring) && !abandoned.load(ordering: .acquiring)
    }

    /// The writer wrote a chunk.
    func took() {
        taken.signal()
    }

    /// The writer will take no more (the caller went away): the maker stops waiting.
    func abandon() {
        abandoned.store(true, ordering: .releasing)
        continuation.finish()
        taken.signal()
    }
}
