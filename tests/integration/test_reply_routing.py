"""app_reply_route (migrations 0009, 0050, 0051, 0111, 0131, 0141): a reply goes to the clinic waiting for it.

A patient of two clinics shares one phone number between them. The reply belongs to the
most recent INITIAL or REMINDER still awaiting a rating (sent in the last 7 days), and,
when the receiving number is known, only to a clinic that sends from that number.
Checked in SQL, as the webhooks program will call it (rm_app, before any workspace)."""
import uuid

import pytest

import dbutil

PHONE = "+593990000001"


@pytest.fixture
def clinics():
    """Two workspaces with the same patient phone; messages are added by each test."""
    ws = [str(uuid.uuid4()), str(uuid.uuid4())]
    pats = [str(uuid.uuid4()), str(uuid.uuid4())]
    phone = "+5939" + str(uuid.uuid4().int)[:8]
    with dbutil.connected("rm_owner") as conn:
        for i in range(2):
            dbutil.query(conn, "INSERT INTO workspaces (id, name) VALUES (%s, %s)",
                         (ws[i], f"Clínica {i}"))
            dbutil.query(conn, "INSERT INTO patients (id, workspace_id, name, phone, has_consent)"
                               " VALUES (%s, %s, 'Paciente', %s, true)", (pats[i], ws[i], phone))
    try:
        yield ws, pats, phone
    finally:
        with dbutil.connected("rm_owner") as conn:
            dbutil.query(conn, "DELETE FROM workspaces WHERE id = ANY(%s::uuid[])", (ws,))


def message(ws, patient, days_ago, mtype="INITIAL", rating=None, channel="SMS"):
    with dbutil.connected("rm_owner") as conn:
        return dbutil.scalar(conn, "INSERT INTO messages (workspace_id, patient_id, type, channel,"
                                   " status, rating, sent_at) VALUES (%s, %s, %s, %s, 'SENT', %s,"
                                   " now() - make_interval(days => %s)) RETURNING id",
                             (ws, patient, mtype, channel, rating, days_ago))


def numbers(ws, sms_from=None, wa_id=None):
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "UPDATE workspaces SET sms_from = %s, whatsapp_phone_number_id = %s"
                           " WHERE id = %s", (sms_from, wa_id, ws))


def reply_workspace(phone, receiving=None):
    with dbutil.connected("rm_app") as conn:
        if receiving is None:
            return dbutil.scalar(conn, "SELECT ws FROM app_reply_route(%s)", (phone,))
        return dbutil.scalar(conn, "SELECT ws FROM app_reply_route(%s, %s)", (phone, receiving))


def test_the_clinic_awaiting_a_rating_gets_the_reply_not_the_last_to_write(clinics):
    (a, b), (pa, pb), phone = clinics
    message(a, pa, days_ago=2)                      # A waits for a rating
    message(b, pb, days_ago=1, rating=5)            # B wrote later, but was answered
    message(b, pb, days_ago=0, mtype="FOLLOWUP_HAPPY")   # and thanked the patient today
    assert reply_workspace(phone) == a


def test_a_reminder_awaits_a_rating_too(clinics):
    (a, b), (pa, pb), phone = clinics
    message(a, pa, days_ago=3)
    message(b, pb, days_ago=8)                      # B's request is too old to await…
    message(b, pb, days_ago=1, mtype="REMINDER")    # …but its reminder awaits
    assert reply_workspace(phone) == b


def test_with_nothing_awaiting_the_last_clinic_to_write_this_week_gets_the_reply(clinics):
    """So that "BAJA" after a rating still reaches its clinic (0051)."""
    (a, b), (pa, pb), phone = clinics
    message(a, pa, days_ago=3, rating=5)
    message(b, pb, days_ago=2, rating=4)
    message(b, pb, days_ago=1, mtype="FOLLOWUP_HAPPY")
    assert reply_workspace(phone) == b


