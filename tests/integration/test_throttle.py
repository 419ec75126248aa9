"""Sign-in and signup throttling (migration 0009): guesses from one address never lock
the real user out; parallel guesses never exceed the limit; signups are capped per
address per hour. Clocks move through the database, never by sleeping."""
import concurrent.futures
import itertools
import time

import dbutil
from source_addr import browser_from
from web import DEMO_PASSWORD, signup, unique_email

MAX_FAILURES = 5        # RM_LOGIN_MAX_FAILURES default
_addresses = itertools.count(10)


def fresh_address():
    """A loopback address no other test uses."""
    n = next(_addresses)
    return f"127.0.{n // 250}.{n % 250 + 2}"


def attempts(email, ip=None):
    with dbutil.connected("rm_owner") as conn:
        sql = "SELECT count(*) FILTER (WHERE NOT succeeded), count(*) FILTER (WHERE succeeded)" \
              " FROM login_attempts WHERE email = %s"
        args = [email]
        if ip:
            sql += " AND ip_address = %s::inet"
            args.append(ip)
        return tuple(dbutil.query(conn, sql, args)[0])


def new_owner():
    b = browser_from(fresh_address())
    r, email = signup(b)
    assert r.status_code == 303
    return email, "clave-segura-1"


def test_five_failures_from_one_address_do_not_stop_the_right_password_from_another():
    email, password = new_owner()
    attacker = browser_from(fresh_address())
    for _ in range(MAX_FAILURES):
        assert attacker.login(email, "adivinanza").status_code == 401
    # The attacker's address is stopped, even with the right password ...
    r = attacker.login(email, password)
    assert r.status_code == 429 and "Demasiados intentos" in r.text
    # ... the owner, elsewhere, is not: slowed down a little at most.
    owner = browser_from(fresh_address())
    t = time.monotonic()
    r = owner.login(email, password)
    assert r.status_code == 303
    assert time.monotonic() - t < 5
    assert owner.get("/account").status_code == 200


def test_parallel_wrong_attempts_from_one_address_never_exceed_the_limit():
    email, _ = new_owner()
    ip = fresh_address()
    browsers = [browser_from(ip) for _ in range(12)]
    for b in browsers:            # each loads the form (and its CSRF token) first
        b.get("/login")

    def guess(b):
        return b.login(email, "adivinanza").status_code

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        codes = sorted(pool.map(guess, browsers))
    assert codes == [401] * MAX_FAILURES + [429] * (12 - MAX_FAILURES)
    assert attempts(email, ip) == (MAX_FAILURES, 0)


def test_failures_across_addresses_delay_but_never_refuse_the_right_password():
    email, password = new_owner()
    for _ in range(MAX_FAILURES + 2):   # two guesses from each of many addresses
        b = browser_from(fresh_address())
        assert b.login(email, "adivinanza").status_code == 401
    r = browser_from(fresh_address()).login(email, password)
    assert r.status_code == 303
    assert attempts(email)[1] == 1


def test_the_hard_stop_ends_when_the_window_has_passed():
    email, password = new_owner()
    ip = fresh_address()
    b = browser_from(ip)
    for _ in range(MAX_FAILURES):
        assert b.login(email, "adivinanza").status_code == 401
    assert b.login(email, password).status_code == 429
    with dbutil.connected("rm_owner") as conn:   # 15 minutes (the default window) pass
        dbutil.query(conn, "UPDATE login_attempts SET attempted_at = attempted_at"
                           " - interval '15 minutes 1 second' WHERE email = %s", (email,))
    assert b.login(email, password).status_code == 303


def test_a_success_resets_the_stop_for_that_address():
    email, password = new_owner()
    b = browser_from(fresh_address())
    for _ in range(MAX_FAILURES - 1):
        assert b.login(email, "adivinanza").status_code == 401
    assert b.login(email, password).status_code == 303
    b2 = browser_from(b.s.adapters["http://"]._source)
    for _ in range(MAX_FAILURES - 1):
        assert b2.login(email, "adivinanza").status_code == 401
    assert b2.login(email, password).status_code == 303


def signup_cap():
    """RM_SIGNUP_MAX_PER_HOUR as the running auth program has it (default 10)."""
    state = dbutil.os.environ["RM_STATE"]
    pid = open(dbutil.os.path.join(state, "run", "auth.pid")).read().split()[0]
    env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    for var in env:
        if var.startswith(b"RM_SIGNUP_MAX_PER_HOUR="):
            return int(var.split(b"=", 1)[1])
    return 10


def test_signups_per_address_are_capped_per_hour_and_nothing_is_created_past_the_cap():
    ip = fresh_address()
    with dbutil.connected("rm_owner") as conn:
        # The cap's worth of attempts in the last hour, one of them 61 minutes old.
        dbutil.query(conn, "INSERT INTO signup_attempts (ip_address, attempted_at)"
                           " SELECT %s::inet, now() - interval '1 minute'"
                           "   FROM generate_series(1, %s)", (ip, signup_cap() - 1))
        dbutil.query(conn, "INSERT INTO signup_attempts (ip_address, attempted_at)"
                           " VALUES (%s::inet, now() - interval '61 minutes')", (ip,))
    b = browser_from(ip)
    r, email = signup(b)                 # the last one allowed this hour
    assert r.status_code == 303
    r, email = signup(browser_from(ip), email=unique_email("capped"))
    assert r.status_code == 429 and "demasiadas cuentas" in r.text
    with dbutil.connected("rm_owner") as conn:
        assert dbutil.scalar(conn, "SELECT count(*) FROM users WHERE email = %s", (email,)) == 0
    # Another address is not affected.
    r, _ = signup(browser_from(fresh_address()))
    assert r.status_code == 303


def test_signup_is_rate_limited_by_nginx():
    conf = open(dbutil.os.path.join(dbutil.os.environ["RM_STATE"], "nginx.conf")).read()
    block = conf[conf.index("location = /signup"):]
    block = block[:block.index("}")]
    assert "limit_req zone=signup" in block and "fastcgi_pass auth" in block
