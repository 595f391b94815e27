import Foundation

// `embed-demo-data OUTPUT.swift FILE...`: writes a Swift source file whose `EmbeddedDemoData.files`
// maps each file's name to its exact text, as raw string literals. Run by the EmbedDemoData
// build plugin; nothing else uses it.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first, arguments.count > 1 else {
    FileHandle.standardError.write(Data("usage: embed-demo-data OUTPUT.swift FILE...\n".utf8))
    exit(2)
}
var source = """
    // Generated at build time from demo-data/ by the EmbedDemoData plugin; do not edit.

    /// The bundled demo data, byte for byte as in `demo-data/`.
    enum EmbeddedDemoData {
        /// Each file's text by its name.
        static let files: [String: String] = [

    """
for path in arguments.dropFirst() {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // A raw string's delimiter needs more `#` than any `"#…` run in the text.
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains(hashes + "\"") { hashes += "#" }
    let name = URL(fileURLWithPath: path).lastPathComponent
    source += "        \"\(name)\": \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes),\n"
}
source += "    ]\n}\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
