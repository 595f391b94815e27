import AnchorCore
import DUIS
import DUISServer
import Testing
@testable import anchordesk

/// An operator's machine signs the request a DSP drafted for its User only if it is the request
/// asked for: nothing of another is signed, whoever answers in the DSP's name.
@Suite struct AskedDraftTests {
    typealias S = BulkPreCommandSignerTests
    static let handBack = DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: S.device, certificate: "acb")
    static let handover = DUISRequestDraft(service: .requestHandover, organisation: "heron-energy", device: S.device, networkOperator: "cadent")

    static func certificates(_ ds: [UInt8], _ ka: [UInt8]?) -> DUISRequestDocument.Certificates {
        DUISRequestDocument.Certificates(digitalSigning: ds, keyAgreement: ka, path: [ds])
    }

    static func handBackXML(counter: UInt64 = S.counter, device: EUI64 = S.device, floor: UInt64? = nil, execution: CommandExecution = .immediate,
                            _ certificates: DUISRequestDocument.Certificates = certificates(S.acbDS, S.acbKA)) -> [UInt8] {
        DUISRequestDocument.updateSecurityCredentials(
            requestID: DUISRequestID(originator: S.gno, target: device, counter: counter), floor: floor, certificates: certificates, execution: execution)
    }

    @Test func theRequestAskedForIsTaken() throws {
        let check = AskedDraft(draft: Self.handBack, signer: S.gno, allowCounterJump: false)
        #expect(try check.check(Self.handBackXML()).get().requestID.counter == S.counter)
        let handover = DUISRequestDocument.requestHandover(requestID: DUISRequestID(originator: S.gno, target: S.device, counter: 7),
                                                           certificates: Self.certificates(S.cadentDS, S.cadentKA))
        #expect(throws: Never.self) { try AskedDraft(draft: Self.handover, signer: S.gno, allowCounterJump: false).check(handover).get() }
    }

    @Test func nothingElseIsTaken() throws {
        let due = try #require(Timestamp(iso8601: "2026-12-24T00:00:00Z"))
        let check = AskedDraft(draft: Self.handBack, signer: S.gno, allowCounterJump: false)
        let refused: [(String, [UInt8])] = [
            ("another device", Self.handBackXML(device: S.other)),
            ("a counter 2^52 or more, not asked for", Self.handBackXML(counter: 1 << 60)),
            ("a floor not asked for", Self.handBackXML(floor: UInt64(Int64.max))),
            ("future-dated, not asked for", Self.handBackXML(execution: .at(due))),
            ("a cancellation, not asked for", Self.handBackXML(execution: .cancelScheduled)),
            ("a Network Operator's certificates for the ACB's", Self.handBackXML(Self.certificates(S.cadentDS, S.cadentKA))),
            ("a Supplier's certificate", Self.handBackXML(Self.certificates(S.supplierDS, nil))),
            ("two owners' certificates", Self.handBackXML(Self.certificates(S.acbDS, S.cadentKA))),
            ("a KA certificate as the DS one", Self.handBackXML(Self.certificates(S.acbKA, nil))),
            ("the ACB's DS alone", Self.handBackXML(Self.certificates(S.acbDS, nil))),
            ("SRV6.21 for SRV6.15.1", DUISRequestDocument.requestHandover(
                requestID: DUISRequestID(originator: S.gno, target: S.device, counter: S.counter), certificates: Self.certificates(S.acbDS, S.acbKA))),
            ("not a DUIS request", Array("<x/>".utf8)),
        ]
        for (what, xml) in refused {
            #expect(!Self.taken(check.check(xml)), "\(what)")
        }
        // Another User's request: the signer is the User the XML-signing certificate names.
        #expect(!Self.taken(AskedDraft(draft: Self.handBack, signer: EUI64(rawValue: 0x90B3_D51F_3000_0011), allowCounterJump: false)
            .check(Self.handBackXML())))
        // A large counter, when a jump was allowed; the counter typed, and no other.
        #expect(throws: Never.self) { try AskedDraft(draft: Self.handBack, signer: S.gno, allowCounterJump: true).check(Self.handBackXML(counter: 1 << 60)).get() }
        var typed = Self.handBack
        typed.counter = S.counter + 1
        #expect(!Self.taken(AskedDraft(draft: typed, signer: S.gno, allowCounterJump: false).check(Self.handBackXML())))
        // With the SMKI Organisation CA kept beside the User's keys, certificates another CA made are refused.
        let pinned = AskedDraft(draft: Self.handBack, signer: S.gno, allowCounterJump: false, issuer: S.authority.certificate)
        #expect(Self.taken(pinned.check(Self.handBackXML())))
        let forged = S.forgedACBs.map(\.certificate)
        #expect(!Self.taken(pinned.check(Self.handBackXML(Self.certificates(forged[0], forged[1])))))
        #expect(Self.taken(check.check(Self.handBackXML(Self.certificates(forged[0], forged[1])))), "without the CA, the role is all that is read")
        // SRV6.21 places a Network Operator's certificates, never the ACB's.
        let toTheACB = DUISRequestDocument.requestHandover(requestID: DUISRequestID(originator: S.gno, target: S.device, counter: 7),
                                                           certificates: Self.certificates(S.acbDS, S.acbKA))
        #expect(!Self.taken(AskedDraft(draft: Self.handover, signer: S.gno, allowCounterJump: false).check(toTheACB)))
    }

    static func taken(_ checked: Result<DUISRequest, AskedDraft.Mismatch>) -> Bool {
        if case .success = checked { return true }
        return false
    }
}
