"""Server-side sessions, tickets, the throttle, the audit log and the cookie pieces (no browser).

Times are passed explicitly (`now=`) so timeouts and delays are exact.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from urllib.parse import urlencode

import jwt
import pytest
from starlette.applications import Starlette

from dashboard import audit, auth, login, sessions, store, web

T0 = dt.datetime(2026, 7, 1, 9, 0, 0)
KEY = "tK3v9Qz-Lm2Xw8Rb_Yp4Nc7Hs1Jd6Fg0Ua5Ee"


@pytest.fixture
def users(tmp_path, monkeypatch):
    """A users file with bob (cio) and carol (admin)."""
    path = tmp_path / "auth.yaml"
    monkeypatch.setenv("ITAM_AUTH_FILE", str(path))
    config = auth.load_config()
    auth.add_user(config, "bob", "password-bob", ["cio"])
    auth.add_user(config, "carol", "password-carol", ["admin"])
    auth.save_config(config)
    return path


def at(seconds: float = 0, hours: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds, hours=hours)


# ------------------------------------------------------------------ sessions


def test_session_round_trip_and_the_table_holds_no_token(engine, users):
    token = sessions.create_session(engine, "Bob", now=at())
    assert sessions.resolve_session(engine, token, now=at(60)) == "bob"
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id, username, source FROM login_sessions").one()
    assert row == (hashlib.sha256(token.encode()).hexdigest(), "bob", "local")
    assert token not in json.dumps([str(v) for v in row])


@pytest.mark.parametrize(
    ("idle_h", "absolute_h", "seen_after_h", "check_after_h", "alive"),
    [
        (8, 24, None, 7.9, True),  # within the idle timeout
        (8, 24, None, 8.0, False),  # idle for exactly 8 h: ended
        (8, 24, 7, 14, True),  # active at 7 h, so idle only 7 h at 14 h
        (24, 24, 20, 24.0, False),  # active at 20 h, but the absolute timeout has come
        (1, 24, None, 1.5, False),  # a shorter idle setting
    ],
)
def test_timeouts(engine, users, idle_h, absolute_h, seen_after_h, check_after_h, alive):
    store.set_setting(engine, "session_idle_hours", str(idle_h))
    store.set_setting(engine, "session_absolute_hours", str(absolute_h))
    token = sessions.create_session(engine, "bob", now=at())
    if seen_after_h is not None:
        assert sessions.resolve_session(engine, token, now=at(hours=seen_after_h)) == "bob"
    assert (sessions.resolve_session(engine, token, now=at(hours=check_after_h)) == "bob") is alive


def test_bad_timeout_settings_fall_back_to_the_defaults(engine):
    store.set_setting(engine, "session_idle_hours", "soon")
    store.set_setting(engine, "session_absolute_hours", "-3")
    assert sessions.timeouts(engine) == (dt.timedelta(hours=8), dt.timedelta(hours=24))


def test_revoke_one_user_and_all(engine, users):
    b1 = sessions.create_session(engine, "bob", now=at())
    b2 = sessions.create_session(engine, "bob", now=at())
    c1 = sessions.create_session(engine, "carol", now=at())
    assert sessions.revoke_session(engine, b1) is True
    assert sessions.revoke_session(engine, b1) is False  # already ended
    assert sessions.revoke_user(engine, "BOB") == 1  # b2 only: b1 was ended already
    assert [sessions.resolve_session(engine, t, now=at(1)) for t in (b1, b2, c1)] == [
        None,
        None,
        "carol",
    ]
    assert sessions.revoke_all(engine) == 1
    assert sessions.resolve_session(engine, c1, now=at(1)) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: auth.set_password(c, "bob", "another-password"),
        lambda c: auth.set_roles(c, "bob", ["cfo"]),
        lambda c: auth.remove_user(c, "bob"),
    ],
    ids=["set-password", "set-roles", "remove"],
)
def test_user_changes_end_sessions_without_the_database(engine, users, change):
    """A CLI that cannot reach the database still ends the user's sessions (identity stamp)."""
    token = sessions.create_session(engine, "bob", now=at())
    config = auth.load_config()
    change(config)
    auth.save_config(config)
    assert sessions.resolve_session(engine, token, now=at(1)) is None


def test_a_scope_change_keeps_the_session(engine, users):
    token = sessions.create_session(engine, "bob", now=at())
    config = auth.load_config()
    auth.set_scope(config, "bob", {"department": ["Finance"]})
    auth.save_config(config)
    assert sessions.resolve_session(engine, token, now=at(1)) == "bob"


