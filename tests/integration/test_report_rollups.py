"""The daily rollups (report_daily_now: the folded rows of report_daily plus the changes
appended to report_daily_delta; migrations 0060 and 0110) always equal the direct count
over the messages, folded or not, and the patient counts (0062) the count of live
patients: after a seeded random mix of sends, deliveries, replies, ratings, review clicks,
failures, cancellations, erasures, deleted patients, deleted campaigns, campaigns moved to
another practice, practices moved to another timezone and folds, in several workspaces at
once. The changes go through rm_app under row-level security, as the programs make them.
"""
import datetime
import random
import time
import uuid

import pytest

import dbutil
from sender_util import own_senders

SEED = 20261126
TIMEZONES = ["America/Guayaquil", "Pacific/Galapagos", "Asia/Tokyo", "Pacific/Kiritimati"]
TYPES = ["INITIAL", "REMINDER", "FOLLOWUP_HAPPY", "FOLLOWUP_UNHAPPY"]
CHANNELS = ["SMS", "WHATSAPP", "EMAIL"]
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

# The direct count, written here from the definitions (README, migration 0061) as one
# set-based query, independently of the triggers: requests and happy follow-ups that reached
# SENT/DELIVERED/REPLIED on the day of sent_at; ratings on the day of replied_at; days in
# the campaign's practice's timezone.
DIRECT = """
WITH m AS (
  SELECT m.*, c.practice_id, coalesce(p.timezone, 'America/Guayaquil') AS tz,
         m.status IN ('SENT', 'DELIVERED', 'REPLIED') AS reached,
         m.type IN ('INITIAL', 'REMINDER') AS request
    FROM messages m
    LEFT JOIN campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
    LEFT JOIN practices p ON p.workspace_id = c.workspace_id AND p.id = c.practice_id
   WHERE m.workspace_id = ANY(%(ws)s::uuid[]))
SELECT workspace_id::text, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'sent', count(*) FROM m
 WHERE reached AND request GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id::text, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'delivered', count(*) FROM m
 WHERE request AND status IN ('DELIVERED', 'REPLIED') GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id::text, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'replied', count(*) FROM m
 WHERE request AND status = 'REPLIED' GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id::text, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'happy_sent', count(*) FROM m
 WHERE reached AND type = 'FOLLOWUP_HAPPY' GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id::text, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'happy_clicked', count(*) FROM m
 WHERE reached AND type = 'FOLLOWUP_HAPPY' AND review_clicked_at IS NOT NULL
 GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id::text, (coalesce(replied_at, created_at) AT TIME ZONE tz)::date,
       campaign_id::text, channel::text, 'rating_' || rating, count(*) FROM m
 WHERE rating IS NOT NULL GROUP BY 1, 2, 3, 4, rating
"""
FIGURES = ["sent", "delivered", "replied", "happy_sent", "happy_clicked", "rating_1",
           "rating_2", "rating_3", "rating_4", "rating_5"]


def _when(rng):
    """A moment in the first two months of 2026, to the minute: many fall near midnight in
    one timezone or another."""
    return START + datetime.timedelta(minutes=rng.randrange(60 * 24 * 60))


