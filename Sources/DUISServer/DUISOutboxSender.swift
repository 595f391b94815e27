import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends the outbox's responses to the User's Receive Response Service, oldest first, each
/// removed only once the User's endpoint has answered 2xx. When the endpoint is down it waits
/// and tries again, doubling the wait up to a minute; a new response wakes it at once. It says
/// once when delivery stops (``DUISDeliveryChange/stopped(waiting:why:)``) and once when it
/// starts again, however many responses pile up and however many tries it takes meanwhile.
///
/// It never follows a redirect: a signed device response goes to the address the operator
/// gave and nowhere else, so a 3xx is a failed delivery, tried again like any other.
public final class DUISOutboxSender: Sendable {
    let outbox: DUISOutbox
    let destination: URL
    let log: @Sendable (DUISLogEntry) -> Void
    let deliveryChanged: @Sendable (DUISDeliveryChange) -> Void
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// A sender from `outbox` to `destination`.
    /// - Parameter deliveryChanged: told when delivery stops and when it starts again.
    public init(outbox: DUISOutbox, destination: URL, log: @escaping @Sendable (DUISLogEntry) -> Void = { _ in },
                deliveryChanged: @escaping @Sendable (DUISDeliveryChange) -> Void = { _ in }) {
        self.outbox = outbox
        self.destination = destination
        self.log = log
        self.deliveryChanged = deliveryChanged
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
        var outage = false
        while !Task.isCancelled {
            var failed = false
            for entry in (try? outbox.pending()) ?? [] {
                if let why = await deliver(entry, with: client) {
                    if !outage, !Task.isCancelled {
                        outage = true
                        deliveryChanged(.stopped(waiting: outbox.count(), why: why))
                    }
                    failed = true
                    break
                }
                if outage {
                    outage = false
                    deliveryChanged(.resumed(waited: outbox.count()))
                }
                outbox.remove(entry)
                wait = .milliseconds(250)
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

    /// A response address as people are shown it: no user name, password, query or fragment,
    /// where a credential could be.
    public static func shown(_ destination: URL) -> String {
        guard var parts = URLComponents(url: destination, resolvingAgainstBaseURL: false) else { return "the response address" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "the response address"
    }

    /// Posts one response.
    /// - Returns: `nil` once the endpoint has taken it, else why not (in words that name no credential).
    private func deliver(_ entry: DUISOutbox.Entry, with client: HTTPClient) async -> String? {
        var request = HTTPClientRequest(url: destination.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml")
        request.body = .bytes(ByteBuffer(bytes: entry.document))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 1 << 16)
            guard (200..<300).contains(Int(response.status.code)) else {
                note("the response address answered \(response.status.code); keeping \(URL(fileURLWithPath: entry.path).lastPathComponent) to try again")
                return "it answered HTTP \(response.status.code)"
            }
            return nil
        } catch {
            if !(error is CancellationError) {
                note("the response address could not be reached (\(error)); keeping \(URL(fileURLWithPath: entry.path).lastPathComponent) to try again")
            }
            return "it could not be reached"
        }
    }
}

/// A change in whether device responses reach the User's Receive Response Service.
public enum DUISDeliveryChange: Sendable, Equatable {
    /// A delivery failed after the last one succeeded (or at the first try): `waiting`
    /// responses are in the outbox, kept until the address takes them.
    case stopped(waiting: Int, why: String)
    /// A delivery succeeded after an outage; `waited` responses were in the outbox then, the
    /// one just delivered among them.
    case resumed(waited: Int)
}