def test_a_demo_admin_session_never_opens_the_real_admin(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ITAM_AUTH_FILE", str(tmp_path / "auth.yaml"))
    auth.sync_demo_users(True)
    demo_token = sessions.create_session(engine, "admin", now=at())
    assert sessions.resolve_session(engine, demo_token, now=at(1)) == "admin"
    config = auth.load_config()
    auth.remove_demo_users(config)  # leaving demo mode; then a real admin of the same name
    auth.add_user(config, "admin", "the-real-admin-pw", ["admin"])
    auth.save_config(config)
    assert sessions.resolve_session(engine, demo_token, now=at(2)) is None
    real = sessions.create_session(engine, "admin", now=at(3))
    assert sessions.resolve_session(engine, real, now=at(4)) == "admin"


def test_oidc_sessions_need_no_users_file_entry(engine, users):
    token = sessions.create_session(engine, "dana@example.org", source="oidc", now=at())
    assert sessions.resolve_session(engine, token, now=at(1)) == "dana@example.org"
    assert sessions.revoke_user(engine, "dana@example.org") == 1
    with pytest.raises(ValueError, match="unknown session source"):
        sessions.create_session(engine, "x", source="ldap")


@pytest.mark.parametrize(
    "token",
    [None, "", "garbage", "a" * 20, "x" * 500, "abc.def.ghi", "../../etc/passwd" + "a" * 30, 12345],
)
def test_malformed_tokens_resolve_to_nobody(engine, token):
    assert sessions.resolve_session(engine, token) is None
    assert sessions.revoke_session(engine, token) is False


def test_live_sessions_per_user(engine, users):
    sessions.create_session(engine, "bob", now=at())
    sessions.create_session(engine, "bob", now=at())
    ended = sessions.create_session(engine, "carol", now=at())
    sessions.revoke_session(engine, ended)
    assert sessions.live_sessions(engine, now=at(60)) == {"bob": 2}


# ------------------------------------------------------------------ tickets


def test_a_ticket_works_once_and_only_briefly(engine, users):
    token = sessions.create_session(engine, "bob", now=at())
    value = web.sign(token, KEY)
    ticket = sessions.issue_ticket(engine, value, now=at())
    assert sessions.redeem_ticket(engine, ticket, now=at(30)) == value
    assert sessions.redeem_ticket(engine, ticket, now=at(31)) is None  # used
    late = sessions.issue_ticket(engine, value, now=at())
    assert sessions.redeem_ticket(engine, late, now=at(61)) is None  # 60 s have passed
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM login_tickets").scalar() == 0


def test_the_ticket_table_holds_no_cookie_value(engine, users):
    value = web.sign(sessions.create_session(engine, "bob"), KEY)
    sessions.issue_ticket(engine, value)
    with engine.connect() as conn:
        sealed = conn.exec_driver_sql("SELECT sealed FROM login_tickets").scalar()
    assert value not in sealed and value.encode().hex() != sealed


# ------------------------------------------------------------------ throttle


@pytest.mark.parametrize(
    ("failures", "user_delay", "address_delay"),
    [
        (0, 0, 0),
        (2, 0, 0),
        (3, 1, 0),
        (4, 2, 0),
        (8, 32, 0),
        (9, 60, 0),
        (40, 60, 900),
        (10, 60, 1),
        (13, 60, 8),
    ],
)
def test_delays(failures, user_delay, address_delay):
    assert sessions.USER_POLICY.delay(failures) == user_delay
    assert sessions.ADDRESS_POLICY.delay(failures) == address_delay


def test_claims_follow_the_schedule(engine):
    key = sessions.user_key("bob")
    policy = sessions.USER_POLICY
    got = [sessions.claim(engine, key, policy, now=at(0)).granted for _ in range(4)]
    assert got == [True, True, True, False]  # the third failure starts a 1 s delay
    refused = sessions.claim(engine, key, policy, now=at(0.25))
    assert (refused.granted, refused.wait_s) == (False, 0.75)
    assert sessions.claim(engine, key, policy, now=at(1)).granted  # the 4th: then 2 s
    assert not sessions.claim(engine, key, policy, now=at(2.5)).granted
    assert sessions.claim(engine, key, policy, now=at(3)).failures == 5
    # an hour of quiet and the count starts again
    assert sessions.claim(engine, key, policy, now=at(hours=2)).failures == 1


def test_parallel_claims_get_no_more_slots_than_one(engine):
    """Twenty threads race for one user's slots at the same instant: three are granted."""
    key, now = sessions.user_key("bob"), at()
    sessions.claim(engine, key, sessions.USER_POLICY, now=now)  # the row exists; 2 free left
    barrier = threading.Barrier(20)
    results: list[bool] = []

    def attempt() -> None:
        barrier.wait()
        results.append(
            sessions.claim(engine, key, sessions.USER_POLICY, now=now, count_check=True).granted
        )

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) <= 2
    assert sessions.checks_made(engine, "bob") == sum(results)