class Workspace:
    """One throwaway workspace and what the random mix needs to know about it."""

    def __init__(self, owner, rng):
        self.rng = rng
        self.id = str(uuid.uuid4())
        dbutil.query(owner, "INSERT INTO workspaces (id, name) VALUES (%s, 'Rollups')", (self.id,))
        self.practices = []
        for tz in rng.sample(TIMEZONES, 2):
            pid = str(uuid.uuid4())
            dbutil.query(owner, """INSERT INTO practices (id, workspace_id, name, timezone)
                                   VALUES (%s, %s, 'P', %s)""", (pid, self.id, tz))
            self.practices.append(pid)
        self.campaigns = []
        for practice in self.practices + [None]:
            cid = str(uuid.uuid4())
            dbutil.query(owner, """INSERT INTO campaigns (id, workspace_id, name, practice_id)
                                   VALUES (%s, %s, 'C', %s)""", (cid, self.id, practice))
            self.campaigns.append(cid)
        self.patients = []
        for n in range(40):
            pid = str(uuid.uuid4())
            dbutil.query(owner, """INSERT INTO patients (id, workspace_id, name, phone, has_consent)
                                   VALUES (%s, %s, 'Paciente', %s, true)""",
                         (pid, self.id, "+5939%08d" % rng.randrange(10 ** 8)))
            self.patients.append(pid)
        self.app = dbutil.app_connect(self.id)

    def run(self, sql, params=()):
        return dbutil.query(self.app, sql, params)

    def message_ids(self, where="true"):
        return [r[0] for r in self.run(f"SELECT id::text FROM messages WHERE {where} ORDER BY id")]

    # ---- the operations of the random mix -------------------------------------------
    def insert(self):
        rng = self.rng
        status = rng.choice(["PENDING"] * 5 + ["SENT", "DELIVERED", "REPLIED", "FAILED"])
        sent = _when(rng) if status != "PENDING" else None
        rating = rng.randint(1, 5) if status == "REPLIED" and rng.random() < 0.8 else None
        replied = sent + datetime.timedelta(minutes=rng.randrange(3000)) if status == "REPLIED" else None
        self.run("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                          status, sent_at, replied_at, rating, created_at)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                 (self.id, rng.choice(self.patients),
                  rng.choice(self.campaigns + [None]) if self.campaigns else None,
                  rng.choice(TYPES), rng.choice(CHANNELS), status, sent, replied, rating,
                  _when(rng)))

    def advance(self):
        ids = self.message_ids("status IN ('PENDING', 'SENDING', 'SENT', 'DELIVERED')")
        if not ids:
            return
        mid = self.rng.choice(ids)
        status = self.run("SELECT status::text FROM messages WHERE id = %s", (mid,))[0][0]
        nxt = {"PENDING": "SENDING", "SENDING": "SENT", "SENT": "DELIVERED",
               "DELIVERED": "REPLIED"}[status]
        when = _when(self.rng)
        if nxt == "SENT":
            self.run("UPDATE messages SET status = 'SENT', sent_at = %s WHERE id = %s", (when, mid))
        elif nxt == "DELIVERED":
            self.run("""UPDATE messages SET status = 'DELIVERED', delivered_at = sent_at
                         WHERE id = %s""", (mid,))
        elif nxt == "REPLIED":
            self.run("""UPDATE messages SET status = 'REPLIED', replied_at = %s, rating = %s,
                                            reply_text = 'ok'
                         WHERE id = %s""", (when, self.rng.randint(1, 5), mid))
        else:
            self.run("UPDATE messages SET status = %s, locked_until = now() WHERE id = %s",
                     (nxt, mid))

    def fail(self):
        ids = self.message_ids("status IN ('SENDING', 'SENT', 'DELIVERED')")
        if ids:
            self.run("UPDATE messages SET status = 'FAILED', error = 'x' WHERE id = %s",
                     (self.rng.choice(ids),))

    def cancel(self):
        self.run("""UPDATE messages SET status = 'CANCELLED'
                     WHERE id IN (SELECT id FROM messages WHERE status = 'PENDING'
                                   ORDER BY id LIMIT 3)""")

    def click(self):
        ids = self.message_ids("type = 'FOLLOWUP_HAPPY' AND review_clicked_at IS NULL")
        if ids:
            self.run("UPDATE messages SET review_clicked_at = now() WHERE id = %s",
                     (self.rng.choice(ids),))

    def rerate(self):
        ids = self.message_ids("rating IS NOT NULL")
        if ids:
            self.run("UPDATE messages SET rating = %s, replied_at = %s WHERE id = %s",
                     (self.rng.randint(1, 5), _when(self.rng), self.rng.choice(ids)))

    def erase(self):
        pid = self.rng.choice(self.patients)
        self.run("""UPDATE patients SET name = '', phone = NULL, email = NULL,
                                        data_deleted_at = now() WHERE id = %s""", (pid,))
        self.run("UPDATE messages SET content = NULL, reply_text = NULL WHERE patient_id = %s",
                 (pid,))

    def delete_patient(self):
        if len(self.patients) > 10:
            pid = self.patients.pop(self.rng.randrange(len(self.patients)))
            self.run("DELETE FROM patients WHERE id = %s", (pid,))

    def delete_message(self):
        ids = self.message_ids()
        if ids:
            self.run("DELETE FROM messages WHERE id = %s", (self.rng.choice(ids),))

    def move_campaign(self):
        if self.campaigns:
            self.run("UPDATE campaigns SET practice_id = %s WHERE id = %s",
                     (self.rng.choice(self.practices + [None]), self.rng.choice(self.campaigns)))

    def move_practice(self):
        self.run("UPDATE practices SET timezone = %s WHERE id = %s",
                 (self.rng.choice(TIMEZONES), self.rng.choice(self.practices)))

    def fold(self):
        self.run("SELECT report_daily_fold()")

    def delete_campaign(self):
        if len(self.campaigns) > 1:
            cid = self.campaigns.pop(self.rng.randrange(len(self.campaigns)))
            self.run("DELETE FROM campaigns WHERE id = %s", (cid,))


