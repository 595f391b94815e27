import AnchorStore
import ArgumentParser
import DUISServer

/// `serve`'s operator API options: where to listen, the DSP's TLS files, the operator CA and the
/// grants. Every file defaults to what `init --demo` writes in `<store>/operator-tls/`.
struct OperatorAPIOptions: ParsableArguments {
    @Option(name: .customLong("operator-listen"), help: "Also serve the operator API (HTTPS, client certificates required) on HOST:PORT.")
    var listen: String?

    @Option(name: .customLong("tls-cert"), help: "The DSP's TLS server certificate chain, PEM (default <store>/operator-tls/server.pem).")
    var certificate: String?

    @Option(name: .customLong("tls-key"), help: "Its private key, PEM, readable only by its owner (default <store>/operator-tls/server.key).")
    var key: String?

    @Option(name: .customLong("client-ca"), help: "The CA whose operator certificates are accepted, PEM (default <store>/operator-tls/operator-ca.pem).")
    var clientCA: String?

    @Option(name: .customLong("operator-grants"), help: "Which operator (certificate subject) may act for which organisations, JSON (default <store>/operator-tls/grants.json).")
    var grants: String?

    /// The operator API's configuration, its files read and checked now; `nil` without `--operator-listen`.
    func configuration(storeDirectory: String) throws(CLIFailure) -> OperatorAPIConfiguration? {
        guard let listen else {
            if [certificate, key, clientCA, grants].contains(where: { $0 != nil }) {
                throw CLIFailure.badInput("--tls-cert, --tls-key, --client-ca and --operator-grants go with --operator-listen HOST:PORT")
            }
            return nil
        }
        let (host, port) = try ServeCommand.address(listen, option: "--operator-listen")
        let demo = DemoOperatorTLS.Paths(directory: storeDirectory)
        let keyPath = key ?? demo.serverKey
        // A key others may read is refused here as every key is (exit 3), naming the file.
        do {
            _ = try PrivateKeyFile.read(keyPath, followingLinks: true)
        } catch {
            throw CLIFailure(error)
        }
        let grantsPath = grants ?? demo.grants
        let operators: OperatorGrants
        do {
            operators = try OperatorGrants.read(path: grantsPath)
        } catch {
            throw CLIFailure.badInput("--operator-grants \(Presentation.safe(grantsPath)): \(Presentation.safe(error.description))", code: "bad-grants")
        }
        return OperatorAPIConfiguration(
            host: host, port: port, certificatePath: certificate ?? demo.serverCertificate, keyPath: keyPath,
            clientCAPath: clientCA ?? demo.authorityCertificate, grants: operators)
    }
}
