import AnchorCore
import AnchorStore
import AsyncHTTPClient
import DUIS
import DUISServer
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import OperatorClient
import SMKI
import Synchronization
import Testing

/// The operator API over real TLS: who may connect, whom each operator may act for, and a User's
/// requests signed on the operator's side and decided by the DSP.
@Suite(.serialized) struct OperatorAPITests {
    @Test func whoamiNamesTheOperatorByItsClientCertificate() async throws {
        try await withHarness { harness in
            let reply = try await offThePool { try harness.connection(as: "national-grid").get(OperatorAPIPath.whoami) }
            #expect(reply.status == 200)
            let grant = try JSONDecoder().decode(OperatorGrants.Grant.self, from: Data(reply.body))
            #expect(grant.organisations == ["national-grid"])
            #expect(grant.subject.contains("CN=national-grid"))
        }
    }

    @Test func clientsWithoutACertificateTheDSPTrustsAreRefusedAtTheHandshake() async throws {
        try await withHarness { harness in
            let now = Date()
            let stranger = try TLSAuthority.generate(commonName: "Another CA", validFrom: now - 3600, validUntil: now + 86_400)
            let foreign = try stranger.clientCredential(commonName: "cadent", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
            let expired = try harness.authority.clientCredential(
                commonName: "cadent", organisationName: "Operators", validFrom: now - 7200, validUntil: now - 3600)
            for credential in [foreign, expired] {
                let refusal = await offThePool { () -> String in
                    do {
                        _ = try harness.connection(with: credential).get(OperatorAPIPath.whoami)
                        return "answered"
                    } catch let error as OperatorClientError {
                        if case .handshake(let why) = error { return "handshake: " + why }
                        return "\(error)"
                    } catch {
                        return "\(error)"
                    }
                }
                guard refusal.hasPrefix("handshake: ") else {
                    Issue.record("expected a handshake refusal, got \(String(describing: refusal))")
                    continue
                }
                #expect(!refusal.contains("PRIVATE KEY") && !refusal.contains("\n"))
                // In words, with BoringSSL's code, and no path of the build.
                #expect(refusal.contains("the DSP refused this machine's client certificate") && !refusal.contains(".cc:"), "\(refusal)")
            }
            // No certificate at all: a client with only the CA.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(harness.authority.certificatePEM.utf8)))
            let anonymous = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            await #expect(throws: (any Error).self) {
                _ = try await anonymous.execute(HTTPClientRequest(url: harness.address + OperatorAPIPath.whoami), timeout: .seconds(10))
            }
            try await anonymous.shutdown()
        }
    }

