"""Text is text, bad filter input, wide uploads (issue 17).

- `widgets.plain` escapes every markdown character of a data value; the technician look-up
  draws names with markdown links, images and HTML as plain text (AppTest markdown bodies).
- An as-of date out of range or malformed is refused with a message, is not kept in the
  session, and the next page works.
- An upload wider than `max_columns` (default 500) is refused with one error, before parsing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, database
from dashboard.importer import import_package
from dashboard.ui import state
from dashboard.ui.widgets import WORD_JOINER as J
from dashboard.ui.widgets import plain
from dashboard.upload_checks import Limits, UploadRejected, check_csv, csv_columns
from tests.metric_fixtures import A
from tests.perm_estate import HTML_NAME, IMAGE_MODEL, LINK_NAME, build

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")


# ------------------------------------------------------------------ plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pat Finance", "Pat Finance"),
        (LINK_NAME, r"\[Session expired\]\(http" + J + r"\:\/\/attacker\.example\/login\)"),
        (IMAGE_MODEL, r"\!\[\]\(http" + J + r"\:\/\/attacker\.example\/pixel\)"),
        ("mail pat@example.com", "mail pat" + J + r"\@example\.com"),  # no mailto: link
        ("see www.example.com", "see www" + J + r"\.example\.com"),
        ("<b>bold</b>", r"\<b\>bold\<\/b\>"),
        (
            ":red[alarm] :material/home:",
            J + r"\:red\[alarm\] " + J + r"\:material\/home" + J + r"\:",
        ),
        ("# heading\n- item", r"\# heading \- item"),
        ("**x** _y_ `z` $1$", r"\*\*x\*\* \_y\_ \`z\` \$1\$"),
        (None, ""),
        (1234, "1234"),
    ],
)
def test_plain_escapes_every_markdown_character(text, expected):
    assert plain(text) == expected


# ------------------------------------------------------------------ as-of dates


@pytest.mark.parametrize(
    ("text", "day", "problem"),
    [
        ("2026-06-30", dt.date(2026, 6, 30), None),
        ("", None, None),
        (None, None, None),
        (
            "0001-01-01",
            None,
            "0001-01-01 is outside the dates the dashboard computes (1900-01-01 to 2199-12-31)",
        ),
        (
            "9999-12-31",
            None,
            "9999-12-31 is outside the dates the dashboard computes (1900-01-01 to 2199-12-31)",
        ),
        (
            "1899-12-31",
            None,
            "1899-12-31 is outside the dates the dashboard computes (1900-01-01 to 2199-12-31)",
        ),
        ("1900-01-01", dt.date(1900, 1, 1), None),
        ("2199-12-31", dt.date(2199, 12, 31), None),
        ("2026-13-45", None, "“2026-13-45” is not a date (YYYY-MM-DD)"),
        ("[x](http://h)", None, "“[x](http://h)” is not a date (YYYY-MM-DD)"),
    ],
)
def test_parse_as_of(text, day, problem):
    assert state.parse_as_of(text) == (day, problem)


# ------------------------------------------------------------------ column limit


def wide_csv(columns: int) -> bytes:
    header = ",".join(["person_id"] + [f"extra{i}" for i in range(columns - 1)])
    row = ",".join(["p1"] + ["x"] * (columns - 1))
    return f"{header}\n{row}\n".encode()


def wide_xlsx(columns: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "people"
    ws.append(["person_id"] + [f"extra{i}" for i in range(columns - 1)])
    ws.append(["p1"] + ["x"] * (columns - 1))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wide_zip(columns: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("people.csv", wide_csv(columns))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("people.csv", wide_csv(501), "people.csv has 501 columns"),
        ("people.csv", wide_csv(10_000), "people.csv has 10,000 columns"),
        ("pkg.xlsx", wide_xlsx(600), "pkg.xlsx: sheet sheet1 has 600 columns"),
        ("pkg.zip", wide_zip(700), "pkg.zip: people.csv has 700 columns"),
    ],
)
def test_wide_upload_is_refused_in_one_line(engine, name, content, where):
    result = import_package(engine, content, filename=name)
    assert not result.ok
    assert len(result.errors) == 1 and len(result.warnings) <= 1, (
        result.errors,
        result.warnings[:3],
    )
    assert result.errors[0]["reason"].startswith(where), result.errors[0]
    assert "more than the limit of 500 (the max_columns setting" in result.errors[0]["reason"]


def test_column_limit_is_a_setting(engine):
    from dashboard import settings

    assert Limits.from_settings(engine).max_columns == 500
    for bad in ("0", "many", "20000"):
        with pytest.raises(settings.SettingError, match="number of columns from 1 to 16384"):
            settings.put(engine, "max_columns", bad)
    settings.put(engine, "max_columns", "40")
    limits = Limits.from_settings(engine)
    assert limits.max_columns == 40
    check_csv(wide_csv(40), limits, "people.csv")
    with pytest.raises(UploadRejected, match="41 columns, more than the limit of 40"):
        check_csv(wide_csv(41), limits, "people.csv")


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        (b"a,b,c\n1,2,3\n", 3),
        (b'"a,b",c\n', 2),
        (b"a;b;c;d\n", 4),  # European Excel
        (b"# title\na,b\n", 2),  # a title block before the header
        (b"\xef\xbb\xbfa,b\n", 2),
    ],
)
def test_csv_columns(text, columns):
    assert csv_columns(text) == columns


# ------------------------------------------------------------------ the pages


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("text-app")
    env = build(tmp)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    database.dispose(env["DATABASE_URL"].removeprefix("duckdb:///"))
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def open_app(username: str, page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"../pages/{page}.py")
        at.run()
    return at


def drawn(at: AppTest) -> str:
    """Every markdown body the page drew (markdown, headers, captions, radio options)."""
    parts = (
        [m.value for m in at.markdown]
        + [h.value for h in at.subheader]
        + [c.value for c in at.caption]
    )
    parts += [o for r in at.radio for o in r.options]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("query", "raw", "escaped"),
    [
        (
            "Session",
            LINK_NAME,
            r"\[Session expired\]\(http" + J + r"\:\/\/attacker\.example\/login\)",
        ),
        ("attacker", HTML_NAME, r"\<img src\=\"http" + J + r"\:\/\/attacker\.example\/x\.png\"\>"),
    ],
)
def test_lookup_draws_names_as_text(app_env, query, raw, escaped):
    at = open_app("tech1", None, q=query)  # the technician lands on the look-up
    assert not at.exception, at.exception
    text = drawn(at)
    assert escaped in text, text
    assert raw not in text  # never the markdown as written


def test_out_of_range_as_of_gives_a_message_and_the_next_page_works(app_env):
    at = open_app("cfo1", None, as_of="0001-01-01")
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("0001\\-01\\-01 is outside the dates" in w for w in warnings), warnings
    assert at.session_state["_as_of"] is None  # the bad value is not kept
    assert at.query_params.get("as_of") in (None, [], "")  # nor in the address
    at.switch_page("../pages/scorecard.py")
    at.run()
    assert not at.exception, at.exception
    assert not [w.value for w in at.warning if "outside the dates" in w.value]
    assert at.title[0].value == "Scorecard"


def test_sidebar_draws_the_users_name_and_scope_as_text(app_env):
    """A display name (from the users file or an SSO claim) and a scope member holding markdown
    show as written in the sidebar, never as a link."""
    path = app_env / "auth.yaml"
    before = path.read_bytes()
    config = auth.load_config(path)
    config["credentials"]["usernames"]["fincfo"]["name"] = LINK_NAME
    config["credentials"]["usernames"]["fincfo"]["scope"] = {"department": ["[x](http://a.b/c)"]}
    auth.save_config(config, path)
    try:
        at = open_app("fincfo")
    finally:  # the module's other tests use fincfo with its Finance scope
        path.write_bytes(before)
    assert not at.exception, at.exception
    sidebar = "\n".join(
        [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    )
    assert r"\[Session expired\]\(http" + J + r"\:\/\/attacker\.example\/login\)" in sidebar
    assert r"department \= \[x\]\(http" + J + r"\:\/\/a\.b\/c\)" in sidebar, sidebar
    assert LINK_NAME not in sidebar and "](http" not in sidebar
