import AnchorCore
import Crypto
import Foundation
import GBCS
import SMKI
import Testing
import X509

/// GBCS conformance against published bytes: the GBCS §18.4 cryptographic test vector and DCC's
/// RTDS 4.5.0 reference messages in `Fixtures/` (sources in its README). Expected values were read
/// from the bytes by hand, not produced by the decoder under test.
@Suite struct ConformanceTests {
    // MARK: GBCS §18.4 (as published in HenryGiraldo/gbcs, python/gbcs-tests.py, public domain)

    static let vectorMessage = """
        DD00000000000081A91100000000DF0901000000000000000108123456789ABCDEF008FFFFFFFFFFFFFFFE000200B335D9200000010003\
        0300700000130A00FF020300700000130A01FF020300700000130A02FF02030500000000050000000005000000004059045AB0F554622B\
        0360340B9D87B5A23ED5723B41DE3F206E58CDD10F915B9FE2E12E2DA3632478A8DF678E418895869AC1E55318CCE04D120D2D6B44DC16\
        7B5D832D15B57A56D620F198B3
        """

    @Test func theGBCS18_4VectorsMACAndSignatureVerify() throws {
        let message = try GBCSMessage.decode(try Hex.bytes(Self.vectorMessage))
        let acb = try P256.KeyAgreement.PrivateKey(rawRepresentation: try Hex.bytes(
            "E4A6CFB431471CFCAE491FD566D19C87082CF9FA7722D7FA24B2B3F5669DBEFB"))
        let device = try P256.KeyAgreement.PublicKey(rawRepresentation: try Hex.bytes(
            "2DB45A3F21889438B42C8F464C75292BACF5FDDB5DA0B492501B299CBFE92D8FDB90FC8FF4026129838B1BCAD1402CAE47FE7D8084E409A41AFCE16D63579C5F"))
        let secret = try acb.sharedSecretFromKeyAgreement(with: device)
        #expect(message.mac == Array(try Hex.bytes(Self.vectorMessage).suffix(12)))
        #expect(CommandMAC.verifies(message, sharedSecret: secret))

        let supplier = try P256.Signing.PublicKey(rawRepresentation: try Hex.bytes(
            "76628E1C84EF7935548AE5D62C7BB3AD28964CF794F0387A697EEC19CDD98F460A4D5E19087EF7216ED89C29831A6EE838C8DE88EF34F11D3F41F36D80B2A5D5"))
        guard case .ecdsa(let signature) = message.block.signature else { Issue.record("no signature"); return }
        let parsed = try P256.Signing.ECDSASignature(rawRepresentation: signature)
        #expect(supplier.isValidSignature(parsed, for: message.signedBytes))

        var tampered = try Hex.bytes(Self.vectorMessage)
        tampered[40] ^= 0x01
        #expect(!CommandMAC.verifies(try GBCSMessage.decode(tampered), sharedSecret: secret))
    }

    // MARK: MACs of the reference commands

    @Test(arguments: [
        ("CS02bNOByNO_6.15.1_SUCCESS_COMMAND", "00db1234567890a0"),
        ("CS02bNOByNOHandover_6.21_SUCCESS_COMMAND", "00db1234567890a3"),
    ])
    func bothWrappedReferenceCommandsMACVerifyWithTheACBAndDeviceKeys(name: String, device: String) throws {
        let bytes = try ConformanceFixtures.message(name)
        let secret = try ConformanceFixtures.sharedSecret(device: device)
        let message = try GBCSMessage.decode(bytes)
        #expect(message.mac?.count == 12)
        #expect(CommandMAC.verifies(message, sharedSecret: secret))
        let rebuilt = GBCSMessage.wrap(apdu: message.apdu, mac: CommandMAC.compute(apdu: message.apdu, header: message.block, sharedSecret: secret))
        #expect(rebuilt == bytes)
        for index in stride(from: 0, to: bytes.count, by: 97) {
            var flipped = bytes
            flipped[index] ^= 0x40
            guard let decoded = try? GBCSMessage.decode(flipped) else { continue }
            #expect(!CommandMAC.verifies(decoded, sharedSecret: secret), "byte \(index) flipped still verifies")
        }
    }

    // MARK: SRV6.15.1, field by field

