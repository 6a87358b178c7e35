"""What the dashboard adds to Streamlit's web server (`st.App` in dashboard/app.py).

- `/api/session/start?ticket=...&next=/path?query`: trades a one-time ticket
  (dashboard/sessions.py) for the session cookie, set HttpOnly, SameSite=Strict
  and Secure over HTTPS, then sends the browser back to the page it asked for.
  The script cannot do this itself: Streamlit scripts only reach the browser
  through its JavaScript, which cannot set HttpOnly cookies.
- `/api/session/end?next=/`: deletes the cookie (the script has already ended
  the session in the database; this only tidies the browser).
- Security headers on every HTTP response: anti-framing, a content security
  policy, no MIME sniffing, no referrer to other sites.

No streamlit imports at module level: tests build the Starlette pieces alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dashboard import database, sessions

COOKIE_NAME = "itam_session"
START_PATH = "/api/session/start"
END_PATH = "/api/session/end"


# ------------------------------------------------------------------ cookie routes


def safe_next(value: str | None) -> str:
    """A path on this site to go back to; anything else (other hosts, schemes) gives '/'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(c in value for c in "\r\n"):
        return "/"
    return value


def served_over_https(request: Request) -> bool:
    """HTTPS directly, or a reverse proxy saying so (X-Forwarded-Proto), or ITAM_SECURE_COOKIE=1."""
    if os.environ.get("ITAM_SECURE_COOKIE", "").strip() in ("1", "true", "yes"):
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme in ("https", "wss") or proto == "https"


def _engine():
    return database.get_engine()


def cookie_max_age() -> int:
    """The cookie lives as long as the absolute timeout; the server decides before that."""
    _, absolute = sessions.timeouts(_engine())
    return int(absolute.total_seconds())


async def start_session(request: Request) -> Response:
    target = safe_next(request.query_params.get("next"))
    ticket = request.query_params.get("ticket")
    value = None
    if sessions.well_formed(ticket):  # no database work for junk
        value = await run_in_threadpool(lambda: sessions.redeem_ticket(_engine(), ticket))
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if value:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=await run_in_threadpool(cookie_max_age),
            path="/",
            httponly=True,
            samesite="strict",
            secure=served_over_https(request),
        )
    return response


async def end_session(request: Request) -> Response:
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=served_over_https(request)
    )
    return response


def url_path(path: str) -> str:
    """`path` under Streamlit's `server.baseUrlPath` (served behind a proxy at /itam/...)."""
    try:
        # streamlit (≈0.6 s) only inside the running app: tests use these routes without it
        from streamlit import config

        base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # noqa: BLE001 - outside a configured Streamlit (unit tests)
        base = ""
    return f"/{base}{path}" if base else path


def routes() -> list[Route]:
    return [
        Route(url_path(START_PATH), start_session, methods=["GET"]),
        Route(url_path(END_PATH), end_session, methods=["GET"]),
    ]


# ------------------------------------------------------------------ security headers


def _inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts of Streamlit's index.html (one tiny one today)."""
    try:
        # streamlit (≈0.6 s) only inside the running app: tests use these routes without it
        import streamlit

        html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(
            encoding="utf-8"
        )
    except OSError:
        return []
    bodies = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in bodies
    ]


def content_security_policy() -> str:
    """Same-origin everything; inline styles (Streamlit's components use them); images from
    this site, data:/blob: and Google's icon host only, so an image link in imported data
    fetches nothing;
    'unsafe-eval' for the Vega charts' expression compiler; no framing by other sites."""
    scripts = " ".join(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'", *_inline_script_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            # fonts.gstatic.com: Streamlit draws the material-icon favicon from there
            "img-src 'self' data: blob: https://fonts.gstatic.com",
            "font-src 'self' data:",
            "connect-src 'self' ws: wss:",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "media-src 'self' data: blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"content-security-policy", content_security_policy().encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to every HTTP response that lacks them
    (websocket frames pass untouched; streaming responses are not buffered)."""

    def __init__(self, app) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in have]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list:
    return [Middleware(SecurityHeaders)]


# ------------------------------------------------------------------ signed cookie values


def sign(token: str, key: str) -> str:
    """The cookie value: the session token and an HMAC of it under the cookie key.

    A value not signed with the current key is refused without a database query,
    and changing the key ends every session at once.
    """
    mac = hmac.new(key.encode(), token.encode(), hashlib.sha256).digest()
    return f"{token}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def unsign(value: object, key: str) -> str | None:
    """The token of a cookie value signed with `key`, else None (malformed, forged, old JWT ...)."""
    if not isinstance(value, str) or len(value) > 300 or value.count(".") != 1:
        return None
    token, _, _ = value.partition(".")
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,128}", token):
        return None
    return token if hmac.compare_digest(sign(token, key), value) else None
