import AnchorCore
import AnchorService
import AnchorStore
import AnchorTUI
import ArgumentParser
import Foundation
import TerminalBackend

/// `anchordesk` / `anchordesk tui`: the operations console.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the operations console (the default when no subcommand is given).",
        discussion: "Browses the store read-only; each request opens it for writing just long enough to commit. "
            + "Creates the store from the built-in demo data on first run. Click selects a row, double click opens it, "
            + "the wheel scrolls. Press ? in the console for every key.")

    @Option(help: "The store: a directory, postgresql://LOGIN@HOST[:PORT]/DATABASE, or a DSP's operator API https://HOST:PORT (default: $ANCHORDESK_STORE, else $XDG_DATA_HOME/anchordesk).")
    var store: String?

    @Flag(name: .customLong("read-only"), help: "Browse only: every action that would write is disabled.")
    var readOnly = false

    @Flag(name: .customLong("legacy-counters"), help: "Start with legacy counters on for SRV6.21 (shows the failure the change prevents).")
    var legacyCounters = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal's text selection (in the console: :mouse on|off).")
    var noMouse = false

    @OptionGroup var keys: KeyOptions

    @OptionGroup var operatorConnection: OperatorConnectionOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let storeText = StoreLocation.resolve(option: store, environment: environment)
        let clock: ServiceClock
        do {
            clock = try ServiceClock.from(environment: environment)
        } catch {
            throw CLIFailure(error)
        }
        if OperatorConnectionOptions.isOperatorAPI(storeText) {
            let connection = try operatorConnection.connect(to: storeText)
            return try open(RemoteStoreService(connection: connection, userKeys: keys.directory, readOnly: readOnly),
                            shown: storeText, now: clock.now, environment: environment)
        }
        let backend = try CommonOptions.backend(named: storeText)
        let lockTimeout = try CommonOptions.lockTimeout()
        let workers = try CommonOptions.workers(environment: environment)
        let pageAbove = environment["ANCHORDESK_PAGE_ABOVE"] ?? ""
        guard pageAbove.isEmpty || Int(pageAbove).map({ $0 >= 0 }) == true else {
            throw CLIFailure.badInput("ANCHORDESK_PAGE_ABOVE '\(DisplaySafeText.sanitize(pageAbove))' is not a number of devices")
        }
        // A PostgreSQL store is created with 'anchordesk init', never from the console's first run.
        let demoData = backend is DirectoryStore ? DemoData.Source.bundled(environment: environment) : nil
        let service = DiskStoreService(directory: backend.directory, readOnly: readOnly, demoData: demoData,
                                       lockTimeout: lockTimeout, workers: workers, userKeys: keys.directory, keyToken: try CommonOptions.keyToken(),
                                       backend: backend, estateStore: CommonOptions.estateStore(for: backend), pageAbove: Int(pageAbove) ?? DiskStoreService.pageAboveDefault, clock: clock)
        try open(service, shown: backend.shown, now: clock.now, environment: environment)
    }

    /// Runs the console on `service` until the operator quits.
    private func open(_ service: some StoreService, shown: String, now: @escaping () -> Timestamp, environment: [String: String]) throws {
        let final: AppState
        do {
            final = try NCursesTerminal.withTerminal(environment: environment) { terminal in
                var state = AppState(storePath: shown, readOnly: readOnly, appearance: terminal.appearance)
                state.legacyCounters = legacyCounters
                state.mouseEnabled = !noMouse
                return Runtime.run(state, terminal: &terminal, store: service, now: now)
            }
        } catch let error as NCursesTerminal.StartError {
            throw CLIFailure.badInput(error.description, code: "no-terminal")
        }
        if let reason = final.loadError {
            throw CLIFailure(exitCode: .storeUnusable, code: "store-unusable", message: reason)
        }
    }
}
