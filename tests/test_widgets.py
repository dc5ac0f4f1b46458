"""Widget models driven without a browser, and their views wired to them."""

import pytest
import traitlets

from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.widgets import CohortPickerModel, cohort_picker


def _figure(model, name):
    return model.summary.set_index("Figure").loc[name, "Value"]


def test_choosing_a_cohort_updates_the_summary(demo_ws):
    model = CohortPickerModel(demo_ws, DEMO_AS_OF, "SHXF")
    assert _figure(model, "Participants") == "76"
    model.cohort = "TC-2025A"
    assert _figure(model, "Participants") == "40"
    assert model.by_county["participants"].sum() == 40


def test_an_unknown_cohort_is_refused_with_the_choices(demo_ws):
    model = CohortPickerModel(demo_ws, DEMO_AS_OF)
    with pytest.raises(traitlets.TraitError, match="choose one of SHXF"):
        model.cohort = "NOPE"
    assert model.cohort == "SHXF"


def test_view_follows_the_model_and_the_dropdown_drives_it(demo_ws):
    picker = cohort_picker(demo_ws, DEMO_AS_OF, "SHXF")
    dropdown, (summary, chart) = picker.children[0], picker.children[1].children
    assert "SHXF" in summary.value and bytes(chart.value).startswith(b"\x89PNG")
    first_chart = chart.value
    dropdown.value = "GCDJT"
    assert picker.model.cohort == "GCDJT"
    assert "港城大讲堂" in summary.value and chart.value != first_chart
    assert repr(picker) == "CohortPicker(cohort='GCDJT', as_of='2026-11-30')"


def test_import_widget_checks_on_arrival_and_writes_only_on_confirm(fresh_demo):
    from pathlib import Path

    from cadre_lib.widgets import import_widget

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    widget = import_widget(fresh_demo, "roster", cohort="TC-2026B", as_of=DEMO_AS_OF)
    model = widget.model
    people = fresh_demo.counts()["person"]

    model.confirm()
    assert "choose a file first" in model.status

    model.load("roster_with_mistakes.xlsx", (samples / "roster_with_mistakes.xlsx").read_bytes())
    assert model.state == "rejected" and widget._import.disabled
    assert "8 problem(s)" in model.status and "身份证号" in widget._table.value
    model.confirm()
    assert fresh_demo.counts()["person"] == people and "fix the problems" in model.status

    model.load("roster_clean.xlsx", (samples / "roster_clean.xlsx").read_bytes())
    assert model.state == "checked" and not widget._import.disabled
    assert "would import 8 new" in model.status and fresh_demo.counts()["person"] == people
    widget._import.click()
    assert model.state == "imported" and fresh_demo.counts()["person"] == people + 8
    assert "imported 8 new" in model.status and model.progress == 1.0
    model.confirm()
    assert "Already imported" in model.status and fresh_demo.counts()["person"] == people + 8


def test_import_widget_says_why_a_file_cannot_be_read(fresh_demo):
    from cadre_lib.widgets import import_widget

    widget = import_widget(fresh_demo, "sessions")
    widget.model.load("scan.xlsx", b"not a workbook")
    assert widget.model.state == "rejected" and "cannot be read as a spreadsheet" in widget.model.status
    assert widget._import.disabled