def test_nothing_older_than_seven_days_awaits(clinics):
    (a, _), (pa, _), phone = clinics
    message(a, pa, days_ago=8)
    assert reply_workspace(phone) is None


def test_the_receiving_sms_number_picks_the_clinic_that_sends_from_it(clinics):
    (a, b), (pa, pb), phone = clinics
    numbers(a, sms_from="+593990000101")
    numbers(b, sms_from="+593990000102")
    message(a, pa, days_ago=2)
    message(b, pb, days_ago=1)                      # the more recent one
    assert reply_workspace(phone) == b
    assert reply_workspace(phone, "+593990000101") == a
    assert reply_workspace(phone, "+593990000102") == b


def test_the_shared_number_only_reaches_clinics_without_their_own(clinics):
    (a, b), (pa, pb), phone = clinics
    numbers(b, sms_from="+593990000202")            # B has its own; A uses the shared one
    message(a, pa, days_ago=2)
    message(b, pb, days_ago=1)
    assert reply_workspace(phone, "+593990000999") == a     # the deployment's shared number


def test_a_whatsapp_phone_number_id_picks_among_whatsapp_messages(clinics):
    (a, b), (pa, pb), phone = clinics
    numbers(a, wa_id="1110001")
    message(a, pa, days_ago=2, channel="WHATSAPP")
    message(b, pb, days_ago=1, channel="WHATSAPP")
    message(a, pa, days_ago=0)                       # an SMS of A's: not a WhatsApp reply
    assert reply_workspace(phone, "1110001") == a
    assert reply_workspace(phone, "9990009") == b    # shared WhatsApp number: B has no own
    # An SMS reply to the shared SMS number: A's SMS, the only SMS awaiting.
    assert reply_workspace(phone, "+593990000999") == a


def reply_route(phone):
    with dbutil.connected("rm_app") as conn:
        return dbutil.query(conn, "SELECT ws, message FROM app_reply_route(%s)", (phone,))[0]


def test_the_route_names_the_latest_message_awaiting_a_rating_in_the_clinic_it_chose(clinics):
    """0131: the message the webhooks lock and rate comes from the route: in the chosen
    clinic, the most recent INITIAL or REMINDER that awaits a rating, whatever its channel;
    not the other clinic's, not a follow-up, not a rated one."""
    (a, b), (pa, pb), phone = clinics
    message(a, pa, days_ago=5)                                   # A's older request
    latest = message(a, pa, days_ago=3, channel="EMAIL")         # A's latest, by e-mail
    message(a, pa, days_ago=0, mtype="FOLLOWUP_HAPPY")           # not a request
    message(b, pb, days_ago=4, rating=5)                         # B's was answered
    assert reply_route(phone) == (a, latest)


def test_the_route_names_no_message_when_the_clinic_awaits_nothing(clinics):
    """The clinic is still named (so that "BAJA" reaches it), the message is not."""
    (a, b), (pa, pb), phone = clinics
    message(a, pa, days_ago=2, rating=4)
    message(a, pa, days_ago=1, mtype="REMINDER")   # the same campaign was rated already
    assert reply_route(phone) == (a, None)


def test_the_awaiting_rule_is_inlined_into_the_statements_that_test_it():
    """0141: app_message_awaits, the rule the route tests for every candidate message,
    must become part of the caller's plan (its NOT EXISTS a subplan), not a function
    call per row: a SET clause or a second statement in its body would undo that."""
    with dbutil.connected("rm_owner") as conn:
        plan = "\n".join(r[0] for r in dbutil.query(conn, """
            EXPLAIN (VERBOSE, COSTS OFF)
            SELECT m.id FROM messages m CROSS JOIN LATERAL app_message_awaits(m) a
             WHERE m.patient_id = gen_random_uuid() AND a.awaits"""))
    assert "app_message_awaits" not in plan, plan
    assert "SubPlan" in plan and "rating IS NOT NULL" in plan, plan
