import Dispatch
import Synchronization

/// `transform(i)` for every `i` in `0..<count`, on `workers` threads at once (the caller's
/// among them), in index order. The indices are dealt out in small runs to whichever worker is
/// free (``ConcurrentShares``), so a worker slowed by other threads on its core leaves the
/// rest to the others instead of keeping them waiting; `workers: 1` runs everything on the
/// calling thread. Returns when every index is done.
///
/// For work that reads shared values and writes nothing but its result: evaluating a bulk
/// group's requests, recomputing audit hashes, parsing snapshot rows.
public func concurrentMap<Result: Sendable>(count: Int, workers: Int, _ transform: @Sendable (Int) -> Result) -> [Result] {
    concurrentMapUnlessNil(count: count, workers: workers) { .some(transform($0)) }!
}

/// ``concurrentMap(count:workers:_:)`` for a transform that may give up: `nil` as soon as any
/// index gives `nil` (no run starts after that). The results are written straight into the
/// array returned, so a map of ten million rows holds them once, not twice.
public func concurrentMapUnlessNil<Result: Sendable>(count: Int, workers: Int, _ transform: @Sendable (Int) -> Result?) -> [Result]? {
    guard count > 0 else { return [] }
    let shares = ConcurrentShares(count: count, workers: workers)
    var complete = true
    let results = [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
        let target = Slots(base: buffer.baseAddress!, filled: .allocate(capacity: shares.runCount))
        target.filled.initialize(repeating: 0, count: shares.runCount)
        defer { target.filled.deallocate() }
        DispatchQueue.concurrentPerform(iterations: shares.workers) { _ in
            while let run = shares.nextRun() {
                var filled = 0
                for index in shares.indices(ofRun: run) {
                    guard let value = transform(index) else {
                        shares.giveUp()
                        break
                    }
                    (target.base + index).initialize(to: value)
                    filled += 1
                }
                target.filled[run] = filled
            }
        }
        complete = (0..<shares.runCount).allSatisfy { target.filled[$0] == shares.indices(ofRun: $0).count }
        if complete {
            initialized = count
        } else {
            for run in 0..<shares.runCount {
                (target.base + shares.indices(ofRun: run).lowerBound).deinitialize(count: target.filled[run])
            }
            initialized = 0
        }
    }
    return complete ? results : nil
}

/// How ``concurrentMapUnlessNil(count:workers:_:)`` deals out `0..<count`: in runs of
/// consecutive indices, about eight a worker, each taken by the next worker to ask.
private final class ConcurrentShares: Sendable {
    /// The threads that take runs.
    let workers: Int
    /// How many runs there are.
    let runCount: Int
    private let count: Int
    private let next = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    init(count: Int, workers: Int) {
        self.count = count
        self.workers = max(1, min(workers, count))
        runCount = self.workers == 1 ? 1 : min(count, self.workers * 8)
    }

    /// The next run nobody has taken, or `nil` when none is left or a worker gave up.
    func nextRun() -> Int? {
        guard !stopped.load(ordering: .relaxed) else { return nil }
        let run = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return run < runCount ? run : nil
    }

    /// A transform gave `nil`: no further run starts.
    func giveUp() {
        stopped.store(true, ordering: .relaxed)
    }

    /// The indices run `run` covers.
    func indices(ofRun run: Int) -> Range<Int> {
        (count * run / runCount)..<(count * (run + 1) / runCount)
    }
}

/// The array being filled and how far each run got: each run's indices and count are written
/// by the one worker that took it, and read only after `concurrentPerform` has returned.
private struct Slots<Result>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result>
    let filled: UnsafeMutablePointer<Int>
}
