"""Every action a program records in the audit log has its Spanish name on /audit
(fcgi/reports/audit_labels.c), and every action name is entity.verb like 0005's
patient.erase (sign-in events aside). Reads the sources: no stack needed."""
import glob
import os
import re

import dbutil

FCGI = os.path.join(dbutil.REPO, "fcgi")
LABELS = os.path.join(FCGI, "reports", "audit_labels.c")
# The action is the fourth argument of audit_record(c, ws, user, "action", ...) and of
# users.c's audit_json, or the campaign lifecycle table's .audit = "action".
CALL = re.compile(r"\baudit_(?:record|json)\(")
TABLE = re.compile(r'\.audit = "([^"]+)"')
SIGN_IN = {"login", "login_failed", "logout", "signup"}


def fourth_argument(text, start):
    """The fourth top-level argument of the call whose "(" ends at start."""
    depth, arg, args = 0, "", []
    for ch in text[start:]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        if ch == "," and depth == 0:
            args.append(arg.strip())
            arg = ""
            if len(args) == 4:
                break
        else:
            arg += ch
    return args[3] if len(args) == 4 else None


def recorded_actions():
    found = set()
    for path in glob.glob(os.path.join(FCGI, "**", "*.c"), recursive=True):
        if path.endswith(os.path.join("core", "audit.c")):
            continue                    # the definition, not a call
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in CALL.finditer(text):
            arg = fourth_argument(text, m.end())
            if arg is not None:
                found.add(arg)
        found.update(f'"{a}"' for a in TABLE.findall(text))
    # Callers that pass the action on (users.c's audit_json(..., action, ...)) name a
    # variable: their callers' literals are found at those calls.
    return {a.strip('"') for a in found if a.startswith('"')}


def action_names():
    """{action: its Spanish name} as audit_labels.c's table gives them."""
    with open(LABELS, encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("audit_actions[] = {"):text.index("audit_entities[] = {")]
    return dict(re.findall(r'\{ "([^"]+)", "([^"]+)" \}', table))


def labelled_actions():
    return set(action_names())


def test_the_sources_record_the_actions_this_test_knows_of():
    actions = recorded_actions()
    assert len(actions) >= 30           # the pattern still finds the calls
    assert {"patient.erase", "campaign.cancel", "user.role", "login"} <= actions


def test_every_recorded_action_has_a_spanish_name_on_the_audit_page():
    assert recorded_actions() - labelled_actions() == set()


def test_every_action_is_entity_dot_verb():
    odd = {a for a in recorded_actions() - SIGN_IN if not re.fullmatch(r"[a-z]+\.[a-z_]+", a)}
    assert odd == set()
