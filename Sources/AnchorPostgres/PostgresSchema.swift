import AnchorStore
import PostgresNIO

/// The database's schema, kept here and applied by `anchordesk init` and `anchordesk store
/// migrate`: one list of migrations, each run once, in order, in one transaction.
///
/// What the database enforces, whoever connects (the CLI, the console or `psql`):
/// - the schema's owner is the administrator, the DSP: the one login that writes, through
///   `append_decided`, which numbers each record after the one it was decided on (one total
///   order) with an unbroken audit link; owning the tables, it is not limited by grants
///   (PostgreSQL cannot limit an owner);
/// - operators (logins granted organisations) only read, and read no private key: the DCC's
///   private keys stay on the DSP's host (version 5);
/// - counters are exact unsigned 64-bit values (`numeric(20,0)` from 0 to 2^64 − 1);
/// - `anchordesk.devices` holds every device's latest state for paging (``PostgresDeviceTable``),
///   kept by `append_decided` from the records it writes, so no one can make it disagree with them.
enum PostgresSchema {
    /// The version this build writes; it refuses a database whose version is newer.
    static var currentVersion: Int { migrations.count }

    /// Migration `n` takes a database from version `n` to `n + 1`.
    static let migrations: [String] = [version1, version2, version3, version4, version5, version6]

    /// The session-level advisory lock a writer holds while it decides and commits.
    static let writerLockKey: Int64 = 0x4E4F_5441_4E43_4852  // "NOTANCHR"

    private static let version1 = """
        create schema anchordesk;
        create table anchordesk.schema_version (version integer not null);
        insert into anchordesk.schema_version values (0);
        create domain anchordesk.counter as numeric(20,0)
            check (value >= 0 and value <= 18446744073709551615);
        create table anchordesk.head (
            singleton boolean primary key default true check (singleton),
            store_id text not null,
            last_sequence anchordesk.counter not null,
            last_hash text not null,
            snapshot_generation bigint not null,
            snapshot_sequence anchordesk.counter not null);
        create table anchordesk.snapshot_parts (
            generation bigint not null, part integer not null, bytes bytea not null,
            primary key (generation, part));
        create table anchordesk.changes (
            sequence anchordesk.counter primary key,
            kind text not null check (kind in ('request', 'lifecycle', 'alert', 'schedule')),
            organisation text,
            login text not null,
            committed_at timestamptz not null default now(),
            previous_hash text not null,
            hash text not null,
            payload text not null);
        create table anchordesk.recorded_counters (
            device text primary key,
            counter anchordesk.counter not null,
            sequence anchordesk.counter not null);
        create table anchordesk.operator_grants (
            login text not null, organisation text not null,
            granted_by text not null, granted_at timestamptz not null default now(),
            primary key (login, organisation));
        create table anchordesk.vault_files (
            name text primary key, bytes bytea not null);
        create table anchordesk.denials (
            at timestamptz not null default now(), login text not null, organisation text not null, action text not null);

        create function anchordesk.is_administrator() returns boolean
            language sql stable security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
            select session_user::text = (select pg_catalog.pg_get_userbyid(n.nspowner)::text from pg_catalog.pg_namespace n where n.nspname = 'anchordesk')
        $$;
        create function anchordesk.may_act(p_organisation text) returns boolean
            language sql stable security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
            select anchordesk.is_administrator() or exists (
                select 1 from anchordesk.operator_grants g
                where g.login = session_user::text and (p_organisation is null or g.organisation = p_organisation))
        $$;
        create function anchordesk.note_denial(p_organisation text, p_action text) returns void
            language sql volatile security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
            insert into anchordesk.denials (login, organisation, action)
            values (session_user::text, left(p_organisation, 200), left(p_action, 200))
        $$;
        create function anchordesk.record_organisation(p_doc jsonb) returns text
            language sql immutable set search_path = pg_catalog, pg_temp as $$
            select case
                when p_doc ? 'change' then p_doc #>> '{change,ledger,request,requester}'
                when p_doc ? 'lifecycle' then p_doc #>> '{lifecycle,record,organisation}'
            end
        $$;
        \(appendChanges(keepingDevices: false));
        create function anchordesk.grant_operator(p_login text, p_organisation text) returns void
            language plpgsql volatile as $$
        begin
            if not exists (select 1 from pg_roles where rolname = p_login and rolcanlogin) then
                raise exception 'there is no PostgreSQL login %', p_login using errcode = '42704';
            end if;
            insert into anchordesk.operator_grants (login, organisation, granted_by)
            values (p_login, p_organisation, session_user::text) on conflict do nothing;
            execute format('grant select on all tables in schema anchordesk to %I', p_login);
            execute format('grant execute on function anchordesk.append_changes(numeric, text[]) to %I', p_login);
        end
        $$;
        create function anchordesk.revoke_operator(p_login text, p_organisation text) returns boolean
            language plpgsql volatile as $$
        declare
            v_found boolean;
        begin
            delete from anchordesk.operator_grants where login = p_login and organisation = p_organisation;
            v_found := found;
            if not exists (select 1 from anchordesk.operator_grants where login = p_login)
               and exists (select 1 from pg_roles where rolname = p_login) then
                execute format('revoke all on all tables in schema anchordesk from %I', p_login);
                execute format('revoke all on all functions in schema anchordesk from %I', p_login);
            end if;
            return v_found;
        end
        $$;
        revoke all on all functions in schema anchordesk from public;
        -- Any login may ask whether it may act and have a refusal logged (only operators read).
        grant usage on schema anchordesk to public;
        grant select on anchordesk.schema_version to public;
        grant execute on function anchordesk.may_act(text), anchordesk.note_denial(text, text),
            anchordesk.is_administrator() to public;
        """

