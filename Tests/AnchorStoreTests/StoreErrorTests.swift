import Testing
@testable import AnchorStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct StoreErrorTests {
    @Test func corruptDescriptionIsOneLineWithPathAndOffset() {
        let error = StoreError.corrupt(path: "journal.jsonl", offset: 1234, reason: "CRC32C mismatch")
        #expect(error.description == "journal.jsonl: corrupt record at byte 1234: CRC32C mismatch; "
            + "the store was not changed — restore from backup or run 'anchordesk store check'")
        #expect(error.code == .corrupt)
        #expect(error.offset == 1234)
    }

    @Test func offsetIsAddedWhenMessageLacksIt() {
        let error = StoreError(code: .io, message: "short read", path: "snap.json", offset: 77)
        #expect(error.description == "snap.json: short read (at byte 77)")
    }

    @Test func lockedNamesThePid() {
        #expect(StoreError.locked(path: nil, holderPID: 1234).description
            == "the store is locked by process 1234; wait for it to finish or stop it")
    }

    @Test func errnoMapping() {
        #expect(StoreError.code(forErrno: EACCES) == .permissionDenied)
        #expect(StoreError.code(forErrno: EPERM) == .permissionDenied)
        #expect(StoreError.code(forErrno: EROFS) == .permissionDenied)
        #expect(StoreError.code(forErrno: ENOSPC) == .io)
        #expect(StoreError.code(forErrno: EIO) == .io)
        #expect(StoreError.code(forErrno: ENOENT) == .notFound)
        let error = StoreError.system(ENOSPC, operation: "could not append", path: "j")
        #expect(error.errno == ENOSPC)
        #expect(error.message.contains("disk space"))
    }
}
