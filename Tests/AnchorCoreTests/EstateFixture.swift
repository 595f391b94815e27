import AnchorCore
import GPFSimulator

/// A small estate with one of everything the rules care about.
enum EstateFixture {
    static let now = Timestamp(secondsSince1970: 1_700_000_000)
    static let acbGenerated: UInt64 = 48_211
    static let nationalGridFloor: UInt64 = 1_646_000_000_000_000
    static let nationalGridLast: UInt64 = 1_647_302_400_000_000

    static let nationalGridDevice = EUI64(rawValue: 0x00DB_1200_0000_0001)
    static let secondNationalGridDevice = EUI64(rawValue: 0x00DB_1200_0000_0002)
    static let acbDevice = EUI64(rawValue: 0x00DB_1200_0000_0003)
    static let cadentDevice = EUI64(rawValue: 0x00DB_1200_0000_0004)
    static let electricityMeter = EUI64(rawValue: 0x00DB_1200_0000_0005)

    static func organisations() -> [Organisation] {
        [
            Organisation(id: "dcc-acb", name: "DCC ACB", role: .acb, entityId: eui(0x04), dccUser: true,
                         subscribed: true, lastCounter: OriginatorCounter(acbGenerated - 1)),
            Organisation(id: "recovery", name: "SMKI Recovery", role: .recovery, entityId: eui(0x01), dccUser: false, subscribed: true),
            Organisation(id: "national-grid", name: "National Grid", role: .networkOperator, entityId: eui(0x31),
                         dccUser: true, subscribed: true, lastCounter: OriginatorCounter(nationalGridLast)),
            Organisation(id: "cadent", name: "Cadent", role: .networkOperator, entityId: eui(0x32),
                         dccUser: true, subscribed: true, lastCounter: OriginatorCounter(1200)),
            Organisation(id: "ngn", name: "Northern Gas Networks", role: .networkOperator, entityId: eui(0x33),
                         dccUser: false, subscribed: false),
            Organisation(id: "brightwater", name: "Brightwater Gas", role: .supplier, entityId: eui(0x21),
                         dccUser: true, subscribed: true, lastCounter: OriginatorCounter(500)),
            Organisation(id: "heron", name: "Heron Energy", role: .supplier, entityId: eui(0x22),
                         dccUser: true, subscribed: true, lastCounter: OriginatorCounter(800)),
        ]
    }

    static func certificates() -> [Certificate] {
        [
            Certificate(id: "acb-ds", owner: "dcc-acb", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "acb-ka", owner: "dcc-acb", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "recovery-ds", owner: "recovery", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "ng-ds", owner: "national-grid", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "ng-ka", owner: "national-grid", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "cadent-ds", owner: "cadent", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "cadent-ka", owner: "cadent", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "brightwater-ds", owner: "brightwater", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "brightwater-ka", owner: "brightwater", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "heron-ds", owner: "heron", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "heron-ka", owner: "heron", keyUsage: .keyAgreement, inRepository: true),
        ]
    }

    static func device(_ id: EUI64, type: DeviceType = .gpf, supplier: String = "brightwater",
                       networkOperator: (String, String), floor: UInt64 = 0) -> Device {
        var floors = AntiReplayFloors()
        floors[.networkOperator] = OriginatorCounter(floor)
        return Device(
            id: id, type: type, supplier: supplier, commissionedAt: Timestamp(iso8601: "2023-05-02T09:00:00Z"),
            cells: TrustAnchorCells([
                .recovery: "recovery-ds", .supplierDS: "\(supplier)-ds", .supplierKA: "\(supplier)-ka",
                .networkOperatorDS: networkOperator.0, .networkOperatorKA: networkOperator.1,
                .acbDS: "acb-ds", .acbKA: "acb-ka",
            ]),
            floors: floors)
    }

