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
