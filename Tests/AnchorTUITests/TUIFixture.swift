import AnchorCore
import AnchorStore
import AnchorTUI
import Foundation
import GPFSimulator
import Testing

/// Test estates and states for the console.
enum TUIFixture {
    static let now = Timestamp(iso8601: "2024-03-01T12:00:00Z")!
    static let nationalGridDevice = EUI64("00-DB-12-01-73-F7-8B-92")!
    static let secondNationalGridDevice = EUI64("00-DB-12-02-2F-AE-E4-4E")!

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled demo estate (221 devices), loaded once.
    static let demo: Estate = {
        do {
            return try DemoData.load(from: repositoryRoot.appendingPathComponent("demo-data").path, now: now)
        } catch {
            fatalError("demo-data/ did not load: \(error)")
        }
    }()

    /// The requests a ledger logged after the demo's own history (`demo-data/history.json`).
    static func requestsSinceDemo(_ ledger: Ledger) -> Slice<RequestLog> {
        ledger.requests.dropFirst(demo.ledger.requests.count)
    }

    /// The demo estate after National Grid hands the first device back, Heron Energy hands it
    /// over to Cadent, and a legacy-counter handover of the second device is refused.
    static let afterStory: Estate = {
        var estate = demo
        func submit(_ request: ServiceRequest, minutes: Int64) {
            do {
                let change = try estate.evaluate(request, now: Timestamp(secondsSince1970: now.secondsSince1970 + minutes * 60))
                estate.apply(change)
            } catch {
                fatalError("\(error)")
            }
        }
        submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: nationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])), minutes: 0)
        submit(.requestHandover(HandoverRequest(supplier: "heron-energy", device: nationalGridDevice, networkOperator: "cadent")),
               minutes: 1)
        submit(.updateSecurityCredentials(UpdateSecurityCredentialsRequest(
            sender: "national-grid", device: secondNationalGridDevice, replacementCertificates: ["acb-ds", "acb-ka"])), minutes: 2)
        submit(.requestHandover(HandoverRequest(supplier: "kestrel-supply", device: secondNationalGridDevice,
                                                networkOperator: "cadent", legacyCounters: true)), minutes: 3)
        return estate
    }()

    /// A small estate whose data tries to attack the terminal.
    static let hostile: Estate = {
        let evil = "Evil\u{1B}[31mRed\u{202E}desrever\u{07}"
        let organisations = [
            Organisation(id: "dcc-acb", name: "DCC ACB", role: .acb, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0004),
                         dccUser: true, subscribed: true, lastCounter: OriginatorCounter(48_210)),
            Organisation(id: "evil\u{1B}]52;c;aGk=\u{07}gno", name: evil, role: .networkOperator,
                         entityId: EUI64(rawValue: 0x90B3_D51F_3000_0031), dccUser: true, subscribed: true),
            Organisation(id: "supplier\u{1B}[2J", name: "Supplier \u{1B}[31m\u{202E}", role: .supplier,
                         entityId: EUI64(rawValue: 0x90B3_D51F_3000_0021), dccUser: true, subscribed: true),
        ]
        let certificates = [
            Certificate(id: "acb-ds", owner: "dcc-acb", keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "acb-ka", owner: "dcc-acb", keyUsage: .keyAgreement, inRepository: true),
            Certificate(id: "evil-ds\u{1B}[1A", owner: organisations[1].id, keyUsage: .digitalSigning, inRepository: true),
            Certificate(id: "evil-ka", owner: organisations[1].id, keyUsage: .keyAgreement, inRepository: true, revoked: true),
        ]
        let device = Device(
            id: EUI64(rawValue: 0x00DB_1200_0000_0001), type: .gpf, supplier: organisations[2].id,
            commissionedAt: Timestamp(iso8601: "2023-05-02T09:00:00Z"),
            cells: TrustAnchorCells([.networkOperatorDS: "evil-ds\u{1B}[1A", .networkOperatorKA: "evil-ka",
                                     .acbDS: "acb-ds", .acbKA: "acb-ka"]))
        return Estate(ledger: Ledger(organisations: organisations, certificates: certificates), devices: DeviceTable([device]))
    }()

    /// A synthetic estate of `count` GPFs, all as manufactured.
    static func large(_ count: Int) -> Estate {
        var estate = demo
        let template = estate.devices[0]
        var devices = Array(estate.devices)
        for index in 0..<count {
            var device = template
            device.id = EUI64(rawValue: 0x00DB_FF00_0000_0000 | UInt64(index))
            devices.append(device)
        }
        estate = Estate(ledger: estate.ledger, devices: DeviceTable(devices))
        return estate
    }

    /// A console state showing an estate.
    static func state(_ estate: Estate = demo, size: Size = .minimum, readOnly: Bool = false,
                      appearance: Appearance = Appearance(unicode: true, colour: true)) -> AppState {
        var state = AppState(storePath: "/var/lib/anchordesk", readOnly: readOnly, appearance: appearance, size: size)
        _ = Update.update(&state, .loaded(.loaded(estate, notice: nil)))
        return state
    }

    /// Feeds keys and returns every effect they asked for. The effects that only work out data
    /// from the loaded estate (device counts, reports) are performed at once, as the runtime does,
    /// with the report dated ``now``.
    @discardableResult
    static func press(_ keys: [Key], _ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += settle(Update.update(&state, .key(key)), &state) }
        return effects
    }

    /// Performs the effects that only work out data from the loaded estate, as the runtime
    /// does; returns every effect seen.
    @discardableResult
    static func settle(_ effects: [Effect], _ state: inout AppState) -> [Effect] {
        var seen: [Effect] = []
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            seen.append(effect)
            switch effect {
            case .countHoldings:
                if let estate = state.estate { pending += Update.update(&state, .holdingsCounted(OrganisationHoldings(estate: estate))) }
            case .buildReport(let kind, let asOf):
                if let estate = state.estate {
                    pending += Update.update(&state, .reportBuilt(ReportSnapshot.make(kind, estate: estate, asOf: asOf ?? now)))
                }
            default: break
            }
        }
        return seen
    }

    /// A fresh demo store on disk made from the demo data (naming its demo Users' key folder, as
    /// `init --demo` does), removed by the caller.
    static func temporaryStore() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anchordesk-tui-\(UUID().uuidString)").path
        try Store.create(at: directory, with: demo, replacingExisting: false)
        try CredentialVault(storeDirectory: directory).recordDemoUserKeys(
            UserKeyDirectory(path: directory + "/" + UserKeyDirectory.demoFolderName))
        return directory
    }

    /// Keys for typing text.
    static func type(_ text: String) -> [Key] { text.map { Key.character($0) } }
}