# Weights: mostly sends and their progress, with every other change mixed in. Campaigns
# are deleted (with their messages) at fixed steps, not at random, so that some survive.
OPERATIONS = ([Workspace.insert] * 30 + [Workspace.advance] * 30 + [Workspace.fail] * 3
              + [Workspace.cancel] * 2 + [Workspace.click] * 4 + [Workspace.rerate] * 2
              + [Workspace.erase] * 2 + [Workspace.delete_patient] + [Workspace.delete_message]
              + [Workspace.move_campaign] + [Workspace.move_practice] + [Workspace.fold] * 2)


@pytest.fixture(scope="module")
def owner():
    conn = dbutil.connect("rm_owner")
    yield conn
    conn.close()


def direct_counts(owner, ws_ids):
    counts = {}
    for ws, day, campaign, channel, figure, n in dbutil.query(owner, DIRECT, {"ws": ws_ids}):
        counts.setdefault((ws, day, campaign, channel), dict.fromkeys(FIGURES, 0))[figure] = n
    return counts


def rollup_counts(owner, ws_ids, source="report_daily_now"):
    """The rollups per key as the reports see them (report_daily_now), or only what was
    folded (source="report_daily")."""
    rows = dbutil.query(owner, f"""
        SELECT workspace_id::text, day, campaign_id::text, channel::text,
               {", ".join(f"sum({f})::int" for f in FIGURES)}
          FROM {source} WHERE workspace_id = ANY(%s::uuid[])
         GROUP BY 1, 2, 3, 4""", (ws_ids,))
    counts = {}
    for ws, day, campaign, channel, *figures in rows:
        assert min(figures) >= 0, (ws, day, campaign, channel, figures)
        if any(figures):            # rows that went back to zero may stay
            counts[(ws, day, campaign, channel)] = dict(zip(FIGURES, figures))
    return counts


def appended(owner, ws_ids):
    """How many appended rollup changes of these workspaces wait for a fold."""
    return dbutil.scalar(owner, "SELECT count(*) FROM report_daily_delta WHERE workspace_id = ANY(%s::uuid[])",
                         (ws_ids,))


@pytest.fixture
def no_live_sender():
    """The stack's sender stopped meanwhile: it would claim the test's due rows and fail
    its expired leases, moving messages behind the random mix's back."""
    with own_senders():
        yield


