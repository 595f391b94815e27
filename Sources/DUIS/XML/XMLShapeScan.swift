/// One pass over a document's bytes, before any parser sees them, that counts its markup
/// against ``XMLShapeLimits``: elements, depth, attributes and namespace declarations.
///
/// It reads markup as XML 1.0 writes it (start and end tags, comments, CDATA sections,
/// processing instructions) and refuses what no well-formed document holds where it looks, so a
/// document cannot hide markup from it that libxml2 would then read. Its cost is linear in
/// the bytes: each byte is looked at a bounded number of times, and it keeps only the number
/// of namespace declarations in scope at each open element.
enum XMLShapeScan {
    /// Measures `bytes` against `limits`.
    /// - Throws: ``XMLDocumentError`` naming the first limit passed (and where), or saying the
    ///   markup is not well-formed or has a document type declaration.
    static func measure(_ bytes: [UInt8], limits: XMLShapeLimits) throws(XMLDocumentError) -> XMLShape {
        try bytes.withUnsafeBufferPointer { buffer throws(XMLDocumentError) in
            var scan = Scanner(bytes: buffer, limits: limits)
            try scan.run()
            return XMLShape(elements: scan.elements, attributes: scan.attributes, namespaceDeclarations: scan.declarations,
                            parsedNodes: scan.nodes)
        }
    }

    private struct Scanner {
        /// The attribute name (or prefix, before `:`) of a namespace declaration.
        static let xmlns: [UInt8] = Array("xmlns".utf8)

        let bytes: UnsafeBufferPointer<UInt8>
        let limits: XMLShapeLimits
        /// Namespace declarations in scope at each open element, outermost first.
        var inScope: [Int] = []
        var elements = 0
        var attributes = 0
        var declarations = 0
        var nodes = 0

        init(bytes: UnsafeBufferPointer<UInt8>, limits: XMLShapeLimits) {
            self.bytes = bytes
            self.limits = limits
        }

        mutating func run() throws(XMLDocumentError) {
            var index = 0
            while let open = find(ascii("<"), from: index) {
                let at = open + 1
                guard at < bytes.count else { throw malformed("a '<' ends the document", at: open) }
                switch bytes[at] {
                case ascii("/"):
                    guard !inScope.isEmpty else { throw malformed("an end tag closes no element", at: open) }
                    inScope.removeLast()
                    guard let close = find(ascii(">"), from: at) else { throw malformed("an end tag is not closed", at: open) }
                    index = close + 1
                case ascii("?"):
                    index = try skip(past: "?>", from: at + 1, what: "a processing instruction", opened: open)
                    try countNodes(1, at: open)
                case ascii("!"):
                    if starts(with: "!--", at: at) {
                        index = try skip(past: "-->", from: at + 3, what: "a comment", opened: open)
                        try countNodes(1, at: open)
                    } else if starts(with: "![CDATA[", at: at) {
                        index = try skip(past: "]]>", from: at + 8, what: "a CDATA section", opened: open)
                        try countNodes(1, at: open)
                    } else {
                        throw XMLDocumentError("a document type declaration is not allowed")
                    }
                default:
                    index = try startTag(at: at, opened: open)
                }
            }
        }

        /// Reads a start tag from just after its `<`; returns where it ends.
        private mutating func startTag(at start: Int, opened: Int) throws(XMLDocumentError) -> Int {
            var at = start
            while at < bytes.count, !isSpace(bytes[at]), bytes[at] != ascii("/"), bytes[at] != ascii(">") { at += 1 }
            guard at > start else { throw malformed("a '<' starts no tag", at: opened) }
            var elementAttributes = 0
            var elementDeclarations = 0
            var selfClosing = false
            while true {
                let afterSpace = skipSpace(from: at)
                guard afterSpace < bytes.count else { throw malformed("a start tag is not closed", at: opened) }
                if bytes[afterSpace] == ascii(">") {
                    at = afterSpace + 1
                    break
                }
                if bytes[afterSpace] == ascii("/") {
                    guard afterSpace + 1 < bytes.count, bytes[afterSpace + 1] == ascii(">") else {
                        throw malformed("a '/' in a start tag is not followed by '>'", at: afterSpace)
                    }
                    selfClosing = true
                    at = afterSpace + 2
                    break
                }
                guard afterSpace > at else { throw malformed("an attribute is not preceded by white space", at: afterSpace) }
                let (isDeclaration, end) = try attribute(at: afterSpace)
                at = end
                if isDeclaration {
                    elementDeclarations += 1
                    declarations += 1
                    guard elementDeclarations <= limits.namespaceDeclarationsPerElement else {
                        throw over("more than \(limits.namespaceDeclarationsPerElement) namespace declarations on one element", at: opened)
                    }
                    guard declarations <= limits.namespaceDeclarations else {
                        throw over("more than \(limits.namespaceDeclarations) namespace declarations", at: opened)
                    }
                } else {
                    elementAttributes += 1
                    attributes += 1
                    guard elementAttributes <= limits.attributesPerElement else {
                        throw over("more than \(limits.attributesPerElement) attributes on one element", at: opened)
                    }
                    guard attributes <= limits.attributes else { throw over("more than \(limits.attributes) attributes", at: opened) }
                }
            }
            elements += 1
            guard elements <= limits.elements else { throw over("more than \(limits.elements) elements", at: opened) }
            let scope = (inScope.last ?? 0) + elementDeclarations
            try countNodes(1 + elementAttributes + scope, at: opened)
            if !selfClosing {
                inScope.append(scope)
                guard inScope.count <= limits.depth else { throw over("elements nested more than \(limits.depth) deep", at: opened) }
            }
            return at
        }