    /// Version 2: the devices as a table, for consoles that page through an estate too large
    /// to read in a moment. Filled by ``PostgresDeviceTable/fill(_:lastSequence:over:)`` in the same
    /// transaction (by `init`, or by `store migrate` from the records), then kept by
    /// `append_changes`, replaced here. The indexes are ``PostgresDeviceTable/indexes``.
    private static let version2 = """
        create table anchordesk.cell_sets (
            number integer primary key,
            cells jsonb not null unique,
            network_operator_ds text collate "C" generated always as (cells ->> 'networkOperatorDS') stored,
            devices bigint not null default 0 check (devices >= 0));
        create table anchordesk.devices (
            id text collate "C" not null,
            type text not null,
            supplier text not null,
            commissioned_at text,
            cell_set integer not null,
            network_operator_ds text collate "C",
            last_request jsonb);
        \(PostgresDeviceTable.indexes.joined(separator: ";\n"));
        create index changes_lifecycle on anchordesk.changes (sequence) where kind = 'lifecycle';

        \(appendChanges(keepingDevices: true));
        do $$
        declare
            v_login text;
        begin
            for v_login in select distinct login from anchordesk.operator_grants loop
                execute format('grant select on anchordesk.devices, anchordesk.cell_sets to %I', v_login);
            end loop;
        end
        $$
        """

