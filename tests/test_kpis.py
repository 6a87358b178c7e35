"""KPIs against a hand-made estate: defaults, evaluation, baselines, scope, editing, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from dashboard import database, history, kpis, store
from dashboard.cli import main
from tests import kpi_estate

A = kpi_estate.AS_OF
D = dt.date


@pytest.fixture
def estate(engine):
    kpi_estate.load(engine)
    kpis.ensure_default_kpis(engine)
    return engine


def _by_metric(results) -> dict[str, kpis.KpiResult]:
    return {r.metric: r for r in results}


def test_defaults_created_once_with_audit(engine):
    assert kpis.ensure_default_kpis(engine) == 10  # nine + issue 15's
    assert kpis.ensure_default_kpis(engine) == 0
    rows = kpis.list_kpis(engine)
    assert [r.metric for r in rows][:3] == [
        "top10_contract_spend",
        "pool_cost_avoidance_30d",
        "spend_vs_budget_pct",
    ]
    assert rows[0].baseline_days == 365 and rows[2].baseline_days is None
    audit = kpis.audit_entries(engine)
    assert (
        len(audit) == 10 and set(audit["action"]) == {"create"} and set(audit["user"]) == {"system"}
    )


def test_defaults_are_not_recreated_when_all_are_retired(engine):
    kpis.ensure_default_kpis(engine)
    for row in kpis.list_kpis(engine):
        kpis.retire_kpi(engine, "ann", row.id)
    assert kpis.ensure_default_kpis(engine) == 0
    assert kpis.list_kpis(engine) == []


def test_a_default_added_later_reaches_an_existing_database_once(engine):
    """A database made before issue 15 has the nine defaults, not the budget variance KPI:
    the next start adds it; retired, it is not added again."""
    kpis.ensure_default_kpis(engine)
    [variance] = [r for r in kpis.list_kpis(engine) if r.metric == "budget_variance_pct_ytd"]
    with engine.begin() as conn:  # as a database of the first wave
        conn.execute(text("DELETE FROM kpis WHERE id = :i"), {"i": variance.id})
    assert "budget_variance_pct_ytd" not in {r.metric for r in kpis.list_kpis(engine)}
    assert kpis.ensure_default_kpis(engine) == 1
    [added] = [r for r in kpis.list_kpis(engine) if r.metric == "budget_variance_pct_ytd"]
    assert (added.target_kind, added.target) == ("within", 5.0)
    kpis.retire_kpi(engine, "ann", added.id)
    assert kpis.ensure_default_kpis(engine) == 0
    assert len(kpis.list_kpis(engine)) == 9


@pytest.fixture(scope="module")
def default_results(tmp_path_factory) -> dict[str, kpis.KpiResult]:
    """The nine defaults evaluated once on the estate (read-only tests share it)."""
    path = tmp_path_factory.mktemp("kpis") / "defaults.duckdb"
    engine = database.get_engine(path)
    kpi_estate.load(engine)
    kpis.ensure_default_kpis(engine)
    yield _by_metric(kpis.evaluate(engine, A))
    database.dispose(path)


@pytest.mark.parametrize("metric", list(kpi_estate.EXPECTED))
def test_default_kpis_on_the_estate(default_results, metric):
    value, baseline, status = kpi_estate.EXPECTED[metric]
    r = default_results[metric]
    assert r.value == (None if value is None else pytest.approx(value))
    assert r.baseline_value == (None if baseline is None else pytest.approx(baseline))
    assert r.status == status
    if r.target_kind.startswith("change"):
        assert r.baseline_date == D(2025, 6, 30)
        assert r.change == pytest.approx((value - baseline) / abs(baseline) * 100)
    else:
        assert r.baseline_date is None and r.change is None


@pytest.mark.parametrize(
    "stored,change,status",
    [
        (None, -100 / 1300 * 100, "amber"),  # no history: recomputed 1300
        (1500.0, -20.0, "green"),  # stored history of the baseline date
        (1000.0, 20.0, "red"),
        (1250.0, -4.0, "red"),  # -4% > -10 + 5
    ],
)
def test_change_target_with_and_without_stored_history(estate, stored, change, status):
    if stored is not None:
        history.take_snapshot(estate, D(2025, 6, 30))
        with estate.begin() as conn:
            conn.execute(
                text(
                    "UPDATE metric_snapshots SET value = :v WHERE as_of = :d"
                    " AND metric = 'top10_contract_spend' AND dim = ''"
                ),
                {"v": stored, "d": D(2025, 6, 30)},
            )
    r = _by_metric(kpis.evaluate(estate, A))["top10_contract_spend"]
    assert r.baseline_value == (stored or 1300.0)
    assert r.change == pytest.approx(change)
    assert r.status == status


def test_stale_history_is_not_used(estate):
    history.take_snapshot(estate, D(2025, 6, 30))
    with estate.begin() as conn:
        conn.execute(
            text(
                "UPDATE metric_snapshots SET value = 1500 WHERE metric = 'top10_contract_spend' AND dim = ''"
            )
        )
    assert _by_metric(kpis.evaluate(estate, A))["top10_contract_spend"].status == "green"
    store.mark_data_changed(estate, dt.datetime.now() + dt.timedelta(seconds=5))
    r = _by_metric(kpis.evaluate(estate, A))["top10_contract_spend"]
    assert (r.baseline_value, r.status) == (1300.0, "amber")


def test_fixed_baseline_date_and_zero_baseline_is_grey(estate):
    # pool_cost_avoidance_30d as of 2026-06-10: no events in (2026-05-11, 2026-06-10]: 0
    k = kpis.create_kpi(
        estate,
        "ann",
        metric="pool_cost_avoidance_30d",
        goal="optimize_spend",
        target_kind="change_at_least",
        target=10.0,
        baseline_date=D(2026, 6, 10),
    )
    r = next(x for x in kpis.evaluate(estate, A) if x.id == str(k.id))
    assert (r.baseline_date, r.baseline_value, r.value, r.change, r.status) == (
        D(2026, 6, 10),
        0.0,
        100.0,
        None,
        "grey",
    )


def test_kpi_scope_and_caller_scope(estate):
    k = kpis.create_kpi(
        estate,
        "ann",
        metric="top10_contract_spend",
        goal="optimize_spend",
        target_kind="change_at_most",
        target=-10.0,
        baseline_days=365,
        scope_dim="department",
        scope_value="IT",
    )
    mine = next(x for x in kpis.evaluate(estate, A) if x.id == str(k.id))
    # IT: K1 1000 now; K1 + K3 = 1300 a year before: -23.08%
    assert (mine.value, mine.baseline_value, mine.status) == (1000.0, 1300.0, "green")
    assert mine.scope == {"department": "IT"}
    # a caller scoped to HR cannot see an IT KPI: grey, no value
    hr = _by_metric(
        [x for x in kpis.evaluate(estate, A, scope={"department": ["HR"]}) if x.id == str(k.id)]
    )
    assert (hr["top10_contract_spend"].value, hr["top10_contract_spend"].status) == (None, "grey")
    # the defaults under the caller's scope: top10 in HR is K2 only, 200 against 0 a year before
    scoped = {r.id: r for r in kpis.evaluate(estate, A, scope={"department": ["HR"]})}
    assert (scoped["1"].metric, scoped["1"].value, scoped["1"].status) == (
        "top10_contract_spend",
        200.0,
        "grey",
    )
    scoped = _by_metric(r for r in scoped.values() if r.id != str(k.id))
    # deployed_not_discovered in HR: L2 seen, L4 not: 50%
    assert scoped["deployed_not_discovered_30d_pct"].value == 50.0
    # metrics whose rows carry no department: grey under a department scope
    assert scoped["security_incidents_undiscovered_12m"].status == "grey"


def test_breach_records_list_what_breaches(estate):
    rows = {r.metric: r for r in kpis.list_kpis(estate)}
    frame = kpis.breach_records(estate, rows["deployed_not_discovered_30d_pct"].id, A)
    assert list(frame["asset_tag"]) == ["L4"]
    frame = kpis.breach_records(estate, rows["standard_devices_pct"].id, A)
    assert "L3" in set(frame["asset_tag"])
    assert kpis.breach_records(
        estate, rows["deployed_not_discovered_30d_pct"].id, A, {"department": ["IT"]}
    ).empty


def _invalid(**changes) -> dict:
    base = dict(
        metric="standard_devices_pct", goal="enhance_service", target_kind="at_least", target=97.0
    )
    return {**base, **changes}


@pytest.mark.parametrize(
    "fields,message",
    [
        (_invalid(metric="nope"), "unknown metric"),
        (_invalid(goal="be_nice"), "goal must be one of"),
        (_invalid(target_kind="below"), "target kind must be one of"),
        (_invalid(target=120.0), "between 0 and 100"),
        (_invalid(target=-1.0), "between 0 and 100"),
        (_invalid(target=float("nan")), "target must be a number"),
        (_invalid(tolerance=-1.0), "tolerance must be"),
        (_invalid(target_kind="at_most"), "works against standard_devices_pct"),
        (_invalid(target_kind="change_at_least", target=5.0), "needs a baseline"),
        (_invalid(target_kind="change_at_least", target=5.0, baseline_days=0), "baseline days"),
        (
            _invalid(
                target_kind="change_at_least",
                target=5.0,
                baseline_days=30,
                baseline_date=D(2026, 1, 1),
            ),
            "not both",
        ),
        (_invalid(target_kind="change_at_least", target=-120.0, baseline_days=30), "below -100%"),
        (_invalid(baseline_days=365), "only change targets"),
        (
            _invalid(metric="disposed_without_certificate", target_kind="equals", target=-1.0),
            ">= 0",
        ),
        (_invalid(metric="csat_avg_90d", target_kind="at_least", target=6.0), "between 1 and 5"),
        (_invalid(scope_dim="department"), "both a dimension and a value"),
        (_invalid(scope_dim="colour", scope_value="red"), "scope must be one of"),
        (
            _invalid(
                metric="security_incidents_undiscovered_12m",
                target_kind="equals",
                target=0.0,
                scope_dim="department",
                scope_value="IT",
            ),
            "cannot be broken down by department",
        ),
        (_invalid(due="tomorrow"), "due must be a date"),
    ],
)
def test_validation(engine, fields, message):
    with pytest.raises(kpis.KpiInvalid) as exc:
        kpis.create_kpi(engine, "ann", **fields)
    assert any(message in e for e in exc.value.errors), exc.value.errors
    assert kpis.list_kpis(engine, include_retired=True) == []
    assert kpis.audit_entries(engine).empty


@pytest.mark.parametrize(
    "fields",
    [
        _invalid(),
        _invalid(
            metric="spend_vs_budget_pct", goal="optimize_spend", target_kind="at_most", target=110.0
        ),
        _invalid(target_kind="change_at_least", target=2.0, baseline_date=D(2025, 12, 31)),
        _invalid(scope_dim="location", scope_value="Site 1", due=D(2026, 12, 31), tolerance=1.0),
    ],
)
def test_valid_kpis_are_created(engine, fields):
    row = kpis.create_kpi(engine, "ann", **fields)
    assert row.id is not None and kpis.get_kpi(engine, row.id).metric == fields["metric"]


def test_update_and_retire_are_audited(estate):
    row = next(r for r in kpis.list_kpis(estate) if r.metric == "deployed_not_discovered_30d_pct")
    kpis.update_kpi(estate, "ann", row.id, tolerance=25.0, owner="  Risk team ")
    # 25% against at_most 1 with tolerance 25: amber now
    assert _by_metric(kpis.evaluate(estate, A))["deployed_not_discovered_30d_pct"].status == "amber"
    kpis.update_kpi(estate, "ann", row.id, tolerance=25.0)  # no change: no entry
    kpis.retire_kpi(estate, "bob", row.id)
    assert row.id not in {r.id for r in kpis.list_kpis(estate)}
    assert row.id in {r.id for r in kpis.list_kpis(estate, include_retired=True)}
    assert "deployed_not_discovered_30d_pct" not in _by_metric(kpis.evaluate(estate, A))
    audit = kpis.audit_entries(estate, row.id)
    assert list(audit["action"]) == ["retire", "update", "create"]
    assert list(audit["user"]) == ["bob", "ann", "system"]
    assert audit.iloc[1]["old"] == {"owner": None, "tolerance": None}
    assert audit.iloc[1]["new"] == {"owner": "Risk team", "tolerance": 25.0}
    assert (audit.iloc[0]["old"], audit.iloc[0]["new"]) == ({"retired": False}, {"retired": True})
    assert all(
        isinstance(t, dt.datetime) or hasattr(t, "to_pydatetime") for t in audit["created_at"]
    )


def test_switching_to_a_plain_target_drops_the_baseline(estate):
    row = next(r for r in kpis.list_kpis(estate) if r.metric == "top10_contract_spend")
    new = kpis.update_kpi(estate, "ann", row.id, target_kind="at_most", target=1100.0)
    assert (new.baseline_days, new.baseline_date) == (None, None)
    # 1200 against at_most 1100 (tol 110): amber
    assert _by_metric(kpis.evaluate(estate, A))["top10_contract_spend"].status == "amber"


def test_switching_to_a_change_target_defaults_to_one_year_before(estate):
    row = next(r for r in kpis.list_kpis(estate) if r.metric == "spend_vs_budget_pct")
    new = kpis.update_kpi(estate, "ann", row.id, target_kind="change_at_most", target=-5.0)
    assert (new.baseline_days, new.baseline_date) == (365, None)
    entry = kpis.audit_entries(estate, row.id).iloc[0]
    assert entry["new"]["baseline_days"] == 365 and entry["old"]["baseline_days"] is None


def test_invalid_update_changes_nothing(estate):
    row = kpis.list_kpis(estate)[0]
    with pytest.raises(kpis.KpiInvalid):
        kpis.update_kpi(estate, "ann", row.id, goal="nope")
    with pytest.raises(kpis.KpiNotFound):
        kpis.update_kpi(estate, "ann", 999, note="x")
    assert kpis.get_kpi(estate, row.id).goal == "optimize_spend"
    assert len(kpis.audit_entries(estate)) == 10


def test_kpis_command_json(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    kpi_estate.load(database.get_engine(path))
    database.dispose(path)
    assert main(["kpis", "--db", str(path), "--as-of", "2026-06-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2026-06-30"
    keys = {
        "id",
        "metric",
        "goal",
        "target_kind",
        "target",
        "baseline_date",
        "baseline_value",
        "value",
        "change",
        "status",
        "due",
        "scope",
    }
    assert all(set(k) == keys for k in out["kpis"])
    assert {k["metric"]: k["status"] for k in out["kpis"]} == {
        m: e[2] for m, e in kpi_estate.EXPECTED.items()
    }
    top = next(k for k in out["kpis"] if k["metric"] == "top10_contract_spend")
    assert (top["id"], top["target"], top["baseline_date"]) == ("1", -10.0, "2025-06-30")
    assert top["change"] == pytest.approx(-7.6923, abs=1e-4)
    assert main(["kpis", "--db", str(path), "--as-of", "2026-06-30", "--records", "5"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("L4,")
