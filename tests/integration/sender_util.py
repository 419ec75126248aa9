"""Helpers for the sender's tests: a workspace of their own, senders of their own, and the
stand-in providers' records.

The stack's own sender is stopped while these tests run (scripts/stack.sh sender-stop)
so that every message is sent by a sender the test controls; `own_senders` starts it
again afterwards.
"""
import contextlib
import json
import os
import random
import signal
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import psycopg2
import psycopg2.errors
import pytest

import dbutil

BASE = os.environ.get("RM_BASE_URL", "http://127.0.0.1:8081")
APP_PORT = urllib.parse.urlsplit(BASE).port
FAKE = f"http://127.0.0.1:{int(os.environ.get('RM_FAKE_PORT', APP_PORT + 1000))}"
STACK = os.path.join(dbutil.REPO, "scripts", "stack.sh")


def stack_env():
    env = dict(os.environ)
    env["TEST_PORT"] = str(APP_PORT)
    env["TEST_PGPORT"] = str(dbutil.port())
    return env


def stack(cmd):
    return subprocess.run([STACK, cmd, "test"], env=stack_env(), capture_output=True,
                          text=True, check=True).stdout


@contextlib.contextmanager
def own_senders():
    """Stops the stack's sender for the duration, starts it again at the end."""
    stack("sender-stop")
    try:
        yield
    finally:
        stack("sender-start")


@pytest.fixture
def ws():
    """A Workspace of the test's own with 100 credits, the stand-ins reset; dropped at the
    end. Import it into a test module to use it."""
    fake_reset()
    w = Workspace(credits=100)
    yield w
    w.drop()


@pytest.fixture
def senders(tmp_path):
    """A factory of senders of the test's own, `senders(name="sender", **env)`, each
    stopped at the end of the test. Import it into a test module to use it."""
    started = []

    def start(name="sender", **env):
        s = Sender(str(tmp_path), name, **env)
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


def sender_env(**overrides):
    env = {"PATH": "/usr/bin:/bin"}
    for line in stack("sender-env").splitlines():
        k, _, v = line.partition("=")
        env[k] = v
    with open(os.path.join(dbutil._env("RM_STATE"), "secret_key")) as f:
        env["RM_SECRET_KEY"] = f.read().strip()
    env.update({k: str(v) for k, v in overrides.items()})
    return env


