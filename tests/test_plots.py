"""Charts draw Chinese labels in a real CJK font, with no missing-glyph warnings."""

import warnings

import matplotlib

matplotlib.use("Agg")

from cadre_lib import people  # noqa: E402
from cadre_lib.core import plots  # noqa: E402
from cadre_lib.demo import DEMO_AS_OF  # noqa: E402


def test_the_packaged_cjk_font_is_found():
    assert plots.cjk_font() == "Noto Sans CJK SC"
    assert "中文" in plots.use_theme()


def test_chart_renders_chinese_without_glyph_warnings(demo_ws):
    plots.use_theme()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would fail here
        ax = people.plot_chiefs_by_county(people.chiefs_by_county(people.chiefs(demo_ws, DEMO_AS_OF)))
        png = plots.figure_png(ax.figure)
    assert png.startswith(b"\x89PNG")
    assert "党政正职" in ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "东川区 Dongchuan District"


def test_without_a_cjk_font_charts_say_so_once_and_use_english(demo_ws, monkeypatch):
    monkeypatch.setitem(plots._state, "font", None)
    message = plots.use_theme()
    assert message == "No font with Chinese characters was found: charts use English labels only."
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = people.plot_chiefs_by_county(people.chiefs_by_county(people.chiefs(demo_ws, DEMO_AS_OF)))
        plots.figure_png(ax.figure)
    assert ax.get_title() == "Township chiefs in post"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Dongchuan District"
    monkeypatch.undo()
    plots.use_theme()
