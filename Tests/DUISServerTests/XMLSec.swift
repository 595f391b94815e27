import Foundation

/// Debian's `xmlsec1`, an XMLDSig implementation no one here wrote, run as a process.
enum XMLSec {
    static let path = "/usr/bin/xmlsec1"

    /// Whether to run the interoperability tests: xmlsec1 is installed, or this is CI (where
    /// `.ci/run` installs it, so a missing xmlsec1 fails rather than skips).
    static var shouldRun: Bool {
        FileManager.default.isExecutableFile(atPath: path) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Runs `xmlsec1 arguments`; the exit status and what it printed.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// A file in a fresh temporary folder holding `bytes`.
    static func file(_ bytes: [UInt8], named name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "xmlsec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `document` with an empty enveloped-signature template before the root's closing tag, as
    /// xmlsec1 signs: DUIS's algorithms, and an X509IssuerSerial for xmlsec1 to fill in.
    static func template(_ document: [UInt8]) -> [UInt8] {
        let text = String(decoding: document, as: UTF8.self)
        let closing = text.range(of: "</sr:Request>", options: .backwards)!
        let signature = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
            + "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
            + "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>"
            + "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>"
            + "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>"
            + "<ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial/></ds:X509Data></ds:KeyInfo></ds:Signature>"
        return Array((text[..<closing.lowerBound] + signature + text[closing.lowerBound...]).utf8)
    }
}
