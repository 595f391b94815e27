import AnchorCore
import AnchorStore
import DUIS
import Foundation
import Testing

/// XMLDSig interoperability with Debian's xmlsec1: it signs requests AnchorDesk accepts, and
/// verifies every kind of response AnchorDesk signs; a changed byte and a wrong key fail there too.
@Suite(.serialized, .enabled(if: XMLSec.shouldRun)) struct XMLSecInteropTests {
    @Test func xmlsecSignsRequestsAnchorDeskAcceptsAndVerifiesEveryResponse() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let nationalGrid = try store.organisation("national-grid")
        let device = try #require(try store.gpfs(heldBy: "national-grid").first)
        let keyFile = store.keys.xmlSigningKeyPath(nationalGrid.entityId)
        let certificateFile = keyFile.replacingOccurrences(of: "-xml.key", with: "-xml.pem")

        // xmlsec1 signs the User's CV4 request.
        let id = DUISRequestID(originator: nationalGrid.entityId, target: device.id, counter: nationalGrid.lastCounter.value + 1)
        let unsigned = DUISRequestDocument.updateSecurityCredentials(requestID: id, floor: nil, certificates: try store.certificates(of: "dcc-acb"))
        let template = try XMLSec.file(XMLSec.template(unsigned), named: "template.xml")
        let signedFile = template.replacingOccurrences(of: "template.xml", with: "signed.xml")
        let signing = try XMLSec.run(["--sign", "--privkey-pem", "\(keyFile),\(certificateFile)", "--output", signedFile, template])
        #expect(signing.status == 0, "\(signing.output)")
        let signedByXMLSec = Array(try Data(contentsOf: URL(fileURLWithPath: signedFile)))
        let transformed = try await harness.answer(.transform, signedByXMLSec)
        #expect(transformed.code == "I0")

        // The same request with a changed byte, or unsigned, is refused.
        var changed = signedByXMLSec
        let index = try #require(changed.firstIndex(of: UInt8(ascii: "6")))
        changed[index] = UInt8(ascii: "7")
        #expect(try await harness.answer(.transform, changed).code == "E1")
        #expect(try await harness.answer(.transform, unsigned).code == "E1")

        // Every response AnchorDesk signs verifies in xmlsec1 with the DSP's certificate: I0, I99, an error, a device response.
        let cv5 = try store.signed(
            DUISRequestDocument.signedPreCommand(requestID: id, gbcs: try store.signPreCommand(try #require(transformed.preCommand), as: "national-grid")),
            as: "national-grid")
        let accepted = try await harness.answer(.sendCommand, cv5)
        let refused = try await harness.answer(.sendCommand, cv5)
        let asynchronous = try #require(await harness.receiver.waitFor(1).first)
        #expect([accepted.code, refused.code] == ["I99", "E061504"])
        let dsp = try #require(try store.estate().ledger.soleOrganisation(withRole: .acb))
        let dspCertificate = try XMLSec.file(
            Array(try #require(try AnchorStoreAccess.xmlSigningCertificates(store)[dsp.entityId]).pem.utf8), named: "dsp.pem")
        for (name, response) in [("I0", transformed.bytes), ("I99", accepted.bytes), ("E061504", refused.bytes), ("device response", asynchronous)] {
            let file = try XMLSec.file(response, named: "response.xml")
            let verified = try XMLSec.run(["--verify", "--pubkey-cert-pem", dspCertificate, file])
            #expect(verified.status == 0, "\(name): \(verified.output)")
            // The response's year, in the signed part of the document, goes up by one.
            var tampered = response
            let tag = Array("<sr:ResponseDateTime>".utf8)
            let start = try #require((0...(tampered.count - tag.count)).first { tampered[$0..<($0 + tag.count)].elementsEqual(tag) })
            tampered[start + tag.count + 3] += 1
            #expect(try XMLSec.run(["--verify", "--pubkey-cert-pem", dspCertificate, try XMLSec.file(tampered, named: "t.xml")]).status != 0, "\(name) tampered")
            #expect(try XMLSec.run(["--verify", "--pubkey-cert-pem", certificateFile, file]).status != 0, "\(name) with a wrong key")
        }
    }

    @Test func aRequestSignedWithAnotherKeyIsRefused() async throws {
        let store = try DemoStore()
        let harness = try await DUISHarness(store: store)
        defer { Task { await harness.stop() } }
        let nationalGrid = try store.organisation("national-grid")
        let cadent = try store.organisation("cadent")
        let device = try #require(try store.gpfs(heldBy: "national-grid").first)
        let id = DUISRequestID(originator: nationalGrid.entityId, target: device.id, counter: nationalGrid.lastCounter.value + 1)
        let unsigned = DUISRequestDocument.updateSecurityCredentials(requestID: id, floor: nil, certificates: try store.certificates(of: "dcc-acb"))
        // Cadent's key, with KeyInfo naming National Grid's certificate.
        let certificate = try #require(try store.keys.xmlSigningCertificate(nationalGrid.entityId))
        let wrong = try XMLSignature.sign(
            unsigned, key: try #require(try store.keys.xmlSigningKey(cadent.entityId)),
            keyName: .init(issuer: certificate.issuerName, serial: certificate.decimalSerial))
        #expect(try await harness.answer(.transform, wrong).code == "E1")
    }
}
