import Foundation
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct StoreDirectoryTests {
    @Test func createMakesNestedPrivateDirectoryAndIsIdempotent() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("a/b/store")
        #expect(!StoreDirectory.exists(path: path))
        try StoreDirectory.create(path: path)
        #expect(StoreDirectory.exists(path: path))
        #expect(fileLayerPermissionBits(path) == 0o700)
        try StoreDirectory.create(path: path)
        try StoreDirectory.create(path: path + "/", requireEmpty: true)
    }

    @Test func requireEmptyRejectsNonEmptyDirectory() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try fileLayerWriteRaw(Array("x".utf8), to: dir.file("existing"))
        try StoreDirectory.create(path: dir.path)
        let error = #expect(throws: StoreError.self) { try StoreDirectory.create(path: dir.path, requireEmpty: true) }
        #expect(error?.code == .alreadyExists)
    }

    @Test func regularFileInTheWayIsAnError() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try fileLayerWriteRaw(Array("x".utf8), to: dir.file("plain"))
        #expect(!StoreDirectory.exists(path: dir.file("plain")))
        let last = #expect(throws: StoreError.self) { try StoreDirectory.create(path: dir.file("plain")) }
        #expect(last?.code == .alreadyExists)
        let middle = #expect(throws: StoreError.self) { try StoreDirectory.create(path: dir.file("plain/store")) }
        #expect(middle?.code == .io)
    }

    @Test func fsyncDirectoryWorksAndReportsMissing() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try StoreDirectory.fsyncDirectory(path: dir.path)
        let error = #expect(throws: StoreError.self) { try StoreDirectory.fsyncDirectory(path: dir.file("missing")) }
        #expect(error?.code == .notFound)
    }
}
