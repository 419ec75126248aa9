"""Message templates (/templates) through nginx: the list by type, create, edit, delete,
make default, the preview and its SMS figures, the review-gating warning, the checks on
the text and the WhatsApp fields, the roles, CSRF, and other workspaces' ids."""
import base64
import re
import threading
import uuid

import pytest

from campaign_helpers import (UUID_RE, add_user, assert_form_refused, audit_rows, create_practice, csrf_post,
                              new_workspace, one, owner_sql, table_snapshot)
from test_html import assert_page_basics, assert_well_formed
from web import BASE, Browser, csrf_of

TYPES = ("INITIAL", "REMINDER", "FOLLOWUP_HAPPY", "FOLLOWUP_UNHAPPY")


def template_form(**over):
    form = {"type": "INITIAL", "name": "Solicitud breve",
            "description": "Más corta que la predeterminada",
            "content": "Hola {{name}}, califica tu visita al {{practice}} del 1 al 5.",
            "whatsapp_template_name": "solicitud_breve", "whatsapp_language": "es"}
    form.update(over)
    return form


def create_template(b, ws, **over):
    r = b.submit("/templates/new", "/templates", template_form(**over))
    assert r.status_code == 303, r.text[-800:]
    m = re.fullmatch(rf"/templates/({UUID_RE})\?saved=1", r.headers["Location"])
    assert m, r.headers["Location"]
    return m.group(1)


def row(tid):
    rows = owner_sql("SELECT name, type::text, content, variables, description, is_default,"
                     " whatsapp_template_name, whatsapp_language FROM templates WHERE id = %s",
                     (tid,))
    return rows[0] if rows else None


def default_of(ws, type_):
    return [str(r[0]) for r in owner_sql(
        "SELECT id FROM templates WHERE workspace_id = %s AND type = %s AND is_default",
        (ws, type_))]


def default_ids(ws):
    return {t: default_of(ws, t) for t in TYPES}


# --- the list ----------------------------------------------------------------------------

def test_list_shows_each_type_in_order_with_its_default_and_is_well_formed():
    b, ws, _ = new_workspace()
    r = b.get("/templates")
    assert r.status_code == 200
    assert_page_basics("/templates", r.text)
    assert_well_formed("/templates", r.text)
    headings = re.findall(r"<h2>([^<]+)</h2>", r.text)
    assert headings == ["Solicitud de calificación", "Recordatorio", "Agradecimiento (4-5)",
                        "Disculpa (1-3)"]
    assert r.text.count("Predeterminada</strong>") == 4
    assert "Un solo recordatorio si no hubo respuesta en 24 horas." in r.text
    assert "solicitud_calificacion" in r.text
    # Defaults offer neither delete nor make-default.
    assert "/delete" not in r.text and "/default" not in r.text


def test_default_templates_pass_the_check_and_saving_them_unchanged_keeps_their_variables():
    """The migration's default texts are valid templates, and the variables it stored are
    the ones the check derives from them (as a set: the check lists them in order of
    appearance, the migration did not always)."""
    b, ws, _ = new_workspace()
    assert b.get("/templates").text.count("parte(s)") == 4
    for t in TYPES:
        [tid] = default_of(ws, t)
        before = row(tid)
        name, _, content, _, description, _, wa_name, wa_lang = before
        r = b.submit(f"/templates/{tid}", f"/templates/{tid}", {
            "name": name, "content": content, "description": description or "",
            "whatsapp_template_name": wa_name or "", "whatsapp_language": wa_lang or ""})
        assert r.status_code == 303, r.text[-500:]
        after = row(tid)
        assert after[:3] + after[4:] == before[:3] + before[4:]
        assert sorted(after[3]) == sorted(before[3])


def test_list_offers_actions_on_templates_that_are_not_default():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    r = b.get("/templates")
    assert f'action="/templates/{tid}/delete"' in r.text
    assert f'action="/templates/{tid}/default"' in r.text
    assert_well_formed("/templates with actions", r.text)


