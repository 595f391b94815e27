import AnchorStore
import Foundation

/// The operator's own list of DSPs and the files to reach each with, as kubeconfig lists
/// clusters: `$ANCHORDESK_CONFIG`, else `$XDG_CONFIG_HOME/anchordesk/config.json`, else
/// `~/.config/anchordesk/config.json`:
/// `{"dsps": [{"store": "https://127.0.0.1:8443", "clientCert": FILE, "clientKey": FILE, "ca": FILE}]}`.
/// It names the operator's key, so it is read as a key is: only its owner may read or write it.
struct OperatorConfigFile: Decodable {
    /// One DSP and the files for it; any may be left out (the option or variable gives it).
    struct DSP: Decodable {
        var store: String
        var clientCert: String?
        var clientKey: String?
        var ca: String?
    }

    var dsps: [DSP]

    /// Where the file is for this environment.
    static func path(environment: [String: String]) -> String? {
        if let named = environment["ANCHORDESK_CONFIG"], !named.isEmpty { return named }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/anchordesk/config.json" }
        return environment["HOME"].map { $0 + "/.config/anchordesk/config.json" }
    }

    /// The entry for `address` in the file, if there is a file and it lists the address.
    /// - Throws: exit 3 for a file others may read or write; exit 2 for one that is not this JSON.
    static func entry(for address: String, environment: [String: String]) throws(CLIFailure) -> DSP? {
        guard let path = path(environment: environment) else { return nil }
        let bytes: [UInt8]?
        do {
            bytes = try PrivateKeyFile.read(path, followingLinks: true)
        } catch {
            throw CLIFailure(error)
        }
        guard let bytes else { return nil }
        guard let file = try? JSONDecoder().decode(OperatorConfigFile.self, from: Data(bytes)) else {
            throw CLIFailure.badInput(
                "\(Presentation.safe(path)) is not an AnchorDesk config file ({\"dsps\": [{\"store\", \"clientCert\", \"clientKey\", \"ca\"}]})",
                code: "bad-config")
        }
        return file.dsps.first { same($0.store, address) }
    }

    /// Two DSP addresses are the same whatever the case of scheme and host, and a final `/`.
    private static func same(_ one: String, _ other: String) -> Bool {
        func normal(_ text: String) -> String {
            (text.hasSuffix("/") ? String(text.dropLast()) : text).lowercased()
        }
        return normal(one) == normal(other)
    }
}
