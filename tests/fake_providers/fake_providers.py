#!/usr/bin/env python3
"""Stand-in providers: Twilio's Messages endpoint, the WhatsApp Cloud API messages endpoint
and an SMTP sink, on one loopback port, plus a phone simulator page.

    fake_providers.py --port PORT

One port serves both protocols: an HTTP client speaks first, an SMTP client waits for
the server's greeting, so a connection that sends nothing within 50 ms is treated as SMTP.

It checks credentials the way the real services do (Twilio basic auth with the account
SID and auth token, the Cloud API's bearer token, SMTP AUTH PLAIN/LOGIN when SMTP_USER is
set), answers with the real services' shapes, and afterwards posts signed status
callbacks (X-Twilio-Signature; X-Hub-Signature-256) to RM_PUBLIC_BASE_URL/hooks/...

Environment (the same variables the programs read): TWILIO_ACCOUNT_SID,
TWILIO_AUTH_TOKEN, WHATSAPP_TOKEN, WHATSAPP_APP_SECRET, SMTP_USER, SMTP_PASSWORD,
RM_PUBLIC_BASE_URL.

Control endpoints (JSON), for tests:
    GET  /_fake/messages             everything received, oldest first
    GET  /_fake/callbacks            every callback posted, with the app's answer status
    POST /_fake/reset                forget messages, failures and settings
    POST /_fake/fail {"to": "+593…" or "a@b", "kind": K}
         K: 429, 500, timeout, invalid, 21610 (SMS), 550, 451 (email), "" to clear
    POST /_fake/config {"delay_ms": N, "callbacks": bool, "callbacks_first": bool}
         callbacks_first: the status callbacks are posted (and answered) before the API
         call itself is answered, as Twilio's can beat the sender's own record of the sid
The page at / is the phone simulator: each recipient's conversation, with a box to
answer as the patient (a signed inbound webhook to /hooks/).
"""
import argparse
import base64
import hashlib
import hmac
import html
import http.server
import json
import os
import queue
import re
import secrets
import select
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ENV = os.environ.get
TWILIO_SID = ENV("TWILIO_ACCOUNT_SID", "")
TWILIO_TOKEN = ENV("TWILIO_AUTH_TOKEN", "")
WA_TOKEN = ENV("WHATSAPP_TOKEN", "")
WA_SECRET = ENV("WHATSAPP_APP_SECRET", "")
SMTP_USER = ENV("SMTP_USER", "")
SMTP_PASSWORD = ENV("SMTP_PASSWORD", "")
APP_BASE = ENV("RM_PUBLIC_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
TWILIO_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
WA_PATH = re.compile(r"^/(v[0-9.]+)/([0-9]+)/messages$")


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.messages = []      # everything received, as dicts
            self.replies = []       # what the simulator sent as the patient
            self.callbacks = []     # callbacks posted to the app
            self.fail = {}          # recipient -> failure kind
            self.delay = 0.0
            self.callbacks_on = ENV("FAKE_CALLBACKS", "1") == "1"
            self.callbacks_first = False

    def record(self, item):
        item["at"] = time.time()
        with self.lock:
            self.messages.append(item)

    def failure(self, to):
        with self.lock:
            return self.fail.get(to, "")


STATE = State()
CALLBACKS = queue.Queue()


def twilio_signature(url, params):
    data = url + "".join(k + params[k] for k in sorted(params))
    mac = hmac.new(TWILIO_TOKEN.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def meta_signature(body):
    return "sha256=" + hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()


def post_form(url, params):
    body = urllib.parse.urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": twilio_signature(url, params)}
    return deliver(url, body, headers, params)


def post_json(url, payload):
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": meta_signature(body)}
    return deliver(url, body, headers, payload)


def deliver(url, body, headers, shown):
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = f"error: {e}"
    with STATE.lock:
        STATE.callbacks.append({"url": url, "body": shown, "headers": headers, "status": status,
                                "at": time.time()})
    return status


def callback_worker():
    """Posts queued callbacks in order, a little after the answer, as providers do."""
    while True:
        fn, args = CALLBACKS.get()
        time.sleep(0.05)
        try:
            fn(*args)
        except Exception as e:  # a callback must never kill the worker
            print(f"fake_providers: callback failed: {e}", file=sys.stderr)


def twilio_callbacks(url, sid, to, frm):
    for status in ("sent", "delivered"):
        post_form(url, {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status,
                        "SmsStatus": status, "AccountSid": TWILIO_SID, "From": frm,
                        "To": to, "ApiVersion": "2010-04-01"})


def whatsapp_callbacks(phone_id, wamid, to):
    for status in ("sent", "delivered"):
        post_json(APP_BASE + "/hooks/whatsapp", wa_envelope(phone_id, {
            "statuses": [{"id": wamid, "status": status, "timestamp": str(int(time.time())),
                          "recipient_id": to}]}))


def wa_envelope(phone_id, value):
    value = dict({"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "593990000000",
                               "phone_number_id": phone_id}}, **value)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages",
                                                              "value": value}]}]}


