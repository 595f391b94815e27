import AnchorCore
import Foundation
import GBCS
import GPFSimulator
import SMKI

/// The cost the wire adds to each request: ECDSA P-256 signing and verifying of a CS02b command
/// (with two certificates, as a hand-back to the ACB carries), its MAC (ECDH of the ACB's and the
/// device's key-agreement keys, the KDF and AES-GCM), and decoding it.
enum WireBenchmark {
    static func run(ledger: Ledger, samples: Int) throws -> [ResultRow] {
        let credentials = DemoCredentialsCache.credentials(for: ledger)
        guard let nationalGrid = ledger.organisation("national-grid"),
              let signer = credentials.signer(for: nationalGrid.entityId),
              let acbDS = credentials.directory["acb-ds"], let acbKA = credentials.directory["acb-ka"],
              let verifier = credentials.directory["national-grid-ds"]
        else { throw BenchmarkError("the demo ledger lacks national-grid or the ACB's certificates") }
        let payload = CS02bCommandPayload(
            mode: 3, authorisingCell: TrustAnchorCellIdentifier(.networkOperatorDS),
            authorisingSequenceNumber: 1_647_302_400_000_001, newFloor: 1_647_302_400_000_001,
            replacements: [
                .init(certificate: acbDS.der, target: TrustAnchorCellIdentifier(.networkOperatorDS)),
                .init(certificate: acbKA.der, target: TrustAnchorCellIdentifier(.networkOperatorKA)),
            ])
        var block = GeneralSigningBlock(
            cra: .command, originatorCounter: OriginatorCounter(1_647_302_400_000_001), originator: nationalGrid.entityId,
            recipient: EUI64(rawValue: 0x00DB_1201_73F7_8B92), messageCode: 0x0103, content: payload.encoded)
        let message = block.signedBytes

        var signatures: [[UInt8]] = []
        let (signSeconds, _) = try Measure.seconds {
            for _ in 0..<samples { signatures.append(try signer.signature(over: message)) }
        }
        var valid = 0
        let (verifySeconds, _) = Measure.seconds {
            for signature in signatures where verifier.verifies(signature: signature, over: message) { valid += 1 }
        }
        guard valid == samples else { throw BenchmarkError("\(samples - valid) signatures did not verify") }
        block.signature = .ecdsa(signatures[0])
        guard let acbKey = credentials.acbKeyAgreementKey else { throw BenchmarkError("the demo credentials lack the ACB's KA key") }
        let deviceKey = credentials.deviceKeys.keyAgreementKey(for: block.recipient).publicKey
        var wire: [UInt8] = []
        let (macSeconds, _) = try Measure.seconds {
            for _ in 0..<samples {
                wire = CommandMAC.wrap(block, z: try acbKey.sharedSecretFromKeyAgreement(with: deviceKey).withUnsafeBytes { Array($0) })
            }
        }
        let (decodeSeconds, _) = try Measure.seconds {
            for _ in 0..<samples { _ = try GBCSMessage.decode(wire) }
        }
        // A larger command, as GNOs' own would be: the same with two path certificates (about 2 KB).
        var larger = payload
        larger.certificationPath = [acbDS.der, acbKA.der]
        var largerBlock = block
        largerBlock.content = larger.encoded
        let largerWire = CommandMAC.wrap(largerBlock, z: try acbKey.sharedSecretFromKeyAgreement(with: deviceKey).withUnsafeBytes { Array($0) })
        let (largerSeconds, _) = try Measure.seconds {
            for _ in 0..<samples { _ = try GBCSMessage.decode(largerWire) }
        }
        func micro(_ seconds: Double) -> String { String(format: "%.1f µs", seconds / Double(samples) * 1e6) }
        return [
            ResultRow(name: "wire: sign one CS02b command (P-256)", ours: micro(signSeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "wire: verify its signature (P-256)", ours: micro(verifySeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "wire: MAC it (ECDH + KDF + AES-GCM) and wrap", ours: micro(macSeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "wire: decode the \(wire.count)-byte command", ours: micro(decodeSeconds), baseline: "-", ratio: "-", target: "-"),
            ResultRow(name: "wire: decode a \(largerWire.count)-byte command", ours: micro(largerSeconds), baseline: "-", ratio: "-", target: "≤ 50 µs (2 KB)"),
        ]
    }
}
