"""The patients pages through nginx: the phone table, add and edit (with audit rows and
enqueueing into an ACTIVE campaign), search by name without accents or case and by phone,
the filters and pages of the list, the patient page's messages, opt-out, erase, export,
the DOCTOR's and RECEPTIONIST's limits, and another workspace's ids (404, nothing
changed)."""
import html
import json
import re

import pytest

from campaign_helpers import add_patient, add_user, audit_rows, csrf_post, table_snapshot
from patient_helpers import UUID_RE, Clinic, one, owner_sql
from web import csrf_of


def add(c, **form):
    """Posts the new-patient form; returns the response."""
    data = {"name": "Paciente Prueba", "phone": "0987654321", "channel": "SMS",
            "language": "es", "campaign_id": c.campaign, "consent": "1"}
    data.update({k: v for k, v in form.items() if v is not None})
    for k in [k for k, v in form.items() if v is None]:
        data.pop(k, None)
    return c.b.submit("/patients/new", "/patients", data)


def created_id(r):
    m = re.fullmatch(rf"/patients/({UUID_RE})", r.headers.get("Location", ""))
    assert m, (r.status_code, r.text[-600:])
    return m.group(1)


@pytest.fixture(scope="module")
def clinic():
    return Clinic()


PHONES_OK = [
    ("0987654321", "+593987654321"), ("987654321", "+593987654321"),
    ("593987654321", "+593987654321"), ("+593 98 765 4321", "+593987654321"),
    ("(09) 8765-4321", "+593987654321"), ("+34 612 345 678", "+34612345678"),
    ("+44 7400 123456", "+447400123456"),
]
PHONES_BAD = ["12345", "abc", "0987", "+999 123", "02 234 5678"]   # the last: a landline, SMS


@pytest.mark.parametrize("typed,stored", PHONES_OK)
def test_phone_typed_is_stored_in_e164(clinic, typed, stored):
    pid = created_id(add(clinic, phone=typed, name=f"Tel {typed}"))
    assert one("SELECT phone FROM patients WHERE id = %s", (pid,)) == stored


@pytest.mark.parametrize("typed", PHONES_BAD)
def test_bad_phone_is_refused_with_reason_and_nothing_stored(clinic, typed):
    before = table_snapshot("patients", clinic.ws)
    r = add(clinic, phone=typed, name="No Debe Guardarse")
    assert r.status_code == 422
    assert 'class="field-error"' in r.text
    assert table_snapshot("patients", clinic.ws) == before


def test_landline_is_fine_for_email_channel(clinic):
    pid = created_id(add(clinic, phone="02 234 5678", email="fijo@example.ec", channel="EMAIL",
                         name="Fijo Con Correo"))
    assert one("SELECT phone || ' ' || preferred_channel FROM patients WHERE id = %s",
               (pid,)) == "+59322345678 EMAIL"


def test_add_patient_stores_fields_in_practice_time_and_audits(clinic):
    pid = created_id(add(clinic, name="José Núñez", email="JOSE@Example.ec",
                         appointment="2030-01-15T10:00", appointment_type="Control",
                         channel="WHATSAPP"))
    row = owner_sql("SELECT name, email, to_char(appointment_time AT TIME ZONE 'UTC',"
                    " 'YYYY-MM-DD HH24:MI'), appointment_type, has_consent, consent_at IS NOT NULL,"
                    " preferred_channel::text, campaign_id::text FROM patients WHERE id = %s",
                    (pid,))[0]
    assert row == ("José Núñez", "jose@example.ec", "2030-01-15 15:00", "Control", True, True,
                   "WHATSAPP", clinic.campaign)
    audits = audit_rows(clinic.ws, "patient.create")
    assert any(a[0] == pid and a[2]["name"] == "José Núñez" for a in audits)


def test_add_to_active_campaign_enqueues_initial_message():
    c = Clinic(status="ACTIVE")
    pid = created_id(add(c, name="Activa", appointment="2030-02-01T09:00"))
    assert owner_sql("SELECT type::text, status::text FROM messages WHERE patient_id = %s",
                     (pid,)) == [("INITIAL", "PENDING")]