def test_rollups_equal_the_direct_count_after_a_random_mix(owner, no_live_sender):
    rng = random.Random(SEED)
    spaces = [Workspace(owner, rng) for _ in range(3)]
    ws_ids = [w.id for w in spaces]
    unfolded_checks = 0     # checks made while some changes were still unfolded
    try:
        for step in range(2500):
            w = rng.choice(spaces)
            rng.choice(OPERATIONS)(w)
            if step == 1200:
                for w in spaces:
                    w.delete_campaign()
            if step % 800 == 799:       # check along the way too, not only at the end
                assert rollup_counts(owner, ws_ids) == direct_counts(owner, ws_ids), step
                unfolded_checks += appended(owner, ws_ids) > 0
                w.fold()
                assert appended(owner, ws_ids) == 0, step
                assert rollup_counts(owner, ws_ids, "report_daily") == \
                    direct_counts(owner, ws_ids), step
        direct = direct_counts(owner, ws_ids)
        assert sum(v["sent"] for v in direct.values()) > 100
        assert sum(v["rating_5"] for v in direct.values()) > 10
        assert sum(v["happy_clicked"] for v in direct.values()) > 3
        assert rollup_counts(owner, ws_ids) == direct
        assert unfolded_checks >= 1     # the sums over folded and appended rows were checked
        # The home page's patient count (0062) is the live patients' count.
        assert dbutil.query(owner, """
            SELECT w.id::text, coalesce(c.patients, 0) FROM workspaces w
              LEFT JOIN report_counts c ON c.workspace_id = w.id
             WHERE w.id = ANY(%(ws)s::uuid[]) ORDER BY 1""", {"ws": ws_ids}) == dbutil.query(owner, """
            SELECT w.id::text, count(p.id) FROM workspaces w
              LEFT JOIN patients p ON p.workspace_id = w.id AND p.data_deleted_at IS NULL
             WHERE w.id = ANY(%(ws)s::uuid[]) GROUP BY w.id ORDER BY 1""", {"ws": ws_ids})
        # The practice on each row is its campaign's practice now.
        assert dbutil.scalar(owner, """
            SELECT count(*) FROM report_daily_now r JOIN campaigns c ON c.id = r.campaign_id
             WHERE r.workspace_id = ANY(%s::uuid[])
               AND r.practice_id IS DISTINCT FROM c.practice_id""", (ws_ids,)) == 0
    finally:
        for w in spaces:
            w.app.close()
        # Deleting a whole workspace cascades through messages and rollups without error.
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = ANY(%s::uuid[])", (ws_ids,))
    assert dbutil.scalar(owner, "SELECT count(*) FROM report_daily_now WHERE workspace_id = ANY(%s::uuid[])",
                         (ws_ids,)) == 0


