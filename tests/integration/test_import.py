"""The CSV import through nginx: the messy files under csv/ give exactly the report's
counts and reasons (read back from the page and from the staged rows), confirming imports
every accepted row once, opt-outs and duplicates, expiry, size and type refusals, the
roles, other workspaces, and the 10,000-row file (timed)."""
import html
import re
import json
import os
import subprocess
import sys
import tempfile
import time

import pytest

from campaign_helpers import add_user, table_snapshot
from patient_helpers import (CSV_DIR, Clinic, batch_of, campaign_patients, confirm,
                             fixture_bytes, one, owner_sql, report, set_status, upload)


def reasons(rows):
    return {line: (status, html.unescape(reason)) for line, status, reason in rows}


# file → (figures, {line: (status label, text in the reason)}, ignored columns)
CASES = {
    "semicolon_bom_crlf.csv": (dict(total=3, accepted=3, refused=0), {}, None),
    "windows1252.csv": (dict(total=2, accepted=2, refused=0), {}, None),
    "blank_lines_quoted_newlines.csv": (
        dict(total=3, accepted=2, refused=1), {7: ("Rechazada", "Falta el nombre")}, "notes"),
    "extra_missing_columns.csv": (
        dict(total=3, accepted=2, refused=1), {4: ("Rechazada", "Falta la fecha")},
        "Extra1, Cédula"),
    "bad_dates.csv": (
        dict(total=6, accepted=1, refused=5),
        {2: ("Rechazada", "Fecha «31/02/2030 10:00» no válida"),
         3: ("Rechazada", "Fecha «2030-13-01 10:00» no válida"),
         4: ("Rechazada", "Fecha «mañana» no válida"),
         5: ("Rechazada", "Fecha «15/01/2030» no válida"),
         6: ("Rechazada", "Fecha «15/01/2030 25:00» no válida")}, None),
    "bad_phones.csv": (
        dict(total=6, accepted=2, refused=4),
        {2: ("Rechazada", "Teléfono «12345» no válido"),
         3: ("Rechazada", "Teléfono «abc» no válido"),
         4: ("Rechazada", "SMS y WhatsApp necesitan un número móvil"),
         7: ("Rechazada", "Falta el teléfono y el correo")}, None),
}


@pytest.fixture(scope="module")
def clinic():
    return Clinic()


@pytest.mark.parametrize("name", sorted(CASES))
def test_messy_file_report_counts_and_reasons(clinic, name):
    figures, expected_rows, ignored = CASES[name]
    batch = batch_of(upload(clinic.b, clinic.campaign, fixture_bytes(name), name))
    got, rows, page = report(clinic.b, batch)
    for k, v in figures.items():
        assert got[k] == v, (name, k, got)
    listed = reasons(rows)
    assert set(listed) == set(expected_rows), (name, listed)
    for line, (status, text) in expected_rows.items():
        assert listed[line][0] == status and text in listed[line][1], (line, listed[line])
    if ignored:
        assert f"Columnas ignoradas: {ignored}" in html.unescape(page)
    # The staged rows agree with the page: each accepted line to import, each other line
    # listed, each line once.
    to_import, listed = staged_lines(batch)
    not_imported = [ln for ln, st in listed.items() if st != "ACCEPTED"]
    assert len(to_import) == figures["accepted"]
    assert list(listed.values()).count("REFUSED") == figures["refused"]
    assert set(to_import).isdisjoint(not_imported)
    assert len(to_import) + len(not_imported) == figures["total"]


def test_refused_rows_are_listed_with_the_name_the_file_gives(clinic):
    batch = batch_of(upload(clinic.b, clinic.campaign, fixture_bytes("bad_phones.csv"),
                            "bad_phones.csv"))
    page = clinic.b.get(f"/patients/import/{batch}").text
    names = dict(re.findall(r'<tr class="row-\w+"><td>(\d+)</td><td>[^<]*</td><td>([^<]*)</td>',
                            page))
    # Lines 2-4 have a name and a bad phone; line 7 (B Seis) has no contact at all.
    assert names == {"2": "B Uno", "3": "B Dos", "4": "B Tres", "7": "B Seis"}