def test_edit_patient_changes_fields_and_audits_old_and_new(clinic):
    pid = created_id(add(clinic, name="Antes Nombre"))
    r = clinic.b.submit(f"/patients/{pid}/edit", f"/patients/{pid}", {
        "name": "Después Nombre", "phone": "0991112233", "channel": "SMS", "language": "en",
        "campaign_id": clinic.campaign})
    assert r.status_code == 303
    assert owner_sql("SELECT name, phone, language, has_consent, consent_at IS NULL FROM patients"
                     " WHERE id = %s", (pid,))[0] == \
        ("Después Nombre", "+593991112233", "en", False, True)
    audit = [a for a in audit_rows(clinic.ws, "patient.update") if a[0] == pid][-1]
    assert audit[1]["name"] == "Antes Nombre" and audit[2]["name"] == "Después Nombre"


def names_in(page_html):
    return re.findall(r'<td><a href="/patients/[0-9a-f-]+">([^<]+)</a>', page_html)


def test_search_by_name_ignores_accents_and_case():
    c = Clinic()
    for name, phone in (("José Núñez Peña", "0981000001"), ("Jose Nunez", "0981000002"),
                        ("María Pérez", "0981000003")):
        created_id(add(c, name=name, phone=phone))
    for q in ("JOSÉ NÚÑEZ", "jose nunez", "núñez", "NUNEZ"):
        got = [html.unescape(n) for n in names_in(c.b.get("/patients", params={"q": q}).text)]
        assert sorted(got) == ["Jose Nunez", "José Núñez Peña"], (q, got)
    got = names_in(c.b.get("/patients", params={"q": "perez"}).text)
    assert [html.unescape(n) for n in got] == ["María Pérez"]
    # % and _ are letters to look for, not patterns.
    assert names_in(c.b.get("/patients", params={"q": "%"}).text) == []


def test_search_by_name_matches_the_start_of_each_word_in_any_order():
    c = Clinic()
    for name, phone in (("José Núñez Peña", "0981000011"), ("Jose Nunez", "0981000012"),
                        ("María Pérez", "0981000013"), ("Josefina Ortega", "0981000014")):
        created_id(add(c, name=name, phone=phone))
    def search(q):
        return sorted(html.unescape(n) for n in names_in(c.b.get("/patients", params={"q": q}).text))
    assert search("nun jos") == ["Jose Nunez", "José Núñez Peña"]
    assert search("jos") == ["Jose Nunez", "Josefina Ortega", "José Núñez Peña"]
    assert search("pe") == ["José Núñez Peña", "María Pérez"]
    assert search("maria perez ortega") == []          # every word must match
    assert search("unez") == []                        # the start of a word, not its middle


def test_search_text_with_query_syntax_is_taken_as_plain_words():
    c = Clinic()
    created_id(add(c, name="Ana O'Brien", phone="0981000021"))
    for q in ("ana & !x", "ana:*", "'ana'", "o'brien", "(ana) | x", "\\ana", "ana<->x"):
        r = c.b.get("/patients", params={"q": q})
        assert r.status_code == 200, (q, r.status_code)
    assert names_in(c.b.get("/patients", params={"q": "o'brien"}).text) == ["Ana O&#39;Brien"]
    assert names_in(c.b.get("/patients", params={"q": "'ana'"}).text) == ["Ana O&#39;Brien"]
    assert names_in(c.b.get("/patients", params={"q": "ana & !x"}).text) == []
    assert names_in(c.b.get("/patients", params={"q": "!!!"}).text) == []


def test_search_by_phone_full_or_partial():
    c = Clinic()
    created_id(add(c, name="Uno", phone="0982000001"))
    created_id(add(c, name="Dos", phone="0982000002"))
    assert names_in(c.b.get("/patients", params={"q": "0982000002"}).text) == ["Dos"]
    assert names_in(c.b.get("/patients", params={"q": "+593 98 200 0001"}).text) == ["Uno"]
    assert sorted(names_in(c.b.get("/patients", params={"q": "98200"}).text)) == ["Dos", "Uno"]
    # The last digits, and the number with its country code but no '+'.
    assert names_in(c.b.get("/patients", params={"q": "0001"}).text) == ["Uno"]
    assert names_in(c.b.get("/patients", params={"q": "2000002"}).text) == ["Dos"]
    assert names_in(c.b.get("/patients", params={"q": "593982000001"}).text) == ["Uno"]


