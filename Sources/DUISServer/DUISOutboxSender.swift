import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends the outbox's responses to the User's Receive Response Service, oldest first, each
/// removed only once the User's endpoint has answered 2xx. When the endpoint is down it waits
/// and tries again, doubling the wait up to a minute; a new response wakes it at once.
///
/// It never follows a redirect: a signed device response goes to the address the operator
/// gave and nowhere else, so a 3xx is a failed delivery, tried again like any other.
public final class DUISOutboxSender: Sendable {
    let outbox: DUISOutbox
    let destination: URL
    let log: @Sendable (DUISLogEntry) -> Void
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// A sender from `outbox` to `destination`.
    public init(outbox: DUISOutbox, destination: URL, log: @escaping @Sendable (DUISLogEntry) -> Void = { _ in }) {
        self.outbox = outbox
        self.destination = destination
        self.log = log
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the sender there is something new.
    public func wake() {
        wakeUp.yield()
    }

    /// Sends until cancelled.
    public func run() async {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        var wait: Duration = .milliseconds(250)
        var wakes = wakeUps.makeAsyncIterator()
        while !Task.isCancelled {
            var failed = false
            for entry in (try? outbox.pending()) ?? [] {
                if await deliver(entry, with: client) {
                    outbox.remove(entry)
                    wait = .milliseconds(250)
                } else {
                    failed = true
                    break
                }
            }
            if failed {
                try? await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(60))
            } else {
                _ = await wakes.next()
            }
        }
        try? await client.shutdown()
    }

    private func note(_ text: String) {
        log(DUISLogEntry(time: Date(), note: text))
    }

    private func deliver(_ entry: DUISOutbox.Entry, with client: HTTPClient) async -> Bool {
        var request = HTTPClientRequest(url: destination.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml")
        request.body = .bytes(ByteBuffer(bytes: entry.document))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 1 << 16)
            guard (200..<300).contains(Int(response.status.code)) else {
                note("the response address answered \(response.status.code); keeping \(URL(fileURLWithPath: entry.path).lastPathComponent) to try again")
                return false
            }
            return true
        } catch {
            if !(error is CancellationError) {
                note("the response address could not be reached (\(error)); keeping \(URL(fileURLWithPath: entry.path).lastPathComponent) to try again")
            }
            return false
        }
    }
}
