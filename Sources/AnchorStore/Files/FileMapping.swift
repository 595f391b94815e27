#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only for as long as something holds it: the snapshot's log rows
/// are read from here when asked for, so they take page cache, not heap; and a large snapshot
/// is parsed straight from the page cache without being copied into an array first.
///
/// The store replaces its files by renaming new ones over them, never by writing into them, so
/// a mapping keeps showing the bytes it was made from even after a compaction.
final class FileMapping: @unchecked Sendable {
    /// The file's bytes; valid for the mapping's lifetime, never written.
    let bytes: UnsafeBufferPointer<UInt8>

    /// Maps a file.
    /// - Parameter populate: map every page now (`MAP_POPULATE`), for a file about to be read
    ///   through; otherwise pages are read when first touched.
    /// - Throws: `.notFound` when the file does not exist; other `StoreError`s for I/O failures.
    init(path: String, populate: Bool = false) throws(StoreError) {
        let (descriptor, openError) = FileIO.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if openError == ENOENT { throw StoreError.notFound(path: path) }
            throw StoreError.system(openError, operation: "could not open file", path: path)
        }
        defer { FileIO.close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw StoreError.system(errno, operation: "could not stat file", path: path)
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), descriptor, 0), mapping != MAP_FAILED else {
            throw StoreError.system(errno, operation: "could not map file", path: path)
        }
        bytes = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Lets the kernel take back the pages of a range this process has read and will not need
    /// soon (they stay in the page cache; a later read maps them again), so reading a large file
    /// through once does not count against the process's memory.
    func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound == bytes.count ? range.upperBound : range.upperBound / page * page
        guard start < end else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// The CRC-32C of a range, read a few MiB at a time, each given back once read (``release(_:)``),
    /// so checking a large file adds little to the process's peak memory.
    func checksumReleasing(_ range: Range<Int>) -> UInt32 {
        let chunk = 4 << 20
        var crc: UInt32 = 0
        for start in stride(from: range.lowerBound, to: range.upperBound, by: chunk) {
            let piece = start..<min(range.upperBound, start + chunk)
            crc = CRC32C.update(crc, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[piece])))
            release(piece)
        }
        return crc
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
