import Foundation

/// Runs async work to completion from synchronous code (the CLI, the console's worker thread,
/// the DUIS server's queue), none of which runs on Swift's cooperative pool.
public enum Blocking {
    private final class Outcome<Value: Sendable>: @unchecked Sendable {
        var result: Result<Value, any Error>?
    }

    /// The work did not finish in time (its task is left to end on its own).
    public struct TimedOut: Error {}

    /// Waits for `work`, at most `timeout`.
    public static func run<Value: Sendable>(timeout: Duration = .seconds(600), _ work: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Outcome<Value>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.result = .success(try await work()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        let (seconds, attoseconds) = timeout.components
        guard done.wait(timeout: .now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))) == .success else {
            throw TimedOut()
        }
        return try outcome.result!.get()
    }
}
