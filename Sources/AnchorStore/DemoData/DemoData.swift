import AnchorCore
import Foundation

/// Reads an estate from a folder of readable JSON files, as bundled in `demo-data/`:
/// `organisations.json`, `certificates.json` and `devices.json`.
public enum DemoData {
    private struct OrganisationsFile: Decodable { var organisations: [Organisation] }
    private struct CertificatesFile: Decodable { var certificates: [Certificate] }
    private struct DevicesFile: Decodable { var devices: [Device] }

    /// Loads and validates the estate in a folder.
    /// - Throws: `.invalidArgument` naming the file and the JSON path of the first problem
    ///   (malformed JSON, wrong types, duplicate IDs, missing references).
    public static func load(from folder: String) throws(StoreError) -> Estate {
        let organisations = try read(OrganisationsFile.self, folder, "organisations.json").organisations
        let certificates = try read(CertificatesFile.self, folder, "certificates.json").certificates
        let devices = try read(DevicesFile.self, folder, "devices.json").devices
        var seen: Set<EUI64> = []
        for (index, device) in devices.enumerated() where !seen.insert(device.id).inserted {
            throw StoreError.invalidArgument("devices[\(index)].id: duplicate device ID \(device.id)",
                                             path: Store.path(folder, "devices.json"))
        }
        let estate = Estate(ledger: Ledger(organisations: organisations, certificates: certificates), devices: DeviceTable(devices))
        do {
            try estate.validate()
        } catch {
            throw StoreError.invalidArgument(error.description, path: folder)
        }
        return estate
    }

    /// Finds the bundled `demo-data/` folder: `$ANCHORDESK_DEMO_DATA`, else the nearest
    /// `demo-data/` above the executable or the working directory.
    public static func locate(executablePath: String, workingDirectory: String, environment: [String: String]) -> String? {
        if let explicit = environment["ANCHORDESK_DEMO_DATA"], !explicit.isEmpty { return explicit }
        for start in [executablePath, workingDirectory] {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while url.path != "/" {
                let candidate = url.appendingPathComponent("demo-data")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("organisations.json").path) {
                    return candidate.path
                }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }

    private static func read<File: Decodable>(_ type: File.Type, _ folder: String, _ name: String) throws(StoreError) -> File {
        let path = Store.path(folder, name)
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path: path)
        } catch {
            throw StoreError(code: .invalidArgument, message: "cannot read demo data: \(error.message)", path: path)
        }
        let decoded = try FoundationDecoding.decode(type, from: bytes, path: path, code: .invalidArgument)
        try DemoDataSchema.check(bytes, file: name, path: path)
        return decoded
    }
}
