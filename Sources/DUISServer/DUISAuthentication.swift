import DUIS
import Foundation
import SMKI

/// The first check of every request, made before the store is opened (so no one can hold the
/// store's lock without a User's signature): the XML signature, by a User's XML-signing
/// certificate in the Repository, valid now; then the request itself is read.
enum DUISAuthentication {
    /// How far a signer's clock may run ahead of the DSP's: a certificate made moments ago (its
    /// start of validity in whole seconds, perhaps rounded up) is already good.
    static let clockSkew: TimeInterval = 300

    /// A request whose signature verified.
    struct Verified: Sendable {
        /// What it asks for.
        var request: DUISRequest
        /// The certificate that signed it.
        var signer: OrganisationCertificate
    }

    /// A request that is not DUIS AnchorDesk can answer in DUIS.
    struct UnreadRequest: Error {
        var reason: String
    }

    /// Checks `document`'s signature with `xmlSigning`'s certificates and reads the request.
    /// - Throws: ``DUISRefusal`` `E1` for a signature that does not verify with a User's
    ///   certificate valid at `now`, or a signer that is not the Request ID's originator;
    ///   ``UnreadRequest`` for a document that is not a DUIS request AnchorDesk reads.
    static func verify(_ document: ParsedXML, with xmlSigning: XMLSigningCredentials, at now: Date) throws -> Verified {
        let signer: OrganisationCertificate
        do {
            var named: OrganisationCertificate?
            _ = try XMLSignature.verify(document) { name throws(XMLSignatureError) in
                guard let certificate = xmlSigning.certificate(issuer: name.issuer, serial: name.serial) else {
                    throw .unknownSigner("no XML-signing certificate of issuer '\(DUISRequest.shown(name.issuer))', serial \(DUISRequest.shown(name.serial)) in the Repository")
                }
                guard certificate.xmlSigningRole == .user, let key = certificate.publicKey else {
                    throw .unknownSigner("the certificate is not a User's XML-signing certificate (OU=87)")
                }
                guard certificate.certificate.notValidBefore <= now.addingTimeInterval(clockSkew), now <= certificate.certificate.notValidAfter else {
                    throw .unknownSigner("the XML-signing certificate is not valid now")
                }
                named = certificate
                return key
            }
            guard let named else { throw DUISRefusal(.notAuthenticated, "no signer") }
            signer = named
        } catch let error as XMLSignatureError {
            if case .malformed(let why) = error { throw UnreadRequest(reason: why) }
            throw DUISRefusal(.notAuthenticated, error.description)
        }
        let request: DUISRequest
        do {
            request = try DUISRequest(document)
        } catch {
            throw UnreadRequest(reason: error.description)
        }
        guard signer.entityId == request.requestID.originator else {
            throw DUISRefusal(.notAuthenticated, "the request is signed by \(signer.entityId?.description ?? "an unnamed entity"), not by its originator \(request.requestID.originator)")
        }
        return Verified(request: request, signer: signer)
    }
}
