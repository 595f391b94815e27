/// 64-bit words in the heap, for an index made in memory rather than mapped from its file.
final class WordStorage {
    let words: UnsafeBufferPointer<UInt64>

    init(_ array: [UInt64]) {
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        words = UnsafeBufferPointer(buffer)
    }

    deinit { words.deallocate() }
}
