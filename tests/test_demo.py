"""The demo estate: every table, valid under the package rules, deterministic,
and every metric of metrics.md non-trivial on it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import database, demo, schema, store
from dashboard.cli import main as cli_main

AS_OF = dt.date(2026, 6, 30)
SCALE = 0.1


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return demo.generate(AS_OF, seed=7, scale=SCALE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A small demo written to a database: (engine, counts)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    engine = database.get_engine(path)
    counts = demo.small_demo(engine, AS_OF)
    yield engine, counts
    database.dispose(path)


TABLES = [t.name for t in schema.TABLES]

# Expected row counts at scale 1 (about 2,000 people), within a tolerance.
SCALE1_ROWS = [
    ("people", 2000, 0.01),
    ("assets", 2000, 0.01),
    ("installs", 10000, 0.1),
    ("tickets", 2000, 0.01),
    ("discovery", 36000, 0.15),  # the last check-ins plus two years of scans (demo_history)
    ("software", 150, 0.01),
]


# ------------------------------------------------------------------- shape


@pytest.mark.parametrize("name", TABLES)
def test_every_table_has_rows_and_exactly_the_schema_columns(frames, name):
    frame = frames[name]
    assert len(frame) > 0
    assert list(frame.columns) == list(schema.table(name).names)


KIND_CHECKS = {
    schema.TEXT: pd.api.types.is_string_dtype,
    schema.ENUM: pd.api.types.is_string_dtype,
    schema.INT: pd.api.types.is_integer_dtype,
    schema.NUMBER: pd.api.types.is_float_dtype,
    schema.DATE: pd.api.types.is_datetime64_dtype,
    schema.MONTH: pd.api.types.is_datetime64_dtype,
    schema.DATETIME: pd.api.types.is_datetime64_dtype,
    schema.BOOL: pd.api.types.is_bool_dtype,
}


@pytest.mark.parametrize("name", TABLES)
def test_column_types_follow_the_schema(frames, name):
    frame = frames[name]
    wrong = [
        (c.name, str(frame[c.name].dtype))
        for c in schema.table(name).columns
        if not KIND_CHECKS[c.kind](frame[c.name])
    ]
    assert wrong == []


@pytest.mark.parametrize("name", TABLES)
def test_enumerations_required_columns_and_bounds(frames, name):
    table = schema.table(name)
    frame = frames[name]
    problems = []
    for col in table.columns:
        s = frame[col.name]
        if col.required and s.isna().any():
            problems.append((col.name, "blank in a required column"))
        if col.values:
            bad = set(s.dropna()) - set(col.values)
            if bad:
                problems.append((col.name, sorted(bad)))
        v = s.dropna()
        if col.min is not None and (v < col.min).any():
            problems.append((col.name, f"< {col.min}"))
        if col.gt is not None and (v <= col.gt).any():
            problems.append((col.name, f"<= {col.gt}"))
        if col.max is not None and (v > col.max).any():
            problems.append((col.name, f"> {col.max}"))
        if col.kind == schema.TEXT and (v.str.strip() != v).any():
            problems.append((col.name, "untrimmed text"))
    for group in table.one_of:
        if frame[list(group)].isna().all(axis=1).any():
            problems.append((group, "none of them filled"))
    assert problems == []


def _keys(name: str, frame: pd.DataFrame) -> pd.Series:
    """The row key as data-package.md defines it (hostnames lower-case in composite keys)."""
    if name == "installs":
        device = frame["asset_tag"].fillna(frame["hostname"].str.lower())
        return frame["title_id"] + "|" + device
    if name == "discovery":
        device = frame["serial"].fillna(frame["hostname"]).str.lower()
        return frame["source"] + "|" + device + "|" + frame["seen_date"].astype(str)
    cols = schema.table(name).key
    return frame[list(cols)].astype(str).fillna("").agg("|".join, axis=1)


@pytest.mark.parametrize("name", TABLES)
def test_keys_are_unique(frames, name):
    keys = _keys(name, frames[name])
    assert keys.notna().all()
    assert keys.duplicated().sum() == 0


@pytest.mark.parametrize(
    "name, later, earlier",
    [
        *schema.ORDERED_PAIRS,
        ("vendor_audits", "end_date", "start_date"),
        ("assets", "deployed_date", "requested_date"),
    ],
)
def test_ordered_dates(frames, name, later, earlier):
    frame = frames[name]
    both = frame[later].notna() & frame[earlier].notna()
    assert both.any()
    assert (frame.loc[both, later] >= frame.loc[both, earlier]).all()


# Columns that record what has happened: never after the as-of date.
PAST = [
    ("assets", "purchase_date"),
    ("assets", "deployed_date"),
    ("assets", "retired_date"),
    ("assets", "lost_stolen_date"),
    ("assets", "last_patched"),
    ("assets", "last_audit_date"),
    ("installs", "discovered_date"),
    ("installs", "last_used_date"),
    ("license_events", "event_date"),
    ("discovery", "seen_date"),
    ("tickets", "opened"),
    ("tickets", "resolved"),
    ("audits", "audit_date"),
    ("security_incidents", "incident_date"),
    ("roadmap", "completed_date"),
    ("entitlements", "purchase_date"),
    ("cloud_spend", "month"),
]


@pytest.mark.parametrize("name, column", PAST)
def test_events_are_not_in_the_future(frames, name, column):
    values = frames[name][column].dropna()
    assert len(values) > 0
    assert values.dt.date.max() <= AS_OF


def test_references_resolve_where_they_should(frames):
    people = set(frames["people"]["person_id"])
    tags = set(frames["assets"]["asset_tag"])
    titles = set(frames["software"]["title_id"])
    assert set(frames["assets"]["assigned_to"].dropna()) <= people
    assert set(frames["tickets"]["asset_tag"].dropna()) <= tags
    assert set(frames["tickets"]["title_id"].dropna()) <= titles
    assert set(frames["installs"]["title_id"]) <= titles
    assert set(frames["entitlements"]["contract_id"].dropna()) <= set(
        frames["contracts"]["contract_id"]
    )
    # Discovery users are people, some of them written in upper case.
    users = frames["discovery"]["user"].dropna()
    assert set(users.str.lower()) <= {p.lower() for p in people}
    assert (users != users.str.lower()).any()


def test_the_estate_has_the_problems_real_estates_have(frames):
    a, d = frames["assets"], frames["discovery"]
    assert set(a["category"]) == set(schema.CATEGORIES)
    assert set(a["status"]) == set(schema.STATUSES)
    disposed = a[a["status"] == "disposed"]
    assert (
        disposed["disposal_certificate"].isna().any()
        and disposed["disposal_certificate"].notna().any()
    )
    assert set(frames["software"]["license_metric"]) == {"device", "user"}
    assert set(frames["contracts"]["kind"]) == set(schema.table("contracts").column("kind").values)
    assert set(frames["roadmap"]["status"]) == {"planned", "in_progress", "done", "cancelled"}
    assert set(frames["integrations"]["connected"]) == {True, False}
    assert d["serial"].isna().any() and d["serial"].notna().any()  # hostname-only rows too
    assert set(d["source"]) == {"intune", "sccm", "jamf", "vuln_scanner", "active_directory"}
    ent = frames["entitlements"]["term_end"]
    assert ent.isna().any() and (ent.dt.date < AS_OF).any() and (ent.dt.date > AS_OF).any()
    months = frames["cloud_spend"].groupby("month")["cost"].sum()
    assert len(months) >= 25
    assert months.iloc[-13] < months.iloc[-2]  # spend grows
    budget_years = set(frames["budget"]["year"])
    assert budget_years == {AS_OF.year - 1, AS_OF.year}


@pytest.mark.parametrize("name, rows, tolerance", SCALE1_ROWS)
def test_scale_one_proportions(name, rows, tolerance):
    frame = demo.generate(AS_OF, seed=3, scale=1)[name]
    assert abs(len(frame) - rows) <= rows * tolerance


# ------------------------------------------------------------- determinism


def test_same_seed_scale_and_date_give_identical_tables(frames):
    again = demo.generate(AS_OF, seed=7, scale=SCALE)
    for name in TABLES:
        pd.testing.assert_frame_equal(frames[name], again[name], obj=name)


def test_another_seed_gives_another_estate(frames):
    other = demo.generate(AS_OF, seed=8, scale=SCALE)
    assert not frames["assets"].equals(other["assets"])
    assert not frames["tickets"].equals(other["tickets"])


def test_dates_move_with_the_as_of_date(frames):
    later = demo.generate(AS_OF + dt.timedelta(days=100), seed=7, scale=SCALE)
    shift = later["discovery"]["seen_date"] - frames["discovery"]["seen_date"]
    assert set(shift.dt.days) == {100}


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_must_be_positive(scale):
    with pytest.raises(ValueError):
        demo.generate(AS_OF, scale=scale)


# ------------------------------------------------------------------- writing


def test_build_writes_every_table_and_the_settings(built, frames):
    engine, counts = built
    assert counts == {name: len(frames[name]) for name in TABLES}
    assert store.table_counts(engine) == counts
    assert store.get_setting(engine, "demo_mode") == "true"
    assert store.get_setting(engine, "demo_as_of") == AS_OF.isoformat()
    assert store.get_setting(engine, "organisation") == demo.ORGANISATION
    assert store.last_import_at(engine) is not None


def test_build_again_replaces_rather_than_adds(tmp_path):
    path = tmp_path / "twice.duckdb"
    engine = database.get_engine(path)
    try:
        first = demo.build_demo(engine, AS_OF, seed=1, scale=0.05)
        second = demo.build_demo(engine, AS_OF, seed=2, scale=0.05)
        assert store.table_counts(engine) == second
        assert first["assets"] == second["assets"]
    finally:
        database.dispose(path)


# ------------------------------------------------------------------- metrics

# Problem counts (and money at risk) that a realistic estate never has at zero.
PROBLEMS = [
    "owned_not_discovered_60d",
    "disposed_without_certificate",
    "titles_under_licensed",
    "license_shortfall_units",
    "license_shortfall_exposure",
    "license_surplus_units",
    "lost_stolen_12m",
    "unpatched_devices",
    "security_incidents_undiscovered_12m",
    "devices_assigned_to_leavers",
    "out_of_warranty_devices",
    "discovered_not_in_itam",
    "user_mismatches",
    "discovery_discrepancies",
    "rma_12m",
    "users_with_multiple_computers",
    "unused_installs_90d",
    "nonstandard_devices",
    "requests_beyond_target_90d",
    "true_up_cost_12m",
    "renewals_90d",
]
PERCENTAGES = [
    "deployed_not_discovered_30d_pct",
    "standard_devices_pct",
    "audit_accuracy_pct_12m",
    "requests_beyond_target_pct_90d",
    "roadmap_done_pct",
    "elp_current_pct",
]


@pytest.fixture(scope="module")
def values(built):
    api = pytest.importorskip(
        "metrics.api", reason="the metric engine (metrics.api) is not there yet"
    )
    return api.compute(built[0], AS_OF)


def test_every_metric_has_a_positive_value(values):
    from metrics.catalog import METRICS

    assert len(values) == len(METRICS) == 66 + 16  # issue 15's after the first 66
    signed = {"budget_variance_ytd", "budget_variance_pct_ytd"}  # under budget is below 0
    # About 200 assets: a warranty ending within 30 days is a matter of chance (6 in 90 days).
    sparse = {"warranty_expiring_30d"}
    skip = signed | sparse
    assert {k: v for k, v in values.items() if k not in skip and (v is None or v <= 0)} == {}


@pytest.mark.parametrize("metric_id", PROBLEMS)
def test_problem_counts_are_present(values, metric_id):
    assert values[metric_id] > 0


@pytest.mark.parametrize("metric_id", PERCENTAGES)
def test_percentages_are_strictly_between_0_and_100(values, metric_id):
    assert 0 < values[metric_id] < 100


def test_spend_against_budget_is_plausible(values):
    assert 70 <= values["spend_vs_budget_pct"] <= 110


def test_csat_is_a_score(values):
    assert 1 <= values["csat_avg_90d"] <= 5


# ------------------------------------------------------------------- commands


@pytest.fixture
def hooks(monkeypatch) -> list:
    """The first-start step's two calls replaced by recorders (the real ones write
    the repository's .streamlit files and backfill history); returns the calls."""
    from dashboard import auth, kpis

    calls: list = []
    monkeypatch.setattr(kpis, "on_demo_built", lambda engine: calls.append("kpis"))
    monkeypatch.setattr(auth, "first_start", lambda engine: calls.append("auth"))
    return calls


