"""The comment form: one comment about a chief, with the commenter's role (never a name)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.widgets import bind
from ...core.workspace import Workspace
from ...people.widgets import ChiefForm, ChiefFormModel, typed_day
from .._comments import comments, record_comment
from .._themes import themes_for

__all__ = ["CommentModel", "CommentForm", "comment_form"]


class CommentModel(ChiefFormModel):
    """The form's state: the chief, the commenter's role, the arena (optional), the date and the
    text; `message` says what was saved and how the themes dictionary reads it."""

    commenter_role = T.Unicode(codes("commenter_role")[0])
    arena = T.Unicode("")
    text = T.Unicode("")

    def latest(self, person_id: int) -> str:
        """How many comments on the chief the period holds, for the chooser's card."""
        n = len(comments(self.ws, self.period, self.as_of, person_id=person_id))
        return f"本考察期已有评价{n}条 {n} comment(s) this period"

    def save(self) -> bool:
        """Save the comment in the form; the text box is cleared once it is saved."""
        if not self.person_id:
            self.ok, self.message = (
                False,
                "未保存：请选择评价对象。Not saved: choose who the comment is about.",
            )
            return False
        try:
            saved = record_comment(
                self.ws,
                self.person_id,
                self.period,
                self.commenter_role,
                self.text,
                typed_day(self.date),
                self.arena or None,
                as_of=self.as_of,
            )
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        themes = themes_for(self.ws)
        found, matched, tone = themes.read(self.text)
        read_zh = "、".join(themes.label(c, "zh") for c in found) or "未归类"
        read_en = ", ".join(themes.label(c, "en") for c in found) or "untagged"
        self.ok = True
        self.message = (
            f"{saved.message()} 主题：{read_zh}；倾向：{label('tone', tone, 'zh')}（关键词：{'、'.join(matched) or '无'}）。"
            f" Themes: {read_en}; tone: {label('tone', tone, 'en').lower()}."
        )
        if saved.action == "new":
            self.text = ""
        return True


class CommentForm(ChiefForm):
    """Chief, commenter's role, arena, date and the comment's text."""

    def __init__(self, model: CommentModel):
        style = {"description_width": "8em"}
        self.commenter_role = W.Dropdown(
            options=[(label("commenter_role", r), r) for r in codes("commenter_role")],
            description="评价人身份 Role",
            style=style,
        )
        self.arena = W.Dropdown(
            options=[("（不限）any", "")] + [(label("arena", a), a) for a in codes("arena")],
            description="领域 Arena",
            style=style,
        )
        self.date = W.Text(description="日期 Date", style=style)
        self.text = W.Textarea(description="评价意见 Comment", style=style, layout=W.Layout(width="40em"))
        names = ("commenter_role", "arena", "date", "text")
        for name in names:
            bind(model, name, getattr(self, name))
        super().__init__(model, "评价对象 Chief", [getattr(self, n) for n in names], css="cadre-comment")

    def __repr__(self) -> str:
        return f"CommentForm(period={self.model.period!r})"


def comment_form(ws: Workspace, period: str, as_of: dt.date) -> CommentForm:
    """The evaluation comment form of a period (does not display it)."""
    return CommentForm(CommentModel(ws, period, as_of))
