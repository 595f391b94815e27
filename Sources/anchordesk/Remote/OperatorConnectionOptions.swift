import AnchorStore
import ArgumentParser
import Foundation
import OperatorClient

/// How the CLI reaches a DSP's operator API (`--store https://HOST:PORT`): the operator's client
/// certificate and key, and the CA that issued the DSP's server certificate. Each option falls
/// back to its environment variable, then to the DSP's entry in the config file (``OperatorConfigFile``).
struct OperatorConnectionOptions: ParsableArguments {
    @Option(name: .customLong("client-cert"), help: "With --store https://…: the operator's TLS client certificate, PEM (default $ANCHORDESK_CLIENT_CERT).")
    var certificate: String?

    @Option(name: .customLong("client-key"), help: "Its private key, PEM, readable only by its owner (default $ANCHORDESK_CLIENT_KEY).")
    var key: String?

    @Option(name: .customLong("ca"), help: "The CA that issued the DSP's server certificate, PEM (default $ANCHORDESK_CA).")
    var authority: String?

    /// Whether a store text names a DSP's operator API rather than a directory or a database.
    static func isOperatorAPI(_ store: String) -> Bool {
        store.lowercased().hasPrefix("https://")
    }

    /// A connection to the DSP at `address` with these files.
    /// - Throws: exit 2 for a file that is missing or not PEM, or an address that is not
    ///   `https://HOST:PORT`; exit 3 for a key others may read.
    func connect(to address: String) throws(CLIFailure) -> OperatorConnection {
        let environment = ProcessInfo.processInfo.environment
        let configured = try OperatorConfigFile.entry(for: address, environment: environment)
        func path(_ given: String?, _ variable: String, _ fromFile: String?, _ option: String) throws(CLIFailure) -> String {
            guard let path = [given, environment[variable], fromFile].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
                throw CLIFailure.badInput("--store https://… needs \(option) FILE (or $\(variable), or the DSP's entry in the config file)",
                                          code: "no-client-certificate")
            }
            return path
        }
        let certificatePath = try path(certificate, "ANCHORDESK_CLIENT_CERT", configured?.clientCert, "--client-cert")
        let keyPath = try path(key, "ANCHORDESK_CLIENT_KEY", configured?.clientKey, "--client-key")
        let authorityPath = try path(authority, "ANCHORDESK_CA", configured?.ca, "--ca")
        let keyBytes: [UInt8]?
        do {
            keyBytes = try PrivateKeyFile.read(keyPath, followingLinks: true)
        } catch {
            throw CLIFailure(error)
        }
        guard let keyBytes else { throw CLIFailure.badInput("\(Presentation.safe(keyPath)): no such file (--client-key)", code: "unreadable-file") }
        let certificateBytes = try Self.read(certificatePath, "--client-cert")
        let authorityBytes = try Self.read(authorityPath, "--ca")
        do {
            return try OperatorConnection(address: address, certificate: certificateBytes, key: keyBytes, authority: authorityBytes)
        } catch {
            throw CLIFailure.badInput(Presentation.safe(error.description), code: "bad-operator-settings")
        }
    }

    private static func read(_ path: String, _ option: String) throws(CLIFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.badInput("\(Presentation.safe(path)): cannot be read (\(option))", code: "unreadable-file")
        }
        return Array(data)
    }
}