def test_demo_command_prints_stages_and_a_summary(tmp_path, capsys, hooks):
    db = tmp_path / "cli.duckdb"
    assert (
        cli_main(
            ["demo", "--db", str(db), "--as-of", "2026-06-30", "--seed", "3", "--scale", "0.05"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "generated assets: 100 rows" in out
    assert "people" in out and "total" in out and "demo estate written in" in out
    engine = database.get_engine(db)
    try:
        assert store.get_setting(engine, "demo_as_of") == "2026-06-30"
        assert store.table_counts(engine)["assets"] == 100
        assert hooks == ["kpis", "auth"]  # in that order
    finally:
        database.dispose(db)


@pytest.mark.parametrize("scale", ["0", "-2", "abc"])
def test_demo_command_rejects_a_bad_scale(tmp_path, scale):
    with pytest.raises(SystemExit):
        cli_main(["demo", "--db", str(tmp_path / "x.duckdb"), "--scale", scale])


def test_setup_builds_the_demo_once_then_leaves_it(tmp_path, capsys, monkeypatch, hooks):
    db = tmp_path / "first.duckdb"
    # Scale 1 is what `make run` builds; keep the test quick with a smaller one.
    real = demo.build_demo
    monkeypatch.setattr(
        demo, "build_demo", lambda engine, as_of=None, **kw: real(engine, as_of, scale=0.05)
    )
    assert cli_main(["setup", "--db", str(db)]) == 0
    first = capsys.readouterr().out
    assert "built the demo estate (100 assets" in first
    assert cli_main(["setup", "--db", str(db)]) == 0
    second = capsys.readouterr().out
    assert "is there (100 assets)" in second and "built" not in second
    assert hooks == ["kpis", "auth"] * 2  # the first-start step runs on every start


def test_setup_fills_an_existing_database_without_assets(tmp_path, capsys, monkeypatch, hooks):
    db = tmp_path / "empty.duckdb"
    database.get_engine(db)
    database.dispose(db)
    real = demo.build_demo
    monkeypatch.setattr(
        demo, "build_demo", lambda engine, as_of=None, **kw: real(engine, as_of, scale=0.05)
    )
    assert cli_main(["setup", "--db", str(db)]) == 0
    assert "built the demo estate" in capsys.readouterr().out
