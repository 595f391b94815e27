import AnchorCore
import AnchorStore
import SMKI

/// What the tests read from a store's SMKI folder.
enum AnchorStoreAccess {
    static func xmlSigningCertificates(_ store: DemoStore) throws -> [EUI64: OrganisationCertificate] {
        try CredentialVault(storeDirectory: store.directory).loadXMLSigningCertificates()
    }
}
