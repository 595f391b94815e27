import AnchorCore
import AnchorStore
import Foundation

extension DUISService {
    /// A page of devices for a remote console, as ``AnchorStore/DevicePageCodec`` carries it:
    /// from the database's device table when the store keeps one, else worked out from the
    /// estate held whole (``AnchorStore/EstatePages``). Read on the deciding queue, as the other reads.
    func page(_ query: OperatorPageQuery) async -> Result<[UInt8], OperatorFailure> {
        await onDecidingQueue { session in
            try query.filter.checkNames(in: session.estate.ledger)
            let page: DevicePage
            if let paging = self.configuration.estateStore?.paging {
                page = try paging.page(query.start, filter: query.filter, sort: query.sort, limit: query.limit)
            } else {
                page = EstatePages(session.estate).page(query.start, filter: query.filter, sort: query.sort, limit: query.limit)
            }
            return DevicePageCodec.encode(page)
        }
    }

    /// The organisations as `anchordesk orgs` and `org show` read them at the DSP.
    func organisations() async -> Result<OperatorReplies.Organisations, OperatorFailure> {
        await onDecidingQueue { session in
            let ledger = session.estate.ledger
            let material = try CredentialVault(storeDirectory: self.configuration.storeDirectory).load(for: ledger)
            let holdings = try self.configuration.estateStore?.paging.map { try $0.holdings() } ?? EstatePages(session.estate).holdings()
            return OperatorReplies.Organisations(
                organisations: ledger.organisations, certificates: ledger.certificates, lifecycle: ledger.lifecycle,
                certificateDER: (material?.certificates ?? [:]).mapValues { Data($0.der).base64EncodedString() }, holdings: holdings)
        }
    }

    /// How many devices hold any of each organisation's certificates, by organisation.
    func holdings() async -> Result<[String: Int], OperatorFailure> {
        await onDecidingQueue { session in
            if let paging = self.configuration.estateStore?.paging { return try paging.holdings() }
            return EstatePages(session.estate).holdings()
        }
    }

    /// The store's change token once it differs from `known`, or as it is after `wait` or once
    /// the asking task is cancelled: a remote console asks again at once, so a commit reaches it
    /// within moments without its polling.
    func changeToken(after known: String?, waitingUpTo wait: Duration) async -> String {
        let deadline = ContinuousClock.now + wait
        while true {
            let token = configuration.estateStore?.changeToken() ?? DirectoryStore(directory: configuration.storeDirectory).changeToken()
            if token != known || ContinuousClock.now >= deadline { return token }
            // Cancelled, the sleep throws at once, every turn: the wait ends rather than spin.
            do { try await Task.sleep(for: .milliseconds(200)) } catch { return token }
        }
    }
}
