/// A DUIS Command Variant and the endpoint it is sent to (DCC Boxed's three web services).
public enum DUISEndpoint: String, Sendable, CaseIterable {
    /// Transform Service: CommandVariant 4 (a Service Request in, a pre-command out).
    case transform = "/api/v1/serviceT"
    /// Send Command Service: CommandVariants 1, 3, 5 and 7.
    case sendCommand = "/api/v1/serviceS"
    /// Non-Device Service: CommandVariants 2, 6 and 8.
    case nonDevice = "/api/v1/serviceD"

    /// The endpoint a Command Variant belongs to (`duis-parser` `src/cv.ts`), `nil` for one that does not exist.
    public static func of(commandVariant: Int) -> DUISEndpoint? {
        switch commandVariant {
        case 4: .transform
        case 1, 3, 5, 7: .sendCommand
        case 2, 6, 8: .nonDevice
        default: nil
        }
    }
}