def test_list_is_paginated_by_25():
    b, ws, _ = new_workspace()
    owner_sql("INSERT INTO templates (workspace_id, name, type, content)"
              " SELECT %s, 'Extra ' || lpad(g::text, 2, '0'), 'FOLLOWUP_HAPPY', 'Gracias {{name}}'"
              " FROM generate_series(1, 26) g", (ws,))
    first = b.get("/templates")
    assert first.text.count("<tr>\n<td><a href=\"/templates/") == 25
    assert "Página 1 de 2" in first.text and 'href="/templates?page=2"' in first.text
    second = b.get("/templates?page=2")
    assert second.text.count("<tr>\n<td><a href=\"/templates/") == 5
    assert "Página 2 de 2" in second.text
    assert_well_formed("/templates?page=2", second.text)
    assert "No hay más plantillas" in b.get("/templates?page=9").text


# --- create --------------------------------------------------------------------------------

def test_new_form_is_well_formed_and_offers_every_type():
    b, _, _ = new_workspace()
    r = b.get("/templates/new?type=REMINDER")
    assert r.status_code == 200
    assert_page_basics("/templates/new", r.text)
    assert_well_formed("/templates/new", r.text)
    for t in TYPES:
        assert f'value="{t}"' in r.text
    assert 'value="REMINDER" selected' in r.text


def test_owner_creates_template_with_variables_derived_from_text_and_audited():
    b, ws, owner = new_workspace()
    tid = create_template(b, ws, content="{{practice}}: {{name}}, ¿cómo fue su {{appointmentType}} "
                                          "del {{date}} con {{doctor}}? {{name}}",
                          variables="{reviewLink}")   # not a field: ignored
    assert row(tid) == ("Solicitud breve", "INITIAL",
                        "{{practice}}: {{name}}, ¿cómo fue su {{appointmentType}} del {{date}} "
                        "con {{doctor}}? {{name}}",
                        ["practice", "name", "appointmentType", "date", "doctor"],
                        "Más corta que la predeterminada", False, "solicitud_breve", "es")
    [(entity, old, new, who)] = audit_rows(ws, "template.create")
    assert (entity, old, who) == (tid, None, owner)
    assert new["name"] == "Solicitud breve" and new["variables"] == row(tid)[3]
    page = b.get(f"/templates/{tid}?saved=1")
    assert "Plantilla guardada" in page.text
    assert_well_formed("/templates/:id?saved=1", page.text)


def test_new_template_of_a_type_without_default_becomes_its_default():
    b, ws, _ = new_workspace()
    owner_sql("UPDATE templates SET is_default = false WHERE workspace_id = %s AND type = 'REMINDER'",
              (ws,))
    tid = create_template(b, ws, type="REMINDER", name="Recordatorio nuevo")
    assert default_of(ws, "REMINDER") == [tid]
    # A second one of the same type is not.
    other = create_template(b, ws, type="REMINDER", name="Otro recordatorio")
    assert row(other)[5] is False
    assert default_of(ws, "REMINDER") == [tid]


@pytest.mark.parametrize("content,message", [
    ("Hola {{paciente}}", "«{{paciente}}» no existe"),
    ("Hola {{ nombre }}, {{practice}}", "«{{nombre}}» no existe"),
    ("Hola {{Name}}", "¿quiso decir «{{name}}»? Las mayúsculas cuentan"),
    ("Deja tu reseña: {{reviewlink}}", "¿quiso decir «{{reviewLink}}»?"),
    ("Hola {{reviewLnk}}", "¿quiso decir «{{reviewLink}}»?"),
    ("Hola {{name", "«{{name» no está cerrada"),
    ("Hola {{na{{me}}", "no se pueden anidar"),
    ("Hola {{}}", "variable vacía"),
    ("Hola name}}", "«}}» sin su «{{»"),
    ("{{#name}}x{{/name}}", "«{{#name}}» no existe"),
])
def test_create_refuses_bad_variable_naming_it_and_inserts_nothing(content, message):
    b, ws, _ = new_workspace()
    assert_form_refused(b, ws, "/templates/new", "/templates", template_form(content=content),
                        "templates", message, "template.create")


@pytest.mark.parametrize("field,value,message", [
    ("whatsapp_template_name", "", "nombre de la plantilla aprobada"),
    ("whatsapp_template_name", "Solicitud Breve", "solo minúsculas"),
    ("whatsapp_language", "", "idioma de la plantilla"),
    ("whatsapp_language", "español", "como lo pide WhatsApp"),
    ("whatsapp_language", "es-ec", "como lo pide WhatsApp"),
    ("type", "OTRO", "Elija un tipo"),
    ("name", "", "obligatorio"),
    ("content", "", "obligatorio"),
])
def test_create_refuses_bad_field_with_message_and_inserts_nothing(field, value, message):
    b, ws, _ = new_workspace()
    assert_form_refused(b, ws, "/templates/new", "/templates", template_form(**{field: value}),
                        "templates", message, "template.create")


