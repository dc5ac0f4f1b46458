"""Seaborn charts with Chinese and English labels, drawn in a CJK font that ships with the environment."""

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

from .vocab import label

__all__ = [
    "cjk_font",
    "use_theme",
    "text",
    "plot_chiefs_by_county",
    "plot_members_by_county",
    "figure_png",
    "plot_format_mix",
    "plot_attendance_rate",
    "plot_attendance_heatmap",
    "plot_hours_vs_requirement",
]

# Fonts tried by name first (a desktop with one installed needs nothing else).
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
    """Name of a font with Chinese glyphs, registering the packaged Noto Sans CJK SC if needed.

    The pinned environment installs `mplfonts`, whose static Noto Sans CJK SC (SIL OFL) is
    registered directly; its other bundled fonts are not used.
    """
    if "font" in _state:
        return _state["font"]
    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in _KNOWN if n in names), None)
    spec = importlib.util.find_spec("mplfonts")
    if found is None and spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            found = font_manager.FontProperties(fname=str(path)).get_name()
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


def text(zh: str, en: str) -> str:
    """A chart label in the languages the current theme can draw."""
    return en if _state.get("lang", "both") == "en" or cjk_font() is None else f"{zh} {en}"


def _bars(data: pd.DataFrame, value: str, place: str, hue: str | None, ax: Axes | None) -> Axes:
    """Horizontal bars: two-language place names stay readable on the vertical axis."""
    if "lang" not in _state:  # a chart drawn before use_theme() still gets the CJK font
        use_theme()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 * data[place].nunique() + 1.2))
    sns.barplot(data=data, x=value, y=place, hue=hue, ax=ax, errorbar=None, orient="h")
    return ax


def _county_names(df: pd.DataFrame) -> pd.Series:
    return df["county_en"] if cjk_font() is None else df["county"] + " " + df["county_en"]


def plot_chiefs_by_county(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of secretaries and heads per county, from `analysis.chiefs_by_county`."""
    long = table.assign(place=_county_names(table)).melt(
        id_vars="place", value_vars=["secretaries", "heads"], var_name="post", value_name="n"
    )
    long["post"] = long["post"].map(
        {
            "secretaries": text(label("post", "secretary", "zh"), "Secretary"),
            "heads": text("乡镇长/主任", "Head"),
        }
    )
    ax = _bars(long, "n", "place", "post", ax)
    ax.set(
        ylabel=None,
        xlabel=text("人数", "Chiefs"),
        title=text("在任乡镇（街道）党政正职", "Township chiefs in post"),
    )
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False)
    return ax


def plot_members_by_county(table: pd.DataFrame, title: str, ax: Axes | None = None) -> Axes:
    """Bars of a cohort's participants per county, from `analysis.members_by_county`."""
    data = table.assign(place=_county_names(table))
    ax = _bars(data, "participants", "place", None, ax)
    ax.set(ylabel=None, xlabel=text("参训人数", "Participants"), title=title)
    return ax


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes and close it (for image widgets)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if "lang" not in _state:
        use_theme()
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_format_mix(mix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked class hours per cohort by session format, from `analysis.format_mix`."""
    ax = _axes(ax, (8, 0.45 * len(mix) + 1.4))
    left = pd.Series(0.0, index=mix.index)
    colours = sns.color_palette("deep", len(mix.columns))
    for colour, fmt in zip(colours, mix.columns, strict=True):
        ax.barh(
            mix.index,
            mix[fmt],
            left=left,
            color=colour,
            label=text(label("format", fmt, "zh"), label("format", fmt, "en")),
        )
        left += mix[fmt]
    ax.invert_yaxis()
    ax.set(
        xlabel=text("学时", "Class hours"),
        ylabel=None,
        title=text("各项目培训形式构成", "Format mix by cohort"),
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def plot_attendance_rate(
    by_session: pd.DataFrame, threshold: float | None = None, ax: Axes | None = None
) -> Axes:
    """Share of offered hours credited, session by session, from `analysis.attendance_by_session`."""
    ax = _axes(ax, (8, 3.2))
    data = by_session.dropna(subset=["rate"])
    ax.plot(pd.to_datetime(data["date"]), data["rate"], marker="o", lw=1.2)
    if threshold is not None:
        ax.axhline(threshold, ls="--", color="grey", lw=1)
        ax.annotate(
            text("结业要求", "completion threshold"),
            (ax.get_xlim()[0], threshold),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=9,
            color="grey",
        )
    ax.set(
        ylim=(0, 1.05),
        xlabel=None,
        ylabel=text("出勤率", "Attendance rate"),
        title=text("各课次出勤率", "Attendance rate by session"),
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    return ax


_STATUS_SCORE = {"present": 4, "late": 3, "left_early": 2, "excused": 1, "absent": 0}


def plot_attendance_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Participants × sessions, one colour per attendance status, from `analysis.attendance_matrix`."""
    ax = _axes(ax, (max(6.0, 0.22 * matrix.shape[1] + 2), max(4.0, 0.13 * matrix.shape[0] + 1.5)))
    scores = matrix.apply(lambda col: col.map(_STATUS_SCORE)).astype(float)
    colours = ["#c0392b", "#f5b041", "#f9e79f", "#a9cce3", "#1e8449"]
    cmap = matplotlib.colors.ListedColormap(colours)
    sns.heatmap(
        scores, ax=ax, cmap=cmap, vmin=-0.5, vmax=4.5, cbar=False, xticklabels=False, yticklabels=False
    )
    for status, score in _STATUS_SCORE.items():
        ax.bar(
            0,
            0,
            color=colours[score],
            label=text(label("attendance_status", status, "zh"), label("attendance_status", status, "en")),
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(
        xlabel=text("课次（按日期）", "Sessions, by date"),
        ylabel=text("参训人员", "Participants"),
        title=text("签到表（白色为未到班/未参训）", "Sign-in sheet (white: not enrolled then)"),
    )
    return ax


def plot_hours_vs_requirement(standing: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Each participant's class hours this year against the yearly requirement to date."""
    ax = _axes(ax, (8, 3.4))
    data = standing.sort_values(["year_credited", "person_id"], ignore_index=True)
    short = data["year_credited"] < data["year_required_to_date"]
    ax.bar(range(len(data)), data["year_credited"], color=["#c0392b" if s else "#4c72b0" for s in short])
    ax.plot(
        range(len(data)),
        data["year_required_to_date"],
        color="black",
        ls="--",
        lw=1,
        label=text("至今应完成学时", "required to date"),
    )
    ax.set(
        xticks=[],
        xlabel=text("参训人员（按学时排序）", "Participants, by hours"),
        ylabel=text("本年度学时", "Class hours this year"),
        title=text("年度学时与要求", "Hours against the yearly requirement"),
    )
    ax.legend(frameon=False)
    return ax
