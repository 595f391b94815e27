/// A problem with an estate's data, with the JSON path where it was found.
public struct EstateValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where, as a JSON path such as `devices[12].cells.networkOperatorDS`.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

extension Estate {
    /// Checks that IDs are unique and every reference resolves; throws the first problem found.
    public func validate() throws(EstateValidationError) {
        var organisationIds: Set<String> = []
        var entityIds: Set<EUI64> = []
        for (index, organisation) in ledger.organisations.enumerated() {
            guard organisationIds.insert(organisation.id).inserted else {
                throw EstateValidationError(path: "organisations[\(index)].id", problem: "duplicate organisation ID '\(organisation.id)'")
            }
            guard entityIds.insert(organisation.entityId).inserted else {
                throw EstateValidationError(path: "organisations[\(index)].entityId", problem: "duplicate entity ID \(organisation.entityId)")
            }
        }
        guard ledger.organisations.filter({ $0.role == .acb }).count == 1 else {
            throw EstateValidationError(path: "organisations", problem: "there must be exactly one organisation with role 'acb'")
        }
        var certificateIds: Set<String> = []
        for (index, certificate) in ledger.certificates.enumerated() {
            guard certificateIds.insert(certificate.id).inserted else {
                throw EstateValidationError(path: "certificates[\(index)].id", problem: "duplicate certificate ID '\(certificate.id)'")
            }
            guard organisationIds.contains(certificate.owner) else {
                throw EstateValidationError(path: "certificates[\(index)].owner", problem: "no organisation '\(certificate.owner)'")
            }
        }
        var deviceIds: Set<EUI64> = []
        for (index, device) in devices.enumerated() {
            guard deviceIds.insert(device.id).inserted else {
                throw EstateValidationError(path: "devices[\(index)].id", problem: "duplicate device ID \(device.id)")
            }
            guard ledger.organisation(device.supplier)?.role == .supplier else {
                throw EstateValidationError(path: "devices[\(index)].supplier", problem: "no Supplier '\(device.supplier)'")
            }
            for (cell, certificate) in device.cells.all {
                guard let certificate else { continue }
                guard certificateIds.contains(certificate) else {
                    throw EstateValidationError(path: "devices[\(index)].cells.\(cell.rawValue)", problem: "no certificate '\(certificate)'")
                }
            }
        }
        for (index, request) in ledger.requests.enumerated() where !deviceIds.contains(request.device) {
            throw EstateValidationError(path: "requests[\(index)].device", problem: "no device \(request.device)")
        }
    }
}