    @Test func theSRV6_15_1PreCommandDecodesFieldByField() throws {
        let message = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND"))
        #expect(message.mac == nil)
        #expect(message.block.signature == .absent)
        #expect(message.block.cra == .command)
        #expect(message.block.originatorCounter.value == 1200)
        #expect(message.block.originator.description == "90-B3-D5-1F-30-02-00-00")
        #expect(message.block.recipient.description == "00-DB-12-34-56-78-90-A0")
        #expect(message.block.messageCode == 0x0103)
        guard case .updateSecurityCredentialsCommand(let payload) = message.payload else { Issue.record("not CS02b"); return }
        #expect(payload.mode == 3)
        #expect(payload.authorisingCell == TrustAnchorCellIdentifier(roleCode: 3, keyUsageBits: [0x07, 0x80]))
        #expect(payload.authorisingSequenceNumber == 1200)
        #expect(payload.newFloor == 0)
        #expect(payload.applyTimeBasedCPVChecks == nil && payload.plaintextSymmetricKey == nil)
        #expect(payload.newSpecialistFloors == nil && payload.otherChanges == nil)
        #expect(payload.replacements.map(\.target) == [
            TrustAnchorCellIdentifier(roleCode: 3, keyUsageBits: [0x07, 0x80]), TrustAnchorCellIdentifier(roleCode: 3, keyUsageBits: [0x03, 0x08]),
        ])
        let replaced = try payload.replacements.map { try OrganisationCertificate(der: $0.certificate) }
        #expect(replaced.map(\.entityId?.description) == ["90-B3-D5-1F-30-02-00-00", "90-B3-D5-1F-30-02-00-00"])
        #expect(replaced.map(\.keyUsage) == [.digitalSigning, .keyAgreement])
        #expect(payload.certificationPath.count == 1)
        #expect(payload.executionDateTime == nil)
    }

    @Test func thePreCommandIsTheSignedCommandsAPDUWithoutItsSignature() throws {
        let pre = try ConformanceFixtures.message("CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND")
        let command = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bNOByNO_6.15.1_SUCCESS_COMMAND"))
        #expect(Array(command.apdu.prefix(pre.count)) == pre)
        #expect(command.apdu.count == pre.count + 65)
    }

    /// Byte identity: decode and re-encode; and build from the same inputs.
    @Test func buildingTheSRV6_15_1PreCommandFromItsInputsGivesTheReferenceBytes() throws {
        let reference = try ConformanceFixtures.message("CS02bNOByNO_6.15.1_SUCCESS_PRECOMMAND")
        let decoded = try GBCSMessage.decode(reference)
        guard case .updateSecurityCredentialsCommand(let decodedPayload) = decoded.payload else { Issue.record("not CS02b"); return }
        #expect(decoded.block.encoded == reference)

        let noCertificates = decodedPayload.replacements.map(\.certificate)
        let payload = CS02bCommandPayload(
            mode: 3, authorisingCell: TrustAnchorCellIdentifier(.networkOperatorDS), authorisingSequenceNumber: 1200,
            newFloor: 0,
            replacements: [
                .init(certificate: noCertificates[0], target: TrustAnchorCellIdentifier(.networkOperatorDS)),
                .init(certificate: noCertificates[1], target: TrustAnchorCellIdentifier(.networkOperatorKA)),
            ],
            certificationPath: decodedPayload.certificationPath)
        let block = GeneralSigningBlock(
            cra: .command, originatorCounter: OriginatorCounter(1200), originator: try #require(EUI64("90-B3-D5-1F-30-02-00-00")),
            recipient: try #require(EUI64("00-DB-12-34-56-78-90-A0")), messageCode: 0x0103, content: payload.encoded, signature: .absent)
        #expect(block.encoded == reference)
    }

    @Test func theSRV6_15_1ResponseDecodesAndReEncodesAsTheDeviceWroteIt() throws {
        let bytes = try ConformanceFixtures.message("CS02bNOByNO_6.15.1_SUCCESS_RESPONSE")
        let message = try GBCSMessage.decode(bytes)
        #expect(message.block.cra == .response && message.block.originatorCounter.value == 1200)
        #expect(message.block.originator.description == "00-DB-12-34-56-78-90-A0")
        #expect(message.block.dateTime == (try Hex.bytes("07DF0101FF000000008000FF")))
        guard case .updateSecurityCredentialsResponse(let response?) = message.payload else { Issue.record("no outcome"); return }
        #expect(response.authorisingSequenceNumber == 1200 && response.mode == 3)
        #expect(response.floorChanges == [RemotePartySeqNumberChange(role: 3, floor: 0)])
        #expect(response.outcomes.map(\.status) == [0, 0])
        #expect(response.outcomes.map(\.cell.roleCode) == [3, 3])
        #expect(response.outcomes[0].existingKeyIdentifier == (try Hex.bytes("48CF97FA9F827FB5")))
        #expect(response.outcomes[0].replacingKeyIdentifier == (try Hex.bytes("4238D306B6F725A2")))
        #expect(response.outcomes[1].replacingSubject == (try Hex.bytes("90B3D51F30020000")))
        // The device wrote `30 82 00 83`; the simulated GPF's encoder writes the same.
        #expect(response.encoded == message.block.content)
    }

    // MARK: SRV6.21 and Recovery

    @Test func theSRV6_21CommandIsTheACBsOwnCounterAuthorisedByTheNOCell() throws {
        let message = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bNOByNOHandover_6.21_SUCCESS_COMMAND"))
        #expect(message.block.originator.description == "90-B3-D5-1F-30-00-00-02")
        #expect(message.block.originatorCounter.value == 1301)
        guard case .updateSecurityCredentialsCommand(let payload) = message.payload else { Issue.record("not CS02b"); return }
        #expect(payload.mode == 3 && payload.authorisingSequenceNumber == 1301 && payload.newFloor == 0)
        #expect(payload.authorisingCell == TrustAnchorCellIdentifier(roleCode: 3, keyUsageBits: [0x07, 0x80]))
        #expect(payload.encoded == message.block.content)
    }

    @Test func theRecoveryCommandIsBareSignedAndCarriesEveryControlField() throws {
        let bytes = try ConformanceFixtures.message("CS02bAnyExceptAbnormalRootByRecovery_NA_SUCCESS_COMMAND")
        #expect(bytes.first == 0xDF)
        let message = try GBCSMessage.decode(bytes)
        #expect(message.mac == nil && message.block.signature.isSigned)
        #expect(message.block.messageCode == 0x0108 && message.block.originatorCounter.value == 7000)
        guard case .updateSecurityCredentialsCommand(let payload) = message.payload else { Issue.record("not CS02b"); return }
        #expect(payload.mode == 8 && payload.applyTimeBasedCPVChecks == 1)
        #expect(payload.authorisingCell == TrustAnchorCellIdentifier(roleCode: 1, keyUsageBits: [0x07, 0x80]))
        #expect(payload.authorisingSequenceNumber == 7000 && payload.newFloor == 0)
        #expect(payload.otherChanges == [
            RemotePartySeqNumberChange(role: 2, floor: 0, specialistFloors: [SpecialistSeqNumber(usage: 0, seqNumber: 0)]),
            RemotePartySeqNumberChange(role: 3, floor: 0), RemotePartySeqNumberChange(role: 4, floor: 0),
            RemotePartySeqNumberChange(role: 5, floor: 0),
        ])
        #expect(payload.replacements.count == 8)
        #expect(payload.replacements[3].target == TrustAnchorCellIdentifier(roleCode: 2, keyUsageBits: [0x03, 0x08], cellUsage: 1))
        #expect(payload.certificationPath.count == 1)
        #expect(payload.encoded == message.block.content)
    }

    // MARK: Future-dated, cancellation, alerts

    @Test func aFutureDatedCommandIsAcceptedAndItsAlertsReportTheOutcome() throws {
        let command = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_COMMAND"))
        guard case .updateSecurityCredentialsCommand(let payload) = command.payload else { Issue.record("not CS02b"); return }
        #expect(payload.executionDateTime == "20300115000000Z")
        #expect(payload.encoded == command.block.content)

        let response = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_RESPONSE"))
        #expect(response.payload == .updateSecurityCredentialsResponse(nil))
        #expect(response.block.content == [0x30, 0x02, 0x05, 0x00])

        let executed = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bSupplierBySupplier_6.15.1_8F66_FUTURE_DATED_SUCCESS_ALERT"))
        #expect(executed.block.cra == .alert && executed.block.messageCode == 0x00CB)
        #expect(executed.block.originatorCounter.value == 2000)
        guard case .updateSecurityCredentialsAlert(let success) = executed.payload else { Issue.record("not an alert"); return }
        #expect(success.alertCode == 0x8F66 && success.executionDateTime == "20300115000000Z")
        #expect(success.outcome.authorisingSequenceNumber == 1001)
        #expect(success.outcome.outcomes.map(\.status) == [0, 0, 0])
        #expect(success.encoded == executed.block.content)

        let failed = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bSupplierBySupplier_6.15.1_8F67_FUTURE_DATED_ERROR_ALERT"))
        guard case .updateSecurityCredentialsAlert(let failure) = failed.payload else { Issue.record("not an alert"); return }
        #expect(failure.alertCode == 0x8F67)
        #expect(failure.outcome.outcomes.map(\.status) == [0, 10, 0])
        #expect(failure.encoded == failed.block.content)
    }

    @Test func aCancellationCarriesTheCancellationDateTime() throws {
        let message = try GBCSMessage.decode(try ConformanceFixtures.message("CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS_COMMAND"))
        guard case .updateSecurityCredentialsCommand(let payload) = message.payload else { Issue.record("not CS02b"); return }
        #expect(payload.executionDateTime == CS02bCommandPayload.cancellationDateTime)
        #expect(payload.newSpecialistFloors == [SpecialistSeqNumber(usage: 0, seqNumber: 0)])
    }

    // MARK: CS02d, CS02g, unknown codes

    @Test func cs02dCarriesTheDeviceCertificateAndAStatus() throws {
        let command = try GBCSMessage.decode(try ConformanceFixtures.message("CS02d_6.15.2_SUCCESS_COMMAND"))
        guard case .updateDeviceCertificateCommand(let der) = command.payload else { Issue.record("not CS02d"); return }
        #expect(try OrganisationCertificate(der: der).keyUsage == .digitalSigning)
        let success = try GBCSMessage.decode(try ConformanceFixtures.message("CS02d_6.15.2_SUCCESS_RESPONSE"))
        #expect(success.payload == .updateDeviceCertificateResponse(0))
        let error = try GBCSMessage.decode(try ConformanceFixtures.message("CS02d_6.15.2_ERROR_RESPONSE"))
        #expect(error.payload == .updateDeviceCertificateResponse(3))
    }

    @Test func cs02gSharesTheCS02bShapeWithMode11AndField6() throws {
        let command = try GBCSMessage.decode(try ConformanceFixtures.message("CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND"))
        #expect(command.block.messageCode == 0x0126)
        guard case .updateSecurityCredentialsCommand(let payload) = command.payload else { Issue.record("not CS02g"); return }
        #expect(payload.mode == 11 && payload.newFloor == nil)
        #expect(payload.otherChanges == [RemotePartySeqNumberChange(role: 8, floor: 0)])
        #expect(payload.encoded == command.block.content)
        let alert = try GBCSMessage.decode(try ConformanceFixtures.message("CS02gLoadControllerBySupplier_6.15.1_8F66_FUTURE_DATED_SUCCESS_ALERT"))
        guard case .updateSecurityCredentialsAlert(let body) = alert.payload else { Issue.record("not an alert"); return }
        #expect(body.alertCode == 0x8F66 && body.outcome.mode == 11)
    }

    @Test func anUnknownMessageCodeDecodesTheHeaderAndKeepsThePayloadAsBytes() throws {
        var bytes = try ConformanceFixtures.message("CS02d_6.15.2_SUCCESS_RESPONSE")
        bytes[31] = 0x7E  // message code 0x000B -> 0x7E0B
        let message = try GBCSMessage.decode(bytes)
        #expect(message.block.messageCode == 0x7E0B)
        #expect(message.payload == .raw([0x02, 0x01, 0x00]))
    }
}