class HTTP(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as the sender's curl expects
    server_version = "fake-providers"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, payload, ctype="application/json", extra=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_fake/messages":
            with STATE.lock:
                return self.answer(200, STATE.messages)
        if path == "/_fake/callbacks":
            with STATE.lock:
                return self.answer(200, STATE.callbacks)
        if path == "/":
            return self.answer(200, simulator_page().encode(), "text/html; charset=utf-8")
        return self.answer(404, {"error": "not found"})

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        raw = self.body()
        m = TWILIO_PATH.match(path)
        if m:
            return self.twilio(m.group(1), raw)
        m = WA_PATH.match(path)
        if m:
            return self.whatsapp(m.group(2), raw)
        if path == "/_fake/reset":
            STATE.reset()
            return self.answer(200, {"ok": True})
        if path == "/_fake/fail":
            req = json.loads(raw or b"{}")
            with STATE.lock:
                STATE.fail[req["to"]] = str(req.get("kind", ""))
            return self.answer(200, {"ok": True})
        if path == "/_fake/config":
            req = json.loads(raw or b"{}")
            with STATE.lock:
                if "delay_ms" in req:
                    STATE.delay = float(req["delay_ms"]) / 1000
                if "callbacks" in req:
                    STATE.callbacks_on = bool(req["callbacks"])
                if "callbacks_first" in req:
                    STATE.callbacks_first = bool(req["callbacks_first"])
            return self.answer(200, {"ok": True})
        if path == "/_fake/reply":
            return self.reply(urllib.parse.parse_qs(raw.decode()))
        return self.answer(404, {"error": "not found"})

    def delay_and_failure(self, to):
        with STATE.lock:
            delay = STATE.delay
        if delay:
            time.sleep(delay)
        kind = STATE.failure(to)
        if kind == "timeout":
            # The client gives up first; then the connection closes with no answer, and
            # nothing is recorded (a late record would land in the next test's lot).
            time.sleep(5)
            self.close_connection = True
            raise ConnectionAbortedError("simulated timeout")
        return kind

    def twilio(self, sid, raw):
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        auth = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        ok_auth = hmac.compare_digest(auth, expected) and sid == TWILIO_SID
        to = form.get("To", "")
        kind = self.delay_and_failure(to)
        item = {"channel": "SMS", "to": to, "from": form.get("From") or form.get("MessagingServiceSid"),
                "body": form.get("Body"), "status_callback": form.get("StatusCallback"),
                "auth_ok": ok_auth, "form": form}
        if not ok_auth:
            item["answer"] = 401
            STATE.record(item)
            return self.answer(401, {"code": 20003, "message": "Authenticate",
                                     "more_info": "https://www.twilio.com/docs/errors/20003",
                                     "status": 401})
        errors = {"429": (429, 20429, "Too Many Requests"),
                  "500": (500, 20500, "Internal Server Error"),
                  "invalid": (400, 21211, f"The 'To' number {to} is not a valid phone number."),
                  "21610": (400, 21610, "Attempt to send to unsubscribed recipient")}
        if kind in errors:
            status, code, msg = errors[kind]
            item["answer"] = status
            STATE.record(item)
            return self.answer(status, {"code": code, "message": msg, "status": status,
                                        "more_info": f"https://www.twilio.com/docs/errors/{code}"})
        msid = "SM" + secrets.token_hex(16)
        item["answer"], item["sid"] = 201, msid
        STATE.record(item)
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        if STATE.callbacks_first and form.get("StatusCallback"):
            twilio_callbacks(form["StatusCallback"], msid, to, item["from"] or "")
        self.answer(201, {
            "account_sid": TWILIO_SID, "api_version": "2010-04-01", "body": form.get("Body"),
            "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
            "error_code": None, "error_message": None, "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"), "num_media": "0",
            "num_segments": "1", "price": None, "price_unit": "USD", "sid": msid,
            "status": "queued", "to": to,
            "uri": f"/2010-04-01/Accounts/{sid}/Messages/{msid}.json"})
        if STATE.callbacks_on and not STATE.callbacks_first and form.get("StatusCallback"):
            CALLBACKS.put((twilio_callbacks, (form["StatusCallback"], msid, to, item["from"] or "")))

    def whatsapp(self, phone_id, raw):
        auth = self.headers.get("Authorization", "")
        ok_auth = hmac.compare_digest(auth, "Bearer " + WA_TOKEN)
        try:
            req = json.loads(raw)
        except ValueError:
            return self.answer(400, {"error": {"message": "Invalid JSON", "code": 100}})
        to = req.get("to", "")
        kind = self.delay_and_failure("+" + to)
        item = {"channel": "WHATSAPP", "to": to, "phone_number_id": phone_id, "auth_ok": ok_auth,
                "json": req, "type": req.get("type")}
        if req.get("type") == "text":
            item["body"] = req.get("text", {}).get("body")
        if not ok_auth:
            item["answer"] = 401
            STATE.record(item)
            return self.answer(401, {"error": {"message": "Invalid OAuth access token.",
                                               "type": "OAuthException", "code": 190}})
        errors = {"429": (429, 130429, "Rate limit hit"),
                  "500": (500, 131000, "Something went wrong"),
                  "invalid": (400, 131026, "Message Undeliverable."),
                  "21610": (400, 131026, "Message Undeliverable.")}
        if kind in errors:
            status, code, msg = errors[kind]
            item["answer"] = status
            STATE.record(item)
            return self.answer(status, {"error": {"message": msg, "type": "OAuthException",
                                                  "code": code, "fbtrace_id": "Afake"}})
        wamid = "wamid." + base64.b64encode(secrets.token_bytes(24)).decode().rstrip("=")
        item["answer"], item["wamid"] = 200, wamid
        STATE.record(item)
        if STATE.callbacks_first:
            whatsapp_callbacks(phone_id, wamid, to)
        self.answer(200, {"messaging_product": "whatsapp",
                          "contacts": [{"input": to, "wa_id": to}],
                          "messages": [{"id": wamid}]})
        if STATE.callbacks_on and not STATE.callbacks_first:
            CALLBACKS.put((whatsapp_callbacks, (phone_id, wamid, to)))

    def reply(self, form):
        """The simulator's box: the patient answers; a signed inbound webhook goes out."""
        to = form.get("to", [""])[0]
        channel = form.get("channel", ["SMS"])[0]
        text = form.get("body", [""])[0][:1000]
        with STATE.lock:
            last = next((m for m in reversed(STATE.messages)
                         if m["to"].lstrip("+") == to.lstrip("+")), None)
        if last is None or not text:
            return self.answer(303, b"", extra={"Location": "/"})
        if channel == "WHATSAPP":
            wa = to.lstrip("+")
            status = post_json(APP_BASE + "/hooks/whatsapp", wa_envelope(last.get("phone_number_id", ""), {
                "contacts": [{"profile": {"name": "Paciente"}, "wa_id": wa}],
                "messages": [{"from": wa, "id": "wamid.in" + secrets.token_hex(12),
                              "timestamp": str(int(time.time())), "type": "text",
                              "text": {"body": text}}]}))
        else:
            status = post_form(APP_BASE + "/hooks/twilio/inbound", {
                "MessageSid": "SM" + secrets.token_hex(16), "AccountSid": TWILIO_SID,
                "From": to, "To": last.get("from") or "", "Body": text, "NumMedia": "0",
                "NumSegments": "1"})
        with STATE.lock:
            STATE.replies.append({"to": to, "body": text, "at": time.time(), "status": status})
        return self.answer(303, b"", extra={"Location": "/"})


