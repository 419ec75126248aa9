"""Practices (/practices) through nginx: list, create, edit, delete, the checks on each
field, the review link, the roles, and other workspaces' ids."""
import json

import pytest

import dbutil
from campaign_helpers import (PLACE_ID, add_user, assert_form_refused, audit_rows, create_campaign, create_practice,
                              csrf_post, new_workspace, one, owner_sql, practice_form,
                              table_snapshot)
from test_html import assert_page_basics, assert_well_formed

REVIEW = "https://search.google.com/local/writereview?placeid="


def practice_row(pid):
    return owner_sql("""SELECT name, address, city, state, zip_code, country, google_place_id,
                               phone, email, timezone, to_char(sending_start, 'HH24:MI'),
                               to_char(sending_end, 'HH24:MI')
                          FROM practices WHERE id = %s""", (pid,))[0]


def test_new_practice_form_is_prefilled_with_ecuador_defaults_and_well_formed():
    b, _, _ = new_workspace()
    r = b.get("/practices/new")
    assert r.status_code == 200
    assert_page_basics("/practices/new", r.text)
    assert_well_formed("/practices/new", r.text)
    for value in ('value="America/Guayaquil"', 'value="EC"', 'value="08:00"', 'value="21:00"'):
        assert value in r.text


def test_owner_creates_practice_with_every_field_read_back_and_audited():
    b, ws, owner = new_workspace()
    pid = create_practice(b, ws, phone="(02) 234-5678", email="Norte@Clinica.EC",
                          country="ec", timezone="America/Bogota", sending_start="09:30",
                          sending_end="18:00")
    assert practice_row(pid) == (
        "Consultorio Norte", "Av. 6 de Diciembre N34-12", "Quito", "Pichincha", "170135", "EC",
        PLACE_ID, "+59322345678", "norte@clinica.ec", "America/Bogota", "09:30", "18:00")
    [(entity, old, new, who)] = audit_rows(ws, "practice.create")
    assert (entity, old, who) == (pid, None, owner)
    assert new["name"] == "Consultorio Norte" and new["google_place_id"] == PLACE_ID


def test_practice_list_shows_the_review_link_built_from_the_place_id():
    b, ws, _ = new_workspace()
    create_practice(b, ws)
    create_practice(b, ws, name="Sin reseñas", google_place_id="")
    r = b.get("/practices")
    assert r.status_code == 200
    assert_page_basics("/practices", r.text)
    assert_well_formed("/practices", r.text)
    assert f'href="{REVIEW}{PLACE_ID}"' in r.text
    assert "Probar el enlace de reseñas" in r.text and "Sin Place ID" in r.text
    edit = b.get(f"/practices/{one('SELECT id FROM practices WHERE workspace_id = %s AND google_place_id IS NOT NULL', (ws,))}/edit")
    assert f'href="{REVIEW}{PLACE_ID}"' in edit.text
    assert_well_formed("/practices/:id/edit", edit.text)


@pytest.mark.parametrize("field,value,message", [
    ("google_place_id", "no es un place id", "no tiene la forma"),
    ("google_place_id", "abc", "no tiene la forma"),
    ("google_place_id", "ChIJN1t_tDeuEmsRUsoyG83frY4\"><script>", "no tiene la forma"),
    ("timezone", "America/Quito_Centro", "Zona horaria desconocida"),
    ("timezone", "UTC+5", "Zona horaria desconocida"),
    ("phone", "+593 2234", "Al número le faltan dígitos"),
    ("phone", "022-CLINICA", "El número tiene letras"),
    ("phone", "+999 1234 5678", "El código de país no existe"),
    ("country", "E1", "dos letras"),
    ("sending_start", "25:00", "HH:MM"),
    ("sending_end", "7pm", "HH:MM"),
    ("sending_end", "07:00", "posterior a la de inicio"),
    ("email", "no-es-correo", "correo electrónico válido"),
    ("name", "", "obligatorio"),
])
def test_create_practice_refuses_bad_field_with_message_and_inserts_nothing(field, value, message):
    b, ws, _ = new_workspace()
    assert_form_refused(b, ws, "/practices/new", "/practices", practice_form(**{field: value}),
                        "practices", message, "practice.create")


def test_edit_practice_updates_row_and_audits_old_and_new_values():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    r = b.submit(f"/practices/{pid}/edit", f"/practices/{pid}",
                 practice_form(name="Consultorio Sur", city="Cuenca", state="Azuay",
                               timezone="Pacific/Galapagos", sending_end="20:00"))
    assert r.status_code == 303 and r.headers["Location"] == "/practices?saved=1"
    row = practice_row(pid)
    assert (row[0], row[2], row[3], row[9], row[11]) == (
        "Consultorio Sur", "Cuenca", "Azuay", "Pacific/Galapagos", "20:00")
    [(entity, old, new, _)] = audit_rows(ws, "practice.update")
    assert entity == pid
    assert (old["name"], old["city"], old["timezone"]) == ("Consultorio Norte", "Quito", "America/Guayaquil")
    assert (new["name"], new["city"], new["timezone"]) == ("Consultorio Sur", "Cuenca", "Pacific/Galapagos")
    assert "Consultorio guardado" in b.get("/practices?saved=1").text


