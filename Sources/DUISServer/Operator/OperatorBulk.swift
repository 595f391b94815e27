import AnchorCore
import Foundation

/// The operator API's bulk SRV6.15.1: a departing GNO's hand-back from an operator's machine,
/// its commands signed there with the GNO's own Digital Signing key, a group at a time.
///
/// 1. `POST …/bulk/6.15.1/plan` a ``PlanRequest``: the devices to send to, as ``Plan``.
/// 2. `POST …/bulk/6.15.1/prepare` a ``PrepareRequest`` for a group of them: each device's
///    unsigned pre-command, with the next counters of the GNO's, as ``Prepared``.
/// 3. The operator's machine signs each pre-command with the GNO's key.
/// 4. `POST …/bulk/6.15.1/send` a ``SendRequest``: the DSP checks each signed pre-command (the
///    engine's own bytes, signed with the key of the certificate in the device's Network Operator
///    cell), sends the group to the devices and makes it durable together; ``Sent`` holds the
///    requests as recorded, each naming the operator.
///
/// Nothing is kept between the calls: a command whose counter another request used meanwhile is
/// refused before the devices (``Refusal/prepareAgain``), and prepared again. The operator's
/// machine may prepare and sign the next group while one is sent, its counters above the unsent
/// group's (``PrepareRequest/after``); the DSP starts that group's P-256 work as it prepares it.
public enum OperatorBulk {
    /// The most devices one ``PrepareRequest`` or ``SendRequest`` names.
    public static let maximumGroup = 10_000

    /// Which devices a bulk SRV6.15.1 of `certificate` from `organisation` sends to.
    public struct PlanRequest: Codable, Sendable {
        /// The sending GNO.
        public var organisation: String
        /// A device filter expression (`no=national-grid`).
        public var filter: String
        /// A certificate ID, or an owner's ID for its DS and KA pair (`acb`).
        public var certificate: String
        /// The commands' execution time (`YYYY-MM-DDTHH:MM:SSZ`), for a scheduled hand-back.
        public var executeAt: String?
        /// At most this many devices: the first in the selection's order.
        public var limit: Int?

        /// A request.
        public init(organisation: String, filter: String, certificate: String, executeAt: String?, limit: Int? = nil) {
            self.organisation = organisation
            self.filter = filter
            self.certificate = certificate
            self.executeAt = executeAt
            self.limit = limit
        }
    }

    /// The devices to send to, as ``AnchorService/HandBackPlan`` gives them.
    public struct Plan: Codable, Sendable {
        /// The sending GNO's entity ID: whose Digital Signing key signs the commands.
        public var entityId: EUI64
        /// The devices, in order.
        public var pending: [EUI64]
        /// Matching devices left out (already done, or already scheduled).
        public var skipped: Int
        /// The line warning of devices holding a scheduled command, if any.
        public var warning: String?
    }

    /// A group's pre-commands.
    public struct PrepareRequest: Codable, Sendable {
        /// The sending GNO.
        public var organisation: String
        /// A certificate ID, or an owner's ID for its DS and KA pair.
        public var certificate: String
        /// The commands' execution time, if scheduled.
        public var executeAt: String?
        /// The group's devices, in order, each once.
        public var devices: [EUI64]
        /// The last counter of a group the operator's machine prepared and has not sent yet (it
        /// prepares the next group while sending one): this group's counters go above it, when it
        /// is above the sender's last and at most ``maximumAhead`` past it. `nil`: above the last.
        public var after: OriginatorCounter?

        /// A request.
        public init(organisation: String, certificate: String, executeAt: String?, devices: [EUI64], after: OriginatorCounter? = nil) {
            self.organisation = organisation
            self.certificate = certificate
            self.executeAt = executeAt
            self.devices = devices
            self.after = after
        }
    }

    /// How far past the sender's last counter ``PrepareRequest/after`` may be: a group prepared and
    /// not sent yet, and the refused tail of the group sent before it.
    public static let maximumAhead = 2 * UInt64(maximumGroup)

    /// One device's GBCS command: unsigned (a pre-command) from the DSP, signed back from the operator.
    public struct Command: Codable, Sendable, Equatable {
        /// The device.
        public var device: EUI64
        /// The command's bytes, base64.
        public var gbcs: String

        /// A command.
        public init(device: EUI64, gbcs: String) {
            self.device = device
            self.gbcs = gbcs
        }
    }

    /// A device of the group the DSP sends nothing to, and why; nothing about it was recorded.
    public struct Refusal: Error, Codable, Sendable, Equatable {
        /// The device.
        public var device: EUI64
        /// Why, in one line.
        public var error: String
        /// Its counter was used meanwhile: the same command prepared again may go through.
        public var prepareAgain: Bool?

        /// A refusal.
        public init(device: EUI64, error: String, prepareAgain: Bool? = nil) {
            self.device = device
            self.error = error
            self.prepareAgain = prepareAgain
        }
    }

    /// A group's pre-commands, in the order asked, and the devices refused.
    public struct Prepared: Codable, Sendable {
        /// The unsigned pre-commands.
        public var preCommands: [Command]
        /// The devices with none.
        public var refused: [Refusal]
    }

    /// A group's signed pre-commands.
    public struct SendRequest: Codable, Sendable {
        /// The sending GNO.
        public var organisation: String
        /// The execution time asked for, if scheduled: each command must carry it.
        public var executeAt: String?
        /// The signed pre-commands, in order, one per device.
        public var commands: [Command]

        /// A request.
        public init(organisation: String, executeAt: String?, commands: [Command]) {
            self.organisation = organisation
            self.executeAt = executeAt
            self.commands = commands
        }
    }

    /// What a group came to.
    public struct Sent: Codable, Sendable {
        /// The requests decided and made durable, in order.
        public var requests: [RequestRecord]
        /// The commands refused before any device saw them.
        public var refused: [Refusal]

        /// What a group came to.
        public init(requests: [RequestRecord], refused: [Refusal]) {
            self.requests = requests
            self.refused = refused
        }
    }

    /// The execution `executeAt` asks for.
    /// - Throws: ``OperatorFailure/badRequest(_:)`` when it is not a time.
    static func execution(_ executeAt: String?) throws(OperatorFailure) -> CommandExecution {
        guard let executeAt else { return .immediate }
        guard executeAt.utf8.count == 20, let time = Timestamp(iso8601: executeAt) else {
            throw .badRequest("executeAt is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC)")
        }
        return .at(time)
    }
}
