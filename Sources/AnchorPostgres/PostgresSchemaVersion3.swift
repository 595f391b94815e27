extension PostgresSchema {
    /// Version 3: the estate as rows, decided per device.
    ///
    /// - `anchordesk.devices` holds each device's whole state (the cells through its cell set,
    ///   its floors, a command it holds), the DCC's pending command for it (`scheduled`) and its
    ///   alerts not yet processed (`alerts_waiting`), so a writer reads and locks just the rows
    ///   it decides on (`select … for update`);
    /// - `anchordesk.device_history` holds each device's part of the logs up to
    ///   `head.history_sequence`; the records since are found by `changes.device`;
    /// - `anchordesk.organisation_counters` holds each organisation's last counter, locked by the
    ///   writer that uses it;
    /// - `append_decided` takes records decided without a sequence and gives each its sequence
    ///   and audit link while it holds the head row: the last thing a transaction does, so the
    ///   chain stays one total order and the head is held only for the insert and the commit.
    ///
    /// `append_changes` (one writer at a time, records numbered by the writer) is gone.
    static let version3 = """
        alter table anchordesk.head add column history_sequence anchordesk.counter not null default 0;
        alter table anchordesk.changes add column device text collate "C";
        update anchordesk.changes set device = coalesce(payload::jsonb #>> '{change,ledger,request,device}',
            payload::jsonb #>> '{schedule,record,device}', payload::jsonb #>> '{alert,received,device}');
        create index changes_by_device on anchordesk.changes (device, sequence) where device is not null;
        alter table anchordesk.devices add column floors jsonb not null default '{}';
        alter table anchordesk.devices add column pending jsonb;
        alter table anchordesk.devices add column last_alert_counter text;
        alter table anchordesk.devices add column due_at text collate "C";
        alter table anchordesk.devices add column scheduled text;
        alter table anchordesk.devices add column alerts_waiting integer not null default 0 check (alerts_waiting >= 0);
        create index devices_due on anchordesk.devices (due_at) where due_at is not null;
        create index devices_alerts_waiting on anchordesk.devices (id) where alerts_waiting > 0;
        create table anchordesk.device_history (device text collate "C" primary key, history text not null);
        create table anchordesk.organisation_counters (organisation text primary key, last_counter anchordesk.counter not null);
        drop function anchordesk.append_changes(numeric, text[]);
        \(appendDecided);
        create or replace function anchordesk.grant_operator(p_login text, p_organisation text) returns void
            language plpgsql volatile as $$
        begin
            if not exists (select 1 from pg_roles where rolname = p_login and rolcanlogin) then
                raise exception 'there is no PostgreSQL login %', p_login using errcode = '42704';
            end if;
            insert into anchordesk.operator_grants (login, organisation, granted_by)
            values (p_login, p_organisation, session_user::text) on conflict do nothing;
            execute format('grant select on all tables in schema anchordesk to %I', p_login);
            execute format('grant execute on function anchordesk.append_decided(text[], text[], text[]), '
                || 'anchordesk.lock_devices(text[]), anchordesk.lock_counters(text[]) to %I', p_login);
        end
        $$;
        \(lockRows);
        revoke all on function anchordesk.append_decided(text[], text[], text[]), anchordesk.lock_devices(text[]),
            anchordesk.lock_counters(text[]) from public;
        do $$
        declare
            v_login text;
        begin
            for v_login in select distinct login from anchordesk.operator_grants loop
                perform anchordesk.grant_operator(v_login, (select organisation from anchordesk.operator_grants where login = v_login limit 1));
            end loop;
        end
        $$
        """

    /// `lock_devices(ids)` and `lock_counters(organisations)`: the rows a decision reads, locked
    /// for the caller's transaction in one order (devices, then counters, each by key), so two
    /// writers never wait for each other in a circle. Operators may not write the tables, so
    /// the locks are taken here, as the tables' owner.
    private static let lockRows = """
        create function anchordesk.lock_devices(p_ids text[]) returns table (id text, state text, scheduled text, alerts_waiting integer)
            language sql volatile security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
            select d.id::text, jsonb_strip_nulls(jsonb_build_object('id', d.id, 'type', d.type, 'supplier', d.supplier,
                       'commissionedAt', d.commissioned_at, 'cells', c.cells, 'floors', d.floors, 'pending', d.pending,
                       'lastAlertCounter', d.last_alert_counter))::text, d.scheduled, d.alerts_waiting
            from anchordesk.devices d join anchordesk.cell_sets c on c.number = d.cell_set
            where d.id in (select unnest(p_ids) collate "C") order by d.id for update of d
        $$;
        create function anchordesk.lock_counters(p_organisations text[]) returns table (organisation text, last_counter text)
            language sql volatile security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
            select o.organisation, o.last_counter::text from anchordesk.organisation_counters o
            where o.organisation = any(p_organisations) order by o.organisation for update
        $$
        """

    /// The transaction-level advisory lock that numbers new cell sets one writer at a time.
    static let cellSetLockKey: Int64 = 0x4E4F_5441_4E43_4853  // "NOTANCHS"

    /// `append_decided(kinds, canonicals, bodies)`: each record's content (``UnsequencedRecord``),
    /// checked and applied to the rows, then numbered and chained while the head row is held.
    private static let appendDecided = """
        create function anchordesk.append_decided(p_kinds text[], p_canonicals text[], p_bodies text[]) returns text
            language plpgsql volatile security definer set search_path = pg_catalog, anchordesk, pg_temp as $$
        declare
            v_head anchordesk.head%rowtype;
            v_count integer := coalesce(array_length(p_bodies, 1), 0);
            v_docs jsonb[] := '{}';
            v_doc jsonb;
            v_i integer;
            v_sequence numeric;
            v_hash text;
            v_organisation text;
            v_device text;
            v_devices text[] := '{}';
            v_recorded jsonb;
            v_entry jsonb;
            v_state jsonb;
            v_set integer;
            v_old integer;
            v_moved integer[] := '{}';
            v_counter record;
        begin
            if v_count = 0 or coalesce(array_length(p_kinds, 1), 0) <> v_count or coalesce(array_length(p_canonicals, 1), 0) <> v_count then
                raise exception 'append_decided takes one kind, canonical entry and body per record, at least one' using errcode = 'AD002';
            end if;
            -- Authorisation first, for every record, so a refusal writes nothing but its own log line.
            for v_i in 1 .. v_count loop
                if length(p_bodies[v_i]) > 262144 then
                    raise exception 'record % is over 256 KiB', v_i using errcode = 'AD002';
                end if;
                v_doc := ('{' || p_bodies[v_i] || '}')::jsonb;
                v_organisation := anchordesk.record_organisation(v_doc);
                -- A request or lifecycle action always names who acted; none is anyone's to write.
                if v_organisation is null and p_kinds[v_i] in ('request', 'lifecycle') then
                    raise exception 'record % names no organisation', v_i using errcode = 'AD002';
                end if;
                if not anchordesk.may_act(v_organisation) then
                    perform anchordesk.note_denial(coalesce(v_organisation, 'any organisation'), 'append record');
                    return 'not-authorised ' || coalesce(v_organisation, 'any organisation');
                end if;
                v_docs := v_docs || v_doc;
            end loop;
            for v_i in 1 .. v_count loop
                v_doc := v_docs[v_i];
                if (select count(*) from jsonb_object_keys(v_doc)) <> 1
                   or not (v_doc ? p_kinds[v_i] or (p_kinds[v_i] = 'request' and v_doc ? 'change')) then
                    raise exception 'record % is not one % record', v_i, p_kinds[v_i] using errcode = 'AD002';
                end if;
                v_entry := case p_kinds[v_i]
                    when 'request' then v_doc #> '{change,ledger,request}'
                    when 'lifecycle' then v_doc #> '{lifecycle,record}'
                    when 'alert' then v_doc #> '{alert,received}'
                    when 'schedule' then v_doc #> '{schedule,record}' end;
                -- The hash covers the entry's bytes as the record holds them, where the record holds them.
                if v_entry is null or left(p_bodies[v_i], length(p_canonicals[v_i]) + length(case p_kinds[v_i]
                        when 'request' then '"change":{"ledger":{"request":' when 'lifecycle' then '"lifecycle":{"record":'
                        when 'alert' then '"alert":{"received":' else '"schedule":{"record":' end))
                   is distinct from (case p_kinds[v_i]
                        when 'request' then '"change":{"ledger":{"request":' when 'lifecycle' then '"lifecycle":{"record":'
                        when 'alert' then '"alert":{"received":' else '"schedule":{"record":' end) || p_canonicals[v_i] then
                    raise exception 'record %: the audit entry is not the record''s own log entry', v_i using errcode = 'AD002';
                end if;
                v_device := case when p_kinds[v_i] = 'lifecycle' then null else v_entry ->> 'device' end;
                if v_device is not null and v_device !~ '^[0-9A-F]{2}(-[0-9A-F]{2}){7}$' then
                    raise exception 'record %: device % is not written as EUI-64 (00-DB-…)', v_i, v_device using errcode = 'AD002';
                end if;
                v_devices := v_devices || v_device;
                v_state := coalesce(v_doc #> '{change,device}', v_doc #> '{alert,device}');
                if jsonb_typeof(v_state) = 'object' then
                    if (v_state ->> 'id') is distinct from v_device then
                        raise exception 'record % changes device % but is about %', v_i, v_state ->> 'id', v_device using errcode = 'AD002';
                    end if;
                    select number into v_set from anchordesk.cell_sets where cells = v_state -> 'cells';
                    if not found then
                        -- New cell sets are numbered one writer at a time (rare: a new combination of certificates).
                        perform pg_advisory_xact_lock(\(cellSetLockKey));
                        select number into v_set from anchordesk.cell_sets where cells = v_state -> 'cells';
                        if not found then
                            insert into anchordesk.cell_sets (number, cells)
                            values ((select coalesce(max(number), -1) + 1 from anchordesk.cell_sets), v_state -> 'cells')
                            returning number into v_set;
                        end if;
                    end if;
                    select cell_set into v_old from anchordesk.devices where id = v_device collate "C" for update;
                    if not found then
                        raise exception 'record % changes device %, which is not in the store', v_i, v_device using errcode = 'AD002';
                    end if;
                    if v_old <> v_set then
                        v_moved[v_old] := coalesce(v_moved[v_old], 0) - 1;
                        v_moved[v_set] := coalesce(v_moved[v_set], 0) + 1;
                    end if;
                    update anchordesk.devices set type = v_state ->> 'type', supplier = v_state ->> 'supplier',
                        commissioned_at = v_state ->> 'commissionedAt', cell_set = v_set,
                        network_operator_ds = v_state #>> '{cells,networkOperatorDS}',
                        floors = coalesce(v_state -> 'floors', '{}'), pending = v_state -> 'pending',
                        last_alert_counter = v_state ->> 'lastAlertCounter', due_at = v_state #>> '{pending,dueAt}'
                    where id = v_device collate "C";
                end if;
                if p_kinds[v_i] = 'request' then
                    update anchordesk.devices set last_request = v_entry where id = v_device collate "C";
                    for v_counter in select key, value from jsonb_each_text(v_doc #> '{change,ledger,organisationCounters}') loop
                        insert into anchordesk.organisation_counters (organisation, last_counter)
                        values (v_counter.key, v_counter.value::numeric)
                        on conflict (organisation) do update
                            set last_counter = greatest(organisation_counters.last_counter, excluded.last_counter);
                    end loop;
                elsif p_kinds[v_i] = 'alert' then
                    update anchordesk.devices set alerts_waiting = alerts_waiting + 1 where id = v_device collate "C";
                elsif p_kinds[v_i] = 'schedule' then
                    if v_entry ->> 'alert' is not null then
                        update anchordesk.devices set alerts_waiting = greatest(alerts_waiting - 1, 0) where id = v_device collate "C";
                    end if;
                    if v_entry ->> 'event' = 'acknowledged' then
                        update anchordesk.devices set scheduled = v_entry ->> 'requestId' where id = v_device collate "C";
                    elsif v_entry ->> 'event' in ('executed', 'failed', 'cancelled') then
                        update anchordesk.devices set scheduled = null
                        where id = v_device collate "C" and scheduled = v_entry ->> 'requestId';
                    end if;
                end if;
            end loop;
            if array_length(v_moved, 1) is not null then
                for v_set in array_lower(v_moved, 1) .. array_upper(v_moved, 1) loop
                    if coalesce(v_moved[v_set], 0) <> 0 then
                        update anchordesk.cell_sets set devices = devices + v_moved[v_set] where number = v_set;
                    end if;
                end loop;
            end if;
            -- Last: the head, held to the commit, gives each record its place in the one chain.
            select * into v_head from anchordesk.head for update;
            for v_i in 1 .. v_count loop
                v_doc := v_docs[v_i];
                v_sequence := v_head.last_sequence + 1;
                v_hash := encode(sha256(convert_to('anchordesk-audit-1' || chr(10) || v_sequence::text || chr(10) || p_kinds[v_i]
                    || chr(10) || v_head.last_hash || chr(10), 'UTF8') || convert_to(p_canonicals[v_i], 'UTF8')), 'hex');
                insert into anchordesk.changes (sequence, kind, organisation, login, previous_hash, hash, payload, device)
                values (v_sequence, p_kinds[v_i], anchordesk.record_organisation(v_doc), session_user::text, v_head.last_hash, v_hash,
                        '{"sequence":"' || v_sequence::text || '",' || p_bodies[v_i] || ',"audit":{"previousHash":"' || v_head.last_hash
                        || '","hash":"' || v_hash || '"}}', v_devices[v_i]);
                v_recorded := coalesce(v_doc #> '{change,ledger,recorded}', v_doc #> '{schedule,recorded}');
                if jsonb_typeof(v_recorded) = 'object' then
                    insert into anchordesk.recorded_counters (device, counter, sequence)
                    values (v_devices[v_i], (v_recorded ->> 'counter')::numeric, v_sequence)
                    on conflict (device) do update set counter = greatest(recorded_counters.counter, excluded.counter),
                        sequence = excluded.sequence;
                end if;
                v_head.last_sequence := v_sequence;
                v_head.last_hash := v_hash;
            end loop;
            update anchordesk.head set last_sequence = v_head.last_sequence, last_hash = v_head.last_hash;
            perform pg_notify('anchordesk_changes', v_head.last_sequence::text);
            return 'appended ' || v_head.last_sequence::text;
        end
        $$
        """
}
