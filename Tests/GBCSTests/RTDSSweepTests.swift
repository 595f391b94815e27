import AnchorCore
import Foundation
import GBCS
import SMKI
import Testing

/// Every message of DCC's Reference Test Data Set (RTDS 4.5.0: 1,275 messages, `Fixtures/rtds`)
/// through the decoder and through the checks `gbcs decode --verify` makes, with the whole RTDS
/// keystore (`Fixtures/keystore`, 435 files) read as that command reads it. The counts are the
/// ones `Fixtures/README.md` reports; they were first counted with a checker written apart from
/// the project (Python's `cryptography`), not read from this decoder.
@Suite struct RTDSSweepTests {
    /// What the sweep found.
    struct Sweep {
        var messages = 0
        var failures: [String] = []
        var byCRA: [CRAFlag: Int] = [:]
        var payloadsDecoded = 0
        var misreadAsCS02: [String] = []
        var signatures: [MessageVerification.Verdict: Int] = [:]
        var macs: [MessageVerification.Verdict: Int] = [:]
        var cs02MACs: [MessageVerification.Verdict: Int] = [:]
        var uncheckedMACs: [String] = []
        var tamperedSignaturesThatVerify: [String] = []
    }

    /// The sweep, once for every test here.
    static let sweep: Sweep = {
        var sweep = Sweep()
        let keys = (try? ConformanceFixtures.keystore().keys) ?? VerificationKeys()
        for name in ConformanceFixtures.allMessageNames() {
            sweep.messages += 1
            let message: GBCSMessage
            do {
                message = try GBCSMessage.decode(try ConformanceFixtures.message(name))
            } catch {
                sweep.failures.append("\(name): \(error)")
                continue
            }
            sweep.byCRA[message.block.cra, default: 0] += 1
            if expectedCRA(name) != message.block.cra { sweep.failures.append("\(name): read as a \(message.block.cra.name)") }
            let decodedAsCS02: Bool
            switch message.payload {
            case .raw: decodedAsCS02 = false
            default: decodedAsCS02 = true
            }
            if decodedAsCS02 {
                sweep.payloadsDecoded += 1
                if !["CS02b", "CS02d", "CS02g"].contains(where: name.hasPrefix) { sweep.misreadAsCS02.append(name) }
            } else if isKnownCode(message.block.messageCode) {
                sweep.failures.append("\(name): message code \(MessageCode.hex(message.block.messageCode)) left as bytes")
            }
            let verification = MessageVerification.check(message, keys: keys)
            sweep.signatures[verification.signature, default: 0] += 1
            sweep.macs[verification.mac, default: 0] += 1
            if decodedAsCS02, message.mac != nil { sweep.cs02MACs[verification.mac, default: 0] += 1 }
            if verification.mac == .unchecked { sweep.uncheckedMACs.append(name) }
            if verification.signature == .valid {
                var tampered = message
                tampered.signedBytes[tampered.signedBytes.count / 2] ^= 0x01
                if MessageVerification.check(tampered, keys: keys).signature != .invalid { sweep.tamperedSignaturesThatVerify.append(name) }
            }
        }
        return sweep
    }()

    /// The CRA flag a message's file name says it has.
    static func expectedCRA(_ name: String) -> CRAFlag? {
        let words = Set(name.split(separator: "_"))
        if words.contains("ALERT") { return .alert }
        if words.contains("RESPONSE") { return .response }
        if words.contains("COMMAND") || words.contains("PRECOMMAND") { return .command }
        return nil
    }

    /// The message codes whose payloads AnchorDesk decodes: CS02b, its alert, CS02d, CS02g and its alert.
    static func isKnownCode(_ code: UInt16) -> Bool {
        MessageCode.isUpdateSecurityCredentials(code)
            || [MessageCode.updateSecurityCredentialsAlert, MessageCode.updateDeviceCertificate,
                MessageCode.loadControllerUpdate, MessageCode.loadControllerAlert].contains(code)
    }

    @Test func everyMessageDecodesItsHeaderAsItsNameSays() {
        let sweep = Self.sweep
        #expect(sweep.messages == 1275)
        #expect(sweep.failures.isEmpty, "\(sweep.failures.prefix(10))")
        #expect(sweep.byCRA == [.command: 679, .response: 503, .alert: 93])
    }

    @Test func everyPayloadAnchorDeskKnowsIsDecodedAndNoOtherIsMisreadAsCS02() {
        let sweep = Self.sweep
        #expect(sweep.payloadsDecoded == 65)
        #expect(sweep.misreadAsCS02.isEmpty, "\(sweep.misreadAsCS02)")
    }

    @Test func everySignatureVerifiesWithTheKeystoreAndNoneSurvivesAFlippedByte() {
        let sweep = Self.sweep
        #expect(sweep.signatures == [.valid: 472, .absent: 803])
        #expect(sweep.tamperedSignaturesThatVerify.isEmpty)
    }

    /// 811 of the 815 MACs verify; the 4 left are PCS01 and PCS02, one device's command to
    /// another and its response, MACed with the two devices' own keys, which are not public.
    @Test func everyMACWhoseKeysArePublicVerifies() {
        let sweep = Self.sweep
        #expect(sweep.macs == [.valid: 811, .unchecked: 4, .absent: 460])
        #expect(sweep.uncheckedMACs.allSatisfy { $0.hasPrefix("PCS01_") || $0.hasPrefix("PCS02_") }, "\(sweep.uncheckedMACs)")
        #expect(sweep.cs02MACs == [.valid: 21])
    }

    @Test func theWholeKeystoreIsReadIncludingCertificatesThatAreNotStrictDER() throws {
        let (keys, leftOut) = try ConformanceFixtures.keystore()
        #expect(leftOut.isEmpty, "\(leftOut)")
        // 208 -ds.pem, 207 -ka.pem (fffffffffffffffe-ka.pem a bare public key) and 8 -ka.key; the
        // prepayment `-pp-ka` files and the `-ds.key` files are not what the name layout reads.
        #expect(keys.signing.count == 208 && keys.keyAgreement.count == 207 && keys.keyAgreementPrivate.count == 8)
        for (entity, usage) in [("00db123456789023", "ka"), ("00db12345678909b", "ds")] {
            let certificate = try ConformanceFixtures.certificate(entity, usage)
            #expect(certificate.readLeniently, "\(entity)-\(usage).pem has a non-minimal INTEGER in its signature")
            #expect(certificate.deviceId?.description == EUI64(entity)?.description)
        }
        #expect(try !ConformanceFixtures.certificate("00db1234567890a0", "ds").readLeniently)
    }
}
