"""Views that follow the workspace: who is overdue for a talk, per talker; and who is barred from
promotion or whose impact period has just ended. A talk or a decision saved in a form shows
here at once."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.widgets import Choice, WorkspaceModel, rows_html
from ...core.workspace import Workspace
from .._cadence import newly_appointed, overdue_talks, talk_compliance
from .._display import display_table
from .._eligibility import eligibility, just_expired

__all__ = [
    "ComplianceModel",
    "ComplianceView",
    "compliance_view",
    "EligibilityModel",
    "EligibilityView",
    "eligibility_view",
]

_OVERDUE = ["talker", "talk_period", "name", "township", "post", "days_overdue", "new_in_post"]
_NEW = [
    "talker",
    "talk_period",
    "name",
    "township",
    "post",
    "days_in_post",
    "status",
    "days_overdue",
    "days_left",
]


class ComplianceModel(WorkspaceModel):
    """The talk cadence as of a date (`overdue`: the overdue rows; `new`: the periods owed by
    chiefs new in post and still waiting, listed apart), and the talker chosen."""

    watches = frozenset({"talk", "post_tenure"})
    overdue = T.Instance(pd.DataFrame, allow_none=True)
    new = T.Instance(pd.DataFrame, allow_none=True)  # chiefs new in post still owed their first talk
    talkers = T.List()
    talker = T.Unicode("")

    def __init__(self, ws: Workspace, as_of: dt.date, since: dt.date | None = None):
        super().__init__()
        self.ws, self.as_of, self.since = ws, as_of, since
        self.reload()
        self.follow(ws)

    def reload(self) -> None:
        compliance = talk_compliance(self.ws, self.as_of, self.since)
        late = overdue_talks(compliance).rename(columns={"period": "talk_period"})
        counts = late.groupby("talker", sort=False).size()
        self.talkers = [(f"{t}（{n}人次）", t) for t, n in counts.items()]
        self.new = newly_appointed(compliance).rename(columns={"period": "talk_period"})
        self.overdue = late


def _blank_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Days overdue for the overdue and days left for the due: the other cell of a row is blank."""
    return frame.astype(object).where(frame.notna(), "")


class ComplianceView(W.VBox):
    """A talker to choose (or all) and the chiefs they are overdue with, longest first."""

    def __init__(self, model: ComplianceModel):
        self.model = model
        self.talker = W.Dropdown(
            description="谈话人 Talker", style={"description_width": "7em"}, layout=W.Layout(width="36em")
        )
        self.summary = W.HTML()
        self.table = W.HTML()
        self.new = W.HTML()
        self._talker = Choice(self.talker, model, "talker", self._options())
        model.observe(lambda _c: self._talker.set_options(self._options()), names="talkers")
        model.observe(self._render, names=["overdue", "talker"])
        super().__init__([self.summary, self.talker, self.table, self.new])
        self.add_class("cadre-compliance")
        self._render()

    def _options(self) -> list[tuple[str, str]]:
        return [("全部谈话人 all talkers", ""), *self.model.talkers]

    def _render(self, _change: dict | None = None) -> None:
        late, chosen = self.model.overdue, self.model.talker
        self.summary.value = (
            f"<p>截至{self.model.as_of:%Y-%m-%d}，逾期未谈{len(late)}人次，涉及谈话人{late['talker'].nunique()}名。"
            f" As of {self.model.as_of:%Y-%m-%d}: {len(late)} talks overdue, owed by {late['talker'].nunique()} talkers.</p>"
        )
        shown = late[late["talker"] == chosen] if chosen else late
        self.table.value = rows_html(display_table(shown, _OVERDUE), "人次", "talks")
        new = self.model.new
        new = new[new["talker"] == chosen] if chosen else new
        share = self.model.ws.rules.talk_owed_from_share
        zh, en = self.model.ws.rules.unconfirmed("talks.owed_from_share")
        self.new.value = (
            f"<p><b>新任职干部应谈{len(new)}人次</b>（周期中途到任、在任满周期天数的{share:.0%}即应谈{zh}；含上表中逾期的）"
            f" <b>Chiefs new in post owed their first talk: {len(new)}</b> (appointed mid-period, owed once in post "
            f"for {share:.0%} of its days{en}; those overdue are in the list above too)</p>"
            + rows_html(_blank_gaps(display_table(new, _NEW)), "人次", "talks")
        )

    def __repr__(self) -> str:
        return f"ComplianceView(as_of={self.model.as_of:%Y-%m-%d})"


def compliance_view(ws: Workspace, as_of: dt.date, since: dt.date | None = None) -> ComplianceView:
    """The overdue talks per talker as of a date, over the periods from the one holding `since`
    (default: a year before) (does not display it)."""
    return ComplianceView(ComplianceModel(ws, as_of, since))


class EligibilityModel(WorkspaceModel):
    """Eligibility as of a date (`table`) and the impact periods just ended (`expired`)."""

    watches = frozenset({"outcome", "rank_history", "post_tenure"})
    table = T.Instance(pd.DataFrame, allow_none=True)
    expired = T.Instance(pd.DataFrame, allow_none=True)

    def __init__(self, ws: Workspace, as_of: dt.date):
        super().__init__()
        self.ws, self.as_of = ws, as_of
        self.reload()
        self.follow(ws)

    def reload(self) -> None:
        self.expired = just_expired(self.ws, self.as_of)
        self.table = eligibility(self.ws, self.as_of)


class EligibilityView(W.VBox):
    """Who may not be promoted and why; whose impact period has just ended."""

    def __init__(self, model: EligibilityModel):
        self.model = model
        self.page = W.HTML()
        model.observe(self._render, names="table")
        super().__init__([self.page])
        self.add_class("cadre-eligibility")
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        t, x = self.model.table, self.model.expired
        barred = t[~t["promotion_eligible"]]
        months = self.model.ws.rules.just_expired_months
        parts = [
            f"<p>截至{self.model.as_of:%Y-%m-%d}，在任乡镇正职{len(t)}人，影响期内暂不能提拔使用{len(barred)}人，"
            f"可晋升职级{int(t['rank_eligible'].sum())}人（职级年限为默认值，待本部门确认）；近{months}个月影响期届满{len(x)}人，宜专项评价。"
            f" As of {self.model.as_of:%Y-%m-%d}: {len(t)} chiefs in post, {len(barred)} barred from promotion by "
            f"an impact period, {int(t['rank_eligible'].sum())} eligible for a rank promotion (rank years are defaults, to be confirmed by your department); {len(x)} whose impact "
            f"period ended in the last {months} months, for special review.</p>",
            rows_html(display_table(barred, ["name", "county", "township", "impact"]), "人", "chiefs"),
            rows_html(
                display_table(
                    x,
                    [
                        "name",
                        "county",
                        "township",
                        "sanction",
                        "date",
                        "impact_until",
                        "reviewed_on",
                        "still_barred",
                    ],
                ),
                "人",
                "chiefs",
            ),
        ]
        self.page.value = "".join(parts)

    def __repr__(self) -> str:
        return f"EligibilityView(as_of={self.model.as_of:%Y-%m-%d})"


def eligibility_view(ws: Workspace, as_of: dt.date) -> EligibilityView:
    """Who is barred from promotion and whose impact period has just ended (does not display it)."""
    return EligibilityView(EligibilityModel(ws, as_of))
