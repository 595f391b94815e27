import Foundation
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct StoreLockTests {
    @Test func acquireRecordsPidInLockFile() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let lock = try StoreLock.acquire(directory: dir.path, timeout: .seconds(1))
        defer { lock.release() }
        #expect(lock.isHeld)
        #expect(try AtomicFile.read(path: dir.file("lock")) == Array("pid \(getpid())\n".utf8))
        #expect(fileLayerPermissionBits(dir.file("lock")) == 0o600)
    }

    @Test func secondAcquireTimesOutWithHolderPid() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let first = try StoreLock.acquire(directory: dir.path, timeout: .seconds(1))
        defer { first.release() }

        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: StoreError.self) {
            try StoreLock.acquire(directory: dir.path, timeout: .milliseconds(150), pollInterval: .milliseconds(10))
        }
        let elapsed = start.duration(to: clock.now)
        #expect(error?.code == .locked)
        #expect(error?.message.contains("locked by process \(getpid())") == true)
        #expect(elapsed >= .milliseconds(150))
        #expect(elapsed < .seconds(5))
        #expect(first.isHeld)
    }

    @Test func releaseThenAcquireSucceeds() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let first = try StoreLock.acquire(directory: dir.path, timeout: .zero)
        first.release()
        first.release()  // idempotent
        #expect(!first.isHeld)
        let second = try StoreLock.acquire(directory: dir.path, timeout: .zero)
        #expect(second.isHeld)
        second.release()
    }

    @Test func waitingAcquireSucceedsWhenHolderReleases() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let first = try StoreLock.acquire(directory: dir.path, timeout: .zero)
        let path = dir.path
        // A real thread, not a task: the waiter blocks while it polls, and must not starve the
        // cooperative pool that the rest of the suite runs on.
        let outcome = LockedBox<Bool?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let held = (try? StoreLock.acquire(directory: path, timeout: .seconds(30), pollInterval: .milliseconds(5))).map { lock in
                defer { lock.release() }
                return lock.isHeld
            }
            outcome.set(held ?? false)
            finished.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(outcome.get() == nil, "the waiter must wait while the lock is held")
        first.release()
        finished.wait()
        #expect(outcome.get() == true)
    }

    @Test func missingDirectoryIsNotFound() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let error = #expect(throws: StoreError.self) {
            try StoreLock.acquire(directory: dir.file("missing"), timeout: .zero)
        }
        #expect(error?.code == .notFound)
    }
}

/// A value shared between a test and the thread it starts.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }

    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