def test_search_by_two_or_three_last_digits():
    """Fewer than four last digits go through every four-digit ending they could be
    (0117). A phone search has three digits or more; a leading 0 is dropped, so "045"
    looks for numbers ending in 45."""
    c = Clinic()
    created_id(add(c, name="Uno", phone="0982000001"))
    created_id(add(c, name="Dos", phone="0982000045"))
    created_id(add(c, name="Tres", phone="0982000345"))
    assert sorted(names_in(c.b.get("/patients", params={"q": "045"}).text)) == ["Dos", "Tres"]
    assert names_in(c.b.get("/patients", params={"q": "345"}).text) == ["Tres"]
    assert names_in(c.b.get("/patients", params={"q": "001"}).text) == ["Uno"]


def test_folded_names_are_those_of_the_first_folding_for_every_character():
    """patients_fold (0115) lowercases before it translates; name_words is stored, so it
    must fold every character as 0071's version did."""
    differ = one(
        "SELECT count(*) FROM generate_series(1, 65535) i"
        " WHERE (i < 55296 OR i > 57343) AND patients_fold('Ab' || chr(i) || 'Ñ') IS DISTINCT"
        " FROM lower(translate('Ab' || chr(i) || 'Ñ',"
        "   'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',"
        "   'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))")
    assert differ == 0
    assert one("SELECT patients_fold('José ÑUÑEZ Çelik')") == "jose nunez celik"


def test_name_folding_is_inlined_into_the_stored_column():
    """name_words is computed at every insert: patients_fold must stay an expression that
    PostgreSQL inlines, not a SQL function run at every row (0115)."""
    plan = "\n".join(r[0] for r in owner_sql(
        "EXPLAIN (VERBOSE, COSTS OFF) SELECT patients_fold(name) FROM patients"))
    assert "translate(lower(" in plan and "patients_fold" not in plan, plan


def test_filters_consent_opted_out_replied_and_campaign():
    c = Clinic()
    from campaign_helpers import create_campaign
    second = create_campaign(c.b, c.practice)
    a = add_patient(c.ws, c.campaign, name="Con Consentimiento")
    add_patient(c.ws, c.campaign, name="Sin Consentimiento", has_consent=False)
    add_patient(c.ws, c.campaign, name="De Baja", opted_out_at="2025-01-01")
    add_patient(c.ws, second, name="Otra Campaña")
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,"
              " replied_at, reply_text, rating) VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'REPLIED',"
              " now(), '5', 5)", (c.ws, a, c.campaign))

    def names(**params):
        return sorted(names_in(c.b.get("/patients", params=params).text))
    assert names(consent="no") == ["Sin Consentimiento"]
    assert names(opted_out="yes") == ["De Baja"]
    assert names(replied="yes") == ["Con Consentimiento"]
    assert names(campaign=second) == ["Otra Campaña"]
    assert "Otra Campaña" not in names(campaign=c.campaign, consent="yes")
    assert len(names()) == 4


def test_list_pages_fifty_at_a_time():
    c = Clinic()
    owner_sql("INSERT INTO patients (workspace_id, campaign_id, name, phone, created_at)"
              " SELECT %s, %s, 'Paciente ' || lpad(i::text, 2, '0'), '+5939830000' || lpad(i::text, 2, '0'),"
              "  now() - i * interval '1 minute' FROM generate_series(1, 55) i", (c.ws, c.campaign))
    first = c.b.get("/patients")
    assert len(names_in(first.text)) == 50 and names_in(first.text)[0] == "Paciente 01"
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = c.b.get("/patients", params={"page": "2"})
    assert names_in(second.text) == [f"Paciente {i}" for i in range(51, 56)]
    assert 'rel="next"' not in second.text and 'rel="prev"' in second.text


