"""Provider callbacks: signatures checked before anything is written, delivery statuses
that only move forward, replays and malformed bodies.

Every refused request is checked by comparing the tables a callback could write before
and after it (hookutil.snapshot)."""
import json
import os
import uuid

import pytest
import requests

import dbutil

from hookutil import (BASE, WHATSAPP_VERIFY_TOKEN, Clinic, hub_signature,  # noqa: F401
                      no_sender, phone, post_twilio,
                      post_whatsapp, snapshot, twilio_signature, wa_payload)

pytestmark = pytest.mark.usefixtures("no_sender")


def status(clinic, ext, value, **extra):
    params = {"MessageSid": ext, "MessageStatus": value, "AccountSid": "AC1",
              "From": "+15005550006", "To": "+593991112233", **extra}
    return post_twilio("/hooks/twilio/status", params)


def message(clinic, mid):
    return next(m for m in clinic.messages() if m["id"] == mid)


def webhooks_log():
    with open(os.path.join(os.environ["RM_STATE"], "log", "webhooks.log"),
              encoding="utf-8", errors="replace") as f:
        return f.read()


# ---- signatures ----

def test_twilio_status_with_forged_signature_is_403_and_writes_nothing():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    params = {"MessageSid": ext, "MessageStatus": "delivered"}
    before = snapshot()
    r = post_twilio("/hooks/twilio/status", params,
                    signature=twilio_signature(BASE + "/hooks/twilio/status", params, "wrong"))
    assert r.status_code == 403
    assert snapshot() == before


def test_twilio_status_without_signature_is_403_and_writes_nothing():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    before = snapshot()
    r = post_twilio("/hooks/twilio/status", {"MessageSid": ext, "MessageStatus": "delivered"},
                    signature="")
    assert r.status_code == 403
    assert r.json() == {"error": "firma no válida"}
    assert snapshot() == before


def test_twilio_signature_replayed_on_other_parameters_is_403_and_writes_nothing():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    signed = {"MessageSid": ext, "MessageStatus": "sent"}
    sig = twilio_signature(BASE + "/hooks/twilio/status", signed)
    before = snapshot()
    r = post_twilio("/hooks/twilio/status", {"MessageSid": ext, "MessageStatus": "failed"},
                    signature=sig)
    assert r.status_code == 403
    # The same signature sent to the other Twilio endpoint: the URL is signed too.
    r = post_twilio("/hooks/twilio/inbound", signed, signature=sig)
    assert r.status_code == 403
    assert snapshot() == before


def test_twilio_signature_over_an_extra_parameter_is_checked():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    params = {"MessageSid": ext, "MessageStatus": "delivered", "SmsSid": ext,
              "ApiVersion": "2010-04-01", "NewTwilioField": "x"}
    assert post_twilio("/hooks/twilio/status", params).status_code == 200
    assert message(c, mid)["status"] == "DELIVERED"


def test_whatsapp_post_with_forged_or_missing_signature_is_403_and_writes_nothing():
    c = Clinic()
    mid, wamid = c.sent(c.patient(phone(), channel="WHATSAPP"), channel="WHATSAPP")
    payload = wa_payload(statuses=[{"id": wamid, "status": "delivered", "timestamp": "1"}])
    body = json.dumps(payload).encode()
    before = snapshot()
    assert post_whatsapp(payload, signature=hub_signature(body, "wrong")).status_code == 403
    assert post_whatsapp(payload, signature="").status_code == 403
    assert post_whatsapp(payload, signature="sha256=" + "0" * 64).status_code == 403
    # A signature of another body.
    other = hub_signature(body + b" ")
    assert post_whatsapp(payload, signature=other).status_code == 403
    assert snapshot() == before


def app_backends():
    """Every connection the programs hold (role rm_app) and when each last changed state:
    a BEGIN or ROLLBACK on one of them moves its state_change. The stack's sender is
    stopped for this module, so only requests move them."""
    with dbutil.connected("postgres") as conn:
        return dbutil.query(conn, """SELECT pid, backend_start, state_change
                                       FROM pg_stat_activity WHERE usename = 'rm_app'
                                      ORDER BY pid""")


