import CLibXML2

/// An XML document parsed by the system's libxml2 with every door closed that hostile XML
/// knocks on: no DOCTYPE (so no entities, internal or external), no network, and limits on its
/// size and its shape (``XMLShapeLimits``: depth, elements, attributes, namespace declarations)
/// checked on the bytes before libxml2 reads them.
///
/// libxml2 also gives the canonical forms an XML signature needs (``canonical(_:excluding:)``,
/// ``canonical(_:of:)``), at a cost linear in the document. The document is not `Sendable`:
/// each request parses its own.
public final class ParsedXML {
    /// The largest document read: a DUIS request with its certificates is a few KiB.
    public static let maximumBytes = 1 << 20

    let document: xmlDocPtr

    /// Parses `bytes`, once their size and shape are within `limits`.
    /// - Throws: ``XMLDocumentError`` for anything too large or too deep, with too many elements,
    ///   attributes or namespace declarations, not well-formed, or with a DOCTYPE.
    public init(_ bytes: [UInt8], limits: XMLShapeLimits = .duis) throws(XMLDocumentError) {
        guard bytes.count <= ParsedXML.maximumBytes else {
            throw XMLDocumentError("the document is \(bytes.count) bytes; at most \(ParsedXML.maximumBytes) are read")
        }
        _ = try XMLShape(measuring: bytes, limits: limits)
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

    /// Canonical XML of the whole document except `excluded` and everything in it (the
    /// enveloped-signature transform's output, when `excluded` is the signature).
    /// - Throws: ``XMLDocumentError`` when libxml2 cannot canonicalise it.
    func canonical(_ method: CanonicalisationMethod, excluding excluded: XMLElement?) throws(XMLDocumentError) -> [UInt8] {
        try canonical(method, subtree: excluded?.node, visible: ParsedXML.outsideSubtree)
    }

    /// Canonical XML of `element` and everything in it (a signature's SignedInfo).
    /// - Throws: ``XMLDocumentError`` when libxml2 cannot canonicalise it.
    func canonical(_ method: CanonicalisationMethod, of element: XMLElement) throws(XMLDocumentError) -> [UInt8] {
        try canonical(method, subtree: element.node, visible: ParsedXML.insideSubtree)
    }

    /// libxml2's canonicaliser, asking `visible` about each node with `subtree` as its context.
    ///
    /// Each answer walks from the node up to the root (at most the depth limit), so the cost is
    /// linear in the document; a node-set selected by XPath instead would hold every namespace
    /// node in scope at every element, and libxml2 looks nodes up in such a set one by one.
    private func canonical(
        _ method: CanonicalisationMethod, subtree: xmlNodePtr?, visible: xmlC14NIsVisibleCallback
    ) throws(XMLDocumentError) -> [UInt8] {
        guard let output = xmlAllocOutputBuffer(nil) else { throw XMLDocumentError("out of memory") }
        defer { xmlOutputBufferClose(output) }
        let status = xmlC14NExecute(document, visible, UnsafeMutableRawPointer(subtree), method.libxmlMode, nil, 0, output)
        guard status >= 0, let content = xmlOutputBufferGetContent(output) else {
            throw XMLDocumentError("libxml2 could not canonicalise the document")
        }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlOutputBufferGetSize(output))))
    }

    /// Whether `node` (an element, attribute or text; for a namespace node, its element `parent`) lies within `subtree`.
    private static func lies(_ node: xmlNodePtr?, _ parent: xmlNodePtr?, within subtree: UnsafeMutableRawPointer?) -> Bool {
        guard let subtree else { return false }
        var current = node.flatMap { $0.pointee.type == XML_NAMESPACE_DECL ? parent : $0 }
        while let element = current {
            if UnsafeMutableRawPointer(element) == subtree { return true }
            current = element.pointee.parent
        }
        return false
    }

    private static let outsideSubtree: xmlC14NIsVisibleCallback = { subtree, node, parent in
        lies(node, parent, within: subtree) ? 0 : 1
    }

    private static let insideSubtree: xmlC14NIsVisibleCallback = { subtree, node, parent in
        lies(node, parent, within: subtree) ? 1 : 0
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
