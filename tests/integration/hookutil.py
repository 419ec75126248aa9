"""Helpers for the webhooks tests: a workspace with a sent message to reply to, provider
signatures made the way Twilio and Meta make them, and patient link tokens made the
way fcgi/core/plink.c makes them.

The stand-in provider secrets are the ones scripts/stack.sh gives the test instance.
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import uuid

import pytest
import requests

import dbutil
from sender_util import own_senders

BASE = os.environ.get("RM_BASE_URL", "http://127.0.0.1:8081")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "fake-twilio-auth-token")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "fake-whatsapp-app-secret")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "fake-whatsapp-verify-token")
PLACE_ID = "ChIJtestPlace_123"


def secret_key():
    with open(os.path.join(os.environ["RM_STATE"], "secret_key")) as f:
        return f.read().strip().encode()


@pytest.fixture(scope="module")
def no_sender():
    """The stack's sender stopped for a module whose tests read queued rows back or
    compare whole tables before and after (a running sender would send and change them
    meanwhile); started again afterwards. Use with
    `pytestmark = pytest.mark.usefixtures("no_sender")` and import no_sender."""
    with own_senders():
        yield


# ---- signatures ----

def twilio_signature(url, params, token=TWILIO_AUTH_TOKEN):
    s = url + "".join(k + v for k, v in sorted(params.items()))
    mac = hmac.new(token.encode(), s.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def hub_signature(body, secret=WHATSAPP_APP_SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_twilio(path, params, signature=None, headers=None):
    """POSTs a form the way Twilio does: signed over our public URL unless a signature is
    given ("" sends none)."""
    h = dict(headers or {})
    sig = twilio_signature(BASE + path, params) if signature is None else signature
    if sig:
        h["X-Twilio-Signature"] = sig
    return requests.post(BASE + path, data=params, headers=h, timeout=30,
                         allow_redirects=False)


def post_whatsapp(payload, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    h = {"Content-Type": "application/json"}
    sig = hub_signature(body) if signature is None else signature
    if sig:
        h["X-Hub-Signature-256"] = sig
    return requests.post(BASE + "/hooks/whatsapp", data=body, headers=h, timeout=30,
                         allow_redirects=False)


def wa_payload(statuses=(), messages=(), phone_number_id="1234567890"):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550001111",
                          "phone_number_id": phone_number_id}}
    if statuses:
        value["statuses"] = list(statuses)
    if messages:
        value["messages"] = list(messages)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}]}


def wa_text(phone, text, wamid=None):
    return {"from": phone.lstrip("+"), "id": wamid or "wamid.in." + uuid.uuid4().hex,
            "timestamp": "1700000000", "type": "text", "text": {"body": text}}


# ---- patient link tokens (fcgi/core/plink.h) ----

def plink(kind, message_id, workspace_id, expires):
    body = (bytes([1]) + kind.encode() + struct.pack(">Q", expires) +
            uuid.UUID(str(message_id)).bytes + uuid.UUID(str(workspace_id)).bytes)
    mac = hmac.new(secret_key(), b"rm-plink\0" + body, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode()


# ---- data ----

class Clinic:
    """A workspace of its own with one practice, one ACTIVE campaign and its owner."""

    def __init__(self, name=None, sms_from=None, whatsapp_id=None):
        tag = uuid.uuid4().hex[:8]
        with dbutil.connected("rm_owner") as conn:
            self.id = dbutil.scalar(conn, """
                INSERT INTO workspaces (name, plan, message_credits, sms_from,
                                        whatsapp_phone_number_id)
                VALUES (%s, 'PROFESSIONAL', 100, %s, %s) RETURNING id""",
                (name or f"Clínica {tag}", sms_from, whatsapp_id))
            dbutil.query(conn, "SELECT app_create_default_templates(%s)", (self.id,))
            self.owner = dbutil.scalar(conn, """
                INSERT INTO users (workspace_id, email, password_hash, name, role)
                VALUES (%s, %s, 'x', 'Dueña', 'OWNER') RETURNING id""",
                (self.id, f"owner-{tag}@example.com"))
            self.practice = dbutil.scalar(conn, """
                INSERT INTO practices (workspace_id, name, google_place_id)
                VALUES (%s, %s, %s) RETURNING id""", (self.id, f"Consultorio {tag}", PLACE_ID))
            self.campaign = dbutil.scalar(conn, """
                INSERT INTO campaigns (workspace_id, name, status, practice_id, created_by)
                VALUES (%s, 'Campaña', 'ACTIVE', %s, %s) RETURNING id""",
                (self.id, self.practice, self.owner))

    def user(self, role):
        """A user who can sign in with the demo password; returns (id, email)."""
        email = f"{role.lower()}-{uuid.uuid4().hex[:10]}@example.com"
        with dbutil.connected("rm_owner") as conn:
            uid = dbutil.scalar(conn, """
                INSERT INTO users (workspace_id, email, password_hash, name, role)
                SELECT %s, %s, password_hash, %s, %s FROM users
                 WHERE email = 'demo@reputationmanager.com' RETURNING id""",
                (self.id, email, f"Usuario {role}", role))
        return uid, email

    def campaign_of(self, author):
        with dbutil.connected("rm_owner") as conn:
            return dbutil.scalar(conn, """
                INSERT INTO campaigns (workspace_id, name, status, practice_id, created_by)
                VALUES (%s, 'Campaña', 'ACTIVE', %s, %s) RETURNING id""",
                (self.id, self.practice, author))

    def patient(self, phone=None, email=None, channel="SMS"):
        with dbutil.connected("rm_owner") as conn:
            return dbutil.scalar(conn, """
                INSERT INTO patients (workspace_id, name, phone, email, has_consent,
                                      consent_at, preferred_channel, campaign_id)
                VALUES (%s, 'Paciente', %s, %s, true, now(), %s, %s) RETURNING id""",
                (self.id, phone, email, channel, self.campaign))

    def sent(self, patient, channel="SMS", type_="INITIAL", hours_ago=1, external_id=None,
             status="SENT", campaign=None):
        """A message the sender has sent: SENT with its provider id, hours_ago."""
        ext = external_id or ("SM" if channel == "SMS" else "wamid.") + uuid.uuid4().hex
        with dbutil.connected("rm_owner") as conn:
            mid = dbutil.scalar(conn, """
                INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                      status, content, external_id, sent_at, scheduled_at,
                                      created_at)
                VALUES (%s, %s, %s, %s, %s, %s, 'Hola', %s,
                        now() - make_interval(hours => %s),
                        now() - make_interval(hours => %s),
                        now() - make_interval(hours => %s))
                RETURNING id""",
                (self.id, patient, campaign or self.campaign, type_, channel, status, ext,
                 hours_ago, hours_ago, hours_ago))
        return mid, ext

    def rows(self, sql, params=()):
        with dbutil.connected("rm_owner") as conn:
            return dbutil.query(conn, sql, params)

    def messages(self):
        """Every message of the workspace, oldest first, as dicts."""
        with dbutil.connected("rm_owner") as conn:
            with conn.cursor() as cur:
                cur.execute("""SELECT id, patient_id, type::text, channel::text, status::text,
                                      rating, reply_text, replied_at, delivered_at, error,
                                      content, free, review_clicked_at
                                 FROM messages WHERE workspace_id = %s
                                ORDER BY created_at, type""", (self.id,))
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, r)) for r in cur.fetchall()]


def snapshot():
    """Everything a callback could write, across all workspaces: compared before and after
    a refused request."""
    with dbutil.connected("rm_owner") as conn:
        return {t: dbutil.query(conn, f"SELECT * FROM {t} ORDER BY 1")
                for t in ("messages", "webhook_events", "opt_outs", "feedback", "campaigns",
                          "patients")}


def phone():
    """A fresh Ecuadorian mobile number, so tests never share a patient's phone."""
    return "+5939" + str(uuid.uuid4().int)[:8]
