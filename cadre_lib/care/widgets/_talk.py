"""The talk form: one supervisory talk with a chief, what they raised, and a follow-up."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.tx import ANY_VERSION
from ...core.widgets import bind
from ...core.workspace import Workspace
from ...people.widgets import ChiefForm, ChiefFormModel, typed_day
from .._talkers import county_keys, talker
from .._talks import record_talk, talk_version, talks

__all__ = ["TalkModel", "TalkForm", "talk_form"]


# The talker's role left to the title typed as the talker ("市委组织部分管副部长 李某").
_FROM_TITLE = ("按谈话人职务识别 read from the talker's title", "")


class TalkModel(ChiefFormModel):
    """The form's state: the chief, the date, the talker's role and the talker as written (title
    and name; the role is read from the title when left to it, and a title naming another role is
    refused), the concerns raised (tags and words), and one follow-up (action, owner, due date;
    all blank for none)."""

    talker_role = T.Unicode(codes("talker_role")[0])
    talker_name = T.Unicode("")
    concern_tags = T.Tuple()
    concerns = T.Unicode("")
    action = T.Unicode("")
    owner = T.Unicode("")
    due = T.Unicode("")

    def __init__(self, ws: Workspace, as_of: dt.date):
        self._counties = county_keys(ws)  # before the fields the form starts with are read
        self._made_on: int | None | str = ANY_VERSION
        super().__init__(ws, None, as_of)
        self._talk_chosen()

    @T.observe("person_id", "date", "talker_role", "talker_name")
    def _talk_chosen(self, _change: dict | None = None) -> None:
        """Which talk the form is about (its chief, day and talker) and the version it is made on:
        a talk another office registers or changes meanwhile is then never overwritten."""
        try:
            role = talker(self.talker_role or None, self.talker_name or None, self._counties)[0]
            day = typed_day(self.date)
        except CadreError:
            self._made_on = ANY_VERSION  # not a talk yet: the save will say what is missing
            return
        self._made_on = talk_version(self.ws, self.person_id, day, role) if self.person_id else None

    def latest(self, person_id: int) -> str:
        """The chief's latest talk by the as-of date, for the chooser's card."""
        held = talks(self.ws, self.as_of, person_id=person_id)
        if held.empty:
            return "尚无谈话记录 no talk registered yet"
        r = held.sort_values("date").iloc[-1]
        return f"最近谈话 {r['date']:%Y-%m-%d}（{label('talker_role', r['talker_role'], 'zh')}） latest talk {r['date']:%Y-%m-%d}"

    def save(self) -> bool:
        """Save the talk; refused with its reason (nothing saved) when anything is wrong. A talk
        registered or changed by someone else since the form was filled in is not overwritten:
        the answer says who saved it (a new follow-up is still added)."""
        if not self.person_id:
            self.ok, self.message = False, "未保存：请选择谈话对象。Not saved: choose the chief talked with."
            return False
        try:
            follow = []
            if any(v.strip() for v in (self.action, self.owner, self.due)):
                due = typed_day(self.due) if self.due.strip() else None
                follow = [{"action": self.action, "owner": self.owner, "due_date": due}]
            saved = record_talk(
                self.ws, self.person_id, typed_day(self.date), self.talker_role or None, concerns=self.concerns,
                concern_tags=list(self.concern_tags), talker_name=self.talker_name or None,
                follow_ups=follow, as_of=self.as_of, version=self._made_on,
            )  # fmt: skip
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        self._talk_chosen()  # the talk as it stands now is what a next save is made on
        self.ok, self.message = saved.action != "conflict", saved.message()
        if saved.action == "new":
            self.concerns = self.action = self.owner = self.due = ""
            self.concern_tags = ()
        return True


class TalkForm(ChiefForm):
    """Chief, date, talker, concerns and a follow-up; the answer below."""

    def __init__(self, model: TalkModel):
        style = {"description_width": "9em"}
        self.date = W.Text(description="谈话日期 Date", style=style)
        self.talker_role = W.Dropdown(
            options=[*((label("talker_role", r), r) for r in codes("talker_role")), _FROM_TITLE],
            description="谈话人身份 Role",
            style=style, layout=W.Layout(width="36em"),
        )  # fmt: skip
        self.talker_name = W.Text(
            description="谈话人 Talker", style=style, layout=W.Layout(width="36em"),
            placeholder="职务和姓名，如 西岭县委书记 王某（可不填）title and name, optional",
        )  # fmt: skip
        self.concern_tags = W.SelectMultiple(
            options=[(label("concern", c), c) for c in codes("concern")], description="反映问题 Concerns",
            style=style, rows=6, layout=W.Layout(width="36em"),
        )  # fmt: skip
        self.concerns = W.Textarea(description="问题说明 Details", style=style, layout=W.Layout(width="36em"))
        self.action = W.Text(description="跟进事项 Follow-up", style=style, layout=W.Layout(width="36em"))
        self.owner = W.Text(description="责任人 Owner", style=style)
        self.due = W.Text(description="办理时限 Due", style=style, placeholder="2026-12-31")
        names = ("date", "talker_role", "talker_name", "concern_tags", "concerns", "action", "owner", "due")
        for name in names:
            bind(model, name, getattr(self, name))
        super().__init__(model, "谈话对象 Chief", [getattr(self, n) for n in names], css="cadre-talk")

    def __repr__(self) -> str:
        return f"TalkForm(as_of={self.model.as_of:%Y-%m-%d})"


def talk_form(ws: Workspace, as_of: dt.date) -> TalkForm:
    """The supervisory talk form (does not display it)."""
    return TalkForm(TalkModel(ws, as_of))