def staged_lines(batch):
    """The batch's staged lines: those to import, and {line: status} of those listed."""
    (to_import, lines, statuses), = owner_sql(
        "SELECT import_lines, listed_lines, listed_statuses FROM import_batches"
        " WHERE id = %s", (batch,))
    assert len(set(lines)) == len(lines) == len(statuses)
    return to_import, dict(zip(lines, statuses))


def test_semicolon_bom_file_imports_values_normalised():
    c = Clinic()
    campaign, b = c.campaign, c.b
    batch = batch_of(upload(b, campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    assert confirm(b, batch).status_code == 303
    got = {row[0]: row[1:] for row in campaign_patients(campaign)}
    # Guayaquil is UTC-5: 10:00 local is 15:00 UTC.
    assert got["José Núñez"] == ("+593987000001", "jose@example.ec", True, "SMS", "es",
                                 "2030-01-15 15:00", False)
    assert got["María Ibáñez"] == ("+593987000002", None, True, "WHATSAPP", "es",
                                   "2030-01-16 16:30", False)
    assert got["Ana Peña"] == (None, "ana@example.ec", True, "EMAIL", "en",
                               "2030-01-17 14:15", False)


def test_windows_1252_names_keep_their_letters():
    c = Clinic()
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("windows1252.csv")))
    _, _, page = report(c.b, batch)
    assert "Windows-1252" in page
    assert confirm(c.b, batch).status_code == 303
    got = {row[0]: row for row in campaign_patients(c.campaign)}
    assert set(got) == {"José Muñoz", "Ñandú Pérez"}
    # An ISO date with its own offset is taken as it is.
    assert got["Ñandú Pérez"][6] == "2030-01-20 14:00"


def test_duplicates_in_file_and_in_campaign_are_counted_and_skipped():
    c = Clinic()
    owner_sql("INSERT INTO patients (workspace_id, campaign_id, name, phone, appointment_time)"
              " VALUES (%s, %s, 'C Ya', '+593987000099', '2030-01-15 10:00-05')",
              (c.ws, c.campaign))
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    got, rows, _ = report(c.b, batch)
    assert (got["total"], got["accepted"], got["duplicate-file"], got["duplicate-campaign"]) \
        == (5, 3, 1, 1)
    listed = reasons(rows)
    assert listed[4] == ("Duplicada en el archivo",
                         "Duplicado de la línea 2 (mismo contacto y misma cita).")
    assert listed[6] == ("Ya en la campaña", "Ya está en la campaña con la misma cita.")
    assert confirm(c.b, batch).status_code == 303
    names = [r[0] for r in campaign_patients(c.campaign)]
    assert sorted(names) == ["C Dos", "C Uno", "C Uno tarde", "C Ya"]


