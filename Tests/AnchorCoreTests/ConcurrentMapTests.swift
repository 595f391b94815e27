import AnchorCore
import Foundation
import Synchronization
import Testing

/// ``concurrentMap(count:workers:_:)`` deals its indices out in runs to whichever worker asks:
/// whatever the count and workers, every index is done exactly once and the results come back in
/// index order; a transform that gives up gives `nil` and leaves no result alive.
@Suite struct ConcurrentMapTests {
    @Test func everyIndexOnceAndInOrderForEveryCountAndWorkers() {
        for count in [0, 1, 2, 3, 7, 15, 16, 17, 100, 1_001] {
            for workers in [1, 2, 3, 8, 64] {
                let calls = Mutex<[Int: Int]>([:])
                let results = concurrentMap(count: count, workers: workers) { index -> Int in
                    calls.withLock { $0[index, default: 0] += 1 }
                    return index * 3
                }
                #expect(results == (0..<count).map { $0 * 3 }, "count \(count), workers \(workers)")
                #expect(calls.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, 1) }), "count \(count), workers \(workers)")
            }
        }
    }

    @Test func aSlowWorkerLeavesTheRestToTheOthers() {
        // Index 0's run waits (up to five seconds) for every index after its run: with fixed
        // halves, the worker holding index 0 would also hold half of those, and they would not be
        // done. (With one core, Dispatch runs the workers one after the other: then nothing can
        // be done meanwhile, which the threads seen show.)
        let count = 64
        let firstRun = count / 16
        let othersDone = Atomic<Int>(0)
        let seenByTheFirst = Atomic<Int>(-1)
        let threads = Mutex<Set<UInt>>([])
        _ = concurrentMap(count: count, workers: 2) { index -> Int in
            threads.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) }
            if index == 0 {
                let clock = ContinuousClock()
                let deadline = clock.now.advanced(by: .seconds(5))
                while othersDone.load(ordering: .acquiring) < count - firstRun && clock.now < deadline {}
                seenByTheFirst.store(othersDone.load(ordering: .acquiring), ordering: .releasing)
            } else if index >= firstRun {
                othersDone.add(1, ordering: .releasing)
            }
            return index
        }
        let oneThread = threads.withLock { $0.count } == 1
        #expect(oneThread || seenByTheFirst.load(ordering: .acquiring) == count - firstRun)
    }

    @Test func givingUpGivesNilAndReleasesWhatWasMade() {
        let alive = Atomic<Int>(0)
        final class Tracked: Sendable {
            let counter: @Sendable (Int) -> Void
            init(_ counter: @escaping @Sendable (Int) -> Void) {
                self.counter = counter
                counter(1)
            }
            deinit { counter(-1) }
        }
        for failing in [0, 1, 50, 99] {
            let results = concurrentMapUnlessNil(count: 100, workers: 2) { index -> Tracked? in
                index == failing ? nil : Tracked { alive.add($0, ordering: .relaxed) }
            }
            #expect(results == nil, "failing at \(failing)")
            #expect(alive.load(ordering: .relaxed) == 0, "failing at \(failing): every result made was released")
        }
        let all = concurrentMapUnlessNil(count: 100, workers: 2) { _ in Tracked { alive.add($0, ordering: .relaxed) } }
        #expect(all?.count == 100)
    }
}
