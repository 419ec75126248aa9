#!/usr/bin/env python3
"""Data and requests for tests/bench/webhooks.sh.

    webhooks_data.py sql N                 SQL (for psql as rm_owner) loading a workspace
                                           with N patients and N sent SMS messages
    webhooks_data.py requests KIND N K URL OUT
                                           K signed Twilio callbacks (KIND status|inbound)
                                           for URL, one "body<TAB>signature" per line
    webhooks_data.py report DIR            the table, from wrk and pgbench raw output

Message n has external id SMbench<n>; patient n has phone +5939<n, 8 digits>.
"""
import base64
import glob
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import percentile, pgbench  # noqa: E402  (same directory)

WS = "b0000000-0000-4000-8000-000000000001"
SHARED = "+15005550006"


def sql(n):
    return f"""
SET client_encoding = 'UTF8';
DELETE FROM workspaces WHERE id = '{WS}';
INSERT INTO workspaces (id, name, plan, message_credits)
VALUES ('{WS}', 'Bench', 'ENTERPRISE', 1000000);
INSERT INTO practices (id, workspace_id, name, google_place_id)
VALUES ('b0000000-0000-4000-8000-000000000002', '{WS}', 'Consultorio Bench', 'ChIJbench');
INSERT INTO campaigns (id, workspace_id, name, status, practice_id)
VALUES ('b0000000-0000-4000-8000-000000000003', '{WS}', 'Bench', 'ACTIVE',
        'b0000000-0000-4000-8000-000000000002');
INSERT INTO patients (id, workspace_id, name, phone, has_consent, consent_at, campaign_id)
SELECT md5('bench-p' || n)::uuid, '{WS}', 'Paciente ' || n, '+5939' || lpad(n::text, 8, '0'),
       true, now(), 'b0000000-0000-4000-8000-000000000003'
  FROM generate_series(1, {n}) n;
-- Before the messages: their foreign-key checks against patients are planned once, from the
-- statistics of the moment; planned over an unanalyzed table, each check scanned the whole
-- workspace's patients and the load of 500,000 messages ran for hours instead of minutes.
ANALYZE patients;
INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status, content,
                      external_id, sent_at, scheduled_at)
SELECT '{WS}', md5('bench-p' || n)::uuid, 'b0000000-0000-4000-8000-000000000003', 'INITIAL',
       'SMS', 'SENT', 'Hola', 'SMbench' || n, now() - interval '1 hour',
       now() - interval '2 hours'
  FROM generate_series(1, {n}) n;
ANALYZE workspaces, patients, messages, webhook_events;
"""


def sign(url, params, token):
    s = url + "".join(k + v for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(token.encode(), s.encode(), hashlib.sha1).digest()).decode()


def requests_file(kind, n, k, url, out, offset=0):
    """k signed requests, the (offset + 1)-th to the (offset + k)-th of their kind."""
    token = os.environ.get("TWILIO_AUTH_TOKEN", "fake-twilio-auth-token")
    with open(out, "w") as f:
        for i in range(offset + 1, offset + k + 1):
            if kind == "status":
                params = {"MessageSid": f"SMbench{i}", "MessageStatus": "delivered",
                          "AccountSid": "ACbench", "From": SHARED, "To": f"+5939{i:08d}"}
            else:
                # The second half of the patients: the status run does not touch them.
                p = n // 2 + (i - 1) % (n // 2) + 1
                params = {"MessageSid": f"SMin{i}", "AccountSid": "ACbench",
                          "From": f"+5939{p:08d}", "To": SHARED, "Body": "5", "NumMedia": "0"}
            body = urllib.parse.urlencode(params)
            f.write(f"{body}\t{sign(url, params, token)}\n")


def wrk(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("BENCH_WRK "):
            d = json.loads(line[len("BENCH_WRK "):])
            d["rps"] = d["requests"] / (d["duration_us"] / 1e6)
            return d
    raise SystemExit(f"webhooks_data.py: no BENCH_WRK line in {path}")


def report(d):
    print(f"{'':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    ok = True
    for kind, label in (("status", "signed status callbacks"), ("inbound", "inbound replies '5'")):
        w = wrk(os.path.join(d, f"wrk_{kind}.out"))
        p = pgbench(os.path.join(d, f"pgbench_{kind}.out"), os.path.join(d, f"pgbench_{kind}.log*"))
        errs = w["status"] + w["timeout"] + w["connect"] + w["read"] + w["write"]
        print(f"{label + ' via nginx (wrk)':38} {w['rps']:9.0f} {w['p50_us'] / 1000:8.2f} "
              f"{w['p99_us'] / 1000:8.2f} {errs:7d}")
        print(f"{'  same SQL, pgbench':38} {p['rps']:9.0f} {p['p50_us'] / 1000:8.2f} "
              f"{p['p99_us'] / 1000:8.2f} {p['failed'] + p['log_failed']:7d}")
        ratio = w["rps"] / p["rps"] if p["rps"] else 0
        print(f"{'  app / pgbench':38} {ratio:9.2f}")
        paced = wrk(os.path.join(d, f"wrk_{kind}_paced.out"))
        paced_errs = sum(paced[k] for k in ("status", "timeout", "connect", "read", "write"))
        print(f"{'  paced, via nginx (wrk)':38} {paced['rps']:9.0f} {paced['p50_us'] / 1000:8.2f} "
              f"{paced['p99_us'] / 1000:8.2f} {paced_errs:7d}")
        ok = ok and errs == 0 and paced_errs == 0 and w["requests"] > 0 and paced["requests"] > 0
    meta = open(os.path.join(d, "meta.env")).read().split()
    print(" ".join(meta))
    return 0 if ok else 1


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "sql":
        print(sql(int(sys.argv[2])))
    elif cmd == "requests":
        requests_file(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6],
                      int(sys.argv[7]) if len(sys.argv) > 7 else 0)
    elif cmd == "report":
        sys.exit(report(sys.argv[2]))
    else:
        sys.exit(__doc__)
