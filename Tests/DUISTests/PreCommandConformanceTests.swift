import AnchorCore
import DUIS
import Foundation
import GBCS
import GPFSimulator
import SMKI
import Testing

/// The DUIS → GBCS transformation against DCC's own pair: the DUIS template of RTDS test case
/// CS02bNOByNO 6.15.1 and the pre-command DCC made from it. The engine decides the request, the
/// wire writes the command it would send, and the bytes must be DCC's, byte for byte.
@Suite struct PreCommandConformanceTests {
    static let networkOperator = EUI64(rawValue: 0x90B3_D51F_3002_0000)
    static let device = EUI64(rawValue: 0x00DB_1234_5678_90A0)

    /// The Network Operator, its two certificates (the template's own) and the one device whose cells hold them.
    static func estate(certificates: [[UInt8]]) throws -> (Estate, CertificateDirectory) {
        var directory = CertificateDirectory()
        directory.insert(try OrganisationCertificate(der: certificates[0]), id: "no-ds")
        directory.insert(try OrganisationCertificate(der: certificates[1]), id: "no-ka")
        let ledger = Ledger(
            organisations: [
                Organisation(id: "no", name: "RTDS Network Operator", role: .networkOperator, entityId: networkOperator,
                             dccUser: true, subscribed: true, lastCounter: OriginatorCounter(1000)),
                Organisation(id: "acb", name: "ACB", role: .acb, entityId: EUI64(rawValue: 0x90B3_D51F_3000_0002), dccUser: true, subscribed: true),
                Organisation(id: "supplier", name: "Supplier", role: .supplier, entityId: EUI64(rawValue: 0x90B3_D51F_3001_0000), dccUser: true, subscribed: true),
            ],
            certificates: [
                Certificate(id: "no-ds", owner: "no", keyUsage: .digitalSigning, inRepository: true),
                Certificate(id: "no-ka", owner: "no", keyUsage: .keyAgreement, inRepository: true),
            ])
        let gpf = Device(
            id: device, type: .gpf, supplier: "supplier", commissionedAt: Timestamp(iso8601: "2023-05-02T09:00:00Z"),
            cells: TrustAnchorCells([.networkOperatorDS: "no-ds", .networkOperatorKA: "no-ka"]))
        return (Estate(ledger: ledger, devices: DeviceTable([gpf])), directory)
    }

    @Test func theTemplateRequestBecomesDCCsReferencePreCommand() throws {
        let request = try DUISRequest(try ParsedXML(try DUISFixtures.bytes("CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS-83c81ec.XML")))
        #expect(request.requestID.description == "90-B3-D5-1F-30-02-00-00:00-DB-12-34-56-78-90-A0:1200")
        #expect(try DUISServiceMapping.service(of: request) == .updateSecurityCredentials)
        guard case .updateSecurityCredentials(let body) = request.body else { Issue.record("not 6.15.1"); return }
        let (estate, directory) = try Self.estate(certificates: [try #require(body.digitalSigning), try #require(body.keyAgreement)])
        let sender = try #require(estate.ledger.organisation("no"))
        let mapped = try DUISServiceMapping.updateSecurityCredentials(body, requestID: request.requestID, sender: sender, directory: directory)
        let transform = try estate.transform(.updateSecurityCredentials(mapped), now: Timestamp(iso8601: "2025-01-01T00:00:00Z")!, directory: directory)
        let preCommand = try #require(transform.preCommand, "the engine refused: \(transform.decision.request.detail)")
        let reference = try Hex.bytes(String(decoding: try DUISFixtures.bytes("CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND_GBCS.HEX"), as: UTF8.self)
            .filter { !$0.isWhitespace })
        #expect(preCommand.encoded == reference)
    }

    @Test func aSignedPreCommandIsReadBackAsTheSameRequest() throws {
        let request = try DUISRequest(try ParsedXML(try DUISFixtures.bytes("CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS-83c81ec.XML")))
        guard case .updateSecurityCredentials(let body) = request.body else { Issue.record("not 6.15.1"); return }
        let (estate, directory) = try Self.estate(certificates: [try #require(body.digitalSigning), try #require(body.keyAgreement)])
        let sender = try #require(estate.ledger.organisation("no"))
        let mapped = try DUISServiceMapping.updateSecurityCredentials(body, requestID: request.requestID, sender: sender, directory: directory)
        var block = try #require(try estate.transform(.updateSecurityCredentials(mapped), now: Timestamp(secondsSince1970: 0), directory: directory).preCommand)
        block.signature = .ecdsa([UInt8](repeating: 7, count: 64))
        let read = try DUISServiceMapping.signedPreCommand(
            block.encoded, execution: .immediate, requestID: request.requestID, sender: sender, directory: directory)
        #expect(read.request == mapped)
        #expect(read.signature == [UInt8](repeating: 7, count: 64))
        #expect(read.signedBytes == block.signedBytes)

        let otherDevice = DUISRequestID(originator: request.requestID.originator, target: EUI64(rawValue: 1), counter: 1200)
        #expect(throws: DUISRefusal.self) {
            _ = try DUISServiceMapping.signedPreCommand(block.encoded, execution: .immediate, requestID: otherDevice, sender: sender, directory: directory)
        }
    }
}
