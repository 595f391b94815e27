import AnchorCore
import Crypto
import DUIS
import Foundation
import SMKI
import Testing

/// Every kind of DUIS message AnchorDesk writes (a User's signed 6.15.1, 6.15.1 signed
/// pre-command and 6.21 requests) or answers (the DSP's signed responses: every response code,
/// with no payload, a pre-command or a device's GBCS response) validates against DCC's DUIS
/// Schema V5.4 (`Fixtures/schema`, source in its README), checked by libxml2's `xmllint`.
///
/// The signing certificates here have 3-octet serials: libxml2 holds an `xs:integer` of at most
/// 24 digits, and refuses the 38-39 digit `X509SerialNumber` of a 16-octet serial (what `init`
/// issues) although the schema allows it.
@Suite(.enabled(if: XMLLint.shouldRun, "xmllint (Debian's libxml2-utils) is not installed"))
struct DUISSchemaTests {

    static let authority = try! DemoIssuingAuthority(key: P256.Signing.PrivateKey(), validFrom: Date(timeIntervalSince1970: 1_700_000_000))
    static let user = EUI64(rawValue: 0x90B3_D51F_3002_0000)
    static let dsp = EUI64(rawValue: 0x90B3_D51F_3000_0002)
    static let device = EUI64(rawValue: 0x00DB_1234_5678_90A0)

    /// A key and the name its XML signatures give, from a certificate with a short serial.
    static func signer(_ entity: EUI64, unit: String) throws -> (key: P256.Signing.PrivateKey, name: XMLSignature.KeyName) {
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(entity: entity, organisationalUnit: unit, usage: .digitalSigning, publicKey: key.publicKey,
                                              serial: [0x01, 0x02, 0x03], validFrom: Date(timeIntervalSince1970: 1_700_000_000))
        return (key, XMLSignature.KeyName(issuer: certificate.issuerName, serial: certificate.decimalSerial))
    }

    static func certificates() throws -> DUISRequestDocument.Certificates {
        let signing = try authority.issue(entity: user, organisationalUnit: "03", usage: .digitalSigning, publicKey: P256.Signing.PrivateKey().publicKey,
                                          serial: [0x04], validFrom: Date(timeIntervalSince1970: 1_700_000_000))
        let agreement = try authority.issue(entity: user, organisationalUnit: "03", usage: .keyAgreement, publicKey: P256.Signing.PrivateKey().publicKey,
                                            serial: [0x05], validFrom: Date(timeIntervalSince1970: 1_700_000_000))
        return DUISRequestDocument.Certificates(digitalSigning: signing.der, keyAgreement: agreement.der, path: [authority.certificate.der])
    }

