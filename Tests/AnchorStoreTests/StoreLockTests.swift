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

    @Test func waitingAcquireSucceedsWhenHolderReleases() async throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let first = try StoreLock.acquire(directory: dir.path, timeout: .zero)
        let path = dir.path
        let waiter = Task.detached { () throws -> Bool in
            let lock = try StoreLock.acquire(directory: path, timeout: .seconds(10), pollInterval: .milliseconds(5))
            defer { lock.release() }
            return lock.isHeld
        }
        try await Task.sleep(for: .milliseconds(100))
        first.release()
        #expect(try await waiter.value)
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
