"""The shipped Grafana dashboard and alert rules name only metrics the validator exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from oracle.validator.metrics import Metrics

MONITORING = Path(__file__).resolve().parents[3] / "monitoring"
METRIC_NAME = re.compile(r"\boracle_[a-z_]+\b")


def exported_names() -> set[str]:
    """Every series name /metrics can serve: a counter's `_total`, a histogram's `_bucket`,
    `_sum` and `_count` (also before the first observation or label), a gauge's own name."""
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
    return {
        family.name + suffix
        for family in Metrics().registry.collect()
        for suffix in suffixes[family.type]
    }


def alert_expressions() -> list[str]:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dash = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [t["expr"] for panel in dash["panels"] for t in panel["targets"]]


def test_alert_rules__every_metric_named__is_exported_by_the_validator() -> None:
    exprs = alert_expressions()
    assert exprs, "no alert rule found"
    named = {n for e in exprs for n in METRIC_NAME.findall(e)}
    assert not named - exported_names(), f"alerts name unknown metrics: {named - exported_names()}"
    for needed in (
        "oracle_slashes_total",
        "oracle_reveal_misses_total",
        "oracle_signer_balance_wei",
    ):
        assert needed in named, f"no alert on {needed}"


def test_dashboard__every_panel_query__names_only_exported_metrics() -> None:
    exprs = dashboard_expressions()
    assert len(exprs) >= 10
    named = {n for e in exprs for n in METRIC_NAME.findall(e)}
    assert not named - exported_names(), (
        f"dashboard names unknown metrics: {named - exported_names()}"
    )
