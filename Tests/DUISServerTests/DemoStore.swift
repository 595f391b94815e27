import AnchorCore
import AnchorStore
import Crypto
import DUIS
import Foundation
import GBCS
import SMKI
import Testing

/// A demo store in a fresh temporary folder, made as `anchordesk init --demo` makes it, and
/// what a demo User's tooling holds: its keys from the demo key folder.
struct DemoStore {
    let directory: String
    let now = Timestamp(iso8601: "2026-11-30T09:00:00Z")!

    /// The demo store; with `extraSuppliers`, that many more Suppliers (`load-supplier-N`) share
    /// the GPFs whose Network Operator cells hold the ACB's certificate, one client each in a load test.
    init(extraSuppliers: Int = 0) throws {
        directory = NSTemporaryDirectory() + "anchordesk-duis-\(UUID().uuidString)"
        var estate = try DemoData.load(.embedded, now: now)
        if extraSuppliers > 0 { estate = DemoStore.withSuppliers(extraSuppliers, estate) }
        try Store.create(at: directory, with: estate, replacingExisting: false)
        let vault = CredentialVault(storeDirectory: directory)
        try vault.recordDemoUserKeys(UserKeyDirectory(path: directory + "/" + UserKeyDirectory.demoFolderName))
        // Certificates valid from long before the server's clock (the system's) reads them.
        let validFrom = Date(timeIntervalSince1970: 1_600_000_000)
        try vault.save(try CredentialMaterial.generate(for: estate.ledger, validFrom: validFrom), ledger: estate.ledger)
        _ = try vault.xmlSigningCredentials(for: estate.ledger, validFrom: validFrom)
    }

    private static func withSuppliers(_ count: Int, _ estate: Estate) -> Estate {
        let names = (1...count).map { "load-supplier-\($0)" }
        var organisations = estate.ledger.organisations
        var certificates = estate.ledger.certificates
        for (index, name) in names.enumerated() {
            organisations.append(Organisation(
                id: name, name: name, role: .supplier, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0100 + UInt64(index)),
                dccUser: true, subscribed: true))
            certificates += [
                Certificate(id: name + "-ds", owner: name, keyUsage: .digitalSigning, inRepository: true),
                Certificate(id: name + "-ka", owner: name, keyUsage: .keyAgreement, inRepository: true),
            ]
        }
        let acb = Set(certificates.filter { $0.owner == "dcc-acb" }.map(\.id))
        var next = 0
        let devices = estate.devices.map { device -> Device in
            guard device.type == .gpf, let cell = device.cells[.networkOperatorDS], acb.contains(cell) else { return device }
            var reassigned = device
            reassigned.supplier = names[next % names.count]
            next += 1
            return reassigned
        }
        let old = estate.ledger
        let ledger = Ledger(
            organisations: organisations, certificates: certificates, recordedCounters: old.recordedCounters,
            counterHistory: old.counterHistory, requestLog: old.requests, lifecycle: old.lifecycle, schedule: old.schedule, alerts: old.alerts)
        return Estate(ledger: ledger, devices: DeviceTable(devices))
    }

    /// The store as it is now, read-only.
    func estate() throws -> Estate {
        let store = try Store.open(at: directory, access: .readOnly)
        defer { store.close() }
        return store.estate
    }

    func organisation(_ id: String) throws -> Organisation {
        try #require(try estate().ledger.organisation(id))
    }

    var keys: UserKeyDirectory { UserKeyDirectory(path: directory + "/" + UserKeyDirectory.demoFolderName) }

    /// `document` signed as `organisation` signs it (its XML-signing key and certificate).
    func signed(_ document: [UInt8], as organisation: String) throws -> [UInt8] {
        let entity = try self.organisation(organisation).entityId
        let key = try #require(try keys.xmlSigningKey(entity))
        let certificate = try #require(try keys.xmlSigningCertificate(entity))
        return try XMLSignature.sign(document, key: key, keyName: .init(issuer: certificate.issuerName, serial: certificate.decimalSerial))
    }

    /// The certificates of `owner` and the issuing CA, as a request carries them.
    func certificates(of owner: String) throws -> DUISRequestDocument.Certificates {
        let ledger = try estate().ledger
        let material = try #require(try CredentialVault(storeDirectory: directory).load(for: ledger))
        let owned = ledger.certificates(ownedBy: owner)
        func der(_ usage: KeyUsage) -> [UInt8]? { owned.last { $0.keyUsage == usage }.flatMap { material.certificates[$0.id]?.der } }
        return DUISRequestDocument.Certificates(
            digitalSigning: try #require(der(.digitalSigning)), keyAgreement: der(.keyAgreement), path: [material.authority.certificate.der])
    }

    /// The pre-command signed with `organisation`'s Digital Signing key, as the User does between CV4 and CV5.
    func signPreCommand(_ gbcs: [UInt8], as organisation: String) throws -> [UInt8] {
        var block = try GBCSMessage.decode(gbcs, recordingFields: false).block
        let key = try #require(try keys.key(try self.organisation(organisation).entityId, .digitalSigning))
        block.signature = .ecdsa(try P256CommandSigner(key: key).signature(over: block.signedBytes))
        return block.encoded
    }

    /// The GPFs whose Network Operator cells hold `holder`'s certificate.
    func gpfs(heldBy holder: String) throws -> [Device] {
        let estate = try estate()
        return estate.devices.filter { device in
            device.type == .gpf && device.cells[.networkOperatorDS].flatMap { estate.ledger.owner(ofCertificate: $0) }?.id == holder
        }
    }
}
