import SwiftASN1

/// Certificates as real SMKI material writes them, read with the tolerance it needs.
///
/// DCC's published keystores hold certificates that are not strict DER: an issuer's ECDSA
/// signature whose `s` INTEGER carries a redundant leading `00` (RTDS 4.5.0's
/// `00db123456789023-ka.pem` and `00db12345678909b-ds.pem`), and BER lengths (long forms where
/// DER asks for the short one). OpenSSL reads them; swift-certificates, rightly strict, does not.
///
/// swift-asn1's BER parser already accepts the lengths (including indefinite ones); this type
/// re-encodes what it parsed as DER, trimming INTEGERs to their fewest octets, so that
/// swift-certificates can read the fields. The re-encoding is for reading only: the
/// certificate's own bytes are kept, and its signature is checked over its to-be-signed part
/// exactly as published (``signedParts(_:)``).
enum LenientCertificateDER {
    /// The DER re-encoding of a certificate that strict DER parsing refused: every length in its
    /// shortest form, every INTEGER in its fewest octets, and the same in the DER values a
    /// certificate nests (each extension's value and the signature).
    /// - Throws: swift-asn1's error when the bytes are not BER at all, or not shaped like a certificate.
    static func reencoded(_ bytes: [UInt8]) throws -> [UInt8] {
        let parts = try certificateParts(try BER.parse(bytes))
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { certificate in
            try certificate.appendConstructedNode(identifier: parts.toBeSigned.identifier) { toBeSigned in
                for field in try children(of: parts.toBeSigned) {
                    if field.identifier == extensionsTag {
                        try appendExtensions(field, into: &toBeSigned)
                    } else {
                        try append(field, into: &toBeSigned)
                    }
                }
            }
            try append(parts.algorithm, into: &certificate)
            try appendBitString(reencodedSignature(parts.signature), into: &certificate)
        }
        return serializer.serializedBytes
    }

    /// The to-be-signed part exactly as published (what the issuer signed), and the issuer's
    /// signature value, re-encoded as DER for a strict verifier.
    /// - Throws: swift-asn1's error when the bytes are not a BER certificate.
    static func signedParts(_ bytes: [UInt8]) throws -> (toBeSigned: [UInt8], signature: [UInt8]) {
        let parts = try certificateParts(try BER.parse(bytes))
        return (Array(parts.toBeSigned.encodedBytes), try reencodedSignature(parts.signature))
    }

    /// `[3] EXPLICIT Extensions` in a TBSCertificate.
    private static let extensionsTag = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)

    private static func certificateParts(_ root: ASN1Node) throws -> (toBeSigned: ASN1Node, algorithm: ASN1Node, signature: ASN1Node) {
        let parts = try children(of: root)
        guard root.identifier == .sequence, parts.count == 3, parts[0].identifier == .sequence, parts[2].identifier == .bitString else {
            throw ASN1Error.invalidASN1Object(reason: "not a certificate: SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }")
        }
        return (parts[0], parts[1], parts[2])
    }

    private static func children(of node: ASN1Node) throws -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else {
            throw ASN1Error.invalidASN1Object(reason: "expected a constructed value")
        }
        return Array(nodes)
    }

    /// A node as DER: its children re-encoded in turn, an INTEGER trimmed.
    private static func append(_ node: ASN1Node, into serializer: inout DER.Serializer) throws {
        switch node.content {
        case .constructed(let nodes):
            try serializer.appendConstructedNode(identifier: node.identifier) { inner in
                for child in nodes { try append(child, into: &inner) }
            }
        case .primitive(let content):
            let value = node.identifier == .integer ? try minimalInteger(content) : content
            serializer.appendPrimitiveNode(identifier: node.identifier) { $0.append(contentsOf: value) }
        }
    }

    /// `[3] { SEQUENCE OF Extension }`, each extension's OCTET STRING value re-encoded when it is BER.
    private static func appendExtensions(_ field: ASN1Node, into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: field.identifier) { explicit in
            for list in try children(of: field) {
                try explicit.appendConstructedNode(identifier: list.identifier) { extensions in
                    for item in try children(of: list) {
                        try extensions.appendConstructedNode(identifier: item.identifier) { members in
                            for member in try children(of: item) {
                                if member.identifier == .octetString, case .primitive(let value) = member.content,
                                   let nested = try? reencodedValue(value) {
                                    members.appendPrimitiveNode(identifier: .octetString) { $0.append(contentsOf: nested) }
                                } else {
                                    try append(member, into: &members)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One complete BER value re-encoded as DER.
    private static func reencodedValue(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try append(try BER.parse(bytes), into: &serializer)
        return serializer.serializedBytes
    }

    /// The signature BIT STRING's bytes (no unused bits), their ECDSA-Sig-Value re-encoded
    /// when it is one; other algorithms' values as they are.
    private static func reencodedSignature(_ bitString: ASN1Node) throws -> [UInt8] {
        guard case .primitive(let content) = bitString.content, content.first == 0 else {
            throw ASN1Error.invalidASN1Object(reason: "the signature is not a BIT STRING of whole octets")
        }
        let value = content.dropFirst()
        return (try? reencodedValue(value)) ?? Array(value)
    }

    private static func appendBitString(_ bytes: [UInt8], into serializer: inout DER.Serializer) throws {
        serializer.appendPrimitiveNode(identifier: .bitString) { $0.append(0); $0.append(contentsOf: bytes) }
    }

    /// An INTEGER's content octets in their fewest: leading `00` before a clear top bit, and
    /// leading `FF` before a set one, are redundant.
    private static func minimalInteger(_ content: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
        guard !content.isEmpty else { throw ASN1Error.invalidASN1IntegerEncoding(reason: "INTEGER encoded with zero bytes") }
        var value = content
        while value.count > 1 {
            let first = value[value.startIndex], next = value[value.startIndex + 1]
            guard (first == 0x00 && next & 0x80 == 0) || (first == 0xFF && next & 0x80 != 0) else { break }
            value = value.dropFirst()
        }
        return value
    }
}