/// The simulated GPFs' certificates have the RTDS test devices' shape.
@Suite struct DeviceCertificateTests {
    @Test func theReferenceDeviceCertificateNamesItsDeviceInHardwareModuleName() throws {
        let reference = try ConformanceFixtures.certificate("00db1234567890a0", "ds")
        #expect(reference.deviceId?.description == "00-DB-12-34-56-78-90-A0")
        #expect(reference.certificate.subject.isEmpty)
        #expect(reference.keyUsage == .digitalSigning && reference.keyUsageIsCritical)
    }

    @Test func aSimulatedDevicesCertificatesAreShapedLikeTheReferenceDevicesAndCarryItsKeys() throws {
        let keyring = try DeviceKeyring.generate(validFrom: Date(timeIntervalSince1970: 1_600_000_000))
        let device = try #require(EUI64("00-DB-12-01-73-F7-8B-92"))
        let signing = try keyring.certificate(for: device, usage: .digitalSigning)
        let agreement = try keyring.certificate(for: device, usage: .keyAgreement)
        #expect(signing.certificate.subject.isEmpty && agreement.certificate.subject.isEmpty)
        #expect(signing.deviceId == device && agreement.deviceId == device)
        #expect(signing.keyUsage == .digitalSigning && agreement.keyUsage == .keyAgreement)
        #expect(signing.keyUsageIsCritical && agreement.keyUsageIsCritical)
        let sanIsCritical = signing.certificate.extensions.first { $0.oid == [2, 5, 29, 17] }?.critical
        #expect(sanIsCritical == true)
        #expect(signing.publicKey?.rawRepresentation == keyring.signingKey(for: device).publicKey.rawRepresentation)
        #expect(agreement.keyAgreementKey?.rawRepresentation == keyring.keyAgreementKey(for: device).publicKey.rawRepresentation)
        let issuer = try #require(keyring.authority?.certificate.publicKey)
        let issuerKey = X509.Certificate.PublicKey(issuer)
        #expect(issuerKey.isValidSignature(signing.certificate.signature, for: signing.certificate))
        #expect(issuerKey.isValidSignature(agreement.certificate.signature, for: agreement.certificate))
        #expect(keyring.signingKey(for: device).rawRepresentation != keyring.signingKey(for: EUI64(rawValue: device.rawValue + 1)).rawRepresentation)
    }
}
