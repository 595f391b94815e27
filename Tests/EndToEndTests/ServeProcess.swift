import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `anchordesk serve` running on a demo store, and POSTs to it as a User's tooling sends them.
struct ServeProcess {
    var server: RunningAnchorDesk
    let base: String

    /// Starts it on a free loopback port, with `serve`'s `options` and `environment` added to
    /// this process's, and waits until it answers.
    init(store: DemoStore, options: [String] = [], environment: [String: String] = [:]) throws {
        (server, base) = try Self.start(["serve", "--store", store.path] + options,
                                        environment: environment.merging(["ANCHORDESK_NOW": "2026-11-25T09:00:00Z"]) { $1 },
                                        log: store.root.appendingPathComponent("serve.log").path)
        var up = false
        for _ in 0..<100 where !up {
            up = (try? post("<r/>", to: "serviceS").status) == 400
            if !up { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(up, "serve did not start")
    }

    /// Starts `anchordesk serve` with `arguments` on a loopback port the system picks, and
    /// reads which from the line it prints on stderr (`serving DUIS on http://…`), kept in `log`.
    /// - Returns: the server, and its DUIS base address (`…/api/v1/`).
    static func start(_ arguments: [String], environment: [String: String], log: String, openFileLimit: Int? = nil) throws -> (RunningAnchorDesk, String) {
        FileManager.default.createFile(atPath: log, contents: nil)
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? errors.close() }
        let server = try RunningAnchorDesk(arguments + ["--listen", "127.0.0.1:0"], environment: environment, errors: errors, openFileLimit: openFileLimit)
        for _ in 0..<300 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("serving DUIS on ") }) {
                return (server, line.dropFirst("serving DUIS on ".count) + "/api/v1/")
            }
            guard server.process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        server.process.terminate()
        server.process.waitUntilExit()
        throw ServeStartFailure(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    func stop() {
        server.process.terminate()
        server.process.waitUntilExit()
    }

    /// POSTs `body` as `application/xml` to `endpoint` (`serviceT`, `serviceS`).
    func post(_ body: String, to endpoint: String) throws -> (status: Int, body: String) {
        try Self.post(body, to: base + endpoint)
    }

    /// POSTs `body` as `application/xml` to `url`; status 0 when nothing answered within `timeout` seconds.
    static func post(_ body: String, to url: String, timeout: TimeInterval = 60) throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/xml", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    /// National Grid hands `device` back to the ACB through DUIS: CV4, its signature, CV5.
    func handBack(_ device: String, on store: DemoStore) throws {
        let cv4 = try store.run(["duis", "request", "6.15.1", "--as", "national-grid", "--device", device, "--cert", "acb"])
        #expect(cv4.exitCode == 0, "\(cv4.stderr)")
        let transformed = try post(cv4.stdout, to: "serviceT")
        #expect(transformed.status == 200 && transformed.body.contains("<sr:ResponseCode>I0</sr:ResponseCode>"), "\(transformed.body)")
        let response = store.root.appendingPathComponent("cv4-\(device).xml").path
        try Data(transformed.body.utf8).write(to: URL(fileURLWithPath: response))
        #expect(try store.run(["duis", "verify", response]).exitCode == 0)
        let cv5 = try store.run(["duis", "sign-pre-command", response, "--as", "national-grid"])
        #expect(cv5.exitCode == 0, "\(cv5.stderr)")
        #expect(try post(cv5.stdout, to: "serviceS").body.contains("<sr:ResponseCode>I99</sr:ResponseCode>"))
    }
}

/// `serve` ended, or printed no address, before it answered.
struct ServeStartFailure: Error, CustomStringConvertible {
    let log: String
    var description: String { "serve did not start: \(log)" }
}