def simulator_page():
    """Each recipient's conversation as a chat; replies go back signed, as the provider's."""
    with STATE.lock:
        msgs = list(STATE.messages)
        replies = list(STATE.replies)
    convs = {}
    for m in msgs:
        if m.get("answer") not in (200, 201, 250):
            continue
        key = m["to"] if m["channel"] == "EMAIL" else "+" + m["to"].lstrip("+")
        text = m.get("body") or template_text(m.get("json", {}))
        convs.setdefault((key, m["channel"]), []).append((m["at"], "out", text))
    for r in replies:
        for (key, ch), items in convs.items():
            if key.lstrip("+") == r["to"].lstrip("+"):
                items.append((r["at"], "in", f'{r["body"]} (webhook: {r["status"]})'))
    parts = []
    for (key, ch), items in sorted(convs.items(), key=lambda kv: -max(i[0] for i in kv[1])):
        bubbles = "".join(
            f'<p class="{d}">{html.escape(t or "")}<small>{time.strftime("%H:%M:%S", time.localtime(at))}</small></p>'
            for at, d, t in sorted(items))
        form = "" if ch == "EMAIL" else (
            '<form method="post" action="/_fake/reply">'
            f'<input type="hidden" name="to" value="{html.escape(key)}">'
            f'<input type="hidden" name="channel" value="{html.escape(ch)}">'
            '<input name="body" placeholder="Responder como paciente (p. ej. 5)" required>'
            '<button>Enviar</button></form>')
        parts.append(f'<section><h2>{html.escape(key)} · {html.escape(ch)}</h2>{bubbles}{form}</section>')
    return ("<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\">"
            "<title>Simulador de teléfono</title><style>"
            "body{font-family:sans-serif;max-width:40em;margin:auto;background:#eee}"
            "section{background:#fff;margin:1em 0;padding:.5em 1em;border-radius:8px}"
            "p{padding:.4em .7em;border-radius:8px;max-width:80%}"
            ".out{background:#dcf8c6;margin-left:auto}.in{background:#f0f0f0}"
            "small{display:block;color:#888;font-size:.7em}</style></head><body>"
            "<h1>Simulador de teléfono</h1><p>Mensajes que recibieron los proveedores de prueba. "
            "Responda como el paciente: la respuesta llega firmada a /hooks/.</p>"
            + ("".join(parts) or "<p>Aún no hay mensajes.</p>") + "</body></html>")


