import Dispatch

/// `transform(i)` for every `i` in `0..<count`, on `workers` threads at once (the caller's
/// among them), in index order. Each worker takes one contiguous share of the indices, so
/// `workers: 1` runs everything on the calling thread. Returns when every index is done.
///
/// For work that reads shared values and writes nothing but its result: evaluating a bulk
/// group's requests, recomputing audit hashes, parsing snapshot rows.
public func concurrentMap<Result: Sendable>(count: Int, workers: Int, _ transform: @Sendable (Int) -> Result) -> [Result] {
    concurrentMapUnlessNil(count: count, workers: workers) { .some(transform($0)) }!
}

/// ``concurrentMap(count:workers:_:)`` for a transform that may give up: `nil` as soon as any
/// index gives `nil` (each worker stops at its first). The results are written straight into
/// the array returned, so a map of ten million rows holds them once, not twice.
public func concurrentMapUnlessNil<Result: Sendable>(count: Int, workers: Int, _ transform: @Sendable (Int) -> Result?) -> [Result]? {
    guard count > 0 else { return [] }
    let workers = max(1, min(workers, count))
    @Sendable func share(_ worker: Int) -> Range<Int> { (count * worker / workers)..<(count * (worker + 1) / workers) }
    var complete = true
    let results = [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
        let target = Slots(base: buffer.baseAddress!, filled: .allocate(capacity: workers))
        defer { target.filled.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var filled = 0
            for index in share(worker) {
                guard let value = transform(index) else { break }
                (target.base + index).initialize(to: value)
                filled += 1
            }
            target.filled[worker] = filled
        }
        complete = (0..<workers).allSatisfy { target.filled[$0] == share($0).count }
        if complete {
            initialized = count
        } else {
            for worker in 0..<workers { (target.base + share(worker).lowerBound).deinitialize(count: target.filled[worker]) }
            initialized = 0
        }
    }
    return complete ? results : nil
}

/// The array being filled and how far each worker got: each worker writes only its own share
/// and its own count, and both are read only after `concurrentPerform` has returned.
private struct Slots<Result>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result>
    let filled: UnsafeMutablePointer<Int>
}