def test_followup_templates_store_no_whatsapp_fields():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws, type="FOLLOWUP_HAPPY", content="Gracias {{name}}: {{reviewLink}}",
                          whatsapp_template_name="no_aplica", whatsapp_language="es")
    assert row(tid)[6:] == (None, None)
    page = b.get(f"/templates/{tid}")
    assert 'name="whatsapp_template_name"' not in page.text


def test_whatsapp_language_with_region_is_accepted():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws, whatsapp_language="es_MX")
    assert row(tid)[7] == "es_MX"


# --- edit ------------------------------------------------------------------------------------

def test_edit_updates_text_and_variables_keeps_type_and_audits_old_and_new():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    r = b.submit(f"/templates/{tid}", f"/templates/{tid}", template_form(
        type="FOLLOWUP_HAPPY", name="Solicitud editada",
        content="{{name}}, su cita del {{date}}: responda del 1 al 5."))
    assert r.status_code == 303 and r.headers["Location"] == f"/templates/{tid}?saved=1"
    name, type_, content, variables, *_ = row(tid)
    assert (name, type_, variables) == ("Solicitud editada", "INITIAL", ["name", "date"])
    [(entity, old, new, _)] = audit_rows(ws, "template.update")
    assert entity == tid
    assert old["variables"] == ["name", "practice"] and new["variables"] == ["name", "date"]
    assert old["name"] == "Solicitud breve" and new["name"] == "Solicitud editada"


def test_line_breaks_are_stored_as_lf_and_counted_once():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws, content="Hola {{name}}\r\nResponda del 1 al 5.\rGracias")
    assert row(tid)[2] == "Hola {{name}}\nResponda del 1 al 5.\nGracias"
    r = preview(b, content="a\r\nb")
    assert "3 caracteres" in r.text


def test_edit_with_unknown_variable_refused_and_row_unchanged():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    before = table_snapshot("templates", ws)
    r = b.submit(f"/templates/{tid}", f"/templates/{tid}",
                 template_form(content="Hola {{telefono}}"))
    assert r.status_code == 422
    assert "{{telefono}}" in r.text and "no existe" in r.text
    # The form comes back with what was typed.
    assert "Hola {{telefono}}</textarea>" in r.text
    assert_well_formed("422 edit", r.text)
    assert table_snapshot("templates", ws) == before
    assert audit_rows(ws, "template.update") == []


def test_edit_page_of_a_default_offers_no_delete():
    b, ws, _ = new_workspace()
    [tid] = default_of(ws, "INITIAL")
    page = b.get(f"/templates/{tid}")
    assert page.status_code == 200
    assert_well_formed("/templates/:id default", page.text)
    assert "Predeterminada" in page.text and f"/templates/{tid}/delete" not in page.text


# --- delete ------------------------------------------------------------------------------------

def test_delete_template_removes_it_and_audits_old_values():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    r = b.submit(f"/templates/{tid}", f"/templates/{tid}/delete", {})
    assert r.status_code == 303 and r.headers["Location"] == "/templates?deleted=1"
    assert row(tid) is None
    [(entity, old, new, _)] = audit_rows(ws, "template.delete")
    assert (entity, new) == (tid, None) and old["name"] == "Solicitud breve"
    assert "Plantilla eliminada" in b.get("/templates?deleted=1").text


def test_delete_default_refused_with_reason_and_nothing_changed():
    b, ws, _ = new_workspace()
    [tid] = default_of(ws, "FOLLOWUP_UNHAPPY")
    before = table_snapshot("templates", ws)
    r = csrf_post(b, f"/templates/{tid}/delete")
    assert r.status_code == 422
    assert "predeterminada de su tipo y no se puede eliminar" in r.text
    assert_well_formed("422 delete default", r.text)
    assert table_snapshot("templates", ws) == before
    assert audit_rows(ws, "template.delete") == []


# --- make default -------------------------------------------------------------------------------

