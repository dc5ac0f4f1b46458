"""What one entry did, in words a trainer reads: new, replaced (old → new) or as it was."""

from __future__ import annotations

from dataclasses import dataclass

from .ids import scrub_ids

__all__ = ["Saved"]

_ACTION = {"new": ("已保存", "Saved"), "update": ("已更新", "Updated"), "unchanged": ("未变化", "Unchanged")}


@dataclass(frozen=True)
class Saved:
    """One entry's outcome: `action` is new, update or unchanged; `what` names the entry
    (Chinese, English); `was` is the value it replaced, if any; `note` (Chinese, English) what
    the saver should know besides (a promotion recorded while an impact period runs)."""

    action: str
    id: int
    what: tuple[str, str]
    was: str | None = None
    note: tuple[str, str] | None = None

    def message(self) -> str:
        zh, en = _ACTION[self.action]
        was_zh = f"（原为{self.was}）" if self.action == "update" and self.was is not None else ""
        was_en = f" (was {self.was})" if self.action == "update" and self.was is not None else ""
        note_zh, note_en = (f"注意：{self.note[0]}。", f" Note: {self.note[1]}.") if self.note else ("", "")
        text = f"{zh}：{self.what[0]}{was_zh}。{note_zh} {en}: {self.what[1]}{was_en}.{note_en}"
        return scrub_ids(text)  # a saved topic, action or concern may hold an ID number as typed

    def __str__(self) -> str:
        return self.message()
