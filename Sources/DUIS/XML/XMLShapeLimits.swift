/// How much XML structure a document may have before libxml2 is given it: the work an
/// unauthenticated caller can cause is bounded by these, not by the 1 MiB body alone.
///
/// Some costs grow faster than the bytes do. libxml2 (2.9) checks each new attribute and
/// namespace declaration of an element against the ones before it, and canonical XML looks
/// up every namespace in scope at every element. A DUIS request has about 30 elements, at most
/// 3 namespace declarations and 1 attribute on any element; the limits are far above that and
/// far below what makes either cost matter (`Benchmarks/RESULTS.md`, `--only xml`).
public struct XMLShapeLimits: Sendable, Equatable {
    /// The deepest element nesting.
    public var depth: Int
    /// Attributes (not counting namespace declarations) on one element.
    public var attributesPerElement: Int
    /// Namespace declarations (`xmlns`, `xmlns:p`) on one element.
    public var namespaceDeclarationsPerElement: Int
    /// Attributes in the whole document.
    public var attributes: Int
    /// Namespace declarations in the whole document.
    public var namespaceDeclarations: Int
    /// Elements in the whole document.
    public var elements: Int
    /// The document's size after parsing, in nodes: its elements, its attributes, at each
    /// element every namespace declaration in scope there (XPath's namespace axis, which
    /// canonical XML walks element by element), and its comments, CDATA sections and
    /// processing instructions.
    public var parsedNodes: Int

    /// DUIS's limits. Namespaces are held lowest: canonical XML's work at each element grows
    /// with the square of the declarations in scope there (libxml2 looks each one up among the
    /// others), so 16 in all keep it small however many elements share them.
    public static let duis = XMLShapeLimits(
        depth: 64, attributesPerElement: 32, namespaceDeclarationsPerElement: 8, attributes: 1_024, namespaceDeclarations: 16,
        elements: 16_384, parsedNodes: 32_768)

    /// Limits as given.
    public init(
        depth: Int, attributesPerElement: Int, namespaceDeclarationsPerElement: Int, attributes: Int, namespaceDeclarations: Int,
        elements: Int, parsedNodes: Int
    ) {
        self.depth = depth
        self.attributesPerElement = attributesPerElement
        self.namespaceDeclarationsPerElement = namespaceDeclarationsPerElement
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.elements = elements
        self.parsedNodes = parsedNodes
    }
}
