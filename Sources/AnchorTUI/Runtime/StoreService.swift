import AnchorCore
import AnchorStore
import Foundation
import GPFSimulator
#if canImport(Glibc)
import Glibc
#endif

/// Loads the store and commits requests for the runtime; tests can substitute their own.
public protocol StoreService {
    /// Loads the store read-only (creating it first from demo data if needed and allowed).
    func load() -> LoadResult
    /// Opens the store for writing, builds and evaluates the draft against it, commits, closes.
    func submit(_ draft: RequestDraft, now: Timestamp) -> RequestResult
    /// Something that changes whenever the store's files change, to notice other writers.
    func changeToken() -> String
}

/// The on-disk store, as the console uses it: read-only for browsing, briefly read-write per request.
public struct DiskStoreService: StoreService {
    /// The store directory.
    public var directory: String
    /// Never create or write.
    public var readOnly: Bool
    /// Where the bundled demo data is, to create a missing store from.
    public var demoDataFolder: String?
    /// How long to wait for another writer's lock.
    public var lockTimeout: Duration

    /// Creates the service.
    public init(directory: String, readOnly: Bool, demoDataFolder: String?, lockTimeout: Duration = .seconds(2)) {
        self.directory = directory
        self.readOnly = readOnly
        self.demoDataFolder = demoDataFolder
        self.lockTimeout = lockTimeout
    }

    public func load() -> LoadResult {
        var notices: [String] = []
        if !Store.exists(at: directory) {
            if readOnly {
                return .failed("no store at \(directory), and --read-only does not create one; run 'anchordesk init --demo' or open without --read-only")
            }
            guard let folder = demoDataFolder else {
                return .failed("no store at \(directory), and demo-data/ was not found to create one (set ANCHORDESK_DEMO_DATA)")
            }
            do {
                let estate = try DemoData.load(from: folder)
                try Store.create(at: directory, with: estate, replacingExisting: false)
                notices.append("First run: created this store from demo-data/ (\(estate.devices.count) devices)")
            } catch {
                return .failed("cannot create the store: \(error.description)")
            }
        }
        do {
            let store = try Store.open(at: directory, access: .readOnly)
            defer { store.close() }
            notices += store.warnings
            return .loaded(store.estate, notice: notices.isEmpty ? nil : notices.joined(separator: "; "))
        } catch {
            return .failed(error.description)
        }
    }

    public func submit(_ draft: RequestDraft, now: Timestamp) -> RequestResult {
        guard !readOnly else { return .notSent("the console is read-only (--read-only)") }
        let store: Store
        do {
            store = try Store.open(at: directory, access: .readWrite(lockTimeout: lockTimeout))
        } catch {
            return .notSent(error.description)
        }
        defer { store.close() }
        let change: EstateChange
        do {
            let credentials = try CredentialVault(storeDirectory: directory)
                .credentials(for: store.estate.ledger, validFrom: Date(timeIntervalSince1970: TimeInterval(now.secondsSince1970)))
            change = try store.estate.evaluate(try draft.serviceRequest(ledger: store.estate.ledger), now: now, credentials: credentials)
        } catch let error as StoreError {
            return .notSent(error.description)
        } catch {
            return .notSent("\(error)")
        }
        do {
            try store.commit(change)
        } catch {
            return .notSent("the request could not be made durable: \(error.description)")
        }
        return .processed(change.ledger.request, store.estate)
    }

    public func changeToken() -> String {
        [Store.snapshotName, Store.journalName].map { name -> String in
            var info = stat()
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard stat(path, &info) == 0 else { return "-" }
            return "\(info.st_size):\(info.st_mtim.tv_sec):\(info.st_mtim.tv_nsec):\(info.st_ino)"
        }.joined(separator: "|")
    }
}
