import AnchorStore
import Foundation

/// Device responses waiting to reach the User's Receive Response Service, one file each in
/// `<store>/duis-outbox/`, written durably before the request that made one is acknowledged and
/// removed once the User's endpoint has taken it. Files are named by a sequence number, so they
/// are sent in the order they were made.
public struct DUISOutbox: Sendable {
    /// The folder name inside the store directory.
    public static let folderName = "duis-outbox"

    /// One waiting response.
    public struct Entry: Sendable, Equatable {
        /// The file's path.
        public var path: String
        /// The signed `sr:Response`.
        public var document: [UInt8]
    }

    /// The folder.
    public let path: String

    /// The outbox of the store in `storeDirectory`.
    public init(storeDirectory: String) {
        path = (storeDirectory.hasSuffix("/") ? storeDirectory : storeDirectory + "/") + DUISOutbox.folderName
    }

    /// Adds a response, durably (written, synced and renamed into place).
    /// - Throws: ``StoreError`` when it could not be made durable.
    public func enqueue(_ document: [UInt8], requestID: String) throws(StoreError) {
        try StoreDirectory.create(path: path)
        let sequence = (try? entries().last.flatMap { DUISOutbox.sequence(of: $0) }) ?? 0
        let name = String(format: "%012llu-", sequence + 1) + requestID.map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
        try AtomicFile.write(document, to: path + "/" + name + ".xml")
    }

    /// The waiting responses, oldest first.
    /// - Throws: ``StoreError`` when one cannot be read.
    public func pending() throws(StoreError) -> [Entry] {
        try entries().map { name throws(StoreError) in
            Entry(path: path + "/" + name, document: try AtomicFile.read(path: path + "/" + name))
        }
    }

    /// How many responses are waiting (none when the folder cannot be read).
    public func count() -> Int {
        (try? entries().count) ?? 0
    }

    /// Removes a response the User's endpoint has taken.
    public func remove(_ entry: Entry) {
        unlink(entry.path)
    }

    private func entries() throws(StoreError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasSuffix(".xml") && DUISOutbox.sequence(of: $0) != nil }.sorted()
    }

    private static func sequence(of name: String) -> UInt64? {
        UInt64(name.prefix(12))
    }
}
