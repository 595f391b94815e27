import AnchorCore
import Foundation
import PropertyBased
import Testing
@testable import AnchorStore

/// The store's JSON reader and writer, checked against Foundation on the same documents.
@Suite("Hand-written JSON against Foundation")
struct JSONCodecTests {
    /// Any Unicode scalar, weighted towards the ones that need escaping or are multi-byte.
    static let scalar = Gen<Unicode.Scalar>.oneOf(
        Gen.unicodeScalar(in: "\u{0}"..."\u{7F}"),
        Gen.unicodeScalar(in: "\u{80}"..."\u{D7FF}"),
        Gen.unicodeScalar(in: "\u{E000}"..."\u{FFFF}"),
        Gen.unicodeScalar(in: "\u{10000}"..."\u{10FFFF}"))
    static let string = scalar.array(of: 0...24).map { scalars in
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    func read(_ bytes: [UInt8]) throws -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            let node = try reader.readValue()
            try reader.expectEnd()
            return node
        }
    }

    @Test func writtenStringsReadBackInFoundation() async {
        await propertyCheck(count: 300, input: Self.string) { text in
            var writer = JSONWriter()
            writer.string(text)
            let decoded = try? JSONDecoder().decode(String.self, from: Data(writer.bytes))
            #expect(decoded == text)
            #expect(!writer.bytes.contains { $0 < 0x20 }, "raw control characters must be escaped")
        }
    }

    @Test func foundationsStringsReadBackHere() async {
        await propertyCheck(count: 300, input: Self.string) { text in
            let encoded = (try? JSONEncoder().encode([text])).map { [UInt8]($0) } ?? []
            #expect((try? read(encoded)) == .array([.string(text)]))
        }
    }

    @Test func unsignedNumbersAreExactAtTheEdges() async {
        let edges = Gen.oneOf(Gen.uint64(in: 0...UInt64.max), Gen.uint64(in: (UInt64.max - 1000)...UInt64.max),
                              Gen.uint64(in: ((1 << 53) - 10)...((1 << 53) + 10)))
        await propertyCheck(count: 300, input: edges) { value in
            var writer = JSONWriter()
            writer.raw("[")
            writer.number(value)
            writer.raw(",")
            writer.decimalString(value)
            writer.raw("]")
            let foundation = try? JSONDecoder().decode(UInt64Pair.self, from: Data(writer.bytes))
            #expect(foundation?.number == value)
            #expect(foundation?.text == String(value))
            #expect((try? read(writer.bytes)) == .array([.unsigned(value), .string(String(value))]))
        }
    }

    @Test func randomDocumentsAgreeBothWays() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var generator = SplitMix64(seed: seed)
            let document = RandomJSON.node(depth: 0, using: &generator)
            var writer = JSONWriter()
            RandomJSON.write(document, to: &writer)
            // Ours → Foundation.
            let parsed = try? JSONSerialization.jsonObject(with: Data(writer.bytes), options: .fragmentsAllowed)
            #expect(parsed.map { RandomJSON.node(fromFoundation: $0) } == document)
            // Foundation → ours.
            if let parsed, let again = try? JSONSerialization.data(withJSONObject: parsed, options: .fragmentsAllowed) {
                #expect((try? read([UInt8](again))).map(RandomJSON.sortingKeys) == document)
            } else {
                Issue.record("Foundation could not re-encode seed \(seed)")
            }
        }
    }

    @Test func aByteOrderMarkInAStringOrKeyIsKept() throws {
        #expect(try read(Array("[\"\u{FEFF}\",\"\u{FEFF}a\",\"a\u{FEFF}b\"]".utf8))
            == .array([.string("\u{FEFF}"), .string("\u{FEFF}a"), .string("a\u{FEFF}b")]))
        #expect(try read(Array("{\"h\u{FEFF}q\":1}".utf8)) == .object([("h\u{FEFF}q", .unsigned(1))]))
    }

    @Test func deepNestingIsReadUpToTheLimitAndRefusedBeyond() throws {
        let depth = JSONReader.maximumDepth
        let fine = Array(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).map { UInt8($0.asciiValue!) }
        #expect(throws: Never.self) { try read(fine) }
        let tooDeep = [UInt8](repeating: UInt8(ascii: "["), count: depth + 1) + [UInt8](repeating: UInt8(ascii: "]"), count: depth + 1)
        #expect(throws: JSONReadError.self) { try read(tooDeep) }
    }

    @Test("invalid documents are refused with a byte offset", arguments: [
        ("[1,]", 3), ("{\"a\":1,}", 7), ("[01]", 1), ("[1.5]", 2), ("[1e3]", 2), ("\"\\ud800\"", 1), ("\"\\udc00x\"", 1),
        ("\"abc", 0), ("[\"a\u{1}\"]", 3), ("{\"a\" 1}", 5), ("[18446744073709551616]", 1), ("[true false]", 6),
        ("{}x", 2), ("[nul]", 1), ("\"\\x\"", 1), ("[", 1), ("", 0),
    ])
    func invalidDocuments(text: String, offset: Int) {
        let error = #expect(throws: JSONReadError.self) { try read(Array(text.utf8)) }
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }

    @Test func invalidUTF8IsRefused() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xFE, 0x22]] {
            #expect(throws: JSONReadError.self) { try read(bytes) }
            #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) == nil)
        }
    }
}