    /// `append_changes(after, records)`: version 1 made it; version 2 replaces it
    /// (`keepingDevices`) so that it also keeps the device table (``PostgresDeviceTable``) from
    /// each record's device state and request, and changes the cell sets' counts once per call.
    static func appendChanges(keepingDevices: Bool) -> String {
        let declarations = keepingDevices ? """
                    v_state jsonb;
                    v_set integer;
                    v_old integer;
                    v_moved integer[] := '{}';

            """ : ""
        let perRecord = keepingDevices ? """
                        v_state := coalesce(v_doc #> '{change,device}', v_doc #> '{alert,device}');
                        if jsonb_typeof(v_state) = 'object' then
                            select number into v_set from anchordesk.cell_sets where cells = v_state -> 'cells';
                            if not found then
                                insert into anchordesk.cell_sets (number, cells)
                                values ((select coalesce(max(number), -1) + 1 from anchordesk.cell_sets), v_state -> 'cells')
                                returning number into v_set;
                            end if;
                            select cell_set into v_old from anchordesk.devices where id = (v_state ->> 'id') collate "C" for update;
                            if not found then
                                raise exception 'record % changes device %, which is not in the store', v_sequence, v_state ->> 'id'
                                    using errcode = 'AD002';
                            end if;
                            if v_old <> v_set then
                                v_moved[v_old] := coalesce(v_moved[v_old], 0) - 1;
                                v_moved[v_set] := coalesce(v_moved[v_set], 0) + 1;
                            end if;
                            update anchordesk.devices set type = v_state ->> 'type', supplier = v_state ->> 'supplier',
                                commissioned_at = v_state ->> 'commissionedAt', cell_set = v_set,
                                network_operator_ds = v_state #>> '{cells,networkOperatorDS}',
                                last_request = coalesce(v_doc #> '{change,ledger,request}', last_request)
                            where id = (v_state ->> 'id') collate "C";
                        elsif v_doc ? 'change' then
                            update anchordesk.devices set last_request = v_doc #> '{change,ledger,request}'
                            where id = (v_doc #>> '{change,ledger,request,device}') collate "C";
                        end if;
            """ : ""
        // Each cell set's count changes once per call: a row updated for every record would
        // leave a chain of row versions that each later update walks.
        let afterRecords = keepingDevices ? """
                    if array_length(v_moved, 1) is not null then
                        for v_set in array_lower(v_moved, 1) .. array_upper(v_moved, 1) loop
                            if coalesce(v_moved[v_set], 0) <> 0 then
                                update anchordesk.cell_sets set devices = devices + v_moved[v_set] where number = v_set;
                            end if;
                        end loop;
                    end if;
            """ : ""
        return """
        create or replace function anchordesk.append_changes(p_after numeric, p_payloads text[]) returns text
            language plpgsql volatile security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
        declare
            v_head anchordesk.head%rowtype;
            v_payload text;
            v_doc jsonb;
            v_sequence numeric;
            v_kind text;
            v_organisation text;
            v_device text;
            v_recorded jsonb;
        \(declarations)
        begin
            -- Authorisation first, for every record, so a refusal writes nothing but its own log line.
            foreach v_payload in array p_payloads loop
                v_organisation := anchordesk.record_organisation(v_payload::jsonb);
                if not anchordesk.may_act(v_organisation) then
                    perform anchordesk.note_denial(coalesce(v_organisation, 'any organisation'), 'append record');
                    return 'not-authorised ' || coalesce(v_organisation, 'any organisation');
                end if;
            end loop;
            select * into v_head from anchordesk.head for update;
            if v_head.last_sequence <> p_after then
                raise exception 'another writer committed record % first (this writer decided after record %)',
                    v_head.last_sequence, p_after using errcode = 'AD001';
            end if;
            foreach v_payload in array p_payloads loop
                v_doc := v_payload::jsonb;
                if jsonb_typeof(v_doc) <> 'object'
                   or (select count(*) from jsonb_object_keys(v_doc) k where k in ('change', 'lifecycle', 'alert', 'schedule')) <> 1
                   or exists (select 1 from jsonb_object_keys(v_doc) k where k not in ('sequence', 'change', 'lifecycle', 'alert', 'schedule', 'audit'))
                   or jsonb_typeof(v_doc -> 'audit') <> 'object' then
                    raise exception 'record % is not one request, lifecycle action, alert or schedule step with its audit link',
                        v_doc ->> 'sequence' using errcode = 'AD002';
                end if;
                v_sequence := (v_doc ->> 'sequence')::numeric;
                if v_sequence is distinct from v_head.last_sequence + 1
                   or (v_doc #>> '{audit,previousHash}') is distinct from v_head.last_hash then
                    raise exception 'record % does not follow record % and its audit hash', v_sequence, v_head.last_sequence
                        using errcode = 'AD002';
                end if;
                v_organisation := anchordesk.record_organisation(v_doc);
                v_device := null;
                v_recorded := null;
                if v_doc ? 'change' then
                    v_kind := 'request';
                    v_device := v_doc #>> '{change,ledger,request,device}';
                    v_recorded := v_doc #> '{change,ledger,recorded}';
                    if jsonb_typeof(v_doc #> '{change,device}') = 'object' and (v_doc #>> '{change,device,id}') is distinct from v_device then
                        raise exception 'record % changes device % but its request is for %', v_sequence,
                            v_doc #>> '{change,device,id}', v_device using errcode = 'AD002';
                    end if;
                elsif v_doc ? 'lifecycle' then
                    v_kind := 'lifecycle';
                elsif v_doc ? 'alert' then
                    v_kind := 'alert';
                elsif v_doc ? 'schedule' then
                    v_kind := 'schedule';
                    v_device := v_doc #>> '{schedule,record,device}';
                    v_recorded := v_doc #> '{schedule,recorded}';
                else
                    raise exception 'record % is not a request, lifecycle action, alert or schedule step', v_sequence
                        using errcode = 'AD002';
                end if;
                insert into anchordesk.changes (sequence, kind, organisation, login, previous_hash, hash, payload)
                values (v_sequence, v_kind, v_organisation, session_user::text, v_head.last_hash,
                        v_doc #>> '{audit,hash}', v_payload);
                if jsonb_typeof(v_recorded) = 'object' then
                    insert into anchordesk.recorded_counters (device, counter, sequence)
                    values (v_device, (v_recorded ->> 'counter')::numeric, v_sequence)
                    on conflict (device) do update set counter = greatest(recorded_counters.counter, excluded.counter),
                        sequence = excluded.sequence;
                end if;
        \(perRecord)
                v_head.last_sequence := v_sequence;
                v_head.last_hash := v_doc #>> '{audit,hash}';
            end loop;
        \(afterRecords)
            update anchordesk.head set last_sequence = v_head.last_sequence, last_hash = v_head.last_hash;
            perform pg_notify('anchordesk_changes', v_head.last_sequence::text);
            return 'appended ' || v_head.last_sequence::text;
        end
        $$
        """
    }
}