def test_staged_rows_hold_each_line_with_its_verdict_and_resolved_time():
    c = Clinic()
    owner_sql("INSERT INTO opt_outs (workspace_id, phone) VALUES (%s, '+593987000052')", (c.ws,))
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    rows = owner_sql(
        "SELECT r.line, r.name, r.phone, r.email, r.appointment_time = '2030-01-15 15:00+00',"
        "  r.appointment_type, r.has_consent, r.channel, r.language, r.opted_out"
        " FROM import_batches b, unnest(b.import_lines, b.import_names, b.import_phones,"
        "   b.import_emails, b.import_appointment_times, b.import_appointment_types,"
        "   b.import_consents, b.import_channels, b.import_languages, b.import_opted_out)"
        "   WITH ORDINALITY AS r(line, name, phone, email, appointment_time, appointment_type,"
        "     has_consent, channel, language, opted_out, o)"
        " WHERE b.id = %s ORDER BY r.o", (batch,))
    # The accepted lines, in the file's order; line 3 resolved in the practice's timezone
    # (10:00 in Guayaquil is 15:00 UTC) and on the opt-out list.
    assert [r[0] for r in rows] == [2, 3, 5, 6]
    assert rows[1] == (3, "C Dos", "+593987000052", None, True, None, False, "SMS", "es", True)
    listed = owner_sql(
        "SELECT r.line, r.status, r.reason, r.name, r.contact"
        " FROM import_batches b, unnest(b.listed_lines, b.listed_statuses, b.listed_reasons,"
        "   b.listed_names, b.listed_contacts) AS r(line, status, reason, name, contact)"
        " WHERE b.id = %s ORDER BY r.line", (batch,))
    # The duplicate in the file, and the accepted line the report lists for its opt-out.
    assert [r[:2] for r in listed] == [(3, "ACCEPTED"), (4, "DUPLICATE_FILE")]
    assert listed[0][2] is None and "línea 2" in listed[1][2]
    assert listed[1][4] == "+593987000051"
    # The batch row carries the report's figures.
    assert owner_sql("SELECT total_rows, accepted, refused, duplicate_file, duplicate_campaign,"
                     " opted_out FROM import_batches WHERE id = %s", (batch,)) == \
        [(5, 4, 0, 1, 0, 1)]


def test_rows_another_import_added_before_confirm_become_campaign_duplicates():
    c = Clinic()
    first = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    second = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    assert confirm(c.b, first).status_code == 303
    before = len(campaign_patients(c.campaign))
    assert confirm(c.b, second).status_code == 303
    assert len(campaign_patients(c.campaign)) == before == 4
    got, rows, _ = report(c.b, second)
    assert (got["accepted"], got["duplicate-campaign"]) == (0, 4)
    assert {line for line, status, _ in rows if status == "Ya en la campaña"} == {2, 3, 5, 6}
    assert one("SELECT imported FROM import_batches WHERE id = %s", (second,)) == 0
    # They moved from the rows to import to the rows listed.
    assert staged_lines(second) == ([], {2: "DUPLICATE_CAMPAIGN", 3: "DUPLICATE_CAMPAIGN",
                                         4: "DUPLICATE_FILE", 5: "DUPLICATE_CAMPAIGN",
                                         6: "DUPLICATE_CAMPAIGN"})


def test_one_row_added_before_confirm_is_skipped_and_the_others_keep_their_values():
    c = Clinic()
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    owner_sql("INSERT INTO patients (workspace_id, campaign_id, name, phone, appointment_time)"
              " VALUES (%s, %s, 'C Dos antes', '+593987000052', '2030-01-15 10:00-05')",
              (c.ws, c.campaign))
    assert confirm(c.b, batch).status_code == 303
    got = {row[0]: (row[1], row[6]) for row in campaign_patients(c.campaign)}
    assert got == {"C Uno": ("+593987000051", "2030-01-15 15:00"),
                   "C Dos antes": ("+593987000052", "2030-01-15 15:00"),
                   "C Uno tarde": ("+593987000051", "2030-01-15 16:00"),
                   "C Ya": ("+593987000099", "2030-01-15 15:00")}
    figures, rows, _ = report(c.b, batch)
    assert (figures["accepted"], figures["duplicate-campaign"]) == (3, 1)
    assert reasons(rows)[3] == ("Ya en la campaña", "Ya está en la campaña con la misma cita.")
    assert staged_lines(batch) == ([2, 5, 6], {3: "DUPLICATE_CAMPAIGN", 4: "DUPLICATE_FILE"})


def test_imported_patients_and_their_messages_get_time_ordered_ids():
    c = Clinic(status="ACTIVE")
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    assert confirm(c.b, batch).status_code == 303
    # UUID version 7 (0101): the version nibble is 7 and the first 48 bits are the
    # insert's Unix time in milliseconds.
    ids = owner_sql(
        "SELECT id::text, abs(extract(epoch FROM clock_timestamp()) * 1000"
        "   - ('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint) < 60000"
        "  FROM (SELECT id FROM patients WHERE campaign_id = %s"
        "        UNION ALL SELECT id FROM messages WHERE campaign_id = %s) x",
        (c.campaign, c.campaign))
    assert len(ids) == 6   # 3 patients and their 3 first messages
    for uid, recent in ids:
        assert uid[14] == "7" and uid[19] in "89ab" and recent, uid


