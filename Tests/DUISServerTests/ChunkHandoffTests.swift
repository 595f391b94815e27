import Foundation
import Testing
@testable import DUISServer

/// An export's chunks go to the answer's writer one at a time, and a writer that goes away, or
/// never takes one, does not hold the export's thread. (The time limits only stop a test that
/// hangs: the whole suite can keep a test's tasks waiting for minutes.)
@Suite struct ChunkHandoffTests {
    @Test(.timeLimit(.minutes(10))) func chunksArriveInOrderOneInFlight() async {
        let handoff = ChunkHandoff(patience: .seconds(3600))
        Thread.detachNewThread {
            for value in 0..<5 { handoff.put([UInt8(value)]) }
            handoff.finish(whole: true)
        }
        var taken: [[UInt8]] = []
        for await chunk in handoff.chunks {
            taken.append(chunk)
            handoff.took()
        }
        #expect(taken == (0..<5).map { [UInt8($0)] } && handoff.isWhole)
    }

    @Test func aWriterThatNeverTakesOneIsGivenUpOn() async {
        let handoff = ChunkHandoff(patience: .milliseconds(100))
        let outcomes = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let first = handoff.put([1])
                let second = handoff.put([2])
                continuation.resume(returning: [first, second])
            }
        }
        #expect(outcomes == [false, false])
        handoff.finish(whole: true)
        #expect(!handoff.isWhole, "a chunk was dropped: the answer is not whole")
    }

    @Test(.timeLimit(.minutes(10))) func aWriterThatGoesAwayStopsTheWaiting() async {
        let handoff = ChunkHandoff(patience: .seconds(3600))
        let outcome = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handoff.put([1])) }
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.1)
                handoff.abandon()
            }
        }
        #expect(!outcome)
    }
}
