import Crypto
import DUIS
import Foundation
import Testing

/// The shape limits are checked on the bytes before libxml2 parses them (issue 27, case 1):
/// each limit is refused with its own message, markup is read as XML writes it (nothing hides
/// in comments, CDATA or attribute values), and every DCC message passes.
@Suite struct XMLShapeLimitTests {
    private static let sr = "xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\""

    private func refusal(_ text: String) -> String? {
        do {
            _ = try ParsedXML(Array(text.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test func everyDCCMessageIsWithinTheLimits() throws {
        for name in ["CS02bNOByNOHandover_6.21_SUCCESS_REQUEST_DUIS.XML", "CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML",
                     "ECS52_11.2_SUCCESS_RESPONSE_DUIS.XML", "read-inventory-response-5.4.xml", "readfw-response.xml"] {
            #expect(throws: Never.self, "\(name)") { _ = try ParsedXML(try DUISFixtures.bytes(name)) }
        }
    }

    /// `count` attributes `a0="1" a1="1" …`.
    private static func attributes(_ count: Int) -> String {
        (0..<count).map { "a\($0)=\"1\" " }.joined()
    }

    /// `count` namespace declarations `xmlns:<prefix>0="urn:0" …`.
    private static func declarations(_ count: Int, prefix: String = "p") -> String {
        (0..<count).map { "xmlns:\(prefix)\($0)=\"urn:\($0)\" " }.joined()
    }

    static let overLimits: [(String, String)] = [
        ("<r " + attributes(33) + "/>", "more than 32 attributes on one element"),
        ("<r " + declarations(9) + "/>", "more than 8 namespace declarations on one element"),
        ("<r>" + String(repeating: "<e " + attributes(30) + "/>", count: 35) + "</r>", "more than 1024 attributes"),
        ("<r>" + (0..<3).map { "<e " + declarations(6, prefix: "p\($0)x") + "/>" }.joined() + "</r>", "more than 16 namespace declarations"),
        (String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65), "elements nested more than 64 deep"),
        ("<r>" + String(repeating: "<e/>", count: 16_384) + "</r>", "more than 16384 elements"),
        ("<r " + declarations(8) + ">" + String(repeating: "<e/>", count: 4_000) + "</r>", "more than 32768 nodes once parsed"),
        ("<r>" + String(repeating: "<!---->", count: 33_000) + "</r>", "more than 32768 nodes once parsed"),
        ("<r>" + String(repeating: "<?p?>", count: 33_000) + "</r>", "more than 32768 nodes once parsed"),
    ]

    @Test(arguments: overLimits)
    func eachLimitIsRefusedByName(document: String, message: String) {
        let why = refusal(document)
        #expect(why?.contains(message) == true, "\(why ?? "accepted")")
        #expect(why?.contains("refused before it was parsed") == true)
    }

    @Test func justWithinEveryLimitIsAccepted() {
        #expect(refusal("<r " + Self.attributes(32) + Self.declarations(8) + "/>") == nil)
        #expect(refusal(String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)) == nil)
    }

    @Test func markupInCommentsCDATAAndAttributeValuesIsNotCounted() {
        let many = Self.attributes(100)
        #expect(refusal("<r><!-- <e \(many)/> --><![CDATA[<e \(many)/>]]><?pi <e \(many)/> ?><e v=\"x > y\"/></r>") == nil)
    }

    @Test(arguments: [
        "<r><!-- never closed </r>", "<r><![CDATA[ never closed </r>", "<r><?pi never closed </r>", "<r a=1/>",
        "<r a=\"1/>", "<r a=\"<\"/>", "</r>", "<r b=\"1\"c=\"2\"/>", "<r", "<r><",
    ])
    func malformedMarkupIsRefusedBeforeParsing(document: String) {
        #expect(refusal(document)?.hasPrefix("not well-formed XML") == true, "\(document): \(refusal(document) ?? "accepted")")
    }

    @Test func aDocumentTypeDeclarationIsRefused() {
        #expect(refusal("<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>") == "a document type declaration is not allowed")
        #expect(refusal("<r><!ENTITY x \"y\"></r>") == "a document type declaration is not allowed")
    }

    /// The signature value is checked before the document is digested: a request whose value is
    /// not the named key's is refused as such even when its body changed too.
    @Test func aForgedSignatureValueIsRefusedBeforeTheDigest() throws {
        let key = P256.Signing.PrivateKey()
        let unsigned = Array("<sr:Request \(Self.sr)><sr:Header><sr:RequestID>x</sr:RequestID></sr:Header></sr:Request>".utf8)
        var text = String(decoding: try XMLSignature.sign(unsigned, key: key, keyName: .init(issuer: "CN=t", serial: "1")), as: UTF8.self)
        text = text.replacingOccurrences(of: "<sr:RequestID>x</sr:RequestID>", with: "<sr:RequestID>y</sr:RequestID>")
        #expect(throws: XMLSignatureError.digestMismatch) {
            _ = try XMLSignature.verify(Array(text.utf8)) { _ throws(XMLSignatureError) in key.publicKey }
        }
        let value = try #require(text.range(of: "<ds:SignatureValue>")?.upperBound)
        let end = try #require(text.range(of: "</ds:SignatureValue>")?.lowerBound)
        text.replaceSubrange(value..<end, with: Data(repeating: 1, count: 64).base64EncodedString())
        #expect(throws: XMLSignatureError.badSignature) {
            _ = try XMLSignature.verify(Array(text.utf8)) { _ throws(XMLSignatureError) in key.publicKey }
        }
    }
}
