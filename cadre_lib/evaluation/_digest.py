"""One chief's evaluation on a page: the frontline review, and what the comments say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..core.codes import codes, label
from ..core.workspace import Workspace
from ..people import place_on, tenures
from ._classify import classify, lines_unconfirmed
from ._comments import comments
from ._reviews import arena_levels, reviews
from ._themes import Themes, themes_for

__all__ = ["Digest", "person_digest"]


@dataclass(frozen=True)
class Digest:
    """A person's digest for a period: `classification` (one row of `classify`, empty when not
    reviewed), `arenas` (their `arena_levels` rows), `comments` (tagged, oldest first),
    `tones` and `themes` (counts), `unconfirmed` (saying the class thresholds are still to be
    confirmed by the department, Chinese and English; empty once its rules file confirms them),
    and `text()` to read it in a sentence or two."""

    person_id: int
    name: str
    place: str
    period: str
    classification: pd.DataFrame
    arenas: pd.DataFrame
    comments: pd.DataFrame
    tones: dict[str, int]
    themes: list[tuple[str, str, int]]  # (code, label, comments)
    unconfirmed: tuple[str, str] = ("", "")

    def text(self) -> str:
        """The digest in words, Chinese first, then English."""
        zh, en = (
            [f"{self.name}（{self.place}），{self.period}年度："],
            [f"{self.name} ({self.place}), {self.period}:"],
        )
        if self.classification.empty:
            zh.append("尚无一线考察评价；")
            en.append("no frontline review yet;")
        else:
            r = self.classification.iloc[0]
            flags = int(r["flags"])
            rated = "尚未完成" if r["rating"] == "unrated" else label("rating", r["rating"], "zh")
            why_zh = r["why"].split(" ")[0] + (f"；{self.unconfirmed[0]}" if self.unconfirmed[0] else "")
            zh.append(
                f"一线考察{rated}（{why_zh}）" + (f"，{flags}个领域看听问结果不一致；" if flags else "；")
            )
            en.append(
                f"frontline review {label('rating', r['rating'], 'en').lower()}"
                + (f" ({self.unconfirmed[1]})" if self.unconfirmed[1] else "")
                + (f", sources disagree in {flags} arena(s);" if flags else ";")
            )
        n = len(self.comments)
        tone_zh = "、".join(f"{label('tone', t, 'zh')}{self.tones.get(t, 0)}条" for t in codes("tone"))
        tone_en = ", ".join(f"{self.tones.get(t, 0)} {label('tone', t, 'en').lower()}" for t in codes("tone"))
        top = [t for t in self.themes if t[2]][:3]
        top_zh = "、".join(f"{t[1].split(' ')[0]}{t[2]}条" for t in top)
        top_en = ", ".join(f"{t[1].partition(' ')[2].lower()} ({t[2]})" for t in top)
        zh.append(f"评价意见{n}条（{tone_zh}）" + (f"，主要涉及{top_zh}。" if top else "。"))
        en.append(f"{n} comment(s) ({tone_en})" + (f", mostly on {top_en}." if top else "."))
        return "".join(zh) + " " + " ".join(en)

    def __str__(self) -> str:
        return self.text()


def person_digest(
    ws: Workspace, person_id: int, period: str, as_of: dt.date | None = None, themes: Themes | None = None
) -> Digest:
    """A person's frontline review and comments of `period` as they stood on `as_of`."""
    themes = themes or themes_for(ws)
    rule = ws.rules.frontline
    own = reviews(ws, period, as_of)
    own = own[own["person_id"] == person_id]
    arenas = arena_levels(own, rule["disagreement_levels"])
    said = comments(ws, period, as_of, person_id=person_id, themes=themes)
    who = own if not own.empty else said
    if who.empty:
        place = place_on(tenures(ws, begun_by=as_of, person_ids=[person_id]), as_of)
        row = (
            place.iloc[0]
            if not place.empty
            else pd.Series({"name": str(person_id), "county": "", "township": ""})
        )
    else:
        row = who.iloc[0]
    counted = [
        (
            t.code,
            f"{t.label_zh} {t.label_en}",
            int(said["themes"].map(lambda v, c=t.code: c in v.split(",")).sum()),
        )
        for t in themes.themes
    ]
    return Digest(
        person_id=person_id,
        name=str(row["name"]),
        place=f"{row['county'] or ''}{row['township'] or ''}",
        period=period,
        classification=classify(arenas, rule) if not arenas.empty else classify(arenas.iloc[0:0], rule),
        arenas=arenas,
        comments=said,
        tones={t: int((said["tone"] == t).sum()) for t in codes("tone")},
        themes=sorted(counted, key=lambda t: -t[2]),
        unconfirmed=lines_unconfirmed(ws.rules),
    )
