/// How much structure a document has, counted on its bytes before any parser reads them
/// (``XMLShapeLimits`` says how much is allowed).
public struct XMLShape: Sendable, Equatable {
    /// Its elements.
    public var elements: Int
    /// Its attributes, namespace declarations apart.
    public var attributes: Int
    /// Its namespace declarations.
    public var namespaceDeclarations: Int
    /// Its size once parsed, in nodes (as ``XMLShapeLimits/parsedNodes`` counts them).
    public var parsedNodes: Int

    /// The shape counted.
    public init(elements: Int, attributes: Int, namespaceDeclarations: Int, parsedNodes: Int) {
        self.elements = elements
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.parsedNodes = parsedNodes
    }

    /// Counts the shape of `bytes`, in one pass linear in their length.
    /// - Throws: ``XMLDocumentError`` for markup beyond `limits`, not well-formed, or with a DOCTYPE.
    public init(measuring bytes: [UInt8], limits: XMLShapeLimits = .duis) throws(XMLDocumentError) {
        self = try XMLShapeScan.measure(bytes, limits: limits)
    }
}
