import AnchorCore
import Foundation

/// Reads an estate from readable JSON files, as bundled in `demo-data/`: `organisations.json`,
/// `certificates.json` and `devices.json`, from a folder or from the copy built into the
/// executable (``EmbeddedDemoData``, made from `demo-data/` at build time).
public enum DemoData {
    /// Where demo data comes from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// A folder of the three files.
        case folder(String)
        /// The copy built into the executable.
        case embedded

        /// `$ANCHORDESK_DEMO_DATA` when set, else the built-in copy: so `init --demo` and the
        /// console work from any directory with only the executable installed.
        public static func bundled(environment: [String: String]) -> Source {
            if let explicit = environment["ANCHORDESK_DEMO_DATA"], !explicit.isEmpty { return .folder(explicit) }
            return .embedded
        }

        public var description: String {
            switch self {
            case .folder(let path): path
            case .embedded: "the demo data built into anchordesk"
            }
        }
    }

    private struct OrganisationsFile: Decodable { var organisations: [Organisation] }
    private struct CertificatesFile: Decodable { var certificates: [Certificate] }
    private struct DevicesFile: Decodable { var devices: [Device] }

    /// Loads and validates the estate from a source.
    /// - Throws: `.invalidArgument` naming the file and the JSON path of the first problem
    ///   (malformed JSON, wrong types, duplicate IDs, missing references).
    public static func load(_ source: Source) throws(StoreError) -> Estate {
        switch source {
        case .folder(let folder): try load(from: folder)
        case .embedded:
            try load(named: "demo-data (built in)") { name throws(StoreError) in
                guard let text = EmbeddedDemoData.files[name] else {
                    throw StoreError(code: .invalidArgument, message: "the built-in demo data has no \(name)", path: name)
                }
                return (Array(text.utf8), "demo-data/\(name) (built in)")
            }
        }
    }

    /// Loads and validates the estate in a folder.
    /// - Throws: as ``load(_:)``.
    public static func load(from folder: String) throws(StoreError) -> Estate {
        try load(named: folder) { name throws(StoreError) in
            let path = Store.path(folder, name)
            do throws(StoreError) {
                return (try AtomicFile.read(path: path), path)
            } catch {
                throw StoreError(code: .invalidArgument, message: "cannot read demo data: \(error.message)", path: path)
            }
        }
    }

    /// The three files, each read by `read` (its bytes and the path to name in errors).
    private static func load(
        named source: String, _ read: (String) throws(StoreError) -> (bytes: [UInt8], path: String)
    ) throws(StoreError) -> Estate {
        func decode<File: Decodable>(_ type: File.Type, _ name: String) throws(StoreError) -> File {
            let (bytes, path) = try read(name)
            let decoded = try FoundationDecoding.decode(type, from: bytes, path: path, code: .invalidArgument)
            try DemoDataSchema.check(bytes, file: name, path: path)
            return decoded
        }
        let organisations = try decode(OrganisationsFile.self, "organisations.json").organisations
        let certificates = try decode(CertificatesFile.self, "certificates.json").certificates
        let devices = try decode(DevicesFile.self, "devices.json").devices
        var seen: Set<EUI64> = []
        for (index, device) in devices.enumerated() where !seen.insert(device.id).inserted {
            throw StoreError.invalidArgument("devices[\(index)].id: duplicate device ID \(device.id)", path: try read("devices.json").path)
        }
        let estate = Estate(ledger: Ledger(organisations: organisations, certificates: certificates), devices: DeviceTable(devices))
        do {
            try estate.validate()
        } catch {
            throw StoreError.invalidArgument(error.description, path: source)
        }
        return estate
    }
}