def test_patient_page_shows_every_message_with_status_times_reply_and_rating(clinic):
    pid = add_patient(clinic.ws, clinic.campaign, name="Con Mensajes")
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,"
              " sent_at, delivered_at, replied_at, reply_text, rating, created_at) VALUES"
              " (%s, %s, %s, 'INITIAL', 'SMS', 'REPLIED', '2030-01-01 15:00Z', '2030-01-01 15:01Z',"
              "  '2030-01-01 15:05Z', 'Todo excelente, 5', 5, now() - interval '1 hour'),"
              " (%s, %s, %s, 'FOLLOWUP_HAPPY', 'SMS', 'PENDING', NULL, NULL, NULL, NULL, NULL, now())",
              (clinic.ws, pid, clinic.campaign) * 2)
    page = clinic.b.get(f"/patients/{pid}").text
    rows = re.findall(r'<tr class="status-(\w+)">(.*?)</tr>', page)
    assert [r[0] for r in rows] == ["REPLIED", "PENDING"]
    cells = re.findall(r"<td>([^<]*)</td>", rows[0][1])
    assert cells == ["Solicitud", "SMS", "Respondido ", cells[3], "01/01/2030 10:00",
                     "01/01/2030 10:01", "01/01/2030 10:05", "Todo excelente, 5", "5"]
    pending = re.findall(r"<td>([^<]*)</td>", rows[1][1])
    assert pending[:3] == ["Agradecimiento (4-5)", "SMS", "Programado "]
    assert "<dt>Idioma</dt><dd>Español</dd>" in page


def test_opt_out_lists_phone_and_email_and_cancels_pending():
    c = Clinic(status="ACTIVE")
    pid = created_id(add(c, name="Se Da De Baja", email="baja@example.ec",
                         appointment="2030-03-01T10:00"))
    twin = add_patient(c.ws, c.campaign, name="Mismo Teléfono", phone="+593987654321")
    r = c.b.submit(f"/patients/{pid}", f"/patients/{pid}/opt-out", {})
    assert r.status_code == 303
    assert sorted(owner_sql("SELECT coalesce(phone, email) FROM opt_outs WHERE workspace_id = %s",
                            (c.ws,))) == [("+593987654321",), ("baja@example.ec",)]
    assert owner_sql("SELECT status::text FROM messages WHERE patient_id = %s", (pid,)) == \
        [("CANCELLED",)]
    assert one("SELECT opted_out_at IS NOT NULL FROM patients WHERE id = %s", (twin,))
    assert [a[0] for a in audit_rows(c.ws, "patient.opt_out")] == [pid]


def test_erase_blanks_personal_data_keeps_ratings_and_audits_without_values():
    c = Clinic(status="ACTIVE")
    pid = created_id(add(c, name="Borrar Esta Persona", email="borrar@example.ec",
                         appointment="2030-03-01T10:00"))
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,"
              " reply_text, rating) VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'REPLIED', 'Soy Borrar', 4)",
              (c.ws, pid, c.campaign))
    # Without the confirmation box nothing happens.
    before = table_snapshot("patients", c.ws)
    assert c.b.submit(f"/patients/{pid}", f"/patients/{pid}/erase", {}).status_code == 422
    assert table_snapshot("patients", c.ws) == before
    r = c.b.submit(f"/patients/{pid}", f"/patients/{pid}/erase", {"confirm": "1"})
    assert r.status_code == 303
    row = owner_sql("SELECT name, phone, email, data_deleted_at IS NOT NULL FROM patients"
                    " WHERE id = %s", (pid,))[0]
    assert row == ("Paciente borrado", None, None, True)
    msgs = owner_sql("SELECT status::text, rating, reply_text FROM messages WHERE patient_id = %s"
                     " ORDER BY created_at", (pid,))
    assert sorted(msgs, key=str) == sorted([("CANCELLED", None, None), ("REPLIED", 4, None)], key=str)
    audit = [a for a in audit_rows(c.ws, "patient.erase") if a[0] == pid]
    assert len(audit) == 1
    text = json.dumps(audit[0][1:3], ensure_ascii=False)
    for erased in ("Borrar Esta Persona", "borrar@example.ec", "+593987654321", "987654321"):
        assert erased not in text
    # The owner finds it on /audit by the action's name (patient.erase, as 0005 names it),
    # shown in Spanish.
    page = c.b.get("/audit?action=patient.erase").text
    assert (f'<span class="entity" title="patient">Paciente <a href="/patients/{pid}">{pid}</a>'
            '</span>') in page
    assert '<span class="action" title="patient.erase">Borró los datos de un paciente</span>' in page
    # The edit form is closed for an erased patient.
    assert c.b.get(f"/patients/{pid}/edit").status_code == 422


