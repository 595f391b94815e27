import AnchorStore
import DUIS
import DUISServer
import Foundation
import OperatorClient
import SMKI
import Testing

/// `serve` in-process with its operator API on a free loopback port, and TLS material made for
/// the test: an operator CA, the DSP's server certificate, and operators' client certificates.
final class OperatorHarness: Sendable {
    let store: DemoStore
    let operatorPort: Int
    let duisPort: Int
    let authority: TLSAuthority
    let folder: String
    let lines = LogLines()
    private let task: Task<Void, any Error>

    /// The grants: each of these organisations has an operator `CN=<org>,O=Operators`.
    static let operators = ["national-grid", "cadent", "heron-energy"]

    /// - Parameters:
    ///   - holdsStore: whether `serve` holds its store (`--hold-store`).
    ///   - extraGrants: grants beside ``operators``' (for subjects a test makes itself).
    ///   - connectionLimits: the server's, if not its standard ones.
    ///   - bulkDevices: the most devices a bulk run through the API may select, if not the standard bound.
    init(
        store: DemoStore, holdsStore: Bool = false, extraGrants: [OperatorGrants.Grant] = [], connectionLimits: ConnectionLimits? = nil,
        bulkDevices: Int? = nil
    ) async throws {
        self.store = store
        let folder = store.directory + "-operator-tls"
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let now = Date()
        let authority = try TLSAuthority.generate(commonName: "Test operator CA", validFrom: now - 3600, validUntil: now + 86_400)
        self.authority = authority
        let server = try authority.serverCredential(hosts: ["127.0.0.1"], validFrom: now - 3600, validUntil: now + 86_400)
        try Self.write(server, as: "server", in: folder)
        try Data(authority.certificatePEM.utf8).write(to: URL(fileURLWithPath: folder + "/ca.pem"))
        let grants = OperatorGrants(operators: try Self.operators.map { organisation in
            let credential = try authority.clientCredential(commonName: organisation, organisationName: "Operators", validFrom: now - 3600,
                                                            validUntil: now + 86_400)
            try Self.write(credential, as: organisation, in: folder)
            return OperatorGrants.Grant(subject: try TLSAuthority.subject(ofCertificatePEM: credential.certificatePEM), organisations: [organisation])
        } + extraGrants)
        let lines = self.lines
        let configuration = OperatorAPIConfiguration(
            host: "127.0.0.1", port: 0, certificatePath: folder + "/server.pem", keyPath: folder + "/server.key",
            clientCAPath: folder + "/ca.pem", grants: grants)
        var service = DUISServiceConfiguration(storeDirectory: store.directory, holdsStore: holdsStore)
        if let bulkDevices { service.operatorBulkDevices = bulkDevices }
        var dsp = DUISHTTPServer(
            configuration: service, host: "127.0.0.1", port: 0,
            operatorAPI: configuration,
            log: { lines.append($0.line) })
        if let connectionLimits { dsp.connectionLimits = connectionLimits }
        let (listening, signal) = AsyncStream.makeStream(of: (duis: Int?, operators: Int?).self)
        task = Task { [dsp] in
            defer { signal.finish() }
            try await dsp.run(onListening: { port in signal.yield((port, nil)) }, onOperatorListening: { port in signal.yield((nil, port)) })
        }
        var duisPort: Int?
        var operatorPort: Int?
        for await port in listening {
            duisPort = port.duis ?? duisPort
            operatorPort = port.operators ?? operatorPort
            if duisPort != nil, operatorPort != nil { break }
        }
        self.duisPort = try #require(duisPort)
        self.operatorPort = try #require(operatorPort)
    }

    /// Runs `body` with a harness over a new demo store, and stops it whatever happens.
    static func with(
        holdsStore: Bool = false, extraGrants: [OperatorGrants.Grant] = [], connectionLimits: ConnectionLimits? = nil, bulkDevices: Int? = nil,
        _ body: (OperatorHarness) async throws -> Void
    ) async throws {
        let harness = try await OperatorHarness(store: try DemoStore(), holdsStore: holdsStore, extraGrants: extraGrants,
                                                connectionLimits: connectionLimits, bulkDevices: bulkDevices)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        try? FileManager.default.removeItem(atPath: folder)
    }

    var address: String { "https://127.0.0.1:\(operatorPort)" }

    /// A connection as `name`'s operator (its certificate and key from ``operators``), or with the given credential.
    func connection(as name: String) throws -> OperatorConnection {
        let certificate = try Array(Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).pem")))
        let key = try Array(Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).key")))
        return try connection(with: TLSCredential(certificatePEM: String(decoding: certificate, as: UTF8.self),
                                                  privateKeyPEM: String(decoding: key, as: UTF8.self)))
    }

    func connection(with credential: TLSCredential) throws -> OperatorConnection {
        try OperatorConnection(address: address, certificate: Array(credential.certificatePEM.utf8), key: Array(credential.privateKeyPEM.utf8),
                               authority: Array(authority.certificatePEM.utf8))
    }

    /// The JSON answer to a draft, or the refusal.
    func draft(_ draft: DUISRequestDraft, over connection: OperatorConnection) throws -> OperatorConnection.Reply {
        try connection.post(OperatorAPIPath.drafts, body: Array(try JSONEncoder().encode(draft)), contentType: "application/json")
    }

    /// POSTs a signed DUIS request through the operator API.
    func send(_ signed: [UInt8], to endpoint: DUISEndpoint, over connection: OperatorConnection) throws -> OperatorConnection.Reply {
        try connection.post(OperatorAPIPath.duis(endpoint), body: signed, contentType: "application/xml")
    }

    private static func write(_ credential: TLSCredential, as name: String, in folder: String) throws {
        try Data(credential.certificatePEM.utf8).write(to: URL(fileURLWithPath: folder + "/\(name).pem"))
        let key = folder + "/\(name).key"
        try Data(credential.privateKeyPEM.utf8).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
    }
}
