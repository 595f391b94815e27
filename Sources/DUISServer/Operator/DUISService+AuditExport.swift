import AnchorStore
import Foundation

extension DUISService {
    /// Bytes of JSON Lines an audit export hands over at a time.
    public static let auditExportChunk = 64 << 10

    /// `anchordesk audit export` for an operator: the store opened on the reports' thread as the
    /// audit check opens it, then its trail written into `handoff` a chunk at a time. The answer
    /// comes once the store is open (a store that cannot be used is a refusal, not a cut-short
    /// body); the export goes on on the reports' thread, one at a time with the reports.
    func startAuditExport(into handoff: ChunkHandoff) async -> Result<Void, OperatorFailure> {
        let store = configuration.service.store
        let opened = OnceAnswer()
        return await withCheckedContinuation { continuation in
            opened.set(continuation)
            Self.reportsQueue.async {
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
                        if going, !chunk.isEmpty { handoff.put(chunk) }
                    }
                } catch {
                    opened.answer(.failure(.unavailable("the DSP could not read the audit trail: \(error)")))
                }
                handoff.finish()
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
