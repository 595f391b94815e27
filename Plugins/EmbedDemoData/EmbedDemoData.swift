import Foundation
import PackagePlugin

/// Builds `demo-data/`'s JSON files into the target that uses this plugin, as
/// `EmbeddedDemoData`, so `anchordesk init --demo` and the console work from any directory
/// with only the executable installed. The files stay the source: editing one rebuilds it.
@main
struct EmbedDemoData: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "demo-data")
        let inputs = ["organisations.json", "certificates.json", "devices.json", "history.json"].map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDemoData.swift")
        return [
            .buildCommand(
                displayName: "Embedding demo-data/ in \(target.name)",
                executable: try context.tool(named: "embed-demo-data").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs, outputFiles: [output]),
        ]
    }
}