def template_text(req):
    t = req.get("template") or {}
    params = [p.get("text", "") for c in t.get("components", []) for p in c.get("parameters", [])]
    return f'[plantilla {t.get("name")}] ' + " · ".join(params)


class SMTP:
    """A small SMTP sink: EHLO/HELO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def __init__(self, sock):
        self.sock = sock
        self.f = sock.makefile("rb")

    def say(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def line(self):
        data = self.f.readline(65536)
        if not data:
            raise EOFError
        return data.decode("utf-8", "replace").rstrip("\r\n")

    def run(self):
        self.say("220 fake-providers ESMTP")
        authed = not SMTP_USER
        sender, rcpts = None, []
        while True:
            cmd = self.line()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.sock.sendall(b"250-fake-providers\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n"
                                  b"250 AUTH PLAIN LOGIN\r\n" if verb == "EHLO" else b"250 ok\r\n")
            elif verb == "AUTH":
                authed = self.auth(cmd)
            elif verb == "MAIL":
                if not authed:
                    self.say("530 5.7.0 Authentication required")
                    continue
                sender, rcpts = cmd[10:].strip(), []
                self.say("250 ok")
            elif verb == "RCPT":
                addr = cmd[8:].strip().strip("<>")
                kind = STATE.failure(addr)
                if kind == "550":
                    STATE.record({"channel": "EMAIL", "to": addr, "answer": 550})
                    self.say("550 5.1.1 No such user")
                elif kind == "451":
                    STATE.record({"channel": "EMAIL", "to": addr, "answer": 451})
                    self.say("451 4.3.0 Try again later")
                else:
                    rcpts.append(addr)
                    self.say("250 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.say("503 need RCPT")
                    continue
                self.say("354 end with .")
                lines = []
                while True:
                    ln = self.line()
                    if ln == ".":
                        break
                    lines.append(ln[1:] if ln.startswith("..") else ln)
                self.store(sender, rcpts, "\r\n".join(lines))
                self.say("250 ok queued")
            elif verb == "RSET":
                sender, rcpts = None, []
                self.say("250 ok")
            elif verb == "NOOP":
                self.say("250 ok")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 command not implemented")

    def auth(self, cmd):
        parts = cmd.split()
        try:
            if len(parts) >= 2 and parts[1].upper() == "PLAIN":
                if len(parts) == 2:
                    self.say("334 ")
                    blob = self.line()
                else:
                    blob = parts[2]
                _, user, pw = base64.b64decode(blob).decode().split("\0")
            elif len(parts) >= 2 and parts[1].upper() == "LOGIN":
                self.say("334 VXNlcm5hbWU6")
                user = base64.b64decode(self.line()).decode()
                self.say("334 UGFzc3dvcmQ6")
                pw = base64.b64decode(self.line()).decode()
            else:
                self.say("504 unrecognized authentication type")
                return False
        except (ValueError, UnicodeDecodeError):
            self.say("501 malformed")
            return False
        if hmac.compare_digest(user, SMTP_USER) and hmac.compare_digest(pw, SMTP_PASSWORD):
            self.say("235 2.7.0 Authentication successful")
            return True
        self.say("535 5.7.8 Authentication credentials invalid")
        return False

    def store(self, sender, rcpts, message):
        import email
        import email.policy
        msg = email.message_from_string(message, policy=email.policy.default)
        body = msg.get_body(("plain",))
        for to in rcpts:
            STATE.record({"channel": "EMAIL", "to": to, "from": sender, "answer": 250,
                          "auth_ok": True, "raw": message, "subject": str(msg["Subject"]),
                          "message_id": msg["Message-ID"],
                          "list_unsubscribe": msg["List-Unsubscribe"],
                          "body": body.get_content() if body else None})


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 256


class Dispatch(socketserver.BaseRequestHandler):
    """HTTP if the client speaks within 50 ms, else SMTP."""

    def handle(self):
        ready, _, _ = select.select([self.request], [], [], 0.05)
        try:
            if ready:
                HTTP(self.request, self.client_address, self.server)
            else:
                SMTP(self.request).run()
        except (EOFError, ConnectionError, TimeoutError):
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    threading.Thread(target=callback_worker, daemon=True).start()
    with Server((args.host, args.port), Dispatch) as srv:
        srv.serve_forever()


if __name__ == "__main__":
    main()
