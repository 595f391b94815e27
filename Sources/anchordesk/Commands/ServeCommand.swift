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

    @Flag(name: .customLong("hold-store"),
          help: "Keep the store open for writing until the server stops, rather than letting it go 500 ms after the last request (other writers on it wait, then fail).")
    var holdStore = false

    @OptionGroup var operatorAPI: OperatorAPIOptions

    func run() throws {
        let (host, port) = try Self.address(listen, option: "--listen")
        let operatorConfiguration = try operatorAPI.configuration(storeDirectory: options.storeDirectory)
        var destination: URL?
        if let respondTo {
            guard let url = URL(string: respondTo), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  (url.port ?? 80) > 0, (url.port ?? 80) <= 65535
            else {
                throw CLIFailure.badInput("--respond-to \(Self.refusedAddress(respondTo)) is not an http:// or https:// URL", code: "bad-url")
            }
            destination = url
        }
        try prepareCredentials()
        let lockTimeout = try CommonOptions.lockTimeout(defaultSeconds: 5)
        let server = DUISHTTPServer(
            configuration: DUISServiceConfiguration(
                storeDirectory: options.storeDirectory, estateStore: CommonOptions.estateStore(for: try options.backend()),
                legacyCounters: legacyCounters, respondTo: destination,
                lockTimeout: lockTimeout, keyToken: try CommonOptions.keyToken(), clock: try options.clock(), holdsStore: holdStore),
            host: host, port: port, operatorAPI: operatorConfiguration, log: { [json = options.json] entry in Console.out(json ? ServeCommand.json(entry) : entry.line) },
            deliveryChanged: { [outbox = DUISOutbox(storeDirectory: options.storeDirectory).path, shown = destination.map(DUISOutboxSender.shown)] change in
                ServeCommand.report(change, destination: shown ?? "", outbox: outbox)
            })
        let finished = AsyncOutcome()
        let shown = host.contains(":") ? "[\(host)]" : host
        Task {
            do {
                try await server.run(onListening: { [store = options.storeDirectory, destination] port in
                    Console.note("serving DUIS on http://\(shown):\(port)")
                    if destination == nil { Console.warn("no --respond-to: device responses wait in \(Presentation.safe(store))/duis-outbox") }
                }, onOperatorListening: { [operatorHost = operatorConfiguration?.host] port in
                    let host = operatorHost.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
                    Console.note("serving the operator API on https://\(Presentation.safe(host)):\(port) (client certificates required)")
                })
                finished.finish(nil)
            } catch let error as DUISServerError {
                finished.finish(error)

            } catch {
                finished.finish(DUISServerError.cannotListen("\(shown):\(port)", "\(error)"))
            }
        }
        switch finished.wait() {
        case nil: return
        case .cannotListen(let address, let why)?:
            throw CLIFailure.badInput("cannot listen on \(Presentation.safe(address)): \(Presentation.safe(why))", code: "bad-address")
        case .unusableTLS(let why)?:
            throw CLIFailure.badInput(Presentation.safe(why), code: "bad-tls-file")
        case let failure?:
            throw CLIFailure(exitCode: .storeUnusable, code: "already-serving", message: failure.description)
        }
    }

    /// Makes the store's SMKI material and XML-signing certificates now, so a User can sign
    /// (`anchordesk duis request`) before the first request arrives.
    private func prepareCredentials() throws(CLIFailure) {
        // The server runs on: this session is freed when it closes, not left for the exit.
        let session = try options.openSession(freedAtExit: false)
        defer { session.close() }
        let validFrom = Date(timeIntervalSince1970: TimeInterval(session.now().secondsSince1970))
        do {
            _ = try session.credentials()
        } catch {
            throw CLIFailure(error)
        }
        do {
            _ = try CredentialVault(storeDirectory: options.storeDirectory).xmlSigningCredentials(for: session.estate.ledger, validFrom: validFrom)
        } catch {
            throw CLIFailure(error)
        }
    }

    /// A `--respond-to` value that was refused, as the error shows it: without a user name,
    /// password, query or fragment (``DUISOutboxSender/shown(_:)``), where a credential could be;
    /// a value that does not even parse as a URL is shown only when it holds no `@` or `?`.
    static func refusedAddress(_ text: String) -> String {
        if let url = URL(string: text) { return "'\(Presentation.safe(DUISOutboxSender.shown(url)))'" }
        return text.contains(where: { "@?#".contains($0) }) ? "(as given)" : "'\(Presentation.safe(text))'"
    }

    /// Says on stderr that device responses stopped reaching the response address (once an
    /// outage) or reach it again.
    static func report(_ change: DUISDeliveryChange, destination: String, outbox: String) {
        switch change {
        case .stopped(let waiting, let why):
            let responses = waiting == 1 ? "1 response waits" : "\(waiting) responses wait"
            Console.warn("device responses are not being delivered: \(destination) \(why); \(responses) in \(outbox), tried again until it answers")
        case .resumed(let waited):
            Console.note("device responses are delivered again: \(destination) answered; sending the \(waited) that waited")
        }
    }

    /// A log entry as one JSON line (`--json`).
    static func json(_ entry: DUISLogEntry) -> String {
        var members: [(String, JSONValue)] = [("time", .string(ISO8601DateFormatter().string(from: entry.time)))]
        if let subject = entry.operatorSubject { members.append(("operator", .string(Presentation.safe(subject)))) }
        if let endpoint = entry.endpoint { members.append(("endpoint", .string(endpoint))) }
        if let requestID = entry.requestID { members.append(("requestId", .string(requestID))) }
        if let code = entry.code { members.append(("code", .string(code))) }
        members.append(("note", .string(entry.note)))
        return JSONValue.object(members).compact()
    }

    /// `HOST:PORT`: an IPv4 address or a name, or an IPv6 address in brackets (`[::1]:8079`); the port 0 to 65535.
    static func address(_ text: String, option: String) throws(CLIFailure) -> (String, Int) {
        let refused = CLIFailure.badInput(
            "\(option) '\(Presentation.safe(text))' is not HOST:PORT (an IPv6 address goes in brackets: [::1]:8079)", code: "bad-address")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw refused
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard host.contains(":") else { throw refused }
        } else if host.contains(":") || host.contains("/") {
            throw refused
        }
        guard !host.isEmpty else { throw refused }
        return (host, port)
    }
}

/// How the server task ended, handed to the thread waiting for it.
final class AsyncOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: DUISServerError?

    func finish(_ failure: DUISServerError?) {
        lock.withLock { self.failure = failure }
        done.signal()
    }

    func wait() -> DUISServerError? {
        done.wait()
        return lock.withLock { failure }
    }
}
