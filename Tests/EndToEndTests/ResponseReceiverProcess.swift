import Foundation
import Testing

/// A User's Receive Response Service for `anchordesk serve --respond-to`: python3's HTTP server,
/// keeping each POST's body as a file in a folder and answering 200.
struct ResponseReceiverProcess {
    let process = Process()
    /// The port it listens on.
    private(set) var port = 0
    /// Where each body is kept, `000000.xml` onwards.
    let folder: String

    /// Starts it on `port` (0: one the system picks) and waits until it listens.
    init(port: Int = 0, folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let portFile = folder + ".port"
        try? FileManager.default.removeItem(atPath: portFile)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, String(port), folder, portFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 where self.port == 0 {
            self.port = Int((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "") ?? 0
            if self.port == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        if self.port == 0 { stop() }
        try #require(self.port > 0, "the receiver did not start")
    }

    /// How many bodies it has kept.
    var received: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0
    }

    func stop() {
        // SIGKILL: the test runner's blocked signals are inherited, SIGTERM among them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `python3 -c SCRIPT PORT FOLDER PORTFILE`: the port it listens on goes to PORTFILE once it does.
    static let script = """
        import http.server, sys, os, itertools
        port, folder, port_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        counter = itertools.count()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                with open(os.path.join(folder, '%06d.xml' % next(counter)), 'wb') as f: f.write(body)
                self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
        with open(port_file + '.part', 'w') as f: f.write(str(server.server_address[1]))
        os.rename(port_file + '.part', port_file)
        server.serve_forever()
        """
}
