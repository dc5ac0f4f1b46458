"""The comment form: one comment about a chief, with the commenter's role (never a name)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.widgets import Choice, bind, status_html
from ...core.workspace import Workspace
from ...people.widgets import ChiefFormModel, typed_day
from .._comments import record_comment
from .._themes import themes_for

__all__ = ["CommentModel", "CommentForm", "comment_form"]


class CommentModel(ChiefFormModel):
    """The form's state: the chief, the commenter's role, the arena (optional), the date and the
    text; `message` says what was saved and how the themes dictionary reads it."""

    commenter_role = T.Unicode(codes("commenter_role")[0])
    arena = T.Unicode("")
    text = T.Unicode("")

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


class CommentForm(W.VBox):
    """Chief, commenter's role, arena, date and the comment's text."""

    def __init__(self, model: CommentModel):
        self.model = model
        style = {"description_width": "8em"}
        self.person = W.Dropdown(description="评价对象 Chief", style=style, layout=W.Layout(width="34em"))
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
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message = W.HTML()
        self._person = Choice(self.person, model, "person_id", self._people())
        for name in ("commenter_role", "arena", "date", "text"):
            bind(model, name, getattr(self, name))
        self.save_button.on_click(lambda _b: model.save())
        model.observe(lambda _c: self._person.set_options(self._people()), names="people")
        model.observe(self._render, names="message")
        controls = [self.person, self.commenter_role, self.arena, self.date, self.text, self.save_button]
        super().__init__([*controls, self.message])
        self.add_class("cadre-comment")

    def _people(self) -> list[tuple[str, int]]:
        return [("（选择）choose", 0), *self.model.people]

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)

    def __repr__(self) -> str:
        return f"CommentForm(period={self.model.period!r})"


def comment_form(ws: Workspace, period: str, as_of: dt.date) -> CommentForm:
    """The evaluation comment form of a period (does not display it)."""
    return CommentForm(CommentModel(ws, period, as_of))
