import AnchorCore
import DCCWire
import GBCS
import SMKI

extension Estate {
    /// The devices whose future-dated command falls due at or before `now`, by the devices' own
    /// state: what the devices' clocks will act on, whether or not the DCC knows of it.
    public func devicesWithDueCommands(at now: Timestamp) -> [EUI64] {
        devices.scheduledDevices { $0.pending?.isDue(at: now) == true }.map(\.id)
    }

    /// Whether anything is due: a device's future-dated command at `now`, or an alert that arrived and was not processed.
    public func hasDueAlertWork(at now: Timestamp) -> Bool {
        ledger.hasUnprocessedAlerts || !devices.scheduledDevices { $0.pending?.isDue(at: now) == true }.isEmpty
    }

    /// Lets `device`'s clock reach `now`: it executes its due command and its alert arrives.
    /// Nothing here changes; the result is what to make durable, then ``Estate/apply(_:)``.
    /// - Returns: `nil` when nothing is due (or the device is silent).
    public func alertArrival(from device: EUI64, now: Timestamp, credentials: EstateCredentials) -> AlertArrival? {
        guard let current = devices[device] else { return nil }
        var simulator = GPFSimulator(devices: DeviceTable([current]), directory: credentials.directory, keys: credentials.deviceKeys)
        // The DCC keys the alert by the counter in its header, as received, not by the device's state.
        guard let bytes = simulator.executeDue(device, now: now), let after = simulator.devices[device],
              let message = try? GBCSMessage.decode(bytes, recordingFields: false)
        else { return nil }
        let alert = ReceivedAlert(device: device, alertCounter: message.block.originatorCounter, bytes: bytes, receivedAt: now)
        return AlertArrival(alert: alert, device: after)
    }

    /// What processing an arrived alert changes: the alert verified with the device's key, then
    /// the northbound rule (``AlertHandler``). Nothing here changes; commit the result.
    public func processing(_ alert: ReceivedAlert, now: Timestamp, credentials: EstateCredentials) -> ScheduleChange {
        let key = credentials.deviceKeys.signingKey(for: alert.device).publicKey
        let delivery = AlertReading.delivery(of: alert, deviceKey: key, directory: credentials.directory)
        return AlertHandler.process(alert, delivery: delivery, ledger: ledger, now: now)
    }
}