def test_make_default_switches_the_types_default_and_audits_both():
    b, ws, _ = new_workspace()
    [old] = default_of(ws, "INITIAL")
    others = default_ids(ws)
    tid = create_template(b, ws)
    r = b.submit("/templates", f"/templates/{tid}/default", {})
    assert r.status_code == 303 and r.headers["Location"] == "/templates?default=1"
    assert default_of(ws, "INITIAL") == [tid]
    assert row(old)[5] is False
    for t in TYPES[1:]:
        assert default_of(ws, t) == others[t]
    [(entity, before, after, _)] = audit_rows(ws, "template.default")
    assert entity == tid
    assert before == {"type": "INITIAL", "default_template_id": old}
    assert after == {"type": "INITIAL", "default_template_id": tid}
    # The old default may now be deleted.
    assert csrf_post(b, f"/templates/{old}/delete").status_code == 303


def test_make_default_of_the_default_changes_nothing():
    b, ws, _ = new_workspace()
    [tid] = default_of(ws, "REMINDER")
    before = table_snapshot("templates", ws)
    assert csrf_post(b, f"/templates/{tid}/default").status_code == 303
    assert table_snapshot("templates", ws) == before
    assert audit_rows(ws, "template.default") == []


def test_concurrent_default_switches_leave_exactly_one_default():
    """Eight switches of one type at once: each is one transaction that locks the type's
    rows, so every request succeeds and the type ends with exactly one default."""
    b, ws, _ = new_workspace()
    ids = [create_template(b, ws, name=f"Variante {i}") for i in range(8)]
    tok = csrf_of(b.get("/account").text, "/account")
    statuses = []

    def switch(tid):
        statuses.append(b.post(f"/templates/{tid}/default", {"_csrf": tok}).status_code)

    threads = [threading.Thread(target=switch, args=(t,)) for t in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 8
    defaults = default_of(ws, "INITIAL")
    assert len(defaults) == 1 and defaults[0] in ids
    assert len(audit_rows(ws, "template.default")) == 8


# --- preview and warnings ------------------------------------------------------------------------

def preview_from(b, page_path, form_action, data):
    """Presses "Vista previa" in the editor at page_path: its form (posting to
    form_action) goes to /templates/preview instead, through the button's formaction."""
    page = b.get(page_path)
    assert 'formaction="/templates/preview"' in page.text
    return b.post("/templates/preview", dict(data, _csrf=csrf_of(page.text, form_action)))


def preview(b, **over):
    return preview_from(b, "/templates/new", "/templates", template_form(**over))


def test_preview_renders_sample_data_and_saves_nothing():
    b, ws, _ = new_workspace()
    create_practice(b, ws, name="Clínica del Valle", timezone="America/Guayaquil")
    before = table_snapshot("templates", ws)
    r = preview(b, content="Hola {{name}}, su cita en {{practice}} del {{date}}. Dr(a). {{doctor}}")
    assert r.status_code == 200
    assert_well_formed("preview", r.text)
    assert ("Hola Andrés Peña, su cita en Clínica del Valle del lunes 15 de noviembre, "
            "10:00. Dr(a). Dra. Prueba") in r.text
    # What was typed stays in the form.
    assert "Hola {{name}}, su cita en {{practice}}" in r.text
    assert table_snapshot("templates", ws) == before


def test_preview_date_follows_the_practices_timezone():
    b, ws, _ = new_workspace()
    create_practice(b, ws, timezone="Europe/Madrid")
    r = preview(b, content="Su cita: {{date}}")
    assert "Su cita: lunes 15 de noviembre, 16:00" in r.text


def test_preview_of_gsm7_text_counts_160_then_153_per_part():
    b, _, _ = new_workspace()
    r = preview(b, content="a" * 160)
    assert "160 caracteres, 1 parte(s) de hasta 160" in r.text and "GSM-7" in r.text
    r = preview(b, content="a" * 161)
    assert "161 caracteres, 2 parte(s) de hasta 153" in r.text
    # Extension characters count two: 80 braces are 160 septets, 81 are 162.
    r = preview(b, content="[" * 81)
    assert "81 caracteres, 2 parte(s) de hasta 153 (162 unidades)" in r.text


def test_preview_names_the_characters_that_forced_ucs2():
    b, _, _ = new_workspace()
    r = preview(b, content="¿Cómo calificaría su visita? Responda aquí " + "x" * 30)
    assert "UCS-2" in r.text
    forced = re.findall(r"<code>([^<]+)</code>", r.text)
    assert forced == ["ó", "í"]
    assert "2 parte(s) de hasta 67" in r.text


def test_preview_of_text_with_unknown_variable_shows_the_error_not_a_preview():
    b, ws, _ = new_workspace()
    before = table_snapshot("templates", ws)
    r = preview(b, content="Hola {{nombre}}")
    assert r.status_code == 422
    assert "{{nombre}}" in r.text and 'id="preview-text"' not in r.text
    assert table_snapshot("templates", ws) == before


def test_preview_of_existing_template_keeps_its_type_and_form_action():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    r = preview_from(b, f"/templates/{tid}", f"/templates/{tid}",
                     dict(template_form(content="Nuevo texto {{name}}"), id=tid,
                          type="FOLLOWUP_UNHAPPY"))
    assert r.status_code == 200
    assert f'action="/templates/{tid}"' in r.text and "Nuevo texto Andrés Peña" in r.text
    assert "Solicitud de calificación" in r.text and "gating-warning" not in r.text
    assert row(tid)[2] == template_form()["content"]


def test_unhappy_followup_without_review_link_is_saved_with_a_warning():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws, type="FOLLOWUP_UNHAPPY", name="Solo privado",
                          content="Lo sentimos, {{name}}. Cuéntenos: {{feedbackLink}}")
    assert row(tid)[3] == ["name", "feedbackLink"]
    page = b.get(f"/templates/{tid}?saved=1")
    assert 'id="gating-warning"' in page.text and "Google prohíbe" in page.text
    assert_well_formed("gating warning", page.text)
    assert "Sin {{reviewLink}}" in b.get("/templates").text
    # The preview warns too, before saving.
    r = preview(b, type="FOLLOWUP_UNHAPPY", content="Lo sentimos: {{feedbackLink}}")
    assert r.status_code == 200 and 'id="gating-warning"' in r.text


