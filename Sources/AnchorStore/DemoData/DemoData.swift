import AnchorCore
import Foundation

/// Reads an estate from readable JSON files, as bundled in `demo-data/`: `organisations.json`,
/// `certificates.json`, `devices.json` and, optionally, `history.json` (``DemoHistory``), from a
/// folder or from the copy built into the executable (``EmbeddedDemoData``, made from
/// `demo-data/` at build time).
public enum DemoData {
    /// Where demo data comes from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// A folder of the files.
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
    private struct DevicesFile: Decodable { var devices: [DemoDevice] }

    /// A device row: the device, and, instead of a commissioning date, optionally the hours
    /// before the demo is loaded that it was commissioned.
    private struct DemoDevice: Decodable {
        var device: Device
        var commissionedHoursBeforeInit: Int64?

        private enum Keys: String, CodingKey { case commissionedHoursBeforeInit }

        init(from decoder: any Decoder) throws {
            device = try Device(from: decoder)
            commissionedHoursBeforeInit = try decoder.container(keyedBy: Keys.self).decodeIfPresent(Int64.self, forKey: .commissionedHoursBeforeInit)
        }
    }

    /// The longest `commissionedHoursBeforeInit` taken: ten years.
    static let maximumHoursBeforeInit: Int64 = 87_600

    /// Loads and validates the estate from a source, as of `now` (the clock `init --demo` runs
    /// on: devices given `commissionedHoursBeforeInit` are commissioned that long before it).
    /// - Throws: `.invalidArgument` naming the file and the JSON path of the first problem
    ///   (malformed JSON, wrong types, duplicate IDs, missing references, history after `now`).
    public static func load(_ source: Source, now: Timestamp) throws(StoreError) -> Estate {
        switch source {
        case .folder(let folder): try load(from: folder, now: now)
        case .embedded:
            try load(named: "demo-data (built in)", now: now) { name throws(StoreError) in
                EmbeddedDemoData.files[name].map { (Array($0.utf8), "demo-data/\(name) (built in)") }
            }
        }
    }

    /// Loads and validates the estate in a folder, as of `now`.
    /// - Throws: as ``load(_:now:)``.
    public static func load(from folder: String, now: Timestamp) throws(StoreError) -> Estate {
        try load(named: folder, now: now) { name throws(StoreError) in
            let path = Store.path(folder, name)
            do throws(StoreError) {
                return try FileIO.readFile(path, operation: "read demo data", followingLinks: true).map { ($0, path) }
            } catch {
                throw StoreError(code: .invalidArgument, message: "cannot read demo data: \(error.message)", path: path)
            }
        }
    }

    /// The files, each read by `read` (its bytes and the path to name in errors; `nil` when
    /// there is no such file).
    private static func load(
        named source: String, now: Timestamp, _ read: (String) throws(StoreError) -> (bytes: [UInt8], path: String)?
    ) throws(StoreError) -> Estate {
        func file(_ name: String) throws(StoreError) -> (bytes: [UInt8], path: String) {
            guard let found = try read(name) else {
                throw StoreError(code: .invalidArgument, message: "the demo data has no \(name)", path: source)
            }
            return found
        }
        func decode<File: Decodable>(_ type: File.Type, _ name: String, _ found: (bytes: [UInt8], path: String)) throws(StoreError) -> File {
            // The schema check first: its errors name a byte offset or the unknown field's path.
            try DemoDataSchema.check(found.bytes, file: name, path: found.path)
            return try FoundationDecoding.decode(type, from: found.bytes, path: found.path, code: .invalidArgument)
        }
        let organisationsFile = try file("organisations.json")
        let organisations = try decode(OrganisationsFile.self, "organisations.json", organisationsFile).organisations
        try Self.checkIDs(organisations.map(\.id), of: "organisations", naming: "an organisation ID", example: "national-grid",
                          path: organisationsFile.path)
        let certificatesFile = try file("certificates.json")
        let certificates = try decode(CertificatesFile.self, "certificates.json", certificatesFile).certificates
        // Certificate IDs are written where organisation IDs are (tables, CSV, file names, query
        // parameters), so they take the same characters.
        try Self.checkIDs(certificates.map(\.id), of: "certificates", naming: "a certificate ID", example: "national-grid-ds",
                          path: certificatesFile.path)
        let devicesFile = try file("devices.json")
        let rows = try decode(DevicesFile.self, "devices.json", devicesFile).devices
        var devices = rows.map(\.device)
        var seen: Set<EUI64> = []
        for (index, device) in devices.enumerated() {
            guard seen.insert(device.id).inserted else {
                throw StoreError.invalidArgument("devices[\(index)].id: duplicate device ID \(device.id)", path: devicesFile.path)
            }
            guard let hours = rows[index].commissionedHoursBeforeInit else { continue }
            let location = "devices[\(index)].commissionedHoursBeforeInit"
            guard device.commissionedAt == nil else {
                throw StoreError.invalidArgument("\(location): give commissionedAt or commissionedHoursBeforeInit, not both", path: devicesFile.path)
            }
            guard (0...maximumHoursBeforeInit).contains(hours) else {
                throw StoreError.invalidArgument("\(location): \(hours) is not a number of hours from 0 to \(maximumHoursBeforeInit)",
                                                 path: devicesFile.path)
            }
            devices[index].commissionedAt = Timestamp(secondsSince1970: now.secondsSince1970 - hours * 3_600)
        }
        var ledger = Ledger(organisations: organisations, certificates: certificates)
        if let historyFile = try read("history.json") {
            let history = try decode(DemoHistory.self, "history.json", historyFile)
            ledger = try history.ledger(over: ledger, devices: DeviceTable(devices), now: now, path: historyFile.path)
        }
        let estate = Estate(ledger: ledger, devices: DeviceTable(devices))
        do {
            try estate.validate()
        } catch {
            throw StoreError.invalidArgument(error.description, path: source)
        }
        return estate
    }
}

extension DemoData {
    /// Refuses the first ID that is not 1 to 64 lowercase letters, digits and hyphens
    /// (``Organisation/isValidID(_:)``), naming where it is.
    static func checkIDs(_ ids: [String], of list: String, naming what: String, example: String, path: String) throws(StoreError) {
        for (index, id) in ids.enumerated() where !Organisation.isValidID(id) {
            throw StoreError.invalidArgument(
                "\(list)[\(index)].id: '\(DisplaySafeText.sanitize(id.prefix(64)))' is not \(what) "
                    + "(1 to 64 lowercase letters, digits and hyphens, such as \(example))", path: path)
        }
    }
}
