import AnchorCore
import AnchorStore
import AnchorTUI
import Foundation
import SMKI
import Testing

/// The device page shows the device's own DS and KA certificates, as `cert show DEVICE-ID
/// --usage ds|ka` does: asked for once when the page opens, issued by the store's Device CA.
@Suite("Console: a device's own certificates")
struct DeviceCertificatesPageTests {
    typealias F = TUIFixture

    /// The demo credentials' deterministic Device CA and keyring (fixed seed and key).
    static let keyring = DemoCredentialsCache.credentials(for: F.demo.ledger).deviceKeys

    static func rows(_ device: EUI64) throws -> DeviceCertificateRows {
        DeviceCertificateRows(device: device, certificates: try KeyUsage.allCases.map { try keyring.certificate(for: device, usage: $0) })
    }

    @Test func openingADevicePageAsksForItsCertificatesOnce() throws {
        var state = F.state()
        #expect(F.press([.enter], &state).contains(.loadDeviceCertificates(F.nationalGridDevice)))
        #expect(!F.press([.character("j")], &state).contains(.loadDeviceCertificates(F.nationalGridDevice)), "asked for once, not at every key")
        #expect(Update.update(&state, .deviceCertificatesLoaded(try Self.rows(F.nationalGridDevice))).isEmpty)
        #expect(state.deviceCertificates?.rows.count == 2)
        // Another device's page asks for its own, and shows none of the first one's meanwhile.
        let effects = F.press([.escape, .character("j"), .enter], &state)
        guard case .device(let other) = state.screen, other != F.nationalGridDevice else { Issue.record("not on another device's page"); return }
        #expect(effects.contains(.loadDeviceCertificates(other)))
        let page = Pages.lines(for: state).map { $0.map(\.text).joined() }
        #expect(page.contains { $0.contains("issuing") })
    }

    @Test func theDevicePageShowsItsCertificatesAt80x24() throws {
        var state = F.state()
        F.press([.enter], &state)
        _ = Update.update(&state, .deviceCertificatesLoaded(try Self.rows(F.nationalGridDevice)))
        F.press([.character("G")], &state)
        Snapshot.expect(Renderer.render(state), named: "device-certificates")
        let signing = try Self.keyring.certificate(for: F.nationalGridDevice, usage: .digitalSigning)
        let text = Renderer.render(state).lines.joined(separator: "\n")
        #expect(text.contains(signing.certificate.serialNumber.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()))
    }

    @Test func aStoreWithoutADeviceCAShowsWhy() {
        var state = F.state()
        F.press([.enter], &state)
        _ = Update.update(&state, .deviceCertificatesLoaded(DeviceCertificateRows(device: F.nationalGridDevice, failure: "the store has no Device CA yet")))
        F.press([.character("G")], &state)
        #expect(Renderer.render(state).lines.contains { $0.contains("the store has no Device CA yet") })
    }

    /// The store service issues them from the store's own Device CA.
    @Test func theDiskServiceIssuesThemFromTheStoresDeviceCA() throws {
        let directory = try F.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = DiskStoreService(directory: directory, readOnly: true, demoData: nil)
        #expect(service.deviceCertificates(F.nationalGridDevice).failure == "the store has no Device CA yet")
        let material = try CredentialMaterial.generate(for: F.demo.ledger, validFrom: Date(timeIntervalSince1970: 1_700_000_000))
        try CredentialVault(storeDirectory: directory).save(material, ledger: F.demo.ledger)
        let rows = service.deviceCertificates(F.nationalGridDevice)
        #expect(rows.failure == nil)
        #expect(rows.rows.map(\.usage) == [.digitalSigning, .keyAgreement])
        let expected = try material.devices.certificate(for: F.nationalGridDevice, usage: .keyAgreement)
        #expect(rows.rows.last?.keyIdentifier.lowercased() == expected.keyIdentifier.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        #expect(rows.rows.allSatisfy { $0.validUntil.description == "9999-12-31T23:59:59Z" })
    }
}