def test_no_warning_when_unhappy_followup_has_review_link_or_type_is_other():
    b, ws, _ = new_workspace()
    [unhappy] = default_of(ws, "FOLLOWUP_UNHAPPY")
    assert "gating-warning" not in b.get(f"/templates/{unhappy}").text
    assert "Sin {{reviewLink}}" not in b.get("/templates").text
    r = preview(b, type="FOLLOWUP_HAPPY", content="Gracias {{name}}")
    assert "gating-warning" not in r.text


def test_whatsapp_template_named_in_preview_for_initial():
    b, _, _ = new_workspace()
    r = preview(b)
    assert "plantilla aprobada «solicitud_breve» (es)" in r.text.replace("&laquo;", "«").replace("&raquo;", "»")


# --- roles, CSRF, other workspaces ---------------------------------------------------------------

def test_doctor_sees_list_and_read_only_template_with_preview():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    doc, _ = add_user(ws, "DOCTOR")
    r = doc.get("/templates")
    assert r.status_code == 200 and "Solicitud breve" in r.text
    assert "/templates/new" not in r.text and "/delete" not in r.text
    assert_well_formed("/templates doctor", r.text)
    page = doc.get(f"/templates/{tid}")
    assert page.status_code == 200
    assert_page_basics("/templates/:id doctor", page.text)
    assert_well_formed("/templates/:id doctor", page.text)
    assert "<textarea" not in page.text and f'action="/templates/{tid}"' not in page.text
    assert 'id="preview-text"' in page.text and "Solo el propietario" in page.text


@pytest.mark.parametrize("method,path", [
    ("GET", "/templates/new"),
    ("POST", "/templates"),
    ("POST", "/templates/preview"),
    ("POST", "/templates/{id}"),
    ("POST", "/templates/{id}/delete"),
    ("POST", "/templates/{id}/default"),
])
def test_doctor_gets_403_on_every_change_and_nothing_changes(method, path):
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    doc, _ = add_user(ws, "DOCTOR")
    before = table_snapshot("templates", ws)
    path = path.format(id=tid)
    r = doc.get(path) if method == "GET" else csrf_post(doc, path, template_form(content="x {{name}}"))
    assert r.status_code == 403
    assert table_snapshot("templates", ws) == before