def _login(engine, who, password, now, ip="10.0.0.1"):
    return login.attempt(engine, auth.load_config(), who, password, ip=ip, now=now)


def test_a_login_resets_the_users_count_and_refunds_only_its_own_address_slot(engine, users):
    for i in range(2):
        assert "Wrong username" in _login(engine, "bob", "nope", at(i)).message
    ok = _login(engine, "bob", "password-bob", at(5))
    assert ok.token and ok.username == "bob"
    with engine.connect() as conn:
        rows = dict(conn.exec_driver_sql("SELECT key, failures FROM login_throttle").all())
    assert rows == {"user:bob": 0, "ip:10.0.0.1": 2}  # the two failures stay on the address


def test_unknown_users_are_throttled_like_known_ones(engine, users):
    msgs = [_login(engine, "nobody", "nope", at(0)).message for _ in range(4)]
    assert msgs[:2] == ["Wrong username or password."] * 2
    assert msgs[2] == "Wrong username or password. Next attempt possible in 1 s."
    assert msgs[3].startswith("Too many failed attempts")
    assert sessions.checks_made(engine, "nobody") == 3


def test_lockout_by_a_stranger_is_bounded_and_an_admin_unlocks(engine, users):
    # A stranger tries bob's name from many addresses for an hour: bob waits a minute at most.
    t = 0.0
    for _ in range(200):
        claim = sessions.claim(engine, sessions.user_key("bob"), sessions.USER_POLICY, now=at(t))
        t += 0.5 if claim.granted else claim.wait_s
    assert sessions.locked_users(engine, now=at(t))["bob"]["wait_s"] <= 60
    assert _login(engine, "bob", "password-bob", at(t), ip="10.9.9.9").token  # his turn comes
    for _ in range(5):
        _login(engine, "bob", "nope", at(t + 1), ip="10.9.9.9")
    assert _login(engine, "bob", "password-bob", at(t + 1.5)).message.startswith("Too many")
    assert sessions.unlock(engine, "bob", now=at(t + 1.5)) is True
    assert sessions.unlock(engine, "bob", now=at(t + 1.5)) is False  # nothing left to clear
    assert _login(engine, "bob", "password-bob", at(t + 1.5), ip="10.8.8.8").token


def test_the_address_throttle_stops_spraying_many_names(engine, users):
    msgs = [_login(engine, f"user{i}", "nope", at(0), ip="10.6.6.6").message for i in range(12)]
    assert all(m.startswith("Wrong") for m in msgs[:10])
    assert msgs[10] == "Too many failed attempts from your network address: try again in 1 s."
    assert _login(engine, "user0", "nope", at(0), ip="10.7.7.7").message.startswith("Wrong")


def test_an_admin_sees_and_unlocks_a_throttled_address(engine, users):
    for i in range(12):
        _login(engine, f"user{i}", "nope", at(0), ip="10.6.6.6")
    _login(engine, "bob", "nope", at(0), ip="10.5.5.5")
    found = sessions.locked_addresses(engine, now=at(0))
    assert sorted(found) == ["10.5.5.5", "10.6.6.6"]
    # 10 failures counted: the 11th and 12th attempts were refused before any password check
    assert (found["10.6.6.6"]["failures"], found["10.5.5.5"]["failures"]) == (10, 1)
    assert "bob" in sessions.locked_users(engine, now=at(0))  # users are listed apart
    assert "10.6.6.6" not in sessions.locked_users(engine, now=at(0))
    assert sessions.unlock(engine, "", key=sessions.address_key("10.6.6.6"), now=at(0)) is True
    assert list(sessions.locked_addresses(engine, now=at(0))) == ["10.5.5.5"]
    assert _login(engine, "user0", "nope", at(0), ip="10.6.6.6").message.startswith("Wrong")


def test_users_without_a_role_cannot_log_in(engine, users):
    config = auth.load_config()
    config["credentials"]["usernames"]["bob"]["roles"] = []
    auth.save_config(config)
    assert _login(engine, "bob", "password-bob", at()).message.startswith("Wrong username")


# ------------------------------------------------------------------ audit


def test_logins_failures_lockouts_and_logouts_are_audited(engine, users):
    for i in range(3):
        _login(engine, "bob", "wrong-secret-1", at(i))
    sessions.unlock(engine, "bob", now=at(10))
    ok = _login(engine, "bob", "password-bob", at(10))
    login.logout(engine, ok.token, "bob")
    rows = audit.recent(engine)
    assert [r["action"] for r in rows] == [
        "logged out",
        "logged in",
        "locked out (delay)",
        "failed login",
        "failed login",
        "failed login",
    ]
    assert all(r["user"] == "bob" for r in rows)
    with engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.exec_driver_sql("SELECT * FROM audit_log").all() for v in row
        )
    assert (
        "wrong-secret-1" not in stored and "password-bob" not in stored and ok.token not in stored
    )


