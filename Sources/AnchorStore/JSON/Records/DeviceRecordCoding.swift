import AnchorCore

/// The store's hand-written JSON for devices: a full object in the journal, and in the
/// snapshot a one-line array that names a shared set of cell contents by index.
enum DeviceRecordCoding {
    static func write(_ cells: TrustAnchorCells, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        var first = true
        for (cell, certificate) in cells.all {
            guard let certificate else { continue }
            if !first { writer.byte(UInt8(ascii: ",")) }
            first = false
            writer.string(cell.rawValue)
            writer.byte(UInt8(ascii: ":"))
            writer.string(certificate)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    static func readCells(_ reader: inout JSONReader) throws(JSONReadError) -> TrustAnchorCells {
        var cells = TrustAnchorCells()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            guard let cell = TrustAnchorCell(rawValue: key) else { throw reader.unknownKey(key, in: "a device's cells") }
            cells[cell] = try reader.readString()
        }
        return cells
    }

    static func write(_ floors: AntiReplayFloors, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        var first = true
        for role in OrganisationRole.allCases where floors[role].value != 0 {
            if !first { writer.byte(UInt8(ascii: ",")) }
            first = false
            writer.string(role.rawValue)
            writer.byte(UInt8(ascii: ":"))
            writer.counter(floors[role])
        }
        writer.byte(UInt8(ascii: "}"))
    }

    static func readFloors(_ reader: inout JSONReader) throws(JSONReadError) -> AntiReplayFloors {
        var floors = AntiReplayFloors()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            guard let role = OrganisationRole(rawValue: key) else { throw reader.unknownKey(key, in: "a device's floors") }
            floors[role] = try reader.readCounter()
        }
        return floors
    }

    /// The full object form, as the journal holds a device after a request.
    static func write(_ device: Device, to writer: inout JSONWriter) {
        writer.raw("{\"id\":"); writer.eui64(device.id)
        writer.raw(",\"type\":"); writer.string(device.type.rawValue)
        writer.raw(",\"supplier\":"); writer.string(device.supplier)
        writer.raw(",\"commissionedAt\":")
        if let commissioned = device.commissionedAt { writer.timestamp(commissioned) } else { writer.null() }
        writer.raw(",\"cells\":"); write(device.cells, to: &writer)
        writer.raw(",\"floors\":"); write(device.floors, to: &writer)
        writeScheduleMembers(device, to: &writer, first: false)
        writer.byte(UInt8(ascii: "}"))
    }

    /// `"pending":{...}` and `"lastAlertCounter":"N"`, each only when the device has it, each
    /// after a comma unless it is the object's first member.
    private static func writeScheduleMembers(_ device: Device, to writer: inout JSONWriter, first: Bool) {
        var comma = !first
        if let pending = device.pending {
            if comma { writer.byte(UInt8(ascii: ",")) }
            writer.raw("\"pending\":"); ScheduleRecordCoding.write(pending, to: &writer)
            comma = true
        }
        if let counter = device.lastAlertCounter {
            if comma { writer.byte(UInt8(ascii: ",")) }
            writer.raw("\"lastAlertCounter\":"); writer.counter(counter)
        }
    }

    static func readDevice(_ reader: inout JSONReader) throws(JSONReadError) -> Device {
        var id: EUI64?, type: DeviceType?, supplier: String?, commissionedAt: Timestamp?
        var cells: TrustAnchorCells?, floors = AntiReplayFloors()
        var pending: PendingCommand?, lastAlertCounter: OriginatorCounter?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.readEUI64()
            case "type": type = try reader.readEnum(DeviceType.self)
            case "supplier": supplier = try reader.readString()
            case "commissionedAt": commissionedAt = reader.readNullIfPresent() ? nil : try reader.readTimestamp()
            case "cells": cells = try readCells(&reader)
            case "floors": floors = try readFloors(&reader)
            case "pending": pending = try ScheduleRecordCoding.readPending(&reader)
            case "lastAlertCounter": lastAlertCounter = try reader.readCounter()
            default: throw reader.unknownKey(key, in: "a device")
            }
        }
        let object = "a device"
        return Device(
            id: try reader.require(id, "id", in: object), type: try reader.require(type, "type", in: object),
            supplier: try reader.require(supplier, "supplier", in: object), commissionedAt: commissionedAt,
            cells: try reader.require(cells, "cells", in: object), floors: floors, pending: pending,
            lastAlertCounter: lastAlertCounter)
    }

    /// The snapshot's compact form: `[id, type, supplier, commissionedAt, cellSet, floors]`, and a
    /// seventh field `{"pending","lastAlertCounter"}` only for a device that has either.
    static func writeCompact(_ device: Device, cellSet: Int, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "[")); writer.eui64(device.id)
        writer.byte(UInt8(ascii: ",")); writer.string(device.type.rawValue)
        writer.byte(UInt8(ascii: ",")); writer.string(device.supplier)
        writer.byte(UInt8(ascii: ","))
        if let commissioned = device.commissionedAt { writer.timestamp(commissioned) } else { writer.null() }
        writer.byte(UInt8(ascii: ",")); writer.number(cellSet)
        writer.byte(UInt8(ascii: ",")); write(device.floors, to: &writer)
        if device.pending != nil || device.lastAlertCounter != nil {
            writer.raw(",{"); writeScheduleMembers(device, to: &writer, first: true); writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
    }

    static func readCompact(_ reader: inout JSONReader, cellSets: [TrustAnchorCells]) throws(JSONReadError) -> Device {
        try reader.beginArray()
        func next(_ reader: inout JSONReader, _ field: String) throws(JSONReadError) {
            guard try reader.nextElement() else { throw reader.error("a device row ends before its \(field)") }
        }
        try next(&reader, "id")
        let id = try reader.readEUI64()
        try next(&reader, "type")
        let type = try reader.readEnum(DeviceType.self)
        try next(&reader, "supplier")
        let supplier = try reader.readString()
        try next(&reader, "commissioning time")
        let commissioned = reader.readNullIfPresent() ? nil : try reader.readTimestamp()
        try next(&reader, "cell set")
        let cellSet = try reader.readInt()
        guard cellSet < cellSets.count else { throw reader.error("cell set \(cellSet) does not exist") }
        try next(&reader, "floors")
        let floors = try readFloors(&reader)
        var pending: PendingCommand?, lastAlertCounter: OriginatorCounter?
        if try reader.nextElement() {
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "pending": pending = try ScheduleRecordCoding.readPending(&reader)
                case "lastAlertCounter": lastAlertCounter = try reader.readCounter()
                default: throw reader.unknownKey(key, in: "a device's schedule")
                }
            }
            guard try !reader.nextElement() else { throw reader.error("a device row has more than seven fields") }
        }
        return Device(id: id, type: type, supplier: supplier, commissionedAt: commissioned, cells: cellSets[cellSet], floors: floors,
                      pending: pending, lastAlertCounter: lastAlertCounter)
    }
}
