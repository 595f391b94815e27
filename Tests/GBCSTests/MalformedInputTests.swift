import GBCS
import Testing

@Suite("Malformed, truncated and random input: one clear error, never a crash")
struct MalformedInputTests {
    @Test(arguments: [
        ("DF 09 0G", "not hex: 'G'"),
        ("DF0", "odd number of hex digits"),
        ("", "empty"),
        ("AB CD", "starts with DD"),
        ("DF 0A", "expected 09 after DF"),
        ("DF 09 07", "CRA flag 0x07"),
    ])
    func malformed(_ text: String, _ expected: String) {
        #expect {
            _ = try GBCSMessage.decode(try Hex.bytes(text))
        } throws: { error in
            (error as? GBCSDecodingError)?.reason.contains(expected) == true
        }
    }

    @Test func everyTruncationOfAReferenceMessageIsOneTruncationError() throws {
        for reference in [ReferenceMessages.wrappedResponse, ReferenceMessages.signedResponse, ReferenceMessages.securityCredentialsResponse] {
            let bytes = try Hex.bytes(reference)
            for length in 1..<bytes.count {
                do {
                    _ = try GBCSMessage.decode(Array(bytes.prefix(length)))
                    // A bare block cut exactly after its content is a valid pre-command.
                    #expect(bytes[0] == 0xDF, "a \(length)-byte prefix decoded")
                } catch {
                    #expect(error.reason.contains("truncated") || error.reason.contains("unexpected") || error.reason.contains("no room"),
                            "\(length) bytes: \(error.reason)")
                    #expect(!error.description.contains("\n"))
                }
            }
        }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<20_000 {
            let count = Int(generator.next() % 300)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Half the inputs start like a message, so the fuzzing reaches past the first byte.
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = round % 4 == 0 ? 0xDD : 0xDF }
            if round % 4 == 2, bytes.count > 1 { bytes[1] = 0x09 }
            _ = try? GBCSMessage.decode(bytes)
        }
    }

    @Test func mutatedReferenceMessagesNeverCrashTheDecoder() throws {
        var generator = SplitMix64(seed: 7)
        let references = try [ReferenceMessages.wrappedResponse, ReferenceMessages.signedResponse,
                              ReferenceMessages.securityCredentialsResponse].map { try Hex.bytes($0) }
        for _ in 0..<20_000 {
            var bytes = references[Int(generator.next() % UInt64(references.count))]
            for _ in 0..<(1 + generator.next() % 4) {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try? GBCSMessage.decode(bytes)
        }
    }
}

/// A small deterministic generator for the fuzz tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
