"""Operations hooks of the web server: readiness route, start-up work, contained errors.

- `GET /healthz`: 200 `{"status": "ok", ...}` when the database answers a
  query, else 503 with the cause (full disk, damaged file, server down...) and
  an error id. Streamlit's own `/_stcore/health` only says the server is up.
  A failing check also reopens a DuckDB file a fatal error invalidated.
- `lifespan`: at server start, the JSON logs and the worker that runs
  command-line jobs for the DuckDB file this server holds (dashboard/jobs.py).
- `on_script_error`: an error escaping a page shows one message with an error
  id (the traceback goes to the log), never a traceback.

`app_options()` gives the keyword arguments for `st.App` in dashboard/app.py.
"""

from __future__ import annotations

import contextlib
import logging
import time

import anyio.to_thread
import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import database, failures, jobs, oplog, upgrade

HEALTH_PATH = "/healthz"
log = logging.getLogger("itam.health")


def readiness() -> tuple[int, dict]:
    """(HTTP status, body): does the database answer?"""
    started = time.monotonic()
    url = database.database_url()
    try:
        engine = database.get_engine(url)
        database.ping(engine)
        version = upgrade.stored_version(engine)
    except Exception as exc:  # noqa: BLE001 - the check reports every failure
        failure = failures.contain(exc, context="readiness check")
        return 503, {
            "status": "error",
            "database": failure.kind,
            "message": failure.message,
            "error_id": failure.error_id,
        }
    body = {
        "status": "ok",
        "database": "ok",
        "engine": engine.dialect.name,
        "schema_version": version,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }
    if database.duckdb_path(url):
        body["jobs"] = "serving" if jobs.server_pid_is_me(url) else "not serving"
    return 200, body


async def healthz(request: Request) -> JSONResponse:
    status, body = await anyio.to_thread.run_sync(readiness)
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [Route(HEALTH_PATH, healthz, methods=["GET"])]


def start_up() -> None:
    """Logs, then the command-line job worker (never stops the server from starting)."""
    oplog.setup_logging()
    try:
        jobs.start_worker()
    except Exception:  # noqa: BLE001 - a page will report the database problem
        log.exception("could not start the job worker")


@contextlib.asynccontextmanager
async def lifespan(app):
    start_up()
    yield


def on_script_error(exc: BaseException) -> bool:
    """Show a contained message instead of the traceback (True: Streamlit draws nothing)."""
    failure = failures.contain(exc, context="page")
    try:
        st.error(failure.text, icon=":material/error:")
    except Exception:  # noqa: BLE001 - nothing more can be shown; the log has it
        return False
    return True


def app_options() -> dict:
    """Keyword arguments for `st.App`: routes, lifespan and the script-error hook."""
    return {"lifespan": lifespan, "on_script_error": on_script_error}
