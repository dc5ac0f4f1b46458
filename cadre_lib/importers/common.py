"""Cell parsers and lookups the roster, schedule and sign-in importers share.

Internal to the importers package: the names are public here only so the sibling modules
can use them; nothing outside the package should.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..errors import InvalidEntry
from ..importing import Importer, ImportReport, ParsedRow, suggest
from ..normalize import (
    clean_header,
    clean_text,
    parse_date,
    parse_number,
    to_simplified,
)
from ..schema import TABLES
from ..vocab import VOCAB


def text_up_to(limit: int):
    def parse(value: object) -> str | None:
        text = clean_text(value)
        if text is not None and len(text) > limit:
            raise InvalidEntry(f"超过{limit}字 too long: at most {limit} characters")
        return text

    return parse


def parse_post(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    low = text.lower()
    text = to_simplified(text)
    if "书记" in text or "secretary" in low:
        return "secretary"
    if any(w in text for w in ("镇长", "乡长", "主任")) or "head" in low:
        return "head"
    raise InvalidEntry(
        f"职务请填写党委书记或镇长/乡长/街道办事处主任 '{text[:20]}' is not a township chief's post; "
        "write 党委书记 or 镇长/乡长/街道办事处主任"
    )


def parse_phone(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    digits = text.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise InvalidEntry(
            "电话号码应为7至15位数字 a phone number has 7 to 15 digits (dashes and spaces allowed)"
        )
    return text


def parse_day(value: object) -> dt.date | None:
    try:
        parsed = parse_date(value)
    except InvalidEntry as exc:
        raise InvalidEntry(
            f"{str(exc).split(';')[0]}; 上课日期请写作 write session dates as 2026-03-18"
        ) from None
    if parsed is None:
        return None
    if not parsed[1]:
        raise InvalidEntry("上课日期须写到日 a session date needs the day, e.g. 2026-03-18")
    return parsed[0]


def parse_format(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    key = clean_header(text)
    for code, (zh, en) in VOCAB["format"].items():
        if key in (clean_header(code), clean_header(zh), clean_header(en)):
            return code
    for word, code in (
        ("研讨", "seminar"),
        ("讨论", "seminar"),
        ("观摩", "site_visit"),
        ("现场", "site_visit"),
        ("分享", "experience_sharing"),
        ("交流", "experience_sharing"),
        ("授课", "lecture"),
        ("讲座", "lecture"),
        ("讲堂", "lecture"),
        ("lecture", "lecture"),
        ("visit", "site_visit"),
        ("seminar", "seminar"),
        ("sharing", "experience_sharing"),
    ):
        if word in key:
            return code
    raise InvalidEntry(
        f"形式请填写专家授课、专场观摩、专项分享或专题研讨 '{text[:20]}' is not a session format; "
        "write 专家授课, 专场观摩, 专项分享 or 专题研讨"
    )


def parse_hours(value: object) -> float | None:
    return parse_number(value, low=0.5, high=24, what="class hours")


def unit_keys(name: str, code: str) -> set[str]:
    """A county or township answers to its code, its name, and its name without 县/区/镇/乡/街道."""
    key = clean_header(name)
    keys = {key, clean_header(code)}
    for suffix in ("街道", "县", "区", "镇", "乡"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            keys.add(key[: -len(suffix)])
    return keys


def same_day(typed: tuple[dt.date, bool], known: dt.date) -> bool:
    """A date typed without a day (1985.03) agrees with any day of that month."""
    day, has_day = typed
    return day == known if has_day else (day.year, day.month) == (known.year, known.month)


def count_action(report: ImportReport, action: str) -> None:
    attr = {"new": "imported", "update": "updated", "unchanged": "unchanged"}[action]
    setattr(report, attr, getattr(report, attr) + 1)


def find_cohort(ws, value: str | None) -> tuple[int, dt.date] | None:
    if not value:
        return None
    c = TABLES["cohort"]
    key = clean_header(value)
    rows = ws.frame(sa.select(c.c.id, c.c.code, c.c.name, c.c.start_date), reveal_ids=True)
    for r in rows.itertuples():
        if key in (clean_header(r.code), clean_header(r.name)):
            return int(r.id), r.start_date
    raise InvalidEntry(
        f"工作区中没有培训项目“{value}” cohort '{value}' is not in the workspace.{suggest(value, rows['code'].tolist() + rows['name'].tolist())}"
    )


class CohortRows(Importer):
    """Importers whose rows name their cohort in a column, or take the one chosen for the file."""

    def cohort_for_file(self, cohort: str | None) -> tuple[int, dt.date] | None:
        """The cohort chosen for the whole file; refused in one message when the file has no
        培训项目 column and none was chosen (rather than the same error on every row)."""
        default = find_cohort(self.ws, cohort)
        if default is None and "cohort" not in self._headers:
            raise InvalidEntry(
                "文件中没有“培训项目”列，请在导入时选择培训项目 the file has no 培训项目 (cohort) column: "
                "choose the cohort when importing (--cohort CODE, or the cohort list above the file)"
            )
        return default

    def row_cohort(self, report: ImportReport, pr: ParsedRow, default: tuple | None) -> tuple | None:
        """(cohort id, start date) of a row, or None after reporting why there is none."""
        named = pr.values.get("cohort")
        if not named:
            if default is None:
                self.error(
                    report,
                    pr,
                    "cohort",
                    "请填写培训项目或导入时选择 which cohort? fill in 培训项目, or choose the cohort when importing",
                )
            return default
        cache = self.__dict__.setdefault("_cohorts", {})
        if named not in cache:
            try:
                cache[named] = find_cohort(self.ws, named)
            except InvalidEntry as exc:
                cache[named] = exc
        if isinstance(cache[named], InvalidEntry):
            self.error(report, pr, "cohort", str(cache[named]))
            return None
        return cache[named]