    /// A client key that is not the client certificate's is bad settings on this machine (exit 2),
    /// said before connecting; before, it was a "TLS handshake failed: failedToLoadPrivateKey" (exit 3).
    @Test func aClientKeyThatIsNotTheCertificatesIsRefusedBeforeConnecting() throws {
        let now = Date()
        let authority = try TLSAuthority.generate(commonName: "Test operator CA", validFrom: now - 3600, validUntil: now + 86_400)
        let cadent = try authority.clientCredential(commonName: "cadent", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
        let sgn = try authority.clientCredential(commonName: "sgn", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
        do {
            _ = try OperatorConnection(address: "https://127.0.0.1:1", certificate: Array(cadent.certificatePEM.utf8),
                                       key: Array(sgn.privateKeyPEM.utf8), authority: Array(authority.certificatePEM.utf8))
            Issue.record("a key that is not the certificate's was taken")
        } catch {
            guard case .badSettings(let why) = error else {
                Issue.record("expected bad settings, got \(error)")
                return
            }
            #expect(why == "the client key is not the client certificate's (--client-key, --client-cert)")
        }
    }

    @Test func aCertificateFromTheTrustedCAWhoseSubjectHasNoGrantGets403() async throws {
        try await withHarness { harness in
            let now = Date()
            let unknown = try harness.authority.clientCredential(
                commonName: "someone-else", organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
            let reply = try await offThePool { try harness.connection(with: unknown).get(OperatorAPIPath.whoami) }
            #expect(reply.status == 403)
            #expect(String(decoding: reply.body, as: UTF8.self).contains("is not an operator of this DSP"))
        }
    }

    /// Swift's `==` on strings is Unicode canonical equivalence: "K" (U+212A KELVIN SIGN) equals
    /// "K", so a certificate the CA issued to a look-alike name must not get the grant of the name it looks like.
    @Test func aSubjectCanonicallyEquivalentToAGrantedOneIsNotThatOperator() async throws {
        let granted = OperatorGrants.Grant(subject: "CN=Kestrel,O=Operators", organisations: ["kestrel-supply"])
        try await withHarness(extraGrants: [granted]) { harness in
            let now = Date()
            for (commonName, status) in [("Kestrel", 200), ("\u{212A}estrel", 403)] {
                let credential = try harness.authority.clientCredential(
                    commonName: commonName, organisationName: "Operators", validFrom: now - 3600, validUntil: now + 86_400)
                let reply = try await offThePool { try harness.connection(with: credential).get(OperatorAPIPath.whoami) }
                #expect(reply.status == status, "CN=\(commonName.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }

    /// A client that connects and sends nothing (no TLS handshake on the operator API, no request
    /// on the DUIS port) is closed once idle for the limit; before, it was held for ever.
    @Test func aConnectionThatNeverStartsIsClosedAfterTheIdleTimeout() async throws {
        try await withHarness(connectionLimits: ConnectionLimits(perPort: 16, idleTimeout: .milliseconds(500))) { harness in
            for port in [harness.operatorPort, harness.duisPort] {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
                // Waits at most 30 seconds: then the test closes it itself, and says so.
                let gaveUp = Mutex(false)
                let deadline = channel.eventLoop.scheduleTask(in: .seconds(30)) {
                    gaveUp.withLock { $0 = true }
                    channel.close(promise: nil)
                }
                try? await channel.closeFuture.get()
                deadline.cancel()
                #expect(!gaveUp.withLock { $0 }, "port \(port) still holds a connection that sent nothing")
            }
        }
    }

    @Test func anOperatorForCadentCannotActForNationalGrid() async throws {
        try await withHarness { harness in
            let store = harness.store
            let device = try #require(try store.gpfs(heldBy: "national-grid").first)
            let before = try store.estate().ledger.requests.count
            let draft = DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: device.id, certificate: "acb")
            let cadent = try harness.connection(as: "cadent")
            let drafted = try await offThePool { try harness.draft(draft, over: cadent) }
            #expect(drafted.status == 403)
            // National Grid's own signed request, carried by Cadent's operator, is refused as well.
            let unsigned = try DUISRequestDocument.updateSecurityCredentials(
                requestID: DUISRequestID(originator: store.organisation("national-grid").entityId, target: device.id,
                                         counter: store.organisation("national-grid").lastCounter.value + 1),
                floor: nil, certificates: store.certificates(of: "dcc-acb"))
            let signed = try store.signed(unsigned, as: "national-grid")
            let sent = try await offThePool { try harness.send(signed, to: .transform, over: cadent) }
            #expect(sent.status == 403)
            #expect(String(decoding: sent.body, as: UTF8.self).contains("may not act for national-grid"))
            #expect(try store.estate().ledger.requests.count == before)
            #expect(harness.lines.all.contains { $0.contains("operator 'CN=cadent") && $0.contains("403") })
        }
    }

    @Test func aUsersRequestSignedWithAnotherUsersKeyIsRefused() async throws {
        try await withHarness { harness in
            let store = harness.store
            let device = try #require(try store.gpfs(heldBy: "national-grid").first)
            let before = try store.estate().ledger.requests.count
            let nationalGrid = try harness.connection(as: "national-grid")
            let drafted = try await offThePool {
                try harness.draft(DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: device.id,
                                                   certificate: "acb"), over: nationalGrid)
            }
            #expect(drafted.status == 200)
            let draft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(drafted.body))
            // Signed with Cadent's XML-signing key, naming National Grid's certificate.
            let cadentKey = try #require(try store.keys.xmlSigningKey(try store.organisation("cadent").entityId))
            let nationalGridCertificate = try OrganisationCertificate(der: Array(try #require(Data(base64Encoded: draft.xmlSigningCertificate))))
            let forged = try XMLSignature.sign(Array(draft.xml.utf8), key: cadentKey, keyName: .init(
                issuer: nationalGridCertificate.issuerName, serial: nationalGridCertificate.decimalSerial))
            let sent = try await offThePool { try harness.send(forged, to: .transform, over: nationalGrid) }
            #expect(sent.status == 200)
            let answer = try JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(sent.body))
            #expect(answer.code == DUISResponseCode.notAuthenticated.rawValue)
            #expect(answer.request == nil)
            #expect(try store.estate().ledger.requests.count == before)
        }
    }

    @Test func theHandBackAndTheHandoverRunThroughTheAPIWithTheUsersOwnSignatures() async throws {
        try await withHarness { harness in
            let store = harness.store
            let device = try #require(try store.gpfs(heldBy: "national-grid").first { $0.supplier == "heron-energy" })
            // National Grid hands the device back: the DSP drafts, the operator signs as the User.
            let nationalGrid = try harness.connection(as: "national-grid")
            let drafted = try await offThePool {
                try harness.draft(DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: device.id,
                                                   certificate: "acb"), over: nationalGrid)
            }
            let draft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(drafted.body))
            let transformed = try JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(try await offThePool {
                try harness.send(try store.signed(Array(draft.xml.utf8), as: "national-grid"), to: .transform, over: nationalGrid)
            }.body))
            #expect(transformed.code == "I0")
            let preCommand = try #require(try Answer(Array(transformed.duis.utf8), store: store).preCommand)
            let requestID = try #require(DUISRequestID(try Answer(Array(transformed.duis.utf8), store: store).requestID))
            let cv5 = try store.signed(
                DUISRequestDocument.signedPreCommand(requestID: requestID, gbcs: try store.signPreCommand(preCommand, as: "national-grid")),
                as: "national-grid")
            let handedBack = try JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(try await offThePool {
                try harness.send(cv5, to: .sendCommand, over: nationalGrid)
            }.body))
            let handBack = try #require(handedBack.request)
            #expect(handBack.outcome == .succeeded)
            #expect(handBack.operatorSubject?.hasPrefix("CN=national-grid") == true)
            #expect(try store.estate().ledger.lastRequest(for: device.id)?.operatorSubject == handBack.operatorSubject)
            #expect(handedBack.deviceResponse != nil)
            let recorded = try #require(try store.estate().ledger.recordedCounters[device.id])
            #expect(recorded == handBack.originatorCounter)
            // Heron Energy, the Supplier, asks for Cadent's certificates: the ACB's counter goes above the recorded one.
            let heron = try harness.connection(as: "heron-energy")
            let handoverDraft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(try await offThePool {
                try harness.draft(DUISRequestDraft(service: .requestHandover, organisation: "heron-energy", device: device.id,
                                                   networkOperator: "cadent"), over: heron)
            }.body))
            let handedOver = try JSONDecoder().decode(OperatorReplies.DUIS.self, from: Data(try await offThePool {
                try harness.send(try store.signed(Array(handoverDraft.xml.utf8), as: "heron-energy"), to: .sendCommand, over: heron)
            }.body))
            let handover = try #require(handedOver.request)
            #expect(handover.outcome == .succeeded)
            #expect(handover.originatorCounter > recorded)
            // Answered at once: nothing waits in the outbox for an operator's requests.
            let outbox = (try? FileManager.default.contentsOfDirectory(atPath: store.directory + "/duis-outbox")) ?? []
            #expect(outbox.filter { $0.hasSuffix(".xml") }.isEmpty)
        }
    }

    @Test(arguments: [false, true]) func aHeldStoreIsNotLetGoBetweenRequests(holds: Bool) async throws {
        try await withHarness(holdsStore: holds) { harness in
            let read = try await offThePool { try harness.connection(as: "cadent").get(OperatorAPIPath.devices + "?limit=1") }
            #expect(read.status == 200)
            try await Task.sleep(for: .milliseconds(1500))
            do throws(StoreError) {
                let store = try Store.open(at: harness.store.directory, access: .readWrite(lockTimeout: .zero))
                store.close()
                #expect(!holds, "a held store was let go")
            } catch {
                #expect(holds && error.code == .locked, "\(error)")
            }
        }
    }

    /// A store the DSP cannot use is a 503 saying what failed, but not where the DSP keeps its
    /// store (nor, on PostgreSQL, its database server): that is for serve's own output. The same
    /// holds for a request carried to the DUIS endpoints and for every other operator call.
    @Test func aStoreTheDSPCannotUseIsSaidWithoutItsPath() async throws {
        try await withHarness { harness in
            let nationalGrid = try harness.connection(as: "national-grid")
            let device = try #require(try harness.store.gpfs(heldBy: "national-grid").first)
            let drafted = try await offThePool {
                try harness.draft(DUISRequestDraft(service: .updateSecurityCredentials, organisation: "national-grid", device: device.id,
                                                   certificate: "acb"), over: nationalGrid)
            }
            let draft = try JSONDecoder().decode(OperatorReplies.Draft.self, from: Data(drafted.body))
            let signed = try harness.store.signed(Array(draft.xml.utf8), as: "national-grid")
            try await Task.sleep(for: .milliseconds(1500))
            let store = try Store.open(at: harness.store.directory, access: .readWrite(lockTimeout: .zero))
            defer { store.close() }
            let plan = Array(#"{"organisation": "national-grid", "filter": "no=national-grid", "certificate": "acb"}"#.utf8)
            let replies = [
                try await offThePool { try nationalGrid.post(OperatorAPIPath.bulkPlan, body: plan, contentType: "application/json") },
                try await offThePool { try harness.send(signed, to: .transform, over: nationalGrid) },
            ]
            for reply in replies {
                let error = (try? JSONDecoder().decode(OperatorReplies.Failure.self, from: Data(reply.body)))?.error ?? ""
                #expect(reply.status == 503 && error.contains("locked") && !error.contains(harness.store.directory), "\(reply.status) \(error)")
            }
            #expect(harness.lines.all.contains { $0.contains(harness.store.directory + "/lock") }, "\(harness.lines.all)")
        }
    }

    private func withHarness(
        holdsStore: Bool = false, extraGrants: [OperatorGrants.Grant] = [], connectionLimits: ConnectionLimits? = nil,
        _ body: (OperatorHarness) async throws -> Void
    ) async throws {
        try await OperatorHarness.with(holdsStore: holdsStore, extraGrants: extraGrants, connectionLimits: connectionLimits, body)
    }
}

/// Runs the operator client's blocking calls on a thread of their own, not one of the few the
/// cooperative pool has (the in-process server needs those).
func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

func offThePool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}
