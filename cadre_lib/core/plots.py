"""The look every chart shares: Chinese and English labels in a CJK font that ships with the environment."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "cjk_font",
    "use_theme",
    "ensure_theme",
    "text",
    "bars",
    "axes",
    "county_names",
    "figure_png",
    "at_most",
    "MOST_ROWS",
]

# Fonts tried by name when the packaged font is missing (a desktop with one installed).
_KNOWN = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
_state: dict[str, str | None] = {}


def cjk_font() -> str | None:
    """Name of a font with Chinese glyphs: the packaged Noto Sans CJK SC first, so every machine
    draws (and says) the same, whatever fonts its desktop has; a known desktop font only when
    the package is missing.

    The pinned environment installs `mplfonts`, whose static Noto Sans CJK SC (SIL OFL) is
    registered directly; its other bundled fonts are not used.
    """
    if "font" in _state:
        return _state["font"]
    found = None
    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            found = font_manager.FontProperties(fname=str(path)).get_name()
    if found is None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        found = next((n for n in _KNOWN if n in names), None)
    _state["font"] = found
    return found


def use_theme() -> str:
    """Set the seaborn theme for every chart and say, in one line, which labels charts will use.

    With a CJK font, labels are Chinese and English; without one, English only (never boxes).
    """
    font = cjk_font()
    sns.set_theme(style="whitegrid", font=font or "DejaVu Sans", rc={"axes.unicode_minus": False})
    matplotlib.rcParams["figure.dpi"] = 100
    _state["lang"] = "both" if font else "en"
    if font:
        return f"图表标签：中文 + English (font: {font})"
    return "No font with Chinese characters was found: charts use English labels only."


def ensure_theme() -> None:
    """The workbook's theme, set once: for charts that make their own figure of several panels."""
    if "lang" not in _state:
        use_theme()


def text(zh: str, en: str) -> str:
    """A chart label in the languages the current theme can draw."""
    return en if _state.get("lang", "both") == "en" or cjk_font() is None else f"{zh} {en}"


def bars(data: pd.DataFrame, value: str, place: str, hue: str | None, ax: Axes | None) -> Axes:
    """Horizontal bars: two-language place names stay readable on the vertical axis."""
    if "lang" not in _state:  # a chart drawn before use_theme() still gets the CJK font
        use_theme()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 * data[place].nunique() + 1.2))
    sns.barplot(data=data, x=value, y=place, hue=hue, ax=ax, errorbar=None, orient="h")
    return ax


def county_names(df: pd.DataFrame) -> pd.Series:
    """County names as the theme can draw them: Chinese and English, or English alone."""
    return df["county_en"] if cjk_font() is None else df["county"] + " " + df["county_en"]


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes and close it (for image widgets)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The Axes to draw on: the one given, or a new figure of `size` in the workbook's theme."""
    if "lang" not in _state:
        use_theme()
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


MOST_ROWS = 40  # rows a chart draws: a national workspace has 3,300 counties and 6,600 cohorts
_WHICH = {
    "first": ("前{n}个", "first {n}"),
    "last": ("最近{n}个", "latest {n}"),
    "largest": ("最多的{n}个", "the {n} highest"),
    "smallest": ("最低的{n}个", "the {n} lowest"),
}


def at_most(
    frame: pd.DataFrame, which: str = "first", by: pd.Series | None = None
) -> tuple[pd.DataFrame, str]:
    """At most MOST_ROWS rows of a chart's table, and what to add to its title when rows were
    left out ("" when none): the first or last in the table's order, or those with the largest
    or smallest `by` (a value per row). The tables themselves always hold every row.

    >>> rows, note = at_most(pd.DataFrame({"n": range(100)}), "last")
    >>> len(rows), note
    (40, '（最近40个，共100个） (latest 40 of 100)')
    """
    total = len(frame)
    if total <= MOST_ROWS:
        return frame, ""
    if which == "first":
        kept = frame.head(MOST_ROWS)
    elif which == "last":
        kept = frame.tail(MOST_ROWS)
    else:
        order = by.sort_values(ascending=which == "smallest", kind="stable").index[:MOST_ROWS]
        kept = frame[frame.index.isin(order)]
    zh, en = (s.format(n=MOST_ROWS) for s in _WHICH[which])
    return kept, f"（{zh}，共{total:,}个） ({en} of {total:,})"
