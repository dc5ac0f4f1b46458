"""Charts of care: talk coverage per county and period, and overdue talks per talker."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ..core.codes import codes, label
from ..core.plots import at_most, axes, ensure_theme, text

__all__ = ["plot_talk_coverage", "plot_overdue_by_talker"]

_HOLDER_EN = {"county_secretary": "Party secretary", "county_org_chief": "organization chief"}


def plot_talk_coverage(coverage: pd.DataFrame) -> Figure:
    """Share of the chiefs owed a talk who had one in the period, per county (rows) and period
    (columns), a panel per talker role: from `talk_coverage`. A period still running shows the
    share so far; each cell says held / owed."""
    ensure_theme()
    # The counties with the lowest coverage over all periods, when there are more than a chart holds.
    rates = coverage.groupby("county")["held"].sum() / coverage.groupby("county")["owed"].sum().replace(
        0, float("nan")
    )
    counties, note = at_most(rates.rename("rate").fillna(1.0).to_frame(), "smallest", rates.fillna(1.0))
    coverage = coverage[coverage["county"].isin(counties.index)]
    roles = [r for r in codes("talker_role") if r in set(coverage["talker_role"])]
    fig, panels = plt.subplots(
        1,
        max(len(roles), 1),
        figsize=(4.2 * max(len(roles), 1) + 1.5, 0.55 * coverage["county"].nunique() + 2.2),
        squeeze=False,
    )
    for ax, role in zip(panels[0], roles, strict=False):
        own = coverage[coverage["talker_role"] == role].sort_values(["county_code", "period"])
        own = own.assign(
            period=own["period"].where(~own["running"], own["period"] + "\n" + text("进行中", "so far"))
        )
        rate = own.pivot_table(index="county", columns="period", values="rate", sort=False)
        cells = own.assign(cell=own["held"].astype(str) + "/" + own["owed"].astype(str))
        notes = cells.pivot_table(
            index="county", columns="period", values="cell", aggfunc="first", sort=False
        )
        sns.heatmap(
            rate, vmin=0, vmax=1, cmap="RdYlGn", annot=notes.reindex_like(rate), fmt="", cbar=False, ax=ax
        )
        ax.set(
            xlabel=None,
            ylabel=None,
            title=text(label("talker_role", role, "zh"), label("talker_role", role, "en")),
        )
        ax.tick_params(axis="y", rotation=0)
        ax.tick_params(axis="x", rotation=0)
    fig.suptitle(text("谈心谈话覆盖率（本期已谈/应谈）", "Talk coverage (held / owed in the period)") + note)
    fig.tight_layout()
    return fig


def plot_overdue_by_talker(overdue: pd.DataFrame, ax=None):
    """Overdue talks per talker and period, from `overdue_talks` (most first)."""
    named = overdue.assign(
        talker=[
            text(t, f"{c} {_HOLDER_EN.get(r) or label('talker_role', r, 'en')}")
            for t, c, r in zip(overdue["talker"], overdue["county_en"], overdue["talker_role"], strict=True)
        ]
    )
    counts = named.groupby(["talker", "period"]).size().rename("n").reset_index()
    totals = counts.groupby("talker")["n"].sum().sort_values(ascending=False, kind="stable")
    kept, note = at_most(totals.to_frame(), "largest", totals)
    order = kept.index
    counts = counts[counts["talker"].isin(order)]
    ax = axes(ax, (8, 0.45 * max(len(order), 1) + 1.5))
    if counts.empty:
        ax.set(title=text("无逾期未谈", "No talk overdue"))
        return ax
    sns.barplot(
        data=counts, x="n", y="talker", hue="period", order=list(order), hue_order=sorted(counts["period"].unique()),
        orient="h", ax=ax,
    )  # fmt: skip
    ax.set(
        xlabel=text("逾期未谈人次", "Talks overdue"),
        ylabel=None,
        title=text("各谈话人逾期未谈", "Overdue talks per talker") + note,
    )
    ax.legend(title=text("周期", "Period"))
    return ax
