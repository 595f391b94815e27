import Foundation
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

/// A uniquely named scratch directory for one test, removed by `cleanUp()`.
struct FileLayerTestDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("anchorstore-files-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanUp() {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            Issue.record("could not remove test directory \(path): \(error)")
        }
    }
}

/// The permission bits of `path`, or nil if it cannot be stat'ed.
func fileLayerPermissionBits(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
}

/// Writes raw bytes with Foundation (test setup only).
func fileLayerWriteRaw(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