class Sender:
    """One sender process of the test's own, its log in a file."""

    def __init__(self, log_dir, name="sender", **env):
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.log = open(self.log_path, "w")
        binary = os.path.join(dbutil._env("RM_STATE"), "app", "bin", "sender")
        self.proc = subprocess.Popen([binary], env=sender_env(**env), stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"the sender did not stop on SIGTERM:\n{self.output()}")
        self.log.close()
        return self.proc.returncode

    def output(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()


# --- the stand-in providers -------------------------------------------------------------

def fake(path, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(FAKE + path, data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def fake_reset(delay_ms=0, callbacks=False):
    fake("/_fake/reset", {})
    fake("/_fake/config", {"delay_ms": delay_ms, "callbacks": callbacks})


def fake_fail(to, kind):
    fake("/_fake/fail", {"to": to, "kind": kind})


def received(to_set=None):
    """What the stand-ins accepted, optionally only for these recipients."""
    msgs = fake("/_fake/messages")
    if to_set is not None:
        norm = {t.lstrip("+") for t in to_set}
        msgs = [m for m in msgs if m["to"].lstrip("+") in norm]
    return msgs


# --- data -------------------------------------------------------------------------------

def new_phone():
    return "+5939" + "".join(random.choice("0123456789") for _ in range(8))


class Workspace:
    """A workspace of the test's own: one practice, one ACTIVE campaign, the default
    templates, and a given number of credits. Written as rm_owner (bypasses RLS)."""

    def __init__(self, credits=100, timezone="America/Guayaquil"):
        self.id = str(uuid.uuid4())
        self.practice = str(uuid.uuid4())
        self.campaign = str(uuid.uuid4())
        self.owner = str(uuid.uuid4())
        with dbutil.connected("rm_owner") as c:
            dbutil.query(c, "INSERT INTO workspaces (id, name, message_credits) VALUES (%s, %s, %s)",
                         (self.id, "Sender test " + self.id[:8], credits))
            dbutil.query(c, "INSERT INTO users (id, workspace_id, email, password_hash, name, role) "
                            "VALUES (%s, %s, %s, 'x', 'Dra. Ana Torres', 'OWNER')",
                         (self.owner, self.id, f"owner-{self.id[:8]}@example.ec"))
            dbutil.query(c, "INSERT INTO practices (id, workspace_id, name, timezone, "
                            "sending_start, sending_end) VALUES (%s, %s, 'Clínica Norte', %s, "
                            "'00:00', '23:59:59.999999')",
                         (self.practice, self.id, timezone))
            dbutil.query(c, "SELECT app_create_default_templates(%s)", (self.id,))
            dbutil.query(c, "INSERT INTO campaigns (id, workspace_id, name, practice_id, created_by) "
                            "VALUES (%s, %s, 'Campaña de prueba', %s, %s)",
                         (self.campaign, self.id, self.practice, self.owner))

    def patient(self, name="Ana Pérez", phone="new", email=None, consent=True, channel="SMS"):
        """phone "new" makes a fresh one; None leaves the patient without."""
        pid = str(uuid.uuid4())
        phone = new_phone() if phone == "new" else phone
        with dbutil.connected("rm_owner") as c:
            dbutil.query(c, "INSERT INTO patients (id, workspace_id, name, phone, email, "
                            "appointment_time, appointment_type, has_consent, preferred_channel, "
                            "campaign_id) VALUES (%s, %s, %s, %s, %s, "
                            "'2025-11-17 09:00:00-05', 'Consulta general', %s, %s, %s)",
                         (pid, self.id, name, phone, email, consent, channel, self.campaign))
        return pid, phone

    def patients(self, n):
        """n patients with distinct phones, inserted at once; returns [(id, phone)]."""
        rows = [(str(uuid.uuid4()), new_phone()) for _ in range(n)]
        with dbutil.connected("rm_owner") as c:
            with c.cursor() as cur:
                cur.execute(
                    "INSERT INTO patients (id, workspace_id, name, phone, has_consent, campaign_id) "
                    "SELECT p.id, %s, 'Paciente ' || p.n, p.phone, true, %s "
                    "FROM unnest(%s::uuid[], %s::text[]) WITH ORDINALITY AS p(id, phone, n)",
                    (self.id, self.campaign, [r[0] for r in rows], [r[1] for r in rows]))
        return rows

    def enqueue(self, patient, type_="INITIAL", channel="SMS", content=None, free=False,
                notify=True):
        mid = str(uuid.uuid4())
        with dbutil.connected("rm_owner") as c:
            dbutil.query(c, "INSERT INTO messages (id, workspace_id, patient_id, campaign_id, type, "
                            "channel, content, free) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                         (mid, self.id, patient, self.campaign, type_, channel, content, free))
            if notify:
                dbutil.query(c, "SELECT pg_notify('rm_messages', '')")
        return mid

    def enqueue_many(self, patients, prefix="m"):
        """One SMS per patient with content '<prefix> <n>' (distinct bodies)."""
        with dbutil.connected("rm_owner") as c:
            with c.cursor() as cur:
                cur.execute(
                    "INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, content) "
                    "SELECT %s, p.id, %s, 'INITIAL', 'SMS', %s || ' ' || p.n "
                    "FROM unnest(%s::uuid[]) WITH ORDINALITY AS p(id, n)",
                    (self.id, self.campaign, prefix, [p[0] for p in patients]))
                cur.execute("SELECT pg_notify('rm_messages', '')")

    def credits(self):
        with dbutil.connected("rm_owner") as c:
            return dbutil.scalar(c, "SELECT message_credits FROM workspaces WHERE id = %s", (self.id,))

    def messages(self):
        with dbutil.connected("rm_owner") as c:
            with c.cursor() as cur:
                cur.execute("SELECT * FROM messages WHERE workspace_id = %s ORDER BY created_at, id",
                            (self.id,))
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, r)) for r in cur.fetchall()]

    def message(self, mid):
        return next(m for m in self.messages() if str(m["id"]) == mid)

    def counts(self):
        with dbutil.connected("rm_owner") as c:
            return dict(dbutil.query(c, "SELECT status::text, count(*) FROM messages "
                                        "WHERE workspace_id = %s GROUP BY status", (self.id,)))

    def sql(self, sql, params=()):
        with dbutil.connected("rm_owner") as c:
            return dbutil.query(c, sql, params)

    def drop(self):
        for attempt in range(3):
            try:
                with dbutil.connected("rm_owner") as c:
                    dbutil.query(c, "DELETE FROM workspaces WHERE id = %s", (self.id,))
                return
            except psycopg2.errors.DeadlockDetected:
                if attempt == 2:
                    raise


def wait_for(check, timeout=60, what="condition"):
    """Polls check() until it returns something true (the sender works in real time; this
    waits for it, not for a clock)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
