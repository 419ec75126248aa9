"""The role matrix, by direct request, over every route the programs declare (read from
their `--routes` output, so new routes are covered without editing this file):

- each staff route, asked by an OWNER, a DOCTOR and a RECEPTIONIST of one workspace,
  answers 403 exactly when its roles leave that role out, and never 403 when they
  include it (POSTs carry a valid CSRF token, so a 403 can only be the role check);
- each signed-in GET route with parameters, asked by the owner of one workspace with the
  ids of another workspace's rows, answers 404.

Path parameters get ids that exist nowhere (role matrix) or ids of the other workspace's
rows (404 check), so no request here changes anything that exists.
"""
import uuid

import pytest

import dbutil
import routes as route_table
from test_nav import add_user
from web import BASE, Browser, DEMO_PASSWORD, csrf_of, signup

ROUTES = route_table.all_routes()
STAFF_ROUTES = [r for r in ROUTES if not r.public]
# Routes that end the session they are asked with get a session of their own.
ENDS_SESSION = {"POST /logout"}


def fill(pattern, value_for):
    """The pattern with each :param replaced by value_for(param name, segment before)."""
    segs = pattern.split("/")
    return "/".join(value_for(s[1:], segs[i - 1]) if s.startswith(":") else s
                    for i, s in enumerate(segs))


def unknown_value(name, _before):
    """A value that names nothing: a fresh uuid for ids, a hex string otherwise."""
    return str(uuid.uuid4()) if "id" in name.lower() else uuid.uuid4().hex * 2


def with_csrf(b, data=None):
    page = b.get("/account")
    assert page.status_code == 200, "the session of this role ended early"
    return {**(data or {}), "_csrf": csrf_of(page.text)}


class Staff:
    """A fresh workspace with one user per role, each with a signed-in session."""

    def __init__(self):
        owner = Browser()
        r, owner_email = signup(owner, password=DEMO_PASSWORD)
        assert r.status_code == 303
        self.emails = {"OWNER": owner_email}
        self.sessions = {"OWNER": owner}
        for role in ("DOCTOR", "RECEPTIONIST"):
            self.emails[role] = add_user(owner_email, role)
            self.sessions[role] = self.new_session(role)

    def new_session(self, role):
        b = Browser()
        assert b.login(self.emails[role], DEMO_PASSWORD).status_code == 303
        return b

    def __getitem__(self, role):
        return self.sessions[role]


@pytest.fixture(scope="module")
def staff():
    return Staff()


def request(b, route, path):
    if route.method in ("GET", "HEAD"):
        return b.s.request(route.method, BASE + path, allow_redirects=False, timeout=30)
    data = with_csrf(b)
    return b.s.request(route.method, BASE + path, data=data, allow_redirects=False,
                       headers={"X-CSRF-Token": data["_csrf"]}, timeout=30)


def test_the_route_tables_were_read():
    programs = {r.program for r in ROUTES}
    assert {"auth", "reports"} <= programs, programs
    assert any(str(r) == "GET /users" and r.roles == {"OWNER"} for r in ROUTES)
    assert all(r.roles <= set(route_table.ROLES) for r in ROUTES)


@pytest.mark.parametrize("role", route_table.ROLES)
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_route_answers_403_exactly_where_the_role_is_left_out(staff, route, role):
    path = fill(route.pattern, unknown_value)
    b = staff.new_session(role) if str(route) in ENDS_SESSION else staff[role]
    r = request(b, route, path)
    if role in route.roles:
        assert r.status_code != 403, f"{role} refused on {route} ({path}): {r.status_code}"
        # Signed in and allowed: never sent back to the login page.
        assert str(route) in ENDS_SESSION or not (
            r.status_code in (302, 303) and r.headers.get("Location", "").startswith("/login")
        ), f"{role} sent to the login page by {route}"
    else:
        assert r.status_code == 403, f"{role} got {r.status_code} on {route} ({path})"
        assert "Tu rol no tiene permiso" in r.text


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_route_refuses_guests(route):
    """Nobody signed in: pages send to the login, posts never get through."""
    b = Browser()
    path = fill(route.pattern, unknown_value)
    if route.method == "GET":
        r = b.get(path)
        assert r.status_code == 303 and r.headers["Location"].startswith("/login"), (
            route, r.status_code)
    else:
        r = b.s.request(route.method, BASE + path, allow_redirects=False, timeout=30,
                        data=with_guest_csrf(b))
        assert r.status_code in (303, 403), (route, r.status_code)


def with_guest_csrf(b):
    return {"_csrf": csrf_of(b.get("/login").text, "/login")}


# ---- another workspace's ids -------------------------------------------------------------

ID_GET_ROUTES = [r for r in STAFF_ROUTES if r.method == "GET" and r.params and "OWNER" in r.roles]


def other_workspace_ids():
    """One row id from each tenant table of the demo workspace: {table: id}."""
    ids = {}
    with dbutil.connected("rm_owner") as conn:
        tables = [t for (t,) in dbutil.query(conn, """
            SELECT c.table_name FROM information_schema.columns c
              JOIN information_schema.columns i
                ON i.table_schema = c.table_schema AND i.table_name = c.table_name
               AND i.column_name = 'id' AND i.data_type = 'uuid'
             WHERE c.table_schema = 'public' AND c.column_name = 'workspace_id'
             ORDER BY 1""")]
        for t in tables:
            row = dbutil.query(conn, f'SELECT id::text FROM "{t}" WHERE workspace_id = %s '
                                     "ORDER BY created_at LIMIT 1", (dbutil.DEMO_WORKSPACE,))
            if row:
                ids[t] = row[0][0]
    return ids


@pytest.fixture(scope="module")
def demo_ids():
    ids = other_workspace_ids()
    assert {"campaigns", "patients", "practices", "templates", "users"} <= set(ids), ids
    return ids


@pytest.mark.parametrize("route", ID_GET_ROUTES, ids=str)
def test_get_with_another_workspaces_ids_is_404(staff, demo_ids, route):
    """Every id parameter gets, in turn, the id of a demo-workspace row of every tenant
    table: none of them opens anything for another workspace's owner."""
    owner = staff["OWNER"]
    for table, row_id in demo_ids.items():
        path = fill(route.pattern, lambda name, before: row_id if "id" in name.lower()
                    else unknown_value(name, before))
        r = owner.get(path)
        assert r.status_code == 404, f"{path} ({table} row of another workspace): {r.status_code}"


def own_value(ids):
    """Fills a parameter with the id of the demo row its segment names
    (/campaigns/:id → a campaign); None when the segment names no table."""
    def value(name, before):
        if "id" not in name.lower() or before not in ids:
            raise LookupError(before)
        return ids[before]
    return value


def test_the_same_pages_open_for_their_own_workspace(demo_ids):
    """The 404s above come from the workspace check, not from pages that never open: the
    demo owner gets every page whose ids it can name from its own rows."""
    demo = Browser()
    assert demo.login().status_code == 303
    checked = []
    for route in ID_GET_ROUTES:
        try:
            path = fill(route.pattern, own_value(demo_ids))
        except LookupError:
            continue
        r = demo.get(path)
        assert r.status_code == 200, f"{path}: {r.status_code}"
        checked.append(path)
    if ID_GET_ROUTES:
        assert checked, "no GET route with an id names a table: the 404 check proves nothing"
