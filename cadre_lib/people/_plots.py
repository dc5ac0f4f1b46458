"""Charts of places and people: chiefs and participants by county."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..core.codes import label
from ..core.plots import at_most, bars, county_names, text

__all__ = ["plot_chiefs_by_county", "plot_members_by_county"]


def plot_chiefs_by_county(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of secretaries and heads per county, from `chiefs_by_county` (the first MOST_ROWS
    counties, the title says so when there are more)."""
    table, note = at_most(table)
    long = table.assign(place=county_names(table)).melt(
        id_vars="place", value_vars=["secretaries", "heads"], var_name="post", value_name="n"
    )
    long["post"] = long["post"].map(
        {
            "secretaries": text(label("post", "secretary", "zh"), "Secretary"),
            "heads": text("乡镇长/主任", "Head"),
        }
    )
    ax = bars(long, "n", "place", "post", ax)
    ax.set(
        ylabel=None,
        xlabel=text("人数", "Chiefs"),
        title=text("在任乡镇（街道）党政正职", "Township chiefs in post") + note,
    )
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False)
    return ax


def plot_members_by_county(table: pd.DataFrame, title: str, ax: Axes | None = None) -> Axes:
    """Bars of a cohort's participants per county, from `members_by_county`."""
    table, note = at_most(table, "largest", table["participants"])
    data = table.assign(place=county_names(table))
    ax = bars(data, "participants", "place", None, ax)
    ax.set(ylabel=None, xlabel=text("参训人数", "Participants"), title=title + note)
    return ax
