import AnchorCore
import AnchorPostgres
import AnchorStore
import ArgumentParser
import Crypto
import Foundation
import SMKI

/// `anchordesk init --demo`: creates the store from the bundled demo data.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the store from the bundled demo data, or a synthetic estate of N GPFs.",
        discussion: "--estate uses the demo's organisations and certificates and a deterministic device mix (same N and seed, same estate). "
            + "--demo and --estate also write the operator API's demo TLS files and grants (operator-tls/, operators/) and print their paths.")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Load the demo data built into anchordesk (the National Grid → Cadent story; $ANCHORDESK_DEMO_DATA names another folder).")
    var demo = false

    @Option(help: "Load this folder of demo-style JSON instead of the bundled one.")
    var from: String?

    @Option(parsing: .unconditional, help: "Create a synthetic estate of this many GPFs instead.")
    var estate: Int?

    @Option(help: "The synthetic estate's seed.")
    var seed: UInt64 = 1

    @Flag(help: "Replace a store that already exists.")
    var force = false

    func run() throws {
        let lockTimeout = try CommonOptions.lockTimeout()
        guard [demo, from != nil, estate != nil].filter({ $0 }).count == 1 else {
            throw CLIFailure.badInput("say what to load: one of --demo, --from FOLDER or --estate N")
        }
        if let estate, !(1...50_000_000).contains(estate) {
            throw CLIFailure.badInput("--estate takes a number of GPFs from 1 to 50000000")
        }
        let source = from.map(DemoData.Source.folder) ?? DemoData.Source.bundled(environment: ProcessInfo.processInfo.environment)
        let backend = try options.backend()
        let directory = backend.directory
        do {
            let now = try options.now()
            var contents = try DemoData.load(source, now: now)
            if let estate {
                contents = try SyntheticEstate.generate(over: contents.ledger, count: estate, seed: seed)
            }
            let userKeys = from == nil
                ? UserKeyDirectory(path: ProcessInfo.processInfo.environment["ANCHORDESK_KEYS"] ?? directory + "/" + UserKeyDirectory.demoFolderName)
                : nil
            let keptKeys = try userKeys.map { folder throws(CLIFailure) in try Self.demoKeys(in: folder, for: contents.ledger) } ?? [:]
            try backend.create(with: contents, replacingExisting: force)
            let vault = CredentialVault(storeDirectory: directory)
            if let userKeys { try vault.recordDemoUserKeys(userKeys) } else { try vault.forgetDemoUserKeys() }
            let validFrom = Date(timeIntervalSince1970: TimeInterval(now.secondsSince1970))
            try vault.forgetXMLSigning()
            try vault.save(try CredentialMaterial.generate(for: contents.ledger, validFrom: validFrom, keeping: keptKeys), ledger: contents.ledger)
            if contents.ledger.soleOrganisation(withRole: .acb) != nil {
                _ = try vault.xmlSigningCredentials(for: contents.ledger, validFrom: validFrom)
            }
            if let postgres = backend as? PostgresStore { try postgres.publishCertificates(lockTimeout: lockTimeout) }
            // TLS peers check certificates against their system clocks, not $ANCHORDESK_NOW: these
            // start an hour before the real now (a little clock skew) and run a year from it.
            let operatorTLS = from == nil
                ? try DemoOperatorTLS.write(for: contents.ledger, in: directory, validFrom: Date().addingTimeInterval(-3600)) : nil
            let described = estate == nil ? source.description : "a synthetic estate (seed \(seed)) over \(source)"
            options.emit(.object([
                ("store", .string(backend.shown)),
                ("devices", .integer(contents.devices.count)),
                ("organisations", .integer(contents.ledger.organisations.count)),
                ("demoUserKeys", .optional((try? vault.demoUserKeys())?.map(\.path))),
                ("operatorTLS", operatorTLS.map(Self.document) ?? .null),
            ]), human: {
                ["created \(backend.shown) from \(described): \(contents.devices.count) devices, \(contents.ledger.organisations.count) organisations"]
                    + ((try? vault.demoUserKeys())?.map { ["demo Users' private keys (DEMO KEYS, not for real use): \($0.path)"] } ?? [
                        "no User's private key is kept: act --as a User with --keys DIR or $ANCHORDESK_KEYS",
                    ])
                    + (operatorTLS.map(Self.lines) ?? [])
            })
        } catch let error as StoreError {
            throw CLIFailure(error)
        } catch let error as RequestError {
            throw CLIFailure(error)
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure(exitCode: .internalError, code: "smki", message: "could not make the demo SMKI credentials: \(error)")
        }
    }

    /// The demo operator API's TLS files, for `--json`.
    private static func document(_ paths: DemoOperatorTLS.Paths) -> JSONValue {
        .object([
            ("serverCertificate", .string(paths.serverCertificate)), ("serverKey", .string(paths.serverKey)),
            ("operatorCA", .string(paths.authorityCertificate)), ("operatorCAKey", .string(paths.authorityKey)),
            ("grants", .string(paths.grants)), ("operators", .string(paths.operators)),
        ])
    }

    /// The demo operator API's TLS files, one line each.
    private static func lines(_ paths: DemoOperatorTLS.Paths) -> [String] {
        let hosts = DemoOperatorTLS.serverHosts.joined(separator: ", ")
        return [
            "demo DSP's TLS server certificate and key for \(hosts) (DEMO KEYS, not for real use): \(paths.serverCertificate) \(paths.serverKey)",
            "demo operator CA, which issued every operator certificate (DEMO KEYS, not for real use): \(paths.authorityCertificate) \(paths.authorityKey)",
            "demo operator grants, by certificate subject (DEMO): \(paths.grants)",
            "demo operators' client certificates and keys, one per User organisation and \(DemoOperatorTLS.dccOperatorName) "
                + "(DEMO KEYS, not for real use): \(paths.operators)",
        ]
    }

    /// The demo keys a key folder already holds, which the new store signs with and certifies
    /// (a key in a key folder is never replaced: other stores sign with it). Refused, naming the
    /// file, before anything is made: a key in a folder not labelled as demo keys, or a key that
    /// cannot be used.
    private static func demoKeys(in folder: UserKeyDirectory, for ledger: Ledger) throws(CLIFailure) -> [String: P256.Signing.PrivateKey] {
        if let foreign = folder.foreignKeyFile {
            throw CLIFailure.badInput(
                "\(Presentation.safe(foreign)): \(Presentation.safe(folder.path)) holds keys and is not a demo key folder "
                    + "(no \(UserKeyDirectory.labelName)): demo keys never go among real ones; nothing was created",
                code: "not-a-demo-key-folder")
        }
        do {
            return try folder.keys(for: ledger)
        } catch where error.code == .corrupt || error.code == .untrusted {
            throw CLIFailure.badInput(error.description + "; a demo key already in the folder is used, never replaced: nothing was created",
                                      code: "unusable-demo-key")
        } catch {
            throw CLIFailure(error)
        }
    }
}
