import AnchorStore
import Foundation

/// Where a login's password comes from, as libpq looks for it: `PGPASSWORD`, else the
/// password file (`PGPASSFILE`, else `~/.pgpass`: lines of `host:port:database:login:password`,
/// `*` matching anything, `\:` and `\\` escaped). The password is only handed to the driver.
enum PostgresPassword {
    /// The password for a location, or `nil` to try without one (trust or peer authentication).
    /// - Throws: `.permissionDenied` when the password file can be read by others (libpq
    ///   ignores it then; AnchorDesk says so instead).
    static func find(for location: PostgresLocation, environment: [String: String]) throws(StoreError) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let path = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? "") + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw StoreError(code: .permissionDenied,
                             message: "the password file can be read by others; make it private with 'chmod 600'", path: path)
        }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(of: line)
            guard fields.count == 5 else { continue }
            let wanted = [location.host, String(location.port), location.database, location.login]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A password-file line split at unescaped colons, with escapes removed.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 5 {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}
