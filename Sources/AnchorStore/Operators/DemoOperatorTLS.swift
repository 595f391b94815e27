import AnchorCore
import Foundation
import SMKI

/// The demo's TLS material for the operator API (`serve --operator-listen`), which `init --demo`
/// writes beside a store so the API works out of the box. DEMO material: every key is made on
/// this machine, and the CA's key lies beside the certificates it issued.
///
/// In the store directory (a PostgreSQL store's local directory):
/// - `operator-tls/server.pem`, `server.key`: the DSP's server certificate, for `127.0.0.1`, `::1`
///   and `localhost` (`--tls-cert`, `--tls-key`);
/// - `operator-tls/operator-ca.pem`, `operator-ca.key`: the CA that issued every certificate here
///   (`--client-ca`; a client trusts it for the server's certificate too);
/// - `operator-tls/grants.json`: ``OperatorGrants``, one operator per User organisation, granted
///   that organisation, and the DCC operator `dcc`, granted the DCC's organisations and its actions;
/// - `operators/<organisation>.pem`, `.key`, and `operators/dcc.pem`, `dcc.key`: each operator's
///   client certificate and key (`--client-cert`, `--client-key`).
///
/// Keys are 0600, certificates 0644, the folders 0700. Each file is replaced when written again.
public enum DemoOperatorTLS {
    /// The folder of the DSP's TLS files, in the store directory.
    public static let folderName = "operator-tls"
    /// The folder of the operators' certificates and keys, in the store directory.
    public static let operatorsFolderName = "operators"
    /// The DCC operator's name: its certificate's common name and its files' name.
    public static let dccOperatorName = "dcc"
    /// The organisation named in every demo operator's certificate subject.
    public static let operatorOrganisationName = "AnchorDesk demo operators"
    /// The common name of the demo operator CA.
    public static let authorityName = "AnchorDesk demo operator CA"
    /// The hosts the demo server certificate is for.
    public static let serverHosts = ["127.0.0.1", "::1", "localhost"]
    /// How long the server's and operators' certificates last.
    public static let certificateLifetime: TimeInterval = 365 * 86_400
    /// How long the CA's certificate lasts.
    public static let authorityLifetime: TimeInterval = 10 * 365 * 86_400

    /// Where the files are for a store directory.
    public struct Paths: Sendable, Equatable {
        /// The DSP's server certificate.
        public let serverCertificate: String
        /// The DSP's server key.
        public let serverKey: String
        /// The operator CA's certificate.
        public let authorityCertificate: String
        /// The operator CA's key.
        public let authorityKey: String
        /// The operators' grants.
        public let grants: String
        /// The folder of the operators' certificates and keys.
        public let operators: String

        /// The paths in the store directory `directory`.
        public init(directory: String) {
            let folder = directory + "/" + DemoOperatorTLS.folderName
            serverCertificate = folder + "/server.pem"
            serverKey = folder + "/server.key"
            authorityCertificate = folder + "/operator-ca.pem"
            authorityKey = folder + "/operator-ca.key"
            grants = folder + "/grants.json"
            operators = directory + "/" + DemoOperatorTLS.operatorsFolderName
        }

        /// The client certificate of the operator `name` (an organisation ID, or `dcc`).
        public func operatorCertificate(_ name: String) -> String { operators + "/" + name + ".pem" }
        /// The client key of the operator `name`.
        public func operatorKey(_ name: String) -> String { operators + "/" + name + ".key" }
    }

    /// Makes a new CA, server certificate and operator certificates for `ledger`'s organisations,
    /// valid from `validFrom`, and writes them and the grants into the store directory `directory`:
    /// one operator per User organisation (a Supplier or Network Operator), granted that
    /// organisation, and `dcc`, granted the organisations whose keys the DCC holds and the DCC's
    /// actions, each named in the grants by its certificate's subject. Everything is made before
    /// the first file is written.
    /// - Returns: where they are.
    /// - Throws: ``StoreError`` when a file cannot be written, or `.invalidArgument` when a User
    ///   organisation is called `dcc`; ``TLSCredentialError`` or an error of swift-certificates'
    ///   when a certificate cannot be made.
    public static func write(for ledger: Ledger, in directory: String, validFrom: Date) throws -> Paths {
        let users = ledger.organisations.filter { !CredentialVault.isHeldByDCC($0.role) }
        guard !users.contains(where: { $0.id == dccOperatorName }) else {
            throw StoreError.invalidArgument("a User organisation is called '\(dccOperatorName)', the name of the demo's DCC operator")
        }
        let dccOrganisations = ledger.organisations.filter { CredentialVault.isHeldByDCC($0.role) }.map(\.id)
        let granted = users.map { (name: $0.id, organisations: [$0.id], dcc: false) }
            + [(name: dccOperatorName, organisations: dccOrganisations, dcc: true)]
        let until = validFrom.addingTimeInterval(certificateLifetime)
        let authority = try TLSAuthority.generate(commonName: authorityName, validFrom: validFrom,
                                                  validUntil: validFrom.addingTimeInterval(authorityLifetime))
        let server = try authority.serverCredential(hosts: serverHosts, validFrom: validFrom, validUntil: until)
        let operators = try granted.map { grantee in
            (grantee, try authority.clientCredential(commonName: grantee.name, organisationName: operatorOrganisationName,
                                                      validFrom: validFrom, validUntil: until))
        }
        let grants = OperatorGrants(operators: try operators.map { grantee, credential in
            OperatorGrants.Grant(subject: try TLSAuthority.subject(ofCertificatePEM: credential.certificatePEM),
                                 organisations: grantee.organisations, dcc: grantee.dcc)
        })

        let paths = Paths(directory: directory)
        try StoreDirectory.create(path: directory + "/" + folderName)
        try StoreDirectory.create(path: paths.operators)
        try write(TLSCredential(certificatePEM: authority.certificatePEM, privateKeyPEM: authority.privateKeyPEM),
                  certificate: paths.authorityCertificate, key: paths.authorityKey)
        try write(server, certificate: paths.serverCertificate, key: paths.serverKey)
        for (grantee, credential) in operators {
            try write(credential, certificate: paths.operatorCertificate(grantee.name), key: paths.operatorKey(grantee.name))
        }
        try grants.write(to: paths.grants)
        return paths
    }

    /// Writes a certificate anyone may read and its key only the owner may.
    private static func write(_ credential: TLSCredential, certificate: String, key: String) throws(StoreError) {
        // Each ends with a line break, so PEM files can be joined into a bundle with cat.
        func lines(_ pem: String) -> [UInt8] { Array((pem.hasSuffix("\n") ? pem : pem + "\n").utf8) }
        try AtomicFile.write(lines(credential.privateKeyPEM), to: key)
        try AtomicFile.write(lines(credential.certificatePEM), to: certificate, mode: 0o644)
    }
}