def test_opted_out_phone_is_imported_but_never_enqueued():
    c = Clinic(status="ACTIVE")
    owner_sql("INSERT INTO opt_outs (workspace_id, phone) VALUES (%s, '+593987000002')", (c.ws,))
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    got, rows, _ = report(c.b, batch)
    assert got["opted-out"] == 1 and got["accepted"] == 3
    assert reasons(rows)[3][0] == "Aceptada (dada de baja)"
    assert confirm(c.b, batch).status_code == 303
    got = {row[0]: row for row in campaign_patients(c.campaign)}
    assert got["María Ibáñez"][7] is True and got["José Núñez"][7] is False
    queued = owner_sql("SELECT p.name FROM messages m JOIN patients p ON p.id = m.patient_id"
                       " WHERE m.campaign_id = %s AND m.type = 'INITIAL' AND m.status = 'PENDING'"
                       " ORDER BY p.name", (c.campaign,))
    assert [q[0] for q in queued] == ["Ana Peña", "José Núñez"]


def test_draft_campaign_import_adds_patients_and_no_messages():
    c = Clinic()   # DRAFT: its patients wait for the activation to be enqueued
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    assert confirm(c.b, batch).status_code == 303
    assert len(campaign_patients(c.campaign)) == 3
    assert one("SELECT count(*) FROM messages WHERE campaign_id = %s", (c.campaign,)) == 0
    assert one("SELECT enqueued FROM import_batches WHERE id = %s", (batch,)) == 0


def test_phone_opted_out_after_upload_is_imported_but_not_enqueued():
    c = Clinic(status="ACTIVE")
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    owner_sql("INSERT INTO opt_outs (workspace_id, phone) VALUES (%s, '+593987000001')", (c.ws,))
    assert confirm(c.b, batch).status_code == 303
    assert len(campaign_patients(c.campaign)) == 3
    queued = owner_sql("SELECT p.name FROM messages m JOIN patients p ON p.id = m.patient_id"
                       " WHERE m.campaign_id = %s ORDER BY p.name", (c.campaign,))
    assert [q[0] for q in queued] == ["Ana Peña", "María Ibáñez"]
    assert one("SELECT enqueued FROM import_batches WHERE id = %s", (batch,)) == 2


def test_first_message_only_with_consent_and_a_recent_appointment_due_after_it():
    """Enqueued as campaign_enqueue does it: no consent or an appointment over 7 days
    past gets no message; a past appointment is asked now, a future one 2 hours after."""
    import datetime
    gye = datetime.timezone(datetime.timedelta(hours=-5))
    now = datetime.datetime.now(gye)

    def when(d):
        return (now + d).strftime("%d/%m/%Y %H:%M")
    lines = ["Nombre;Teléfono;Fecha de cita;Consentimiento",
             f"Sin Consentimiento;0987000011;{when(datetime.timedelta(days=1))};no",
             f"Cita Vieja;0987000012;{when(-datetime.timedelta(days=10))};sí",
             f"Cita de Ayer;0987000013;{when(-datetime.timedelta(days=1))};sí",
             "Cita Futura;0987000014;15/01/2030 10:00;sí"]
    c = Clinic(status="ACTIVE")
    batch = batch_of(upload(c.b, c.campaign, ("\r\n".join(lines) + "\r\n").encode()))
    assert confirm(c.b, batch).status_code == 303
    assert len(campaign_patients(c.campaign)) == 4
    queued = owner_sql(
        "SELECT p.name, abs(extract(epoch FROM m.scheduled_at - now())) < 60,"
        " to_char(m.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
        " FROM messages m JOIN patients p ON p.id = m.patient_id"
        " WHERE m.campaign_id = %s AND m.type = 'INITIAL'"   # the sender may have it now
        " ORDER BY p.name", (c.campaign,))
    assert [(name, due_now) for name, due_now, _ in queued] == \
        [("Cita Futura", False), ("Cita de Ayer", True)]
    assert queued[0][2] == "2030-01-15 17:00"   # 10:00 in Guayaquil is 15:00 UTC, + 2 h
    assert one("SELECT enqueued FROM import_batches WHERE id = %s", (batch,)) == 2


