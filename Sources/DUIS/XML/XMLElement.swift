import CLibXML2

/// An element of a ``ParsedXML`` document, read-only. It is valid while its document is.
public struct XMLElement {
    let node: xmlNodePtr

    init(_ node: xmlNodePtr) {
        self.node = node
    }

    /// The local name (`Request` for `sr:Request`).
    public var localName: String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// The namespace URI, if the element is in one.
    public var namespaceURI: String? {
        node.pointee.ns?.pointee.href.map { String(cString: $0) }
    }

    /// The child elements, in order.
    public var children: [XMLElement] {
        var result: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLElement(current)) }
            child = current.pointee.next
        }
        return result
    }

    /// The first child element with this local name in this namespace.
    public func child(_ localName: String, in namespace: String?) -> XMLElement? {
        children.first { $0.localName == localName && $0.namespaceURI == namespace }
    }

    /// Every child element with this local name in this namespace.
    public func children(_ localName: String, in namespace: String?) -> [XMLElement] {
        children.filter { $0.localName == localName && $0.namespaceURI == namespace }
    }

    /// The element's text: every text and CDATA descendant, joined.
    public var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { anchor_xml_free(content) }
        return String(cString: content)
    }

    /// The value of an attribute in no namespace.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(node, name) else { return nil }
        defer { anchor_xml_free(value) }
        return String(cString: value)
    }
}