    @Test func everyRequestAnchorDeskWritesValidates() throws {
        let (key, name) = try Self.signer(Self.user, unit: "87")
        let id = DUISRequestID(originator: Self.user, target: Self.device, counter: 1200)
        let certificates = try Self.certificates()
        let withoutKeyAgreement = DUISRequestDocument.Certificates(
            digitalSigning: certificates.digitalSigning, keyAgreement: nil, path: certificates.path)
        let requests: [(String, [UInt8])] = [
            ("6.15.1 with a floor", DUISRequestDocument.updateSecurityCredentials(requestID: id, floor: 0, certificates: certificates)),
            ("6.15.1 without a floor, DS only", DUISRequestDocument.updateSecurityCredentials(
                requestID: id, floor: nil, certificates: withoutKeyAgreement, applyTimeBasedChecks: false)),
            ("6.15.1 future-dated", DUISRequestDocument.updateSecurityCredentials(
                requestID: id, floor: nil, certificates: certificates, execution: .at(try #require(Timestamp(iso8601: "2026-12-24T00:00:00Z"))))),
            ("6.15.1 cancelling the future-dated one", DUISRequestDocument.updateSecurityCredentials(
                requestID: id, floor: nil, certificates: certificates, execution: .cancelScheduled)),
            ("6.15.1 signed pre-command", DUISRequestDocument.signedPreCommand(requestID: id, gbcs: [0xDF, 0x09, 0x01, 0x02])),
            ("6.21", DUISRequestDocument.requestHandover(requestID: id, certificates: certificates)),
        ]
        for (label, unsigned) in requests {
            let signed = try XMLSignature.sign(unsigned, key: key, keyName: name)
            let verdict = try XMLLint.validate(signed)
            #expect(verdict.valid, "\(label): \(verdict.output)")
        }
    }

    @Test func everyResponseTheDSPAnswersValidates() throws {
        let (key, name) = try Self.signer(Self.dsp, unit: "89")
        let id = DUISRequestID(originator: Self.user, target: Self.device, counter: 1200)
        var responses: [(String, DUISResponse)] = DUISResponseCode.allCases.map { code in
            (code.rawValue, DUISResponse(requestID: id.description, code: code, dateTime: Date(timeIntervalSince1970: 1_700_000_000.25),
                                         serviceReference: "6.15", serviceReferenceVariant: "6.15.1"))
        }
        responses.append(("pre-command", DUISResponse(
            requestID: id.description, code: .success, dateTime: Date(), serviceReference: "6.15", serviceReferenceVariant: "6.15.1",
            payload: .preCommand(gbcsVersion: "4.0", gbcs: [0xDF, 0x09, 0x01]))))
        responses.append(("device response", DUISResponse(
            requestID: id.description, responseID: id.responseID, code: .success, dateTime: Date(), serviceReference: "6.21",
            serviceReferenceVariant: "6.21", payload: .gbcs([0xDF, 0x09, 0x02]))))
        responses.append(("no device response", DUISResponse(
            requestID: id.description, responseID: id.responseID, code: .noDeviceResponse, dateTime: Date(), serviceReference: "6.21",
            serviceReferenceVariant: "6.21")))
        for (label, response) in responses {
            let signed = try XMLSignature.sign(response.xml, key: key, keyName: name)
            let verdict = try XMLLint.validate(signed)
            #expect(verdict.valid, "\(label): \(verdict.output)")
        }
    }

    /// The check can fail: a response with a code the schema does not list, or without its
    /// service reference, and a certificate serial libxml2 cannot hold, are refused.
    @Test func documentsTheSchemaRefusesAreRefused() throws {
        let (key, name) = try Self.signer(Self.dsp, unit: "89")
        let id = DUISRequestID(originator: Self.user, target: Self.device, counter: 1200)
        let response = DUISResponse(requestID: id.description, code: .success, dateTime: Date(), serviceReference: "6.15", serviceReferenceVariant: "6.15.1")
        let text = String(decoding: response.xml, as: UTF8.self)
        #expect(try XMLLint.validate(try XMLSignature.sign(response.xml, key: key, keyName: name)).valid)
        for broken in [
            text.replacingOccurrences(of: ">I0<", with: ">Z9<"),
            text.replacingOccurrences(of: "<sr:ServiceReference>6.15</sr:ServiceReference>", with: ""),
            text.replacingOccurrences(of: id.description, with: "not-a-request-id"),
        ] {
            #expect(try !XMLLint.validate(try XMLSignature.sign(Array(broken.utf8), key: key, keyName: name)).valid, "\(broken)")
        }
        let longSerial = XMLSignature.KeyName(issuer: name.issuer, serial: String(repeating: "9", count: 39))
        #expect(try !XMLLint.validate(try XMLSignature.sign(response.xml, key: key, keyName: longSerial)).valid)
    }
}

/// libxml2's `xmllint`, run as a process, validating against DCC's DUIS schema in `Fixtures/schema`.
enum XMLLint {
    static let path = "/usr/bin/xmllint"
    static let schema = DUISFixtures.folder.appendingPathComponent("schema/duis-schema-v5.4.xsd").path

    /// xmllint is installed, or this is CI (where `.ci/run` installs it, so a missing one fails rather than skips).
    static var shouldRun: Bool {
        FileManager.default.isExecutableFile(atPath: path) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// xmllint's verdict on `document`: whether it validates, and what it said.
    static func validate(_ document: [UInt8]) throws -> (valid: Bool, output: String) {
        let folder = NSTemporaryDirectory() + "duis-schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/message.xml"
        try Data(document).write(to: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--noout", "--nonet", "--schema", schema, file]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: output, as: UTF8.self))
    }
}
