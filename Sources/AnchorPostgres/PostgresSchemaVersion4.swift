extension PostgresSchema {
    /// Version 4: the snapshot's lifecycle log as rows (`anchordesk.snapshot_lifecycle`, one
    /// record each, in log order), so that the lifecycle log is read without the snapshot:
    /// before, only the records committed since the snapshot were read (``PostgresLedgerHead``),
    /// and when, for example, a certificate was issued or revoked or an organisation ceased
    /// was lost for a store made from another (`store copy`). Filled by ``PostgresDeviceTable``.
    static let version4 = """
        create table anchordesk.snapshot_lifecycle (position integer primary key check (position >= 0), record text not null);
        do $$
        declare
            v_login text;
        begin
            for v_login in select distinct login from anchordesk.operator_grants loop
                execute format('grant select on anchordesk.snapshot_lifecycle to %I', v_login);
            end loop;
        end
        $$
        """
}
