#!/usr/bin/env python3
"""Generate AnchorDesk's bundled demo data.

Run from the repository root:

    python3 demo-data/generate.py

Writes organisations.json, certificates.json, devices.json and history.json
beside this script. Standard library only; the only source of variation is
random.Random(128), so the output is identical byte-for-byte on every run.
All counters and floors are written as decimal strings (uint64; never floats).
New device groups go at the end of GROUPS, so the devices made before them
keep their IDs.
"""

import json
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 128
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Organisations: (id, name, role, dccUser, subscribed, lastCounter, cert short name,
# certificate key usages). ENTITY_SUFFIX gives the last octet of each entity ID
# (DCC parties 01-05, GNOs 1x, suppliers 2x).
# ---------------------------------------------------------------------------
ORGS = [
    ("smki-root", "SMKI Root", "root", True, True, "0", "root", ["DS"]),
    ("smki-recovery", "SMKI Recovery", "recovery", True, True, "0", "recovery", ["DS"]),
    ("dcc-acb", "DCC Access Control Broker", "acb", True, True, "48210", "acb", ["DS", "KA"]),
    ("dcc-tcos", "DCC Transitional Change of Supplier", "transitionalCoS", True, True, "150", "tcos", ["DS"]),
    ("csp-north", "CSP North", "wanProvider", True, True, "2200", "csp-north", ["DS"]),
    # National Grid derives its counters from time: microseconds since 1970 (March 2022).
    ("national-grid", "National Grid Gas Distribution", "networkOperator", True, True, "1647302400000000", "national-grid", ["DS", "KA"]),
    ("cadent", "Cadent Gas", "networkOperator", True, True, "1200", "cadent", ["DS", "KA"]),
    ("sgn", "SGN", "networkOperator", True, True, "9000", "sgn", ["DS", "KA"]),
    # FIA Req 6: a GNO need not be a DCC User. Northern Gas Networks is not, and has no certificates.
    ("northern-gas-networks", "Northern Gas Networks", "networkOperator", False, False, "0", None, []),
    ("wales-west", "Wales & West Utilities", "networkOperator", True, True, "3100", "wales-west", ["DS", "KA"]),
    # Two independent gas transporters whose certificates are no longer acceptable (see CERTIFICATE_STATE):
    # Fenland Pipelines left the DCC in 2023 without handing its devices back (before FIA Req 4 obliged it to);
    # Harbour Gas Transportation is a DCC User whose certificates are not in the SMKI Repository.
    ("fenland-pipelines", "Fenland Pipelines", "networkOperator", False, False, "0", "fenland", ["DS", "KA"]),
    ("harbour-gas", "Harbour Gas Transportation", "networkOperator", True, True, "0", "harbour", ["DS", "KA"]),
    ("brightwater-gas", "Brightwater Gas", "supplier", True, True, "500", "brightwater", ["DS", "KA"]),
    ("heron-energy", "Heron Energy", "supplier", True, True, "800", "heron", ["DS", "KA"]),
    ("kestrel-supply", "Kestrel Supply", "supplier", True, True, "300", "kestrel", ["DS", "KA"]),
]

ENTITY_SUFFIX = {
    "smki-root": 0x01, "smki-recovery": 0x02, "csp-north": 0x03, "dcc-acb": 0x04, "dcc-tcos": 0x05,
    "national-grid": 0x10, "cadent": 0x11, "sgn": 0x12, "northern-gas-networks": 0x13, "wales-west": 0x14,
    "fenland-pipelines": 0x15, "harbour-gas": 0x16,
    "brightwater-gas": 0x21, "heron-energy": 0x22, "kestrel-supply": 0x23,
}

# (inRepository, revoked) where not (True, False): Fenland's were revoked when it left;
# Harbour's were issued but never published to the Repository.
CERTIFICATE_STATE = {"fenland-pipelines": (False, True), "harbour-gas": (False, False)}

SUPPLIERS = ["brightwater-gas", "heron-energy", "kestrel-supply"]

# Device groups: (label, count, type, NO-cell owner, NO floor range or None, commissioning window)
NG_FLOOR_MIN = 1640995200000000  # 2022-01-01T00:00:00Z in microseconds
NG_FLOOR_MAX = 1647302400000000  # 2022-03-15T00:00:00Z in microseconds (= NG's lastCounter)

WINDOW_ALL = ("2021-01-01", "2025-06-30")
WINDOW_NG = ("2021-01-01", "2021-12-31")  # commissioned before National Grid's counters above
WINDOW_LEGACY = ("2023-06-01", "2023-12-31")  # the DCC's log from before AnchorDesk (history.json)

# National Grid's hand-backs in its last week of commands, in microseconds (time-based counters):
# 2022-03-14T10:30:00Z and 2022-03-14T16:00:00Z, both below its last counter.
NG_HAND_BACK_COUNTERS = [1647253800000000, 1647273600000000]

# Hours before `init --demo` (its clock) at which the "recent" GPFs were commissioned: all
# within the seven days, so a report made right after init shows them as pending.
RECENT_HOURS = [6, 30, 54, 100]

GROUPS = [
    ("national-grid", 60, "GPF", "national-grid", (NG_FLOOR_MIN, NG_FLOOR_MAX), WINDOW_NG),
    ("as-manufactured", 80, "GPF", "dcc-acb", None, WINDOW_ALL),
    ("cadent", 25, "GPF", "cadent", (1, 1200), WINDOW_ALL),
    ("sgn", 15, "GPF", "sgn", (1, 9000), WINDOW_ALL),
    ("wales-west", 12, "GPF", "wales-west", (1, 3100), WINDOW_ALL),
    ("ngn-area", 8, "GPF", "dcc-acb", None, WINDOW_ALL),  # Northern Gas Networks' area: ACB stays (Req 2)
    ("non-gpf", 3, "ESME", "dcc-acb", None, WINDOW_ALL),
    ("non-gpf", 3, "GSME", "dcc-acb", None, WINDOW_ALL),
    ("non-gpf", 2, "CHF", "dcc-acb", None, WINDOW_ALL),
    # Added for the post-commissioning and counter-risk reports; see history.json.
    ("fenland-installed", 2, "GPF", "fenland-pipelines", None, WINDOW_LEGACY),  # installed with Fenland's certificates
    ("fenland-placed", 3, "GPF", "dcc-acb", None, WINDOW_LEGACY),  # Fenland's placed two days after commissioning
    ("harbour-placed", 2, "GPF", "dcc-acb", None, WINDOW_LEGACY),  # Harbour's placed three days after commissioning
    ("handed-back", 2, "GPF", "national-grid", (NG_FLOOR_MIN, NG_FLOOR_MIN + 10**12), WINDOW_NG),  # NG handed back in 2022
    ("recent", len(RECENT_HOURS), "GPF", "dcc-acb", None, WINDOW_ALL),  # commissioned in the days before init
]


def write_json(name, obj):
    path = os.path.join(HERE, name)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def eui64(value):
    return "-".join("%02X" % b for b in value.to_bytes(8, "big"))


def build_organisations():
    orgs = []
    for (oid, name, role, dcc_user, subscribed, last, _short, _ku) in ORGS:
        orgs.append({
            "id": oid,
            "name": name,
            "role": role,
            "entityId": eui64(0x90B3D51F30000000 + ENTITY_SUFFIX[oid]),
            "dccUser": dcc_user,
            "subscribed": subscribed,
            "lastCounter": last,
        })
    return orgs


def build_certificates():
    certs = []
    for (oid, _name, _role, _u, _s, _last, short, usages) in ORGS:
        for ku in usages:
            certs.append({
                "id": "%s-%s" % (short, ku.lower()),
                "owner": oid,
                "keyUsage": ku,
                "inRepository": CERTIFICATE_STATE.get(oid, (True, False))[0],
                "revoked": CERTIFICATE_STATE.get(oid, (True, False))[1],
            })
    return certs


def short_of(org_id):
    for (oid, _n, _r, _u, _s, _l, short, _k) in ORGS:
        if oid == org_id:
            return short
    raise KeyError(org_id)


def last_counter(org_id):
    for (oid, _n, _r, _u, _s, last, _sh, _k) in ORGS:
        if oid == org_id:
            return int(last)
    raise KeyError(org_id)


def random_timestamp(rng, window):
    start = datetime.strptime(window[0], "%Y-%m-%d").replace(tzinfo=timezone.utc)
    end = datetime.strptime(window[1], "%Y-%m-%d").replace(tzinfo=timezone.utc)
    days = (end - start).days
    t = start + timedelta(days=rng.randint(0, days),
                          hours=rng.randint(8, 17),
                          minutes=rng.choice([0, 15, 30, 45]))
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_devices(rng):
    used = set()
    devices = []
    for (label, count, dtype, no_owner, no_range, window) in GROUPS:
        for _ in range(count):
            while True:
                dev_id = (0x00DB12 << 40) | rng.getrandbits(40)
                if dev_id not in used:
                    used.add(dev_id)
                    break
            supplier = rng.choice(SUPPLIERS)
            sup_short = short_of(supplier)
            no_short = short_of(no_owner)
            commissioned = random_timestamp(rng, window)
            floors = {}
            if dtype == "GPF":
                sup_floor = rng.randint(0, last_counter(supplier))
                if sup_floor > 0:
                    floors["supplier"] = str(sup_floor)
                if no_range is not None:
                    lo, hi = no_range
                    hi = min(hi, last_counter(no_owner))
                    floors["networkOperator"] = str(rng.randint(lo, hi))
            devices.append({
                "id": eui64(dev_id),
                "type": dtype,
                "supplier": supplier,
                "commissionedAt": commissioned,
                "cells": {
                    "root": "root-ds",
                    "recovery": "recovery-ds",
                    "supplierDS": sup_short + "-ds",
                    "supplierKA": sup_short + "-ka",
                    "networkOperatorDS": no_short + "-ds",
                    "networkOperatorKA": no_short + "-ka",
                    "acbDS": "acb-ds",
                    "acbKA": "acb-ka",
                    "wanProviderDS": "csp-north-ds",
                    "transitionalCoSDS": "tcos-ds",
                },
                "floors": floors,
                "_group": label,  # internal only; removed before writing
            })
    devices.sort(key=lambda d: d["id"])
    return devices


def entity_id(org_id):
    return eui64(0x90B3D51F30000000 + ENTITY_SUFFIX[org_id])


def day_after(timestamp, days, hour):
    """The given number of days after a timestamp, at hour:00:00Z."""
    t = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    t = (t + timedelta(days=days)).replace(hour=hour, minute=0, second=0)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def microseconds_to_timestamp(value):
    return datetime.fromtimestamp(value // 1000000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_record(request_id, service, device, requester, originator, counter, detail, certificates, at,
                   recorded=None, device_floor=None, generated=None, legacy=None):
    """One request-log entry, in the store's own form (as `anchordesk requests --json` prints it)."""
    return {
        "requestId": request_id, "service": service, "device": device, "requester": requester,
        "originator": originator, "originatorCounter": str(counter), "outcome": "succeeded", "reason": None,
        "detail": detail, "recordedCounter": recorded, "deviceFloor": device_floor, "generatedCounter": generated,
        "storedCounter": None, "legacyCounters": legacy, "certificates": certificates, "at": at,
    }


def build_history(devices):
    """The DCC's log from before AnchorDesk, and the devices' state after it.

    - National Grid handed two GPFs back to the ACB (SRV6.15.1) in March 2022; the DCC took
      their counters into its recorded-counter table, so a later SRV6.21 must go above them.
    - Before SECMP0128A the DCC placed a GNO's certificates with SRV6.21 (legacy counters)
      without checking that the GNO was a DCC User with a certificate in the Repository:
      Fenland Pipelines' on three GPFs, Harbour Gas Transportation's on two.
    - The "recent" GPFs get a commissioning time relative to init instead of a date.
    """
    requests, counter_history = [], []
    handed_back = [d for d in devices if d["_group"] == "handed-back"]
    for device, counter in zip(handed_back, NG_HAND_BACK_COUNTERS):
        at = microseconds_to_timestamp(counter)
        request_id = "%s:%s:%d" % (entity_id("national-grid"), device["id"], counter)
        requests.append(request_record(
            request_id, "6.15.1", device["id"], "national-grid", "national-grid", counter,
            "the device replaced 2 certificate(s); the ACB now holds the Network Operator cell, counter %d recorded "
            "(taken into the recorded-counter table from the DCC's log)" % counter,
            ["acb-ds", "acb-ka"], at, recorded=str(counter), device_floor=str(counter)))
        counter_history.append({"device": device["id"], "at": at, "requestId": request_id, "service": "6.15.1",
                                "counter": str(counter)})
        device["cells"]["networkOperatorDS"], device["cells"]["networkOperatorKA"] = "acb-ds", "acb-ka"
        device["floors"]["networkOperator"] = str(counter)

    placements = []
    for group, gno, days, hour in (("fenland-placed", "fenland-pipelines", 2, 10), ("harbour-placed", "harbour-gas", 3, 11)):
        for device in (d for d in devices if d["_group"] == group):
            placements.append((day_after(device["commissionedAt"], days, hour), device, gno))
    placements.sort(key=lambda p: (p[0], p[1]["id"]))
    acb_counter = 46000
    supplier_counters = {s: 100 for s in SUPPLIERS}
    for at, device, gno in placements:
        acb_counter += 1
        supplier_counters[device["supplier"]] += 1
        short = short_of(gno)
        requests.append(request_record(
            "%s:%s:%d" % (entity_id(device["supplier"]), device["id"], supplier_counters[device["supplier"]]),
            "6.21", device["id"], device["supplier"], "dcc-acb", acb_counter,
            "the device replaced 2 certificate(s) (before SECMP0128A: nothing checked that %s was a DCC User "
            "with a certificate in the SMKI Repository)" % gno,
            [short + "-ds", short + "-ka"], at, device_floor="0", generated=str(acb_counter), legacy=True))
        device["cells"]["networkOperatorDS"], device["cells"]["networkOperatorKA"] = short + "-ds", short + "-ka"

    recent = [d for d in devices if d["_group"] == "recent"]
    for device, hours in zip(recent, RECENT_HOURS):
        rebuilt = {}
        for key, value in device.items():
            if key == "commissionedAt":
                rebuilt["commissionedHoursBeforeInit"] = hours
            else:
                rebuilt[key] = value
        device.clear()
        device.update(rebuilt)

    requests.sort(key=lambda r: r["at"])
    return {"requests": requests, "counterHistory": counter_history}


def main():
    rng = random.Random(SEED)
    orgs = build_organisations()
    certs = build_certificates()
    devices = build_devices(rng)
    history = build_history(devices)

    # Print a few easy-to-find examples for the README walkthrough.
    ng = [d for d in devices if d["type"] == "GPF" and d["cells"]["networkOperatorDS"] == "national-grid-ds"]
    for label, group, n in (("national-grid", ng, 3), ("as-manufactured", None, 2), ("ngn-area", None, 1),
                            ("fenland-installed", None, 2), ("fenland-placed", None, 3), ("harbour-placed", None, 2),
                            ("handed-back", None, 2), ("recent", None, 4)):
        for d in (group or [d for d in devices if d["_group"] == label])[:n]:
            print("%-17s %s %-16s %s %s" % (label, d["id"], d["supplier"],
                                           d.get("commissionedAt", "%dh before init" % d.get("commissionedHoursBeforeInit", 0)),
                                           d["floors"]))

    for d in devices:
        del d["_group"]
    write_json("organisations.json", {"organisations": orgs})
    write_json("certificates.json", {"certificates": certs})
    write_json("devices.json", {"devices": devices})
    write_json("history.json", history)


if __name__ == "__main__":
    main()
