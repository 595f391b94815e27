import AnchorStore
import Foundation
import Synchronization

extension DUISService {
    /// Bytes of JSON Lines an audit export hands over at a time.
    public static let auditExportChunk = 64 << 10

    /// How many audit exports run at once; one more is refused (503) until one ends.
    static let auditExportsAtOnce = 2
    private static let auditExportsRunning = Atomic<Int>(0)

    /// `anchordesk audit export` for an operator: the store opened read-only as the audit check
    /// opens it, then its trail written into `handoff` a chunk at a time, on a thread of its own
    /// (a caller that reads slowly holds no report up). The answer comes once the store is open (a
    /// store that cannot be used is a refusal, not a cut-short body); at most
    /// ``auditExportsAtOnce`` run at once.
    func startAuditExport(into handoff: ChunkHandoff) async -> Result<Void, OperatorFailure> {
        guard Self.auditExportsRunning.add(1, ordering: .acquiringAndReleasing).newValue <= Self.auditExportsAtOnce else {
            Self.auditExportsRunning.subtract(1, ordering: .acquiringAndReleasing)
            handoff.finish(whole: false)
            return .failure(.unavailable("\(Self.auditExportsAtOnce) audit exports are running at the DSP; try again once one has finished"))
        }
        let store = configuration.service.store
        let opened = OnceAnswer()
        return await withCheckedContinuation { continuation in
            opened.set(continuation)
            Thread.detachNewThread {
                defer { Self.auditExportsRunning.subtract(1, ordering: .acquiringAndReleasing) }
                var whole = false
                do {
                    try store.withStoreFiles { directory in
                        let trail = try Store.open(at: directory, access: .readOnly)
                        defer { trail.close() }
                        opened.answer(.success(()))
                        var chunk: [UInt8] = []
                        chunk.reserveCapacity(Self.auditExportChunk + 4096)
                        var going = true
                        trail.exportAuditTrail { line in
                            guard going else { return }
                            chunk += line.utf8
                            chunk.append(UInt8(ascii: "\n"))
                            if chunk.count >= Self.auditExportChunk {
                                going = handoff.put(chunk)
                                chunk.removeAll(keepingCapacity: true)
                            }
                        }
                        if going, !chunk.isEmpty { going = handoff.put(chunk) }
                        whole = going
                    }
                } catch {
                    opened.answer(.failure(.unavailable("the DSP could not read the audit trail: \(error)")))
                }
                handoff.finish(whole: whole)
            }
        }
    }
}

/// The first of the answers given is the one the waiting call takes.
private final class OnceAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<Void, OperatorFailure>, Never>?

    func set(_ continuation: CheckedContinuation<Result<Void, OperatorFailure>, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func answer(_ result: Result<Void, OperatorFailure>) {
        lock.withLock {
            continuation?.resume(returning: result)
            continuation = nil
        }
    }
}
