"""The catalogue: the 66 metrics of metrics.md, valid, and declared as data."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from metrics import api
from metrics.catalog import METRICS
from metrics.catalog.base import Metric, measure
from metrics.validate import _problems, problems

SAMPLE = Path(__file__).parent / "data" / "sample-estate"

SPEC_IDS = """
owned_not_discovered_60d deployed_not_discovered_30d_pct disposed_without_certificate
titles_under_licensed license_shortfall_units license_shortfall_exposure license_surplus_units
lost_stolen_12m unpatched_devices os_versions_in_use standard_devices_pct
security_incidents_undiscovered_12m devices_assigned_to_leavers out_of_warranty_devices
discovered_not_in_itam user_mismatches discovery_discrepancies breakage_rate_12m rma_12m
incident_tickets_90d csat_avg_90d audit_accuracy_pct_12m users_with_multiple_computers
active_devices owned_devices installs entitled_licenses unused_installs_90d requests_90d
licenses_issued_from_pool_30d devices_retired_12m refresh_due_12m in_stock nonstandard_devices
hardware_spend_12m refresh_forecast_12m software_spend_12m cloud_spend_12m cloud_run_rate
pool_cost_avoidance_30d harvest_savings_12m unused_install_value_90d negotiation_savings_12m
true_up_cost_12m top10_contract_spend capital_assets avg_laptop_cost_12m renewals_90d
renewals_90d_value spend_vs_budget_pct device_deploy_days_avg device_deploy_days_max
software_deploy_hours_avg software_deploy_hours_max vendor_audit_hours_12m device_age_years_avg
requests_beyond_target_90d requests_beyond_target_pct_90d roadmap_in_progress roadmap_done_pct
integrations_connected itam_records elp_current_pct devices_audited_12m titles_managed
vendors_managed
""".split()

# Issue 15 (metrics.md: "Fiscal year", "Depreciation", "Forward horizons"), after the 66.
ISSUE15_IDS = """
spend_ytd budget_ytd budget_variance_ytd budget_variance_pct_ytd spend_projection_fy
net_book_value depreciation_12m fully_depreciated_active warranty_expiring_30d
warranty_expiring_90d warranty_expiring_180d contracts_ending_180d contracts_ending_180d_value
contracts_ending_365d contracts_ending_365d_value end_of_support_12m
""".split()


def test_catalogue_has_exactly_the_spec_metrics_in_order():
    assert list(METRICS) == SPEC_IDS + ISSUE15_IDS


def test_categories_hold_the_spec_counts():
    assert Counter(m.category for m in METRICS.values()) == {
        "compliance": 14 + 4,
        "quality": 9,
        "quantity": 11,
        "cost": 16 + 12,
        "time": 8,
        "progress": 8,
    }


def test_validator_finds_nothing_wrong():
    assert problems() == []


@pytest.mark.parametrize(
    "bad, message",
    [
        (measure("x", "nowhere", "true"), "unknown subject 'nowhere'"),
        (measure("x", "assets", "true", agg="median"), "unknown aggregate 'median'"),
        (Metric("x", "X", "money", "count", None, ""), "unknown category 'money'"),
        (Metric("x", "X", "cost", "euros", None, "", subject="assets"), "unknown unit 'euros'"),
        (
            Metric("x", "X", "cost", "count", None, "", subject="assets", roles=("ceo",)),
            "unknown role 'ceo'",
        ),
        (
            Metric(
                "x", "X", "cost", "%", None, "", numerator=("nope",), denominator="active_devices"
            ),
            "input 'nope' is not a metric or measure",
        ),
    ],
)
def test_validator_reports_each_kind_of_mistake(bad, message):
    assert any(message in p for p in _problems(bad))


def _additive_by(dim: str) -> set[str]:
    return {m for m, md in METRICS.items() if md.is_additive and api.supports(m, [dim])}


@pytest.mark.parametrize("dim", ["department", "vendor"])
def test_additive_metrics_per_dimension_match_the_independent_implementation(dim):
    expected = json.loads((SAMPLE / f"sample-estate.by_{dim}.expected.json").read_text())
    # The independent implementation covers the 66 metrics of the first catalogue.
    assert _additive_by(dim) - set(ISSUE15_IDS) == set(expected["values"])


@pytest.mark.parametrize(
    "metric_id, dims",
    [
        (
            "active_devices",
            ("vendor", "department", "cost_center", "location", "product", "category"),
        ),
        ("installs", ("vendor", "product")),
        ("entitled_licenses", ("vendor", "department", "cost_center", "product")),
        ("cloud_spend_12m", ("vendor", "department", "cost_center")),
        ("users_with_multiple_computers", ("department", "cost_center", "location")),
        ("spend_vs_budget_pct", ("department", "cost_center")),
        ("discovery_discrepancies", ()),
        (
            "device_age_years_avg",
            (
                "vendor",
                "department",
                "cost_center",
                "location",
                "product",
                "category",
                "age_bucket",
            ),
        ),
    ],
)
def test_a_metric_offers_only_the_dimensions_its_rows_carry(metric_id, dims):
    assert set(api.dimensions(metric_id)) == set(dims)


def test_metrics_package_never_imports_streamlit():
    code = "import sys, metrics.api, metrics.validate; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
