import CLibXML2

/// An XML document parsed by the system's libxml2 with every door closed that hostile XML
/// knocks on: no DOCTYPE (so no entities, internal or external), no network, libxml2's own
/// depth limit (256) and a size limit checked before parsing.
///
/// libxml2 also gives the canonical forms an XML signature needs (``canonical(_:excluding:)``,
/// ``canonical(_:of:)``). The document is not `Sendable`: each request parses its own.
public final class ParsedXML {
    /// The largest document read: a DUIS request with its certificates is a few KiB.
    public static let maximumBytes = 1 << 20

    let document: xmlDocPtr

    /// Parses `bytes`.
    /// - Throws: ``XMLDocumentError`` for anything too large, not well-formed, or with a DOCTYPE.
    public init(_ bytes: [UInt8]) throws(XMLDocumentError) {
        guard bytes.count <= ParsedXML.maximumBytes else {
            throw XMLDocumentError("the document is \(bytes.count) bytes; at most \(ParsedXML.maximumBytes) are read")
        }
        guard !ParsedXML.contains(Array("<!DOCTYPE".utf8), in: bytes), !ParsedXML.contains(Array("<!ENTITY".utf8), in: bytes) else {
            throw XMLDocumentError("a document type declaration is not allowed")
        }
        LibXML.prepare()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options) }
            }
        }
        guard let parsed else { throw XMLDocumentError("not well-formed XML") }
        guard parsed.pointee.intSubset == nil, parsed.pointee.extSubset == nil else {
            xmlFreeDoc(parsed)
            throw XMLDocumentError("a document type declaration is not allowed")
        }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The root element.
    public var root: XMLElement? {
        xmlDocGetRootElement(document).map(XMLElement.init)
    }

    /// Canonical XML of the nodes an XPath expression selects, in `method`.
    /// - Throws: ``XMLDocumentError`` when libxml2 cannot canonicalise them.
    func canonical(selecting expression: String, method: CanonicalisationMethod) throws(XMLDocumentError) -> [UInt8] {
        guard let context = xmlXPathNewContext(document) else { throw XMLDocumentError("out of memory") }
        defer { xmlXPathFreeContext(context) }
        xmlXPathRegisterNs(context, "ds", XMLSignature.namespace)
        guard let selection = xmlXPathEvalExpression(expression, context) else {
            throw XMLDocumentError("the signature's nodes could not be selected")
        }
        defer { xmlXPathFreeObject(selection) }
        var text: UnsafeMutablePointer<xmlChar>?
        let length = xmlC14NDocDumpMemory(document, selection.pointee.nodesetval, method.libxmlMode, nil, 0, &text)
        defer { anchor_xml_free(text) }
        guard length >= 0, let text else { throw XMLDocumentError("libxml2 could not canonicalise the document") }
        return Array(UnsafeBufferPointer(start: text, count: Int(length)))
    }

    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

/// The two canonical forms of XML an XMLDSig signature uses.
enum CanonicalisationMethod {
    /// Canonical XML 1.0, without comments: what a Reference's node-set becomes before it is digested.
    case inclusive
    /// Exclusive XML Canonicalization 1.0, without comments: DUIS's SignedInfo form.
    case exclusive

    var libxmlMode: Int32 {
        switch self {
        case .inclusive: Int32(XML_C14N_1_0.rawValue)
        case .exclusive: Int32(XML_C14N_EXCLUSIVE_1_0.rawValue)
        }
    }

    /// The algorithm's URI.
    var uri: String {
        switch self {
        case .inclusive: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
        case .exclusive: "http://www.w3.org/2001/10/xml-exc-c14n#"
        }
    }
}

/// libxml2's process-wide set-up, done once: its parser initialised and its error printer silenced
/// (errors come back as values here, never as text on a terminal).
enum LibXML {
    private static let ready: Bool = {
        xmlInitParser()
        xmlThrDefSetStructuredErrorFunc(nil) { _, _ in }
        return true
    }()

    /// Initialises libxml2 once and silences its errors on the calling thread (its error handler is per thread).
    static func prepare() {
        _ = ready
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }
}