private struct UInt64Pair: Decodable {
    var number: UInt64
    var text: String

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        number = try container.decode(UInt64.self)
        text = try container.decode(String.self)
    }
}


/// Random JSON trees in the subset both parsers represent the same way.
enum RandomJSON {
    static func node(depth: Int, using generator: inout SplitMix64) -> JSONNode {
        let kind = depth >= 5 ? Int.random(in: 0..<4, using: &generator) : Int.random(in: 0..<6, using: &generator)
        switch kind {
        case 0: return .string(string(using: &generator))
        case 1: return .unsigned(UInt64.random(in: 0...UInt64(Int64.max), using: &generator))
        case 2: return Bool.random(using: &generator) ? .bool(Bool.random(using: &generator)) : .null
        case 3: return .negative(UInt64.random(in: 1...UInt64(Int64.max), using: &generator))
        case 4: return .array((0..<Int.random(in: 0...5, using: &generator)).map { _ in node(depth: depth + 1, using: &generator) })
        default:
            var keys = Set<String>()
            for _ in 0..<Int.random(in: 0...5, using: &generator) { keys.insert(string(using: &generator)) }
            return .object(keys.sorted().map { ($0, node(depth: depth + 1, using: &generator)) })
        }
    }

    static func string(using generator: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF, 0...0x1F]
            let range = ranges[Int.random(in: 0..<ranges.count, using: &generator)]
            let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator))!
            // Foundation's JSONSerialization drops U+FEFF from strings and object keys (seen here on
            // Linux: "\u{FEFF}" parses as "", and a key "h\u{16}\u{FEFF}q" as "h\u{16}q"); RFC 8259
            // keeps it, and so does the store's reader (see `aByteOrderMarkInAStringOrKeyIsKept`).
            // Keep the differential test to common ground.
            if scalar == "\u{FEFF}" { continue }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// The same tree with every object's members in key order (Foundation writes them in hash order).
    static func sortingKeys(_ node: JSONNode) -> JSONNode {
        switch node {
        case .array(let elements): .array(elements.map(sortingKeys))
        case .object(let members): .object(members.sorted { $0.0 < $1.0 }.map { ($0.0, sortingKeys($0.1)) })
        default: node
        }
    }

    static func write(_ node: JSONNode, to writer: inout JSONWriter) {
        switch node {
        case .string(let text): writer.string(text)
        case .unsigned(let value): writer.number(value)
        case .negative(let magnitude): writer.raw("-"); writer.number(magnitude)
        case .bool(let flag): writer.bool(flag)
        case .null: writer.null()
        case .array(let elements):
            writer.raw("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.raw(",") }
                write(element, to: &writer)
            }
            writer.raw("]")
        case .object(let members):
            writer.raw("{")
            for (index, member) in members.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(member.0)
                writer.raw(":")
                write(member.1, to: &writer)
            }
            writer.raw("}")
        }
    }

    /// Foundation's parsed tree in the same shape (object keys sorted, as generated).
    static func node(fromFoundation object: Any) -> JSONNode {
        switch object {
        case let text as String: return .string(text)
        case is NSNull: return .null
        case let array as [Any]: return .array(array.map(node(fromFoundation:)))
        case let dictionary as [String: Any]:
            return .object(dictionary.keys.sorted().map { ($0, node(fromFoundation: dictionary[$0]!)) })
        case let number as NSNumber:
            if String(describing: type(of: number)).contains("Boolean") { return .bool(number.boolValue) }
            let value = number.int64Value
            return value < 0 ? .negative(value.magnitude) : .unsigned(UInt64(value))
        default:
            return .string("unexpected \(type(of: object))")
        }
    }
}
