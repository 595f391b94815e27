import AnchorService
import AnchorStore

extension StoreError {
    /// The same failure without the file (or, on PostgreSQL, the database server) it applies to:
    /// what a caller on another machine, a User or an operator, is told. The DSP's own output
    /// keeps the whole line.
    var withoutPath: StoreError {
        var shown = self
        shown.path = nil
        return shown
    }
}

extension ServiceError {
    /// The same failure without the store's path (``AnchorStore/StoreError/withoutPath``).
    var withoutPath: ServiceError {
        switch self {
        case .store(let failure): .store(failure.withoutPath)
        case .notAcknowledged(let failure, let device): .notAcknowledged(failure.withoutPath, device: device)
        case .request, .missingUserKey, .badEnvironment: self
        }
    }
}