def test_enqueue_rules_are_inlined_into_the_callers_plan():
    """patient_askable, campaign_first_due and campaign_too_late (0116) run for every
    imported row: each must be an expression in the caller's plan, not a function call."""
    plan = "\n".join(r[0] for r in owner_sql(
        "EXPLAIN (VERBOSE, COSTS OFF) SELECT campaign_first_due(appointment_time, 2)"
        " FROM patients WHERE patient_askable(has_consent, opted_out_at, data_deleted_at,"
        "   preferred_channel, phone, email) AND NOT campaign_too_late(appointment_time)"))
    for name in ("patient_askable", "campaign_first_due", "campaign_too_late"):
        assert name not in plan, plan
    assert "GREATEST" in plan and "has_consent" in plan, plan


def test_confirm_twice_imports_once_and_writes_one_audit_row():
    c = Clinic()
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("bad_dates.csv")))
    page = c.b.get(f"/patients/import/{batch}").text
    from web import csrf_of
    tok = csrf_of(page)
    first = c.b.post(f"/patients/import/{batch}/confirm", {"_csrf": tok})
    second = c.b.post(f"/patients/import/{batch}/confirm", {"_csrf": tok})
    assert first.status_code == second.status_code == 303
    assert len(campaign_patients(c.campaign)) == 1
    assert one("SELECT imported FROM import_batches WHERE id = %s", (batch,)) == 1
    assert one("SELECT count(*) FROM audit_logs WHERE entity_id = %s AND action = 'import.confirm'",
               (batch,)) == 1
    assert 'id="done"' in c.b.get(f"/patients/import/{batch}").text


def test_expired_batch_cannot_be_confirmed_and_is_deleted():
    c = Clinic()
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    page = c.b.get(f"/patients/import/{batch}").text
    owner_sql("UPDATE import_batches SET expires_at = now() - interval '1 second' WHERE id = %s",
              (batch,))
    from web import csrf_of
    r = c.b.post(f"/patients/import/{batch}/confirm", {"_csrf": csrf_of(page)})
    assert r.status_code == 422 and "caducó" in r.text
    assert campaign_patients(c.campaign) == []
    # Any later use of the import clears what expired.
    assert c.b.get("/patients/import").status_code == 200
    assert one("SELECT count(*) FROM import_batches WHERE id = %s", (batch,)) == 0


def test_file_over_10_mib_gets_413(clinic):
    big = b"nombre,telefono,fecha\n" + b"x" * (10 * 1024 * 1024 + 10)
    r = upload(clinic.b, clinic.campaign, big)
    assert r.status_code == 413


def test_not_csv_gets_a_clear_message_and_stages_nothing(clinic):
    before = one("SELECT count(*) FROM import_batches WHERE workspace_id = %s", (clinic.ws,))
    r = upload(clinic.b, clinic.campaign, fixture_bytes("not_csv.xlsx"), "pacientes.xlsx")
    assert r.status_code == 422
    assert "no es un CSV" in html.unescape(r.text)
    r = upload(clinic.b, clinic.campaign, b"", "vacio.csv")
    assert r.status_code == 422 and "Elija un archivo CSV" in html.unescape(r.text)
    r = upload(clinic.b, clinic.campaign, b"foo,bar\n1,2\n", "otro.csv")
    assert r.status_code == 422 and "columna del nombre" in html.unescape(r.text)
    after = one("SELECT count(*) FROM import_batches WHERE workspace_id = %s", (clinic.ws,))
    assert before == after


