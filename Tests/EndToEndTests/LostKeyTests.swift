import Foundation
import SMKI
import Testing

/// A store directory that lost one of the DCC's private files (a key deleted, a folder restored in
/// part) says which, and makes none anew: a new issuing CA, Device CA, devices' seed or DSP
/// XML-signing key would be trusted by no device or User, and a new seed would overwrite the one
/// the folder still holds.
@Suite("End to end: a store that lost one of the DCC's keys makes none")
struct LostKeyTests {
    @Test(arguments: ["issuing-ca.key", "device-ca.key", "devices.seed", "dsp-xml.key"])
    func theLostFileIsNamedAndNothingIsMadeOrDecided(lost: String) throws {
        let store = try DemoStore()
        defer { store.remove() }
        try FileManager.default.removeItem(atPath: store.path + "/smki/keys/" + lost)
        let folder = try DemoStore.files(in: store.path + "/smki")
        let command = lost == "dsp-xml.key" ? ["serve", "--listen", "127.0.0.1:0"]
            : ["request", "6.15.1", "--as", "national-grid", "--device", "00-DB-12-01-73-F7-8B-92", "--cert", "acb"]
        let refused = try AnchorDeskProcess.run([], via: ["/usr/bin/timeout", "60", AnchorDeskProcess.executable] + command + ["--store", store.path])
        #expect(refused.exitCode == 3, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("keys/" + lost) && refused.stderr.contains("makes none"), "\(refused.stderr)")
        #expect(try DemoStore.files(in: store.path + "/smki") == folder, "the folder changed")
        #expect(try store.requestsSinceInit().isEmpty)
    }

    /// `init --force` makes a new issuing CA, so every XML-signing certificate the old one issued
    /// (the DSP's, and the demo Users') is made again under the new one, the DSP's with a new key,
    /// whether or not the old store still held its key.
    @Test(arguments: [false, true])
    func initForceIssuesEveryXMLSigningCertificateAgainUnderItsNewCA(lostTheDSPsKey: Bool) throws {
        let store = try DemoStore()
        defer { store.remove() }
        let dspKey = store.path + "/smki/keys/dsp-xml.key"
        let oldKey = try Data(contentsOf: URL(fileURLWithPath: dspKey))
        if lostTheDSPsKey { try FileManager.default.removeItem(atPath: dspKey) }
        let again = try store.run(["init", "--demo", "--force"])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dspKey)) != oldKey, "the DSP's XML-signing key was not made again")
        let authority = try OrganisationCertificate(pem: String(contentsOfFile: store.path + "/smki/issuing-ca.pem", encoding: .utf8))
        let folder = store.path + "/smki/xml-signing"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names.count >= 10, "\(names)")
        for name in names {
            let certificate = try OrganisationCertificate(pem: String(contentsOfFile: folder + "/" + name, encoding: .utf8))
            #expect(certificate.isIssued(by: authority), "\(name) is the old issuing CA's")
        }
    }
}
