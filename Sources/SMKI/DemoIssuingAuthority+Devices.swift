import AnchorCore
import Crypto
import Foundation
import SwiftASN1
import X509

extension DemoIssuingAuthority {
    /// `id-on-hardwareModuleName` (RFC 4108): where a device certificate carries the device ID.
    static let hardwareModuleNameOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 8, 4]
    /// The `hwType` the RTDS test device certificates carry (read from
    /// `test/rtds/keystore/00db1234567890a0-ds.pem` in SmartDCCInnovation/gbcs-parser).
    static let deviceHardwareType: ASN1ObjectIdentifier = [1, 2, 826, 0, 1, 8_641_679, 1, 2, 2, 1]

    /// Issues a device certificate shaped like the RTDS test devices': an empty subject, the device
    /// ID in a critical subjectAltName otherName hardwareModuleName, a critical key usage of
    /// exactly `usage`, 8-octet key identifiers, valid until 9999-12-31 23:59:59.
    /// - Throws: when the certificate cannot be built.
    public func issueDeviceCertificate(
        for device: EUI64, usage: AnchorCore.KeyUsage, publicKey: P256.Signing.PublicKey, serial: [UInt8], validFrom: Date
    ) throws -> OrganisationCertificate {
        var moduleName = DER.Serializer()
        try moduleName.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(DemoIssuingAuthority.deviceHardwareType)
            try coder.serialize(ASN1OctetString(contentBytes: device.octets[...]))
        }
        let otherName = GeneralName.otherName(GeneralName.OtherName(
            typeID: DemoIssuingAuthority.hardwareModuleNameOID, value: try ASN1Any(derEncoded: moduleName.serializedBytes)))
        let certificate = try X509.Certificate(
            version: .v3, serialNumber: X509.Certificate.SerialNumber(bytes: serial), publicKey: .init(publicKey),
            notValidBefore: validFrom, notValidAfter: Date(timeIntervalSince1970: 253_402_300_799),
            issuer: self.certificate.certificate.subject, subject: DistinguishedName(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try X509.Certificate.Extensions {
                Critical(usage == .digitalSigning ? X509.KeyUsage(digitalSignature: true) : X509.KeyUsage(keyAgreement: true))
                SubjectKeyIdentifier(keyIdentifier: DemoIssuingAuthority.keyIdentifier(of: publicKey)[...])
                Critical(SubjectAlternativeNames([otherName]))
                AuthorityKeyIdentifier(keyIdentifier: self.certificate.keyIdentifier[...])
            },
            issuerPrivateKey: .init(key))
        return try OrganisationCertificate(der: try DemoIssuingAuthority.serialize(certificate))
    }
}