def test_audit_refuses_secret_fields(engine):
    with pytest.raises(ValueError, match="never hold passwords"):
        audit.record(engine, "password_changed", "bob", detail={"new_password": "x"})


# ------------------------------------------------------------------ cookie values and routes


def _jwt_parts(header: dict, payload: dict) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc(header)}.{enc(payload)}"


MALFORMED = {
    "alg-none": _jwt_parts({"alg": "none", "typ": "JWT"}, {"username": "admin"}) + ".",
    "hs512": jwt.encode({"username": "admin", "exp_date": 4e9}, KEY, algorithm="HS512"),
    "old-hs256": jwt.encode({"username": "admin", "exp_date": 4e9}, KEY, algorithm="HS256"),
    "garbage": "%%%\x00not a cookie",
    "empty": "",
    "forged-signature": "A" * 43 + "." + "B" * 43,
    "two-dots": "A" * 43 + ".x.y",
}


@pytest.mark.parametrize("value", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_cookie_values_are_refused(value):
    assert web.unsign(value, KEY) is None


def test_signed_values_round_trip_only_under_their_key():
    token = "Q" * 43
    value = web.sign(token, KEY)
    mac = base64.urlsafe_b64encode(hmac.new(KEY.encode(), token.encode(), hashlib.sha256).digest())
    assert value == token + "." + mac.decode().rstrip("=")
    assert web.unsign(value, KEY) == token
    assert web.unsign(value, KEY[::-1]) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cfo?department=Finance", "/cfo?department=Finance"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
        ("cfo", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_safe_next(target, expected):
    assert web.safe_next(target) == expected


class Response:
    """What a real server would send back: status and headers (lower-case names)."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self.status_code = status
        self.headers = {k.decode(): v.decode() for k, v in headers}


class Client:
    """Calls the ASGI app the way uvicorn does (one GET, the real middleware and routes)."""

    def __init__(self, app) -> None:
        self.app = app

    def get(
        self,
        path: str,
        params: dict | None = None,
        headers: dict | None = None,
        follow_redirects: bool = False,
    ) -> Response:
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(
                {k: v for k, v in (params or {}).items() if v is not None}
            ).encode(),
            "headers": [(b"host", b"testserver")]
            + [(k.encode(), v.encode()) for k, v in (headers or {}).items()],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 5000),
        }
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(self.app(scope, receive, send))
        start = next(m for m in sent if m["type"] == "http.response.start")
        return Response(start["status"], start["headers"])


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setattr(web, "_engine", lambda: engine)
    return Client(Starlette(routes=web.routes(), middleware=web.middleware()))


def test_the_start_route_sets_an_httponly_strict_cookie_once(client, engine, users):
    value = web.sign(sessions.create_session(engine, "bob"), KEY)
    ticket = sessions.issue_ticket(engine, value)
    r = client.get(
        web.START_PATH,
        params={"ticket": ticket, "next": "/cfo?department=Finance"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/cfo?department=Finance"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{web.COOKIE_NAME}={value};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    assert "Max-Age=86400" in cookie
    again = client.get(
        web.START_PATH, params={"ticket": ticket, "next": "/"}, follow_redirects=False
    )
    assert "set-cookie" not in again.headers


def test_the_cookie_is_secure_behind_an_https_proxy(client, engine, users):
    ticket = sessions.issue_ticket(engine, web.sign(sessions.create_session(engine, "bob"), KEY))
    r = client.get(
        web.START_PATH,
        params={"ticket": ticket},
        headers={"x-forwarded-proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in r.headers["set-cookie"]


def test_the_end_route_deletes_the_cookie(client):
    r = client.get(web.END_PATH, params={"next": "https://evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    assert (
        r.headers["set-cookie"].startswith(f'{web.COOKIE_NAME}="";')
        and "Max-Age=0" in r.headers["set-cookie"]
    )


def test_every_response_carries_the_security_headers(client):
    r = client.get(web.END_PATH, follow_redirects=False)
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    csp = dict(
        part.strip().split(" ", 1) for part in r.headers["content-security-policy"].split(";")
    )
    assert csp["frame-ancestors"] == "'self'"
    assert csp["img-src"].startswith("'self' data: blob:")
    assert csp["object-src"] == "'none'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("", "/api/session/start"),
        ("itam", "/itam/api/session/start"),
        ("/itam/", "/itam/api/session/start"),
    ],
)
def test_routes_follow_the_base_url_path(base, expected):
    from streamlit import config

    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", base)
    try:
        assert web.url_path(web.START_PATH) == expected
        assert [r.path for r in web.routes()][0] == expected
    finally:
        config.set_option("server.baseUrlPath", before)