@pytest.mark.parametrize("path", ["/templates", "/templates/new", "/templates/{id}"])
def test_receptionist_gets_403_on_template_pages(path):
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    rec, _ = add_user(ws, "RECEPTIONIST")
    assert rec.get(path.format(id=tid)).status_code == 403


def test_signed_out_visitor_is_sent_to_login():
    r = Browser().get("/templates")
    assert r.status_code in (302, 303) and "/login" in r.headers["Location"]


def test_post_without_csrf_is_refused_and_nothing_changes():
    b, ws, _ = new_workspace()
    tid = create_template(b, ws)
    before = table_snapshot("templates", ws)
    for path, data in ((f"/templates/{tid}", template_form(name="Sin token")),
                       (f"/templates/{tid}/delete", {}), (f"/templates/{tid}/default", {}),
                       ("/templates", template_form())):
        assert b.post(path, data).status_code == 403
    assert table_snapshot("templates", ws) == before


@pytest.mark.parametrize("method,path", [
    ("GET", "/templates/{id}"),
    ("POST", "/templates/{id}"),
    ("POST", "/templates/{id}/delete"),
    ("POST", "/templates/{id}/default"),
    ("POST", "/templates/preview"),
])
def test_another_workspaces_template_is_404_and_unchanged(method, path):
    other, other_ws, _ = new_workspace()
    theirs = create_template(other, other_ws)
    before = table_snapshot("templates", other_ws)
    b, ws, _ = new_workspace()
    mine_before = table_snapshot("templates", ws)
    target = path.format(id=theirs)
    data = dict(template_form(name="Robada", content="Hola {{name}}"), id=theirs)
    r = b.get(target) if method == "GET" else csrf_post(b, target, data)
    assert r.status_code == 404
    assert_well_formed(f"404 {path}", r.text)
    assert table_snapshot("templates", other_ws) == before
    assert table_snapshot("templates", ws) == mine_before
    assert audit_rows(ws, "template.update") == [] and audit_rows(other_ws, "template.update") == []


@pytest.mark.parametrize("path", ["/templates/not-a-uuid", "/templates/00000000-0000-4000-8000-000000000000"])
def test_unknown_or_malformed_id_is_404(path):
    b, _, _ = new_workspace()
    assert b.get(path).status_code == 404
    assert csrf_post(b, path + "/delete").status_code == 404


def test_preview_tells_apart_characters_from_the_sample_data():
    b, ws, _ = new_workspace()
    create_practice(b, ws, name="Clínica del Valle")
    r = preview(b, content="Gracias por venir a {{practice}}, {{name}}.")
    assert "UCS-2" in r.text and "Su texto cabe en GSM-7" in r.text
    sample = r.text[r.text.index('id="sms-sample-forced"'):]
    assert re.findall(r"<code>([^<]+)</code>", sample[:sample.index("</p>")]) == ["í"]
    assert "Variables usadas: {{practice}}, {{name}}." in r.text


def test_preview_links_are_the_ones_the_sender_puts_in_a_message():
    """{{reviewLink}} and {{feedbackLink}} preview as the sender writes them: our own /r/
    (counted, then on to Google) and /f/ links with a full token, signed for this
    workspace, so the SMS figures are a real message's. (The preview showed Google's URL
    and a 43-character token: 35 characters short on each feedback link.)"""
    b, ws, _ = new_workspace()
    create_practice(b, ws, google_place_id="ChIJ_consultorio_de_prueba_123")
    r = preview(b, type="FOLLOWUP_UNHAPPY", content="R: {{reviewLink}} F: {{feedbackLink}}")
    m = re.search(r"R: (\S+)/r/([A-Za-z0-9_-]+) F: (\S+)/f/([A-Za-z0-9_-]+)</pre>", r.text)
    assert m, r.text
    assert m.group(1) == m.group(3) == BASE
    for kind, token in (("r", m.group(2)), ("f", m.group(4))):
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(token) == 78 and raw[1:2] == kind.encode()
        assert str(uuid.UUID(bytes=raw[26:42])) == str(ws)      # the token's workspace
    chars = int(re.search(r"Como SMS: (\d+) caracteres", r.text).group(1))
    assert chars == len(f"R: {BASE}/r/{m.group(2)} F: {BASE}/f/{m.group(4)}")