def test_closed_campaign_is_refused(clinic):
    c = Clinic(status="COMPLETED")
    r = upload(c.b, c.campaign, fixture_bytes("duplicates.csv"))
    assert r.status_code == 422 and "campaña" in html.unescape(r.text)


def test_receptionist_imports_into_campaign_chosen_by_name():
    c = Clinic(status="ACTIVE")
    name = one("SELECT name FROM campaigns WHERE id = %s", (c.campaign,))
    rec, _ = add_user(c.ws, "RECEPTIONIST")
    page = rec.get("/patients/import")
    assert page.status_code == 200
    assert f'<option value="{c.campaign}">{html.escape(name)}</option>' in page.text
    batch = batch_of(upload(rec, c.campaign, fixture_bytes("semicolon_bom_crlf.csv")))
    assert report(rec, batch)[0]["accepted"] == 3
    assert confirm(rec, batch).status_code == 303
    assert len(campaign_patients(c.campaign)) == 3
    # Everything else of the patients program stays closed to the receptionist.
    for path in ("/patients", "/patients/new", f"/patients/import/{batch}/../../patients"):
        assert rec.get(path).status_code in (403, 404)


def test_doctor_imports_only_into_own_campaigns():
    c = Clinic()
    doc, _ = add_user(c.ws, "DOCTOR")
    # The owner's campaign is neither offered nor accepted.
    assert c.campaign not in doc.get("/patients/import").text
    r = upload(doc, c.campaign, fixture_bytes("duplicates.csv"))
    assert r.status_code == 422
    # Nor is the owner's report visible to the doctor.
    batch = batch_of(upload(c.b, c.campaign, fixture_bytes("duplicates.csv")))
    assert doc.get(f"/patients/import/{batch}").status_code == 404
    from campaign_helpers import csrf_post
    assert csrf_post(doc, f"/patients/import/{batch}/confirm").status_code == 404
    assert campaign_patients(c.campaign) == []


def test_other_workspace_batch_answers_404_and_changes_nothing():
    a, other = Clinic(), Clinic()
    batch = batch_of(upload(a.b, a.campaign, fixture_bytes("duplicates.csv")))
    before = (table_snapshot("import_batches", a.ws), table_snapshot("patients", a.ws))
    assert other.b.get(f"/patients/import/{batch}").status_code == 404
    from campaign_helpers import csrf_post
    assert csrf_post(other.b, f"/patients/import/{batch}/confirm").status_code == 404
    # Nor can another workspace's campaign be the target.
    assert upload(other.b, a.campaign, fixture_bytes("duplicates.csv")).status_code == 422
    assert (table_snapshot("import_batches", a.ws), table_snapshot("patients", a.ws)) == before


def test_ten_thousand_rows_validated_and_imported():
    c = Clinic(status="ACTIVE")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.csv")
        subprocess.run([sys.executable, os.path.join(CSV_DIR, "make_big.py"), path, "10000"],
                       check=True)
        with open(path, "rb") as f:
            data = f.read()
    t0 = time.monotonic()
    batch = batch_of(upload(c.b, c.campaign, data, "big.csv"))
    t1 = time.monotonic()
    got, rows, _ = report(c.b, batch)
    assert (got["total"], got["accepted"], got["refused"]) == (10000, 9980, 20)
    assert rows[0][0] == 501   # row 499 is on line 501 (header, then rows from line 2)
    t2 = time.monotonic()
    assert confirm(c.b, batch).status_code == 303
    t3 = time.monotonic()
    assert one("SELECT count(*) FROM patients WHERE campaign_id = %s", (c.campaign,)) == 9980
    assert one("SELECT count(*) FROM messages WHERE campaign_id = %s", (c.campaign,)) == 9980
    print(f"\n10,000-row import: validate+stage {t1 - t0:.2f} s, confirm+enqueue {t3 - t2:.2f} s "
          "(shared 2-core machine)")