def test_rollups_equal_the_direct_count_after_thousands_of_messages_in_one_statement(
        owner, no_live_sender):
    """Whole statements of many rows (the row triggers of 0140 on INSERT and UPDATE, the
    statement trigger on DELETE, 0110): one INSERT of 4,000 messages over two months, in
    every timezone, status, type and channel; then one UPDATE moving all of them; then one
    DELETE of a third."""
    w = Workspace(owner, random.Random(SEED + 1))
    try:
        w.run("""
            INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                                  sent_at, replied_at, rating, review_clicked_at, created_at)
            SELECT %(ws)s, (%(patients)s::uuid[])[1 + i %% 40],
                   (%(campaigns)s::uuid[])[1 + i %% 4],
                   (ARRAY['INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY',
                          'FOLLOWUP_UNHAPPY'])[1 + i / 7 %% 4]::message_type,
                   (ARRAY['SMS', 'WHATSAPP', 'EMAIL'])[1 + i / 3 %% 3]::message_channel,
                   s.status::message_status,
                   CASE WHEN s.status <> 'PENDING' THEN s.at END,
                   CASE WHEN s.status = 'REPLIED' THEN s.at + (i %% 900) * interval '1 minute' END,
                   CASE WHEN s.status = 'REPLIED' AND i %% 5 > 0 THEN 1 + i %% 5 END,
                   CASE WHEN i %% 3 = 0 THEN s.at END,
                   s.at
              FROM generate_series(1, 4000) i
             CROSS JOIN LATERAL (SELECT
                     (ARRAY['PENDING', 'SENT', 'DELIVERED', 'REPLIED', 'FAILED',
                            'CANCELLED'])[1 + i %% 6] AS status,
                     timestamptz '2026-01-01 00:00+00' + (i * 97 %% 86400) * interval '1 minute'
                       AS at) s""",
              {"ws": w.id, "patients": w.patients, "campaigns": w.campaigns + [None]})
        ws_ids = [w.id]
        direct = direct_counts(owner, ws_ids)
        assert sum(v["sent"] for v in direct.values()) >= 1000
        assert sum(v["rating_4"] for v in direct.values()) > 50
        assert rollup_counts(owner, ws_ids) == direct
        w.run("""UPDATE messages SET
                   status = CASE status WHEN 'PENDING' THEN 'SENT' WHEN 'SENT' THEN 'DELIVERED'
                                        WHEN 'DELIVERED' THEN 'REPLIED' WHEN 'REPLIED' THEN 'FAILED'
                                        ELSE status END::message_status,
                   sent_at = coalesce(sent_at, created_at + interval '3 hours'),
                   replied_at = CASE WHEN status = 'DELIVERED' THEN sent_at + interval '20 hours'
                                     ELSE replied_at END,
                   rating = CASE WHEN status = 'DELIVERED' THEN 5 ELSE rating END""")
        assert rollup_counts(owner, ws_ids) == direct_counts(owner, ws_ids)
        w.run("DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT 1300)")
        assert rollup_counts(owner, ws_ids) == direct_counts(owner, ws_ids)
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def _peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def test_deleting_twenty_thousand_patients_in_one_statement_grows_the_backend_by_under_40_mb(
        owner, no_live_sender):
    """A patients' delete cascades one delete of messages per patient, each with its run of
    the rollups' DELETE trigger (0110). Before 0145 each run held about 6 kB until the
    statement ended (its deleted rows came as an anonymous record[] that PL/pgSQL converted
    to messages[]): 120 MB here, and a million-patient workspace's delete was killed at
    23 GB. The backend's peak RSS (VmHWM, reset through /proc/PID/clear_refs after a first
    run has mapped every page the delete touches) must grow by less than 40 MB."""
    w = Workspace(owner, random.Random(SEED + 5))
    try:
        # Set up without the triggers (replica role): 20,000 counted rows at once.
        with dbutil.connected("postgres") as su:
            dbutil.query(su, "SET session_replication_role = replica")
            dbutil.query(su, """
                WITH p AS (
                  INSERT INTO patients (workspace_id, name, phone, has_consent, campaign_id)
                  SELECT %(ws)s, 'Paciente ' || i, '+5939' || lpad(i::text, 8, '0'), true,
                         %(campaign)s
                    FROM generate_series(1, 20000) i RETURNING id)
                INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                      status, sent_at)
                SELECT %(ws)s, p.id, %(campaign)s, 'INITIAL', 'SMS', 'SENT', now() FROM p""",
                         {"ws": w.id, "campaign": w.campaigns[0]})
        with dbutil.connected("rm_owner", autocommit=False) as conn:
            pid = dbutil.scalar(conn, "SELECT pg_backend_pid()")
            delete = "DELETE FROM patients WHERE workspace_id = %s AND name LIKE 'Paciente %%'"
            assert len(dbutil.query(conn, delete + " RETURNING 1", (w.id,))) == 20000
            conn.rollback()
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
            before = _peak_rss_kb(pid)
            dbutil.query(conn, delete, (w.id,))
            grown_mb = (_peak_rss_kb(pid) - before) / 1024
            conn.rollback()
        assert grown_mb < 40, f"the backend's peak memory grew by {grown_mb:.0f} MB"
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


