import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks a store directory for things an operator should know about: permissions that let
/// others read it, and files left behind by an interrupted compaction.
enum StoreHygiene {
    /// A warning for the directory or any of the files if group or others may read them.
    static func permissionWarnings(directory: String, files: [String]) -> [String] {
        var warnings: [String] = []
        for (path, expected) in [(directory, "700")] + files.map({ (Store.path(directory, $0), "600") }) {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            let mode = String(info.st_mode & 0o777, radix: 8)
            warnings.append("\(path) is readable by others (mode \(mode)); it holds credential state: chmod \(expected) \(path)")
        }
        return warnings
    }

    /// Removes temporary snapshot (and snapshot index) files that a compaction killed before its
    /// rename left behind.
    ///
    /// The snapshot they were meant to replace is still in place and complete, so they hold
    /// nothing that is not also in the snapshot and journal.
    static func removeAbandonedTemporaryFiles(directory: String, names replaced: [String]) throws(StoreError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var warnings: [String] = []
        for name in names where replaced.contains(where: { name.hasPrefix($0 + ".tmp-") }) {
            let path = Store.path(directory, name)
            guard unlink(path) == 0 else {
                throw StoreError.system(errno, operation: "could not remove an abandoned temporary snapshot", path: path)
            }
            warnings.append("removed \(name), left by a compaction that was interrupted before it finished (the snapshot in use is complete)")
        }
        return warnings
    }
}
