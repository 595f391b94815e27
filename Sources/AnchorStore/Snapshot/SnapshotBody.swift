import AnchorCore

/// The estate as the snapshot file holds it. Devices refer to certificates by ID.
struct SnapshotBody: Codable {
    var organisations: [Organisation]
    var certificates: [Certificate]
    var devices: [Device]
    var recordedCounters: [String: OriginatorCounter]
    var counterHistory: [String: [CounterHistoryEntry]]
    var requests: [RequestRecord]

    init(_ estate: Estate) {
        organisations = estate.ledger.organisations
        certificates = estate.ledger.certificates
        devices = estate.devices.devices
        recordedCounters = Dictionary(uniqueKeysWithValues: estate.ledger.recordedCounters.map { ($0.key.description, $0.value) })
        counterHistory = Dictionary(uniqueKeysWithValues: estate.ledger.counterHistory.map { ($0.key.description, $0.value) })
        requests = estate.ledger.requests
    }

    /// The estate, after checking device keys; reference checks are ``Estate/validate()``'s.
    func estate(path: String) throws(StoreError) -> Estate {
        func deviceID(_ key: String, in field: String) throws(StoreError) -> EUI64 {
            guard let id = EUI64(key) else {
                throw StoreError(code: .corrupt, message: "\(field).\(key): not a device ID", path: path)
            }
            return id
        }
        var recorded: [EUI64: OriginatorCounter] = [:]
        for (key, value) in recordedCounters { recorded[try deviceID(key, in: "recordedCounters")] = value }
        var history: [EUI64: [CounterHistoryEntry]] = [:]
        for (key, value) in counterHistory { history[try deviceID(key, in: "counterHistory")] = value }
        return Estate(
            ledger: Ledger(organisations: organisations, certificates: certificates, recordedCounters: recorded,
                           counterHistory: history, requests: requests),
            devices: DeviceTable(devices))
    }
}
