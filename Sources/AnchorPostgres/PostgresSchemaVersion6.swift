extension PostgresSchema {
    /// Version 6: counter-risk reads only the devices it reports
    /// (``PostgresReportParts/counterRisk(after:through:limit:acbCertificates:)``).
    ///
    /// - The index of devices by the certificate in their Network Operator DS cell also holds
    ///   each device's type and Supplier (``PostgresDeviceTable/networkOperatorIndex``, keeping
    ///   its name), so the GPFs holding one of the ACB's certificates are read, in ID order, from
    ///   the index alone rather than from every device's row.
    /// - `anchordesk.device_history` also holds each device's type, Supplier, commissioning and
    ///   cell set as its row held them when the histories were written (`null` for a history of
    ///   no device), so the GPFs with a history are read from it alone. A device with records
    ///   since is read from `anchordesk.devices`, as every reader of the histories already does
    ///   for its records; here the columns are copied from the rows as they are now, which for
    ///   such a device is newer, and unused.
    static let version6 = """
        set local maintenance_work_mem = '1GB';
        drop index if exists anchordesk.devices_by_network_operator;
        \(PostgresDeviceTable.networkOperatorIndex);
        alter table anchordesk.device_history add column if not exists type text, add column if not exists supplier text,
            add column if not exists commissioned_at text, add column if not exists cell_set integer;
        update anchordesk.device_history h set type = d.type, supplier = d.supplier, commissioned_at = d.commissioned_at,
            cell_set = d.cell_set
        from anchordesk.devices d where d.id = h.device
        """
}