def test_forged_callbacks_and_a_wrong_verify_token_open_no_transaction_on_any_connection():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    # Each webhooks process serves a signed request first, so that each holds its
    # connection before the forged ones come.
    for i in range(8):
        assert status(c, ext, "sent").status_code == 200
    before = app_backends()
    assert before
    params = {"MessageSid": ext, "MessageStatus": "delivered"}
    body = json.dumps(wa_payload(statuses=[{"id": "wamid.x", "status": "read",
                                            "timestamp": "1"}])).encode()
    for i in range(8):
        assert post_twilio("/hooks/twilio/status", params, signature="bad").status_code == 403
        assert post_twilio("/hooks/twilio/inbound", params, signature="").status_code == 403
        assert post_whatsapp(None, raw=body, signature=hub_signature(body, "x")).status_code == 403
        assert requests.get(BASE + "/hooks/whatsapp", timeout=30, params={
            "hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
        ).status_code == 403
    assert app_backends() == before


def test_a_burst_of_signed_callbacks_from_one_address_is_not_rate_limited_by_nginx():
    """Twilio does not retry a refused status callback: 150 at once from one address all
    get through nginx (no 429 or 503) and are all applied."""
    from concurrent.futures import ThreadPoolExecutor
    c = Clinic()
    p = c.patient(phone())
    exts = ["SMburst" + uuid.uuid4().hex for _ in range(150)]
    c.rows("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                    status, external_id, sent_at)
              SELECT %s, %s, %s, 'FOLLOWUP_HAPPY', 'SMS', 'SENT', e, now()
                FROM unnest(%s::text[]) AS e RETURNING id""",
           (c.id, p, c.campaign, exts))
    sent = [(None, e) for e in exts]
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda m: status(c, m[1], "delivered").status_code, sent))
    assert codes == [200] * len(sent)
    assert {m["status"] for m in c.messages()} == {"DELIVERED"}


def test_whatsapp_verification_answers_the_challenge_only_with_our_token():
    url = BASE + "/hooks/whatsapp"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token":
                                   WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1158201444"},
                      timeout=30)
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    assert ok.headers["Content-Type"].startswith("text/plain")
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
                    "hub.challenge": "1"},
                   {"hub.challenge": "1"}):
        assert requests.get(url, params=params, timeout=30).status_code == 403


# ---- statuses ----

def test_twilio_status_moves_forward_never_backwards():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    assert status(c, ext, "delivered").status_code == 200
    m = message(c, mid)
    assert m["status"] == "DELIVERED" and m["delivered_at"] is not None
    # Late and out of order: a "sent" and a "failed" after the delivery report.
    assert status(c, ext, "sent").status_code == 200
    assert status(c, ext, "undelivered", ErrorCode="30005").status_code == 200
    after = message(c, mid)
    assert after["status"] == "DELIVERED"
    assert after["error"] is None
    assert after["delivered_at"] == m["delivered_at"]


def test_twilio_failed_status_records_the_error_code():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    assert status(c, ext, "failed", ErrorCode="30003").status_code == 200
    m = message(c, mid)
    assert m["status"] == "FAILED" and m["error"] == "30003"


def test_delivered_after_the_patient_replied_stays_replied():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    c.rows("UPDATE messages SET status = 'REPLIED', rating = 5 WHERE id = %s", (mid,))
    assert status(c, ext, "delivered").status_code == 200
    m = message(c, mid)
    assert m["status"] == "REPLIED"
    assert m["delivered_at"] is not None   # the delivery time is still worth knowing


def test_the_same_status_callback_twice_changes_nothing_the_second_time():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    assert status(c, ext, "delivered").status_code == 200
    before = snapshot()
    assert status(c, ext, "delivered").status_code == 200
    assert snapshot() == before
    events = c.rows("SELECT provider, event_id FROM webhook_events WHERE workspace_id = %s",
                    (c.id,))
    assert events == [("twilio", ext + ":delivered")]


def test_status_for_an_unknown_message_is_acknowledged_kept_and_changes_no_message():
    before = snapshot()
    r = post_twilio("/hooks/twilio/status", {"MessageSid": "SMnever", "MessageStatus": "sent"})
    assert r.status_code == 200
    assert snapshot() == before
    # Kept for the sender, in case the message's id is recorded later (see
    # test_webhooks_early_status.py).
    with dbutil.connected("rm_owner") as conn:
        assert dbutil.query(conn, """SELECT provider, status::text FROM early_statuses
                                      WHERE external_id = 'SMnever'""") == [("twilio", "SENT")]


def test_malformed_twilio_status_is_400_with_one_log_line_and_writes_nothing():
    c = Clinic()
    mid, ext = c.sent(c.patient(phone()))
    before = snapshot()
    log_before = webhooks_log().count("webhook refused")
    r = post_twilio("/hooks/twilio/status", {"MessageStatus": "delivered"})
    assert r.status_code == 400
    assert "error" in r.json()
    r = post_twilio("/hooks/twilio/status", {"MessageSid": ext, "MessageStatus": "x" * 40})
    assert r.status_code == 400
    assert snapshot() == before
    assert webhooks_log().count("webhook refused") == log_before + 2


def test_whatsapp_statuses_move_forward_and_read_counts_as_delivered():
    c = Clinic()
    p = c.patient(phone(), channel="WHATSAPP")
    mid, wamid = c.sent(p, channel="WHATSAPP")
    # "delivered" skipped: read at once; then a late "sent".
    r = post_whatsapp(wa_payload(statuses=[{"id": wamid, "status": "read", "timestamp": "2"},
                                           {"id": wamid, "status": "sent", "timestamp": "1"}]))
    assert r.status_code == 200
    m = message(c, mid)
    assert m["status"] == "DELIVERED" and m["delivered_at"] is not None


def test_whatsapp_failed_status_records_the_error():
    c = Clinic()
    mid, wamid = c.sent(c.patient(phone(), channel="WHATSAPP"), channel="WHATSAPP")
    r = post_whatsapp(wa_payload(statuses=[{
        "id": wamid, "status": "failed", "timestamp": "1",
        "errors": [{"code": 131026, "title": "Message undeliverable"}]}]))
    assert r.status_code == 200
    m = message(c, mid)
    assert m["status"] == "FAILED" and m["error"] == "131026 Message undeliverable"


def test_malformed_whatsapp_bodies_are_400_and_write_nothing():
    c = Clinic()
    mid, wamid = c.sent(c.patient(phone(), channel="WHATSAPP"), channel="WHATSAPP")
    good = {"id": wamid, "status": "delivered", "timestamp": "1"}
    before = snapshot()
    bad_bodies = [
        b"not json", b"{", b"[]", b'{"entry": 3}', b'{"entry": [{"changes": [{"value": 1}]}]}',
        json.dumps({"entry": [{"nochanges": []}]}).encode(),
        # One good status and one without an id: nothing of the body is applied.
        json.dumps(wa_payload(statuses=[good, {"status": "read"}])).encode(),
        json.dumps(wa_payload(messages=[{"id": "wamid.x", "type": "text",
                                         "text": {"body": "5"}}])).encode(),
        json.dumps(wa_payload(messages=[{"from": "abc", "id": "wamid.y", "type": "text",
                                         "text": {"body": "5"}}])).encode(),
    ]
    for body in bad_bodies:
        r = post_whatsapp(None, raw=body)
        assert r.status_code == 400, body
        assert "error" in r.json()
    assert snapshot() == before


def test_status_rank_is_folded_into_the_callers_plan():
    """0112: app_status_rank has no SET clause, so PostgreSQL inlines it (a CASE in the
    plan) instead of parsing its body again at every call of every callback."""
    with dbutil.connected("rm_owner") as conn:
        plan = "\n".join(r[0] for r in dbutil.query(conn, """
            EXPLAIN (VERBOSE, COSTS OFF)
            SELECT app_status_rank(status) < app_status_rank('DELIVERED') FROM messages"""))
    assert "CASE" in plan and "app_status_rank" not in plan, plan
