#!/usr/bin/env python3
"""Generate AnchorDesk's bundled demo data.

Run from the repository root:

    python3 demo-data/generate.py

Writes organisations.json, certificates.json and devices.json beside this
script. Standard library only; the only source of variation is
random.Random(128), so the output is identical byte-for-byte on every run.
All counters and floors are written as decimal strings (uint64; never floats).
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
    ("brightwater-gas", "Brightwater Gas", "supplier", True, True, "500", "brightwater", ["DS", "KA"]),
    ("heron-energy", "Heron Energy", "supplier", True, True, "800", "heron", ["DS", "KA"]),
    ("kestrel-supply", "Kestrel Supply", "supplier", True, True, "300", "kestrel", ["DS", "KA"]),
]

ENTITY_SUFFIX = {
    "smki-root": 0x01, "smki-recovery": 0x02, "csp-north": 0x03, "dcc-acb": 0x04, "dcc-tcos": 0x05,
    "national-grid": 0x10, "cadent": 0x11, "sgn": 0x12, "northern-gas-networks": 0x13, "wales-west": 0x14,
    "brightwater-gas": 0x21, "heron-energy": 0x22, "kestrel-supply": 0x23,
}

SUPPLIERS = ["brightwater-gas", "heron-energy", "kestrel-supply"]

# Device groups: (label, count, type, NO-cell owner, NO floor range or None, commissioning window)
NG_FLOOR_MIN = 1640995200000000  # 2022-01-01T00:00:00Z in microseconds
NG_FLOOR_MAX = 1647302400000000  # 2022-03-15T00:00:00Z in microseconds (= NG's lastCounter)

WINDOW_ALL = ("2021-01-01", "2025-06-30")
WINDOW_NG = ("2021-01-01", "2021-12-31")  # commissioned before National Grid's counters above

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
                "inRepository": True,
                "revoked": False,
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


def main():
    rng = random.Random(SEED)
    orgs = build_organisations()
    certs = build_certificates()
    devices = build_devices(rng)

    # Print a few easy-to-find examples for the README walkthrough.
    ng = [d for d in devices if d["type"] == "GPF" and d["cells"]["networkOperatorDS"] == "national-grid-ds"]
    acb = [d for d in devices if d["_group"] == "as-manufactured"]
    ngn = [d for d in devices if d["_group"] == "ngn-area"]
    for label, group, n in (("national-grid", ng, 3), ("acb", acb, 2), ("ngn-area", ngn, 1)):
        for d in group[:n]:
            print("%-14s %s %-16s %s" % (label, d["id"], d["supplier"], d["floors"]))

    for d in devices:
        del d["_group"]
    write_json("organisations.json", {"organisations": orgs})
    write_json("certificates.json", {"certificates": certs})
    write_json("devices.json", {"devices": devices})


if __name__ == "__main__":
    main()