    static func estate() -> Estate {
        Estate(
            ledger: Ledger(organisations: organisations(), certificates: certificates()),
            devices: DeviceTable([
                device(nationalGridDevice, networkOperator: ("ng-ds", "ng-ka"), floor: nationalGridFloor),
                device(secondNationalGridDevice, networkOperator: ("ng-ds", "ng-ka"), floor: nationalGridFloor),
                device(acbDevice, networkOperator: ("acb-ds", "acb-ka")),
                device(cadentDevice, supplier: "heron", networkOperator: ("cadent-ds", "cadent-ka"), floor: 1000),
                device(electricityMeter, type: .esme, networkOperator: ("acb-ds", "acb-ka")),
            ]))
    }

    static func eui(_ low: UInt64) -> EUI64 { EUI64(rawValue: 0x90B3_D51F_3000_0000 | low) }

    /// The demo's organisation IDs, enough for a synthetic estate.
    static func demoLikeOrganisations() -> [Organisation] {
        [
            Organisation(id: "dcc-acb", name: "ACB", role: .acb, entityId: eui(0x04), dccUser: true, subscribed: true,
                         lastCounter: OriginatorCounter(48_210)),
            Organisation(id: "national-grid", name: "National Grid", role: .networkOperator, entityId: eui(0x10), dccUser: true,
                         subscribed: true, lastCounter: OriginatorCounter(nationalGridLast)),
            Organisation(id: "cadent", name: "Cadent", role: .networkOperator, entityId: eui(0x11), dccUser: true, subscribed: true,
                         lastCounter: OriginatorCounter(1200)),
            Organisation(id: "brightwater-gas", name: "Brightwater", role: .supplier, entityId: eui(0x20), dccUser: true,
                         subscribed: true, lastCounter: OriginatorCounter(500)),
            Organisation(id: "heron-energy", name: "Heron", role: .supplier, entityId: eui(0x21), dccUser: true, subscribed: true,
                         lastCounter: OriginatorCounter(800)),
            Organisation(id: "kestrel-supply", name: "Kestrel", role: .supplier, entityId: eui(0x22), dccUser: true,
                         subscribed: true, lastCounter: OriginatorCounter(300)),
        ]
    }

    static func demoLikeCertificates() -> [Certificate] {
        ["dcc-acb": "acb", "national-grid": "national-grid", "cadent": "cadent", "brightwater-gas": "brightwater",
         "heron-energy": "heron", "kestrel-supply": "kestrel"].sorted { $0.key < $1.key }.flatMap { owner, short in
            [Certificate(id: "\(short)-ds", owner: owner, keyUsage: .digitalSigning, inRepository: true),
             Certificate(id: "\(short)-ka", owner: owner, keyUsage: .keyAgreement, inRepository: true)]
        }
    }
}

extension Estate {
    /// Evaluates and applies a request, as a store would after making it durable.
    @discardableResult
    mutating func submit(_ request: ServiceRequest, now: Timestamp = EstateFixture.now) throws(RequestError) -> RequestRecord {
        let change = try evaluate(request, now: now)
        apply(change)
        return change.ledger.request
    }

    @discardableResult
    mutating func handBack(_ device: EUI64, counter: UInt64? = nil, newFloor: UInt64? = nil) throws(RequestError) -> RequestRecord {
        try submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: device, replacementCertificates: ["acb-ds", "acb-ka"],
            counter: counter.map(OriginatorCounter.init), newFloor: newFloor.map(OriginatorCounter.init))))
    }

    @discardableResult
    mutating func handOver(_ device: EUI64, supplier: String = "brightwater", to gno: String = "cadent",
                           legacy: Bool = false) throws(RequestError) -> RequestRecord {
        try submit(.requestHandover(HandoverRequest(supplier: supplier, device: device, networkOperator: gno, legacyCounters: legacy)))
    }

    func networkOperatorCell(of device: EUI64) -> String? { devices[device]?.cells[.networkOperatorDS] }
}
