import AnchorStore
import ArgumentParser
import DUISServer
import Foundation

/// `anchordesk serve`: the DUIS endpoints DCC Boxed's clients call, over the console's store.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer DUIS over HTTP as DCC Boxed does: /api/v1/serviceT (CV4), /api/v1/serviceS (CV1, CV5), /api/v1/serviceD.",
        discussion: """
            Requests must be signed with a User's XML-signing certificate (OU=87) from the store's SMKI \
            Repository; responses are signed with the DSP's (OU=89). Device responses are POSTed to \
            --respond-to, kept in <store>/duis-outbox until the address takes them. Each request is one \
            line on standard output. Ctrl-C stops the server.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "The address and port to listen on.")
    var listen = "127.0.0.1:8079"

    @Option(name: .customLong("respond-to"), help: "The User's Receive Response Service URL (e.g. http://127.0.0.1:1880/smartdcc/duis).")
    var respondTo: String?

    @Flag(name: .customLong("legacy-counters"), help: "Generate SRV6.21 counters as before SECMP0128A (shows the device's refusal).")
    var legacyCounters = false

    func run() throws {
        let (host, port) = try Self.address(listen)
        var destination: URL?
        if let respondTo {
            guard let url = URL(string: respondTo), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw CLIFailure.badInput("--respond-to '\(Presentation.safe(respondTo))' is not an http:// or https:// URL", code: "bad-url")
            }
            destination = url
        }
        try prepareCredentials()
        let seconds = ProcessInfo.processInfo.environment["ANCHORDESK_LOCK_TIMEOUT"].flatMap(Double.init) ?? 5
        let server = DUISHTTPServer(
            configuration: DUISServiceConfiguration(
                storeDirectory: options.storeDirectory, legacyCounters: legacyCounters, respondTo: destination,
                lockTimeout: .milliseconds(Int(seconds * 1000)), clock: ServeCommand.clock()),
            host: host, port: port, log: { Console.out($0) })
        if destination == nil {
            Console.warn("no --respond-to: device responses wait in \(Presentation.safe(options.storeDirectory))/duis-outbox")
        }
        let finished = AsyncOutcome()
        Task {
            do {
                try await server.run { port in Console.note("serving DUIS on http://\(host):\(port)") }
                finished.finish(nil)
            } catch {
                finished.finish("the server stopped: \(error)")
            }
        }
        if let failure = finished.wait() { throw CLIFailure(exitCode: .storeUnusable, code: "serve-failed", message: failure) }
    }

    /// Makes the store's SMKI material and XML-signing certificates now, so a User can sign
    /// (`anchordesk duis request`) before the first request arrives.
    private func prepareCredentials() throws(CLIFailure) {
        let store = try options.openForWriting()
        defer { store.close() }
        let validFrom = Date(timeIntervalSince1970: TimeInterval(try options.now().secondsSince1970))
        _ = try Credentials.load(options, ledger: store.estate.ledger, now: try options.now())
        do {
            _ = try CredentialVault(storeDirectory: options.storeDirectory).xmlSigningCredentials(for: store.estate.ledger, validFrom: validFrom)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// `HOST:PORT` (IPv4 or a name; the port 0 to 65535).
    static func address(_ text: String) throws(CLIFailure) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
              colon != text.startIndex
        else { throw CLIFailure.badInput("--listen '\(Presentation.safe(text))' is not HOST:PORT", code: "bad-address") }
        return (String(text[..<colon]), port)
    }

    /// `$ANCHORDESK_NOW` when set (reproducible demos and tests), else the system clock.
    static func clock() -> @Sendable () -> Date {
        if let fixed = ProcessInfo.processInfo.environment["ANCHORDESK_NOW"], let date = ISO8601DateFormatter().date(from: fixed) {
            return { date }
        }
        return { Date() }
    }
}

/// A result handed from a task to the thread waiting for it.
final class AsyncOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: String?

    func finish(_ failure: String?) {
        lock.withLock { self.failure = failure }
        done.signal()
    }

    func wait() -> String? {
        done.wait()
        return lock.withLock { failure }
    }
}