def test_edit_practice_with_bad_place_id_changes_nothing():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    before = practice_row(pid)
    r = b.submit(f"/practices/{pid}/edit", f"/practices/{pid}",
                 practice_form(name="Otro", google_place_id="mal/formado"))
    assert r.status_code == 422 and "no tiene la forma" in r.text
    assert practice_row(pid) == before
    assert audit_rows(ws, "practice.update") == []


def test_delete_unused_practice_removes_it_and_audits_old_values():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    r = b.submit(f"/practices/{pid}/edit", f"/practices/{pid}/delete", {})
    assert r.status_code == 303 and r.headers["Location"] == "/practices?deleted=1"
    assert one("SELECT count(*) FROM practices WHERE id = %s", (pid,)) == 0
    [(entity, old, new, _)] = audit_rows(ws, "practice.delete")
    assert entity == pid and old["name"] == "Consultorio Norte" and new is None


def test_delete_practice_used_by_a_campaign_is_refused_in_spanish_and_keeps_it():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    create_campaign(b, pid, name="Campaña de marzo")
    before = table_snapshot("practices", ws)
    r = b.submit(f"/practices/{pid}/edit", f"/practices/{pid}/delete", {})
    assert r.status_code == 422
    assert "No se puede eliminar «Consultorio Norte»: lo usa 1 campaña (Campaña de marzo)" in r.text
    assert_well_formed("delete refused", r.text)
    assert table_snapshot("practices", ws) == before
    assert audit_rows(ws, "practice.delete") == []


def test_doctor_sees_practices_without_edit_links_and_cannot_change_them():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    doctor, _ = add_user(ws, "DOCTOR")
    r = doctor.get("/practices")
    assert r.status_code == 200 and "Consultorio Norte" in r.text
    assert "/edit" not in r.text and "/practices/new" not in r.text
    before = table_snapshot("practices", ws)
    for path in ("/practices/new", f"/practices/{pid}/edit"):
        assert doctor.get(path).status_code == 403
    for action, data in (("/practices", practice_form(name="Del doctor")),
                         (f"/practices/{pid}", practice_form(name="Cambiado")),
                         (f"/practices/{pid}/delete", {})):
        assert csrf_post(doctor, action, data).status_code == 403
    assert table_snapshot("practices", ws) == before


def test_receptionist_gets_403_on_every_practice_page_and_action():
    b, ws, _ = new_workspace()
    pid = create_practice(b, ws)
    rec, _ = add_user(ws, "RECEPTIONIST")
    before = table_snapshot("practices", ws)
    for path in ("/practices", "/practices/new", f"/practices/{pid}/edit"):
        r = rec.get(path)
        assert r.status_code == 403 and "Tu rol no tiene permiso" in r.text
    for action in ("/practices", f"/practices/{pid}", f"/practices/{pid}/delete"):
        assert csrf_post(rec, action, practice_form(name="X")).status_code == 403
    assert table_snapshot("practices", ws) == before


def test_another_workspaces_practice_ids_answer_404_and_change_nothing():
    a, ws_a, _ = new_workspace()
    pid = create_practice(a, ws_a)
    b, ws_b, _ = new_workspace()
    before = table_snapshot("practices", ws_a)
    assert b.get(f"/practices/{pid}/edit").status_code == 404
    assert csrf_post(b, f"/practices/{pid}", practice_form(name="Robado")).status_code == 404
    assert csrf_post(b, f"/practices/{pid}/delete").status_code == 404
    assert b.get("/practices/no-es-un-id/edit").status_code == 404
    assert table_snapshot("practices", ws_a) == before
    assert "Consultorio Norte" not in b.get("/practices").text


def test_practice_form_without_csrf_is_refused_and_inserts_nothing():
    b, ws, _ = new_workspace()
    r = b.post("/practices", practice_form())
    assert r.status_code == 403
    assert table_snapshot("practices", ws) == []


def test_practice_list_is_paginated():
    b, ws, _ = new_workspace()
    owner_sql("INSERT INTO practices (workspace_id, name) "
              "SELECT %s, 'Sede ' || lpad(g::text, 2, '0') FROM generate_series(1, 27) g", (ws,))
    first = b.get("/practices")
    assert "Sede 01" in first.text and "Sede 26" not in first.text
    assert "Página 1 de 2" in first.text and 'href="/practices?page=2"' in first.text
    second = b.get("/practices?page=2")
    assert "Sede 26" in second.text and "Sede 27" in second.text and "Sede 01" not in second.text
    assert_well_formed("/practices?page=2", second.text)
