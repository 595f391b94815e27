import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Read-only access to a whole file through `mmap`, so large snapshots are parsed straight
/// from the page cache without copying them into an array first.
public enum MappedFile {
    /// Calls `body` with the file's bytes, valid only during the call.
    /// - Throws: `.notFound` when the file does not exist; other `StoreError`s for I/O failures;
    ///   whatever `body` throws.
    public static func withContents<Result>(
        path: String, _ body: (UnsafeBufferPointer<UInt8>) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
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
        guard size > 0 else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), mapping != MAP_FAILED else {
            throw StoreError.system(errno, operation: "could not map file", path: path)
        }
        defer { munmap(mapping, size) }
        return try body(UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size))
    }
}