        /// Adds nodes to the document's size once parsed.
        private mutating func countNodes(_ count: Int, at offset: Int) throws(XMLDocumentError) {
            nodes += count
            guard nodes <= limits.parsedNodes else {
                throw over("more than \(limits.parsedNodes) nodes once parsed (elements, attributes, the namespaces in scope at each element, "
                           + "comments, CDATA sections and processing instructions)", at: offset)
            }
        }

        /// Reads `name = "value"` from its first byte; returns whether it declares a namespace, and where it ends.
        private func attribute(at start: Int) throws(XMLDocumentError) -> (Bool, Int) {
            var at = start
            while at < bytes.count, !isSpace(bytes[at]), bytes[at] != ascii("=") {
                guard bytes[at] != ascii(">"), bytes[at] != ascii("/"), bytes[at] != ascii("<") else {
                    throw malformed("an attribute has no value", at: start)
                }
                at += 1
            }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<at])
            at = skipSpace(from: at)
            guard at < bytes.count, bytes[at] == ascii("=") else { throw malformed("an attribute has no '='", at: start) }
            at = skipSpace(from: at + 1)
            guard at < bytes.count, bytes[at] == ascii("\"") || bytes[at] == ascii("'") else {
                throw malformed("an attribute's value is not quoted", at: start)
            }
            let quote = bytes[at]
            at += 1
            while at < bytes.count, bytes[at] != quote {
                guard bytes[at] != ascii("<") else { throw malformed("a '<' in an attribute's value", at: at) }
                at += 1
            }
            guard at < bytes.count else { throw malformed("an attribute's value is not closed", at: start) }
            let xmlns = Scanner.xmlns
            let declares = name.starts(with: xmlns) && (name.count == xmlns.count || name[xmlns.count] == ascii(":"))
            return (declares, at + 1)
        }

        private func find(_ byte: UInt8, from start: Int) -> Int? {
            var at = start
            while at < bytes.count {
                if bytes[at] == byte { return at }
                at += 1
            }
            return nil
        }

        /// Where the first `terminator` at or after `start` ends.
        private func skip(past terminator: StaticString, from start: Int, what: String, opened: Int) throws(XMLDocumentError) -> Int {
            let needle = UnsafeBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount)
            var at = start
            while at + needle.count <= bytes.count {
                if bytes[at] == needle[0], starts(with: needle, at: at) { return at + needle.count }
                at += 1
            }
            throw malformed("\(what) is not closed", at: opened)
        }

        private func starts(with text: StaticString, at start: Int) -> Bool {
            starts(with: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), at: start)
        }

        private func starts(with needle: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
            guard start + needle.count <= bytes.count else { return false }
            for offset in 0..<needle.count where bytes[start + offset] != needle[offset] { return false }
            return true
        }

        private func skipSpace(from start: Int) -> Int {
            var at = start
            while at < bytes.count, isSpace(bytes[at]) { at += 1 }
            return at
        }

        private func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private func ascii(_ character: Unicode.Scalar) -> UInt8 {
            UInt8(character.value)
        }

        private func malformed(_ why: String, at offset: Int) -> XMLDocumentError {
            XMLDocumentError("not well-formed XML: \(why) (byte \(offset))")
        }

        private func over(_ limit: String, at offset: Int) -> XMLDocumentError {
            XMLDocumentError("too much XML structure: \(limit) (at byte \(offset)); refused before it was parsed")
        }
    }
}
