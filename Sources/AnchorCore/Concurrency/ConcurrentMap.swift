import Dispatch

/// `transform(i)` for every `i` in `0..<count`, on `workers` threads at once (the caller's
/// among them), in index order. Each worker takes one contiguous share of the indices, so
/// `workers: 1` runs everything on the calling thread. Returns when every index is done.
///
/// For work that reads shared values and writes nothing but its result: evaluating a bulk
/// group's requests, recomputing audit hashes, parsing snapshot rows.
public func concurrentMap<Result: Sendable>(count: Int, workers: Int, _ transform: @Sendable (Int) -> Result) -> [Result] {
    guard count > 0 else { return [] }
    let workers = max(1, min(workers, count))
    let slots = ResultSlots<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
            slots.set(index, transform(index))
        }
    }
    return slots.results()
}

/// One slot per index, each written by the one worker whose share holds it and read only after
/// `concurrentPerform` has returned, so no two threads touch a slot at once.
private final class ResultSlots<Result>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func set(_ index: Int, _ result: Result) {
        slots[index] = result
    }

    /// Every result, in index order (each slot was set).
    func results() -> [Result] {
        slots.map { $0! }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
}
