extension PostgresSchema {
    /// Version 5: only the DSP writes, and nothing private is in the database.
    ///
    /// - The DSP is the store's administrator (the schema's owner): the one login that writes.
    ///   Every other login granted an organisation reads the tables, and may call nothing that
    ///   writes or locks: `append_decided`, `lock_devices`, `lock_counters` and `note_denial` are
    ///   revoked from them and from `PUBLIC`, and functions made later are not executable by
    ///   `PUBLIC` either. Operators act through the DSP (its operator API or DUIS), which decides.
    /// - `vault_files` keeps the DCC's public files only (certificates): the private ones
    ///   (`keys/…`) are deleted here, after ``PostgresStore/migrate()`` has moved them to the
    ///   administrator's machine directory, and a check keeps any private file out from now on.
    ///   The table is analyzed again at once: PostgreSQL's statistics (`pg_stats`, which shows
    ///   any login sample values of the columns it may read) still held the keys from its last
    ///   `ANALYZE`, and rows deleted in this transaction are left out of the new sample.
    static let version5 = """
        delete from anchordesk.vault_files where name like 'keys/%';
        analyze anchordesk.vault_files;
        alter table anchordesk.vault_files drop constraint if exists vault_files_public_only;
        alter table anchordesk.vault_files add constraint vault_files_public_only
            check (name not like 'keys/%' and position('PRIVATE KEY'::bytea in bytes) = 0);
        create or replace function anchordesk.grant_operator(p_login text, p_organisation text) returns void
            language plpgsql volatile as $$
        begin
            if not exists (select 1 from pg_roles where rolname = p_login and rolcanlogin) then
                raise exception 'there is no PostgreSQL login %', p_login using errcode = '42704';
            end if;
            insert into anchordesk.operator_grants (login, organisation, granted_by)
            values (p_login, p_organisation, session_user::text) on conflict do nothing;
            execute format('grant select on all tables in schema anchordesk to %I', p_login);
        end
        $$;
        revoke all on all functions in schema anchordesk from public;
        alter default privileges in schema anchordesk revoke execute on functions from public;
        grant execute on function anchordesk.may_act(text), anchordesk.is_administrator() to public;
        do $$
        declare
            v_login text;
        begin
            for v_login in select distinct login from anchordesk.operator_grants
                           where exists (select 1 from pg_roles where rolname = login) loop
                execute format('revoke all on all functions in schema anchordesk from %I', v_login);
                execute format('revoke insert, update, delete, truncate, references, trigger on all tables in schema anchordesk from %I', v_login);
            end loop;
        end
        $$
        """
}