# Each column the rollups read, changed alone on messages that count (0140's WHEN clause
# lets through only changes of these columns): (message kind, the change).
ONE_COLUMN_CHANGES = [
    ("request", "sent_at = sent_at + interval '2 days'"),
    ("request", "status = 'DELIVERED'"),
    ("request", "status = 'FAILED'"),
    ("request", "type = 'SERVICE'"),
    ("request", "channel = 'WHATSAPP'"),
    ("request", "campaign_id = %(other_campaign)s"),
    ("rated", "replied_at = replied_at + interval '2 days'"),
    ("rated", "rating = 2"),
    ("rated", "rating = NULL"),
    ("unsent_rated", "created_at = created_at + interval '2 days'"),
    ("happy", "review_clicked_at = now()"),
    ("happy", "sent_at = sent_at + interval '2 days'"),
    ("unhappy", "type = 'FOLLOWUP_HAPPY'"),
    ("pending", "status = 'SENT', sent_at = now()"),
]
ONE_COLUMN_KINDS = {
    "request": "'INITIAL', 'SENT', '2026-02-10 23:30+00', NULL, NULL",
    "rated": "'INITIAL', 'REPLIED', '2026-02-10 23:30+00', '2026-02-11 04:50+00', 5",
    "unsent_rated": "'REMINDER', 'REPLIED', NULL, NULL, 4",
    "happy": "'FOLLOWUP_HAPPY', 'DELIVERED', '2026-02-10 23:30+00', NULL, NULL",
    "unhappy": "'FOLLOWUP_UNHAPPY', 'SENT', '2026-02-10 23:30+00', NULL, NULL",
    "pending": "'INITIAL', 'PENDING', NULL, NULL, NULL",
}


@pytest.mark.parametrize("kind,change", ONE_COLUMN_CHANGES,
                         ids=[f"{k}: {c.split(' = ')[0]}" for k, c in ONE_COLUMN_CHANGES])