def test_export_gives_the_patients_data_as_json(clinic):
    pid = created_id(add(clinic, name="Exportar Datos", email="export@example.ec"))
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,"
              " rating) VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'REPLIED', 3)",
              (clinic.ws, pid, clinic.campaign))
    r = clinic.b.get(f"/patients/{pid}/export")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert "attachment" in r.headers["Content-Disposition"]
    data = r.json()
    assert data["patient"]["name"] == "Exportar Datos"
    assert data["patient"]["email"] == "export@example.ec"
    assert [m["rating"] for m in data["messages"]] == [3]


def test_doctor_sees_only_patients_of_own_campaigns():
    c = Clinic()
    doc, doc_id = add_user(c.ws, "DOCTOR")
    from campaign_helpers import create_campaign
    mine = create_campaign(doc, c.practice)
    theirs = add_patient(c.ws, c.campaign, name="Del Dueño")
    own = add_patient(c.ws, mine, name="De La Doctora")
    assert names_in(doc.get("/patients").text) == ["De La Doctora"]
    assert doc.get(f"/patients/{own}").status_code == 200
    before = table_snapshot("patients", c.ws)
    for path in (f"/patients/{theirs}", f"/patients/{theirs}/edit", f"/patients/{theirs}/export"):
        assert doc.get(path).status_code == 404, path
    for action in ("", "/opt-out", "/erase"):
        r = csrf_post(doc, f"/patients/{theirs}{action}", {"name": "X", "confirm": "1",
                                                         "phone": "0987654321"})
        assert r.status_code == 404, action
    # Nor can the doctor put a patient into the owner's campaign.
    r = doc.submit("/patients/new", "/patients", {"name": "X", "phone": "0987654321",
                                                  "campaign_id": c.campaign})
    assert r.status_code == 422
    assert table_snapshot("patients", c.ws) == before


def test_receptionist_gets_403_on_every_patient_page_but_the_import():
    c = Clinic()
    rec, _ = add_user(c.ws, "RECEPTIONIST")
    pid = add_patient(c.ws, c.campaign, name="Privado")
    for path in ("/patients", "/patients/new", f"/patients/{pid}", f"/patients/{pid}/edit",
                 f"/patients/{pid}/export"):
        assert rec.get(path).status_code == 403, path
    assert rec.get("/patients/import").status_code == 200


def test_other_workspace_patient_ids_answer_404_and_change_nothing():
    a, other = Clinic(status="ACTIVE"), Clinic()
    pid = created_id(add(a, name="Ajeno", email="ajeno@example.ec", appointment="2030-03-01T10:00"))
    tables = ("patients", "messages", "opt_outs", "audit_logs")
    before = [table_snapshot(t, a.ws) for t in tables]
    for path in (f"/patients/{pid}", f"/patients/{pid}/edit", f"/patients/{pid}/export"):
        assert other.b.get(path).status_code == 404, path
    for action in ("", "/opt-out", "/erase"):
        r = csrf_post(other.b, f"/patients/{pid}{action}",
                      {"name": "Cambiado", "phone": "0987654321", "confirm": "1"})
        assert r.status_code == 404, action
    # Nor may a new patient point at the other workspace's campaign.
    r = other.b.submit("/patients/new", "/patients", {"name": "X", "phone": "0987654321",
                                                      "campaign_id": a.campaign})
    assert r.status_code == 422
    assert [table_snapshot(t, a.ws) for t in tables] == before


def test_patient_pages_pass_the_csrf_and_form_checks(clinic):
    pid = created_id(add(clinic, name="Formularios"))
    page = clinic.b.get(f"/patients/{pid}").text
    for action in (f"/patients/{pid}/opt-out", f"/patients/{pid}/erase"):
        assert csrf_of(page, action)
    # A post without the token is refused and changes nothing.
    before = table_snapshot("patients", clinic.ws)
    assert clinic.b.post(f"/patients/{pid}/erase", {"confirm": "1"}).status_code == 403
    assert table_snapshot("patients", clinic.ws) == before
