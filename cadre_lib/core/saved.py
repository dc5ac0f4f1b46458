"""What one entry did, in words a trainer reads: new, replaced (old → new), as it was, or not
saved because someone else saved it meanwhile (theirs stands)."""

from __future__ import annotations

from dataclasses import dataclass

from .masking import shown

__all__ = ["Saved"]

_ACTION = {
    "new": ("已保存", "Saved"),
    "update": ("已更新", "Updated"),
    "unchanged": ("未变化", "Unchanged"),
    "conflict": ("未保存", "Not saved"),
}


@dataclass(frozen=True)
class Saved:
    """One entry's outcome: `action` is new, update, unchanged or conflict (another save changed
    it since the version the form was made on: nothing was written, `was` is the value that
    stands and `by` who saved it); `what` names the entry (Chinese, English); `was` is the value
    it replaced, if any; `note` (Chinese, English) what the saver should know besides (a
    promotion recorded while an impact period runs)."""

    action: str
    id: int
    what: tuple[str, str]
    was: str | None = None
    note: tuple[str, str] | None = None
    by: str | None = None

    def message(self) -> str:
        zh, en = _ACTION[self.action]
        note_zh, note_en = (f"注意：{self.note[0]}。", f" Note: {self.note[1]}.") if self.note else ("", "")
        if self.action == "conflict":
            by = self.by or "他人"
            stands = f"为{self.was}" if self.was is not None else ""
            text = (
                f"{zh}：{self.what[0]}——{by}已先保存{stands}，现以其保存的为准，如需更改请重新填写。{note_zh} "
                f"{en}: {self.what[1]} was saved meanwhile by {self.by or 'someone else'}"
                f"{f' as {self.was}' if self.was is not None else ''}; theirs stands (enter it again to replace "
                f"it).{note_en}"
            )
            return shown(text)
        was_zh = f"（原为{self.was}）" if self.action == "update" and self.was is not None else ""
        was_en = f" (was {self.was})" if self.action == "update" and self.was is not None else ""
        text = f"{zh}：{self.what[0]}{was_zh}。{note_zh} {en}: {self.what[1]}{was_en}.{note_en}"
        return shown(text)  # a saved topic, action or concern may hold an ID number or ESC as typed

    def __str__(self) -> str:
        return self.message()