def test_each_column_the_rollups_read_moves_them_when_changed_alone(owner, no_live_sender,
                                                                      kind, change):
    """Since 0140 a change reaches the rollups only through a row trigger whose WHEN clause
    lists the columns they read; one message that counts has one such column changed (a
    day later, another status, type, channel, campaign in another timezone, rating, click)
    and the rollups still equal the direct count, before and after a fold."""
    w = Workspace(owner, random.Random(SEED + 5))
    try:
        mid = w.run(f"""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, status,
                                              sent_at, replied_at, rating, channel, created_at)
                        VALUES (%s, %s, %s, {ONE_COLUMN_KINDS[kind]}, 'SMS',
                                '2026-02-10 20:00+00')
                        RETURNING id::text""", (w.id, w.patients[0], w.campaigns[0]))[0][0]
        before = direct_counts(owner, [w.id])
        assert rollup_counts(owner, [w.id]) == before
        w.run(f"UPDATE messages SET {change} WHERE id = %(id)s",
              {"id": mid, "other_campaign": w.campaigns[1]})
        after = direct_counts(owner, [w.id])
        assert after != before              # the change moved some figure
        assert rollup_counts(owner, [w.id]) == after
        w.fold()
        assert rollup_counts(owner, [w.id], "report_daily") == after
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def _delivered_request(w, campaign):
    """A rating request of campaign, sent and delivered on 2026-02-10 at 15:00 UTC."""
    return w.run("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, status,
                                          channel, sent_at, created_at)
                    VALUES (%s, %s, %s, 'INITIAL', 'DELIVERED', 'SMS',
                            '2026-02-10 15:00+00', '2026-02-10 15:00+00')
                    RETURNING id::text""", (w.id, w.patients[0], campaign))[0][0]


def test_a_counted_change_whose_parts_net_to_nothing_appends_nothing(owner, no_live_sender):
    """The row trigger (0143) nets a change's parts per rollup key before it appends: a
    click on a rating request (no figure counts it) and a sent_at moved within the same
    local day pass the WHEN clause but change no figure, so nothing more is appended."""
    w = Workspace(owner, random.Random(SEED + 7))
    try:
        mid = _delivered_request(w, w.campaigns[0])
        assert appended(owner, [w.id]) == 1
        w.run("UPDATE messages SET review_clicked_at = now() WHERE id = %s", (mid,))
        w.run("UPDATE messages SET sent_at = sent_at + interval '1 hour' WHERE id = %s", (mid,))
        assert appended(owner, [w.id]) == 1
        assert rollup_counts(owner, [w.id]) == direct_counts(owner, [w.id])
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def test_a_rating_a_day_after_its_send_appends_one_change_for_each_day(owner, no_live_sender):
    """A rating's send part (replied, on the day of sent_at) and its rating part (on the
    day of replied_at) share a rollup key only when the two days are the same; a day
    apart they are two appended changes, and the rollups equal the direct count. (The
    campaign without a practice: its days are Guayaquil's.)"""
    w = Workspace(owner, random.Random(SEED + 8))
    try:
        mid = _delivered_request(w, w.campaigns[2])
        assert appended(owner, [w.id]) == 1
        w.run("""UPDATE messages SET status = 'REPLIED', rating = 2,
                                     replied_at = '2026-02-11 15:00+00' WHERE id = %s""", (mid,))
        assert appended(owner, [w.id]) == 3
        days = dbutil.query(owner, """SELECT day::text, replied, rating_2 FROM report_daily_delta
                                       WHERE workspace_id = %s ORDER BY created_at, day OFFSET 1""",
                            (w.id,))
        assert sorted(days) == [("2026-02-10", 1, 0), ("2026-02-11", 0, 1)]
        assert rollup_counts(owner, [w.id]) == direct_counts(owner, [w.id])
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def test_changes_that_count_nowhere_append_nothing(owner, no_live_sender):
    """0140's WHEN clauses skip what adds to no figure: a PENDING insert, the sender's
    claim and lease, a new content, a cancelled PENDING message, an unhappy follow-up or a
    service message that was sent. A reply rating a delivered request appends one change
    (sent and replied on one day here) and its follow-up, PENDING, none."""
    w = Workspace(owner, random.Random(SEED + 6))
    try:
        def insert(kind_status):
            return w.run(f"""INSERT INTO messages (workspace_id, patient_id, campaign_id, type,
                                                   status, channel, sent_at)
                             VALUES (%s, %s, %s, {kind_status}, 'SMS', %s)
                             RETURNING id::text""",
                         (w.id, w.patients[0], w.campaigns[0],
                          None if "PENDING" in kind_status else "2026-02-10 15:00+00"))[0][0]
        pending = insert("'INITIAL', 'PENDING'")
        w.run("UPDATE messages SET status = 'SENDING', locked_until = now() WHERE id = %s", (pending,))
        w.run("UPDATE messages SET locked_until = now() + interval '1 minute' WHERE id = %s", (pending,))
        w.run("UPDATE messages SET content = 'Hola' WHERE id = %s", (pending,))
        cancelled = insert("'REMINDER', 'PENDING'")
        w.run("UPDATE messages SET status = 'CANCELLED' WHERE id = %s", (cancelled,))
        insert("'FOLLOWUP_UNHAPPY', 'SENT'")
        service = insert("'SERVICE', 'SENT'")
        w.run("UPDATE messages SET status = 'DELIVERED' WHERE id = %s", (service,))
        assert appended(owner, [w.id]) == 0
        delivered = insert("'INITIAL', 'DELIVERED'")
        assert appended(owner, [w.id]) == 1
        w.run("""WITH rated AS (UPDATE messages SET status = 'REPLIED', rating = 5,
                                                    replied_at = '2026-02-10 16:00+00'
                                 WHERE id = %s RETURNING workspace_id, patient_id, campaign_id)
                 INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status)
                 SELECT workspace_id, patient_id, campaign_id, 'FOLLOWUP_HAPPY', 'SMS', 'PENDING'
                   FROM rated""", (delivered,))
        assert appended(owner, [w.id]) == 2
        assert rollup_counts(owner, [w.id]) == direct_counts(owner, [w.id])
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def _deliver_in_two_open_transactions(w, ids):
    """T1 delivers a1 and stays open; T2 delivers b2 then a2 and commits meanwhile; then
    T1 delivers b1 and commits. All four share a day and a channel, so they change the
    same two rollup keys in opposite orders. Returns T2's seconds from start to commit."""
    deliver = "UPDATE messages SET status = 'DELIVERED', delivered_at = sent_at WHERE id = %s"
    t1 = dbutil.connect("rm_app", autocommit=False)
    t2 = dbutil.connect("rm_app", autocommit=False)
    try:
        with t1.cursor() as cur:
            cur.execute("SELECT set_config('app.workspace_id', %s, true)", (w.id,))
            cur.execute(deliver, (ids["a1"],))
            # T2 runs on this thread while T1 is open: were it to wait on T1 (a lock on a
            # rollup row or on the workspace), this would hang until the timeout below.
            t2.cursor().execute("SET statement_timeout = '5s'")
            started = time.monotonic()
            with t2.cursor() as cur2:
                cur2.execute("SELECT set_config('app.workspace_id', %s, true)", (w.id,))
                cur2.execute(deliver, (ids["b2"],))
                cur2.execute(deliver, (ids["a2"],))
            t2.commit()
            t2_seconds = time.monotonic() - started
            cur.execute(deliver, (ids["b1"],))
        t1.commit()
        return t2_seconds
    finally:
        t1.close()
        t2.close()


def _four_sent_messages(w):
    ids = {}
    for key, campaign in (("a1", w.campaigns[0]), ("b1", w.campaigns[1]),
                          ("a2", w.campaigns[0]), ("b2", w.campaigns[1])):
        ids[key] = w.run("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type,
                                                  channel, status, sent_at, created_at)
                            VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'SENT',
                                    '2026-02-10 15:00+00', '2026-02-10 15:00+00')
                            RETURNING id::text""", (w.id, w.patients[0], campaign))[0][0]
    return ids


def test_two_transactions_changing_the_same_rollups_in_opposite_orders_both_commit_without_waiting(
        owner, no_live_sender):
    """Since 0110 a message change appends its rollup change instead of updating the
    rollup row: T2 commits while T1, which changed the same rollup keys first, is still
    open (before, it waited for T1's commit; before 0084 the two deadlocked)."""
    w = Workspace(owner, random.Random(SEED + 2))
    try:
        ids = _four_sent_messages(w)
        t2_seconds = _deliver_in_two_open_transactions(w, ids)
        assert t2_seconds < 5
        assert dbutil.scalar(owner, """SELECT count(*) FROM messages WHERE workspace_id = %s
                                          AND status = 'DELIVERED'""", (w.id,)) == 4
        assert rollup_counts(owner, [w.id]) == direct_counts(owner, [w.id])
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def test_a_change_committed_after_a_fold_began_waits_for_the_next_fold(owner, no_live_sender):
    """A fold moves exactly what it saw: a change still open while it runs is neither lost
    nor counted twice; the reports count it at once, report_daily after the next fold."""
    w = Workspace(owner, random.Random(SEED + 3))
    ids = _four_sent_messages(w)
    writer = dbutil.connect("rm_app", autocommit=False)
    try:
        w.fold()
        before = rollup_counts(owner, [w.id], "report_daily")
        with writer.cursor() as cur:
            cur.execute("SELECT set_config('app.workspace_id', %s, true)", (w.id,))
            cur.execute("UPDATE messages SET status = 'DELIVERED', delivered_at = sent_at "
                        "WHERE id = %s", (ids["a1"],))
            w.fold()                                   # the writer is still open
        writer.commit()
        assert rollup_counts(owner, [w.id], "report_daily") == before
        assert appended(owner, [w.id]) == 1
        assert rollup_counts(owner, [w.id]) == direct_counts(owner, [w.id])
        w.fold()
        assert appended(owner, [w.id]) == 0
        assert rollup_counts(owner, [w.id], "report_daily") == direct_counts(owner, [w.id])
    finally:
        writer.close()
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))


def test_the_sender_folds_appended_changes_within_seconds(owner):
    """The stack's own sender folds (fcgi/sender.c, every 5 s): a delivery's appended
    change reaches report_daily without anyone asking."""
    w = Workspace(owner, random.Random(SEED + 4))
    try:
        ids = _four_sent_messages(w)
        w.run("UPDATE messages SET status = 'DELIVERED', delivered_at = sent_at WHERE id = %s",
              (ids["a1"],))
        deadline = time.monotonic() + 20
        while appended(owner, [w.id]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert appended(owner, [w.id]) == 0
        folded = rollup_counts(owner, [w.id], "report_daily")
        assert folded == direct_counts(owner, [w.id])
        assert sum(v["delivered"] for v in folded.values()) == 1
    finally:
        w.app.close()
        dbutil.query(owner, "DELETE FROM workspaces WHERE id = %s", (w.id,))
