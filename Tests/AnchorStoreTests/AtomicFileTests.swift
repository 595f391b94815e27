import Foundation
import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct AtomicFileTests {
    @Test func writeCreatesThenReplacesAndLeavesNoTemporaryFile() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("snapshot.json")

        try AtomicFile.write(Array("first version".utf8), to: path)
        #expect(try AtomicFile.read(path: path) == Array("first version".utf8))

        try AtomicFile.write(Array("second".utf8), to: path)
        #expect(try AtomicFile.read(path: path) == Array("second".utf8))
        #expect(fileLayerPermissionBits(path) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["snapshot.json"])
    }

    @Test func aFileCanBeGivenAModeAndAReplacementTakesItsOwn() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("server.pem")
        try AtomicFile.write(Array("certificate".utf8), to: path, mode: 0o644)
        #expect(fileLayerPermissionBits(path) == 0o644)
        try AtomicFile.write(Array("key".utf8), to: path)
        #expect(fileLayerPermissionBits(path) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["server.pem"])
    }

    @Test func writesEmptyContent() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try AtomicFile.write([], to: dir.file("empty"))
        #expect(try AtomicFile.read(path: dir.file("empty")).isEmpty)
    }

    @Test func readOfMissingFileIsNotFound() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let error = #expect(throws: StoreError.self) { try AtomicFile.read(path: dir.file("absent")) }
        #expect(error?.code == .notFound)
        #expect(error?.path == dir.file("absent"))
    }

    @Test func writeUnderARegularFileIsAStoreError() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        try fileLayerWriteRaw(Array("x".utf8), to: dir.file("plain"))
        let error = #expect(throws: StoreError.self) {
            try AtomicFile.write(Array("data".utf8), to: dir.file("plain/snapshot.json"))
        }
        #expect(error?.code == .io)
        #expect(error?.errno == ENOTDIR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plain"])
    }

    @Test func writeIntoMissingDirectoryIsNotFound() throws {
        let dir = try FileLayerTestDirectory()
        defer { dir.cleanUp() }
        let error = #expect(throws: StoreError.self) {
            try AtomicFile.write(Array("data".utf8), to: dir.file("missing/snapshot.json"))
        }
        #expect(error?.code == .notFound)
    }
}
