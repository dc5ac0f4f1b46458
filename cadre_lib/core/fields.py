"""One registry of the fields files carry: each field's key, how it may be headed, how a cell is read.

Every importer takes its columns from here (`pick`), so a header accepted for a field by one
importer is accepted by all, and a cell is read the same way wherever it appears.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .codes import VOCAB
from .errors import InvalidEntry
from .ids import snippet
from .normalize import (
    clean_header,
    clean_name,
    clean_prose,
    clean_text,
    is_blank,
    parse_date,
    parse_national_id,
    parse_national_ids,
    parse_sex,
    plain_texts,
    to_simplified,
)
from .problems import Problem

__all__ = [
    "Field",
    "FIELDS",
    "pick",
    "unit_keys",
    "same_day",
    "parse_code",
    "parse_level",
    "parse_period",
    "parse_score",
]


@dataclass(frozen=True)
class Field:
    """One column a file may carry: its key, its Chinese and English header and the other ways
    offices head it, and how a cell is read (None when blank, InvalidEntry with a code when wrong)."""

    key: str
    zh: str
    en: str
    synonyms: tuple[str, ...]
    parse: Callable[[object], Any]
    required: bool = False
    # Reads many cells at once: the value `parse` gives each cell it can vouch for, None for any
    # other cell (blank, unusual or wrong), which `parse` then reads on its own.
    many: Callable[[Sequence[object]], list[Any]] | None = None

    @property
    def headers(self) -> set[str]:
        """Every heading that names this field, as comparable keys."""
        return {clean_header(h) for h in (self.zh, self.en, *self.synonyms)}

    def parse_column(self, cells: Sequence[object]) -> tuple[list[Any], list[int]]:
        """`parse` of every cell of a column, and the positions of the cells it refused (their
        InvalidEntry stands in their place). Each distinct cell is read once: most columns
        repeat a few values (性别, 县, 职务, months of birth).

        >>> FIELDS["sex"].parse_column(["男", "女", "男", "?"])[1]
        [3]
        """
        keys: list[Any]
        try:
            # 1, 1.0 and True are equal but read apart: numbers of more than one type are told
            # apart by their type; other cells are equal only to cells of their own type.
            numbers = len(set(map(type, cells)) & {int, float, bool})
            keys = list(cells) if numbers <= 1 else list(zip(map(type, cells), cells, strict=True))
            distinct: dict[Any, Any] = dict.fromkeys(keys)
            firsts = list(distinct) if numbers <= 1 else [cell for _, cell in distinct]
        except TypeError:  # an unhashable cell: read every cell
            keys = list(range(len(cells)))
            distinct, firsts = dict.fromkeys(keys), list(cells)
        quick = self.many(firsts) if self.many is not None else [None] * len(firsts)
        for key, cell, value in zip(list(distinct), firsts, quick, strict=True):
            distinct[key] = value if value is not None else self._read(cell)
        refused = {key for key, value in distinct.items() if isinstance(value, InvalidEntry)}
        positions = [n for n, key in enumerate(keys) if key in refused] if refused else []
        return list(map(distinct.__getitem__, keys)), positions

    def _read(self, cell: object) -> Any:
        try:
            return self.parse(cell)
        except InvalidEntry as exc:
            return exc


def _text_up_to(
    limit: int, clean: Callable[[object], str | None] = clean_text
) -> Callable[[object], str | None]:
    """Text of at most `limit` characters, cleaned by `clean` (`clean_prose` keeps a comment's
    punctuation as written)."""

    def parse(value: object) -> str | None:
        text = clean(value)
        if text is not None and len(text) > limit:
            raise InvalidEntry(Problem.TOO_LONG, limit=limit)
        return text

    return parse


def _plain_up_to(limit: int) -> Callable[[Sequence[object]], list[str | None]]:
    """`_text_up_to(limit)` of every cell typed plainly and not too long; None for the others."""

    def many(cells: Sequence[object]) -> list[str | None]:
        return [t if t is not None and len(t) <= limit else None for t in plain_texts(cells)]

    return many


def _post(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    low, simple = text.lower(), to_simplified(text)
    if "书记" in simple or "secretary" in low:
        return "secretary"
    if any(w in simple for w in ("镇长", "乡长", "主任")) or "head" in low:
        return "head"
    raise InvalidEntry(Problem.POST, text=snippet(text, 20))


def _phone(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    digits = text.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise InvalidEntry(Problem.PHONE)
    return text


def _phones(cells: Sequence[object]) -> list[str | None]:
    """`_phone` of every cell typed plainly as 7 to 15 digits; None for the others."""
    return [t if t is not None and t.isdigit() and 7 <= len(t) <= 15 else None for t in plain_texts(cells)]


def _day(value: object) -> dt.date | None:
    parsed = parse_date(value)
    if parsed is None:
        return None
    if not parsed[1]:
        raise InvalidEntry(Problem.NEEDS_DAY)
    return parsed[0]


_FORMAT_WORDS = (
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
)


def _format(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    key = clean_header(text)
    for code, (zh, en) in VOCAB["format"].items():
        if key in (clean_header(code), clean_header(zh), clean_header(en)):
            return code
    for word, code in _FORMAT_WORDS:
        if word in key:
            return code
    raise InvalidEntry(Problem.FORMAT, text=snippet(text, 20))


def _typed_number(value: object, what: str) -> float | None:
    """A finite number as typed (full-width digits too), None when blank; `what` names it in the
    refusal ("class hours", "a score"). Its bounds are checked by whoever knows them."""
    if is_blank(value):
        return None
    text = clean_text(value)
    try:
        number = float(text) if not isinstance(value, bool) else math.nan  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise InvalidEntry(Problem.NOT_A_NUMBER, text=snippet(text, 12), what=what)
    return number


def _hours(value: object) -> float | None:
    """A number of class hours as typed; its bounds are the rules'."""
    return _typed_number(value, "class hours")


_MARKS = {
    "出勤": "present",
    "到": "present",
    "√": "present",
    "✓": "present",
    "present": "present",
    "迟到": "late",
    "late": "late",
    "早退": "left_early",
    "left early": "left_early",
    "left_early": "left_early",
    "请假": "excused",
    "假": "excused",
    "excused": "excused",
    "缺勤": "absent",
    "旷课": "absent",
    "未到": "absent",
    "×": "absent",
    "absent": "absent",
}


def _mark(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    found = _MARKS.get(to_simplified(text).lower())
    if found is None:
        raise InvalidEntry(Problem.ATTENDANCE_MARK, text=snippet(text, 10))
    return found


# Words offices write for the codes of the evaluation vocabularies, besides the labels themselves.
_CODE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "dimension": (
        ("党性", "party_spirit"),
        ("理论", "theory"),
        ("专业", "professional"),
        ("能力", "professional"),
    ),
    "phase": (
        ("训前", "pre"),
        ("前测", "pre"),
        ("培训前", "pre"),
        ("入学", "pre"),
        ("训中", "mid"),
        ("中期", "mid"),
        ("期中", "mid"),
        ("训后", "post"),
        ("后测", "post"),
        ("培训后", "post"),
        ("结业", "post"),
    ),
    "rater_role": (
        ("自评", "self"),
        ("本人", "self"),
        ("互评", "peer"),
        ("同学", "peer"),
        ("学员", "peer"),
        ("教师", "trainer"),
        ("老师", "trainer"),
        ("授课", "trainer"),
        ("培训", "training_office"),
        ("组织部", "training_office"),
        ("党校", "training_office"),
        ("上级", "supervisor"),
        ("领导", "supervisor"),
    ),
    "arena": (
        ("招商", "investment"),
        ("项目", "projects"),
        ("乡村", "rural"),
        ("振兴", "rural"),
        ("治理", "governance"),
        ("舆情", "public_opinion"),
    ),
    "review_source": (("看", "look"), ("听", "hear"), ("问", "ask")),
    "concern": (
        ("压力", "workload"),
        ("家庭", "family"),
        ("健康", "health"),
        ("身体", "health"),
        ("成长", "development"),
        ("进步", "development"),
        ("用地", "land"),
        ("资金", "funding"),
        ("队伍", "staffing"),
        ("政策", "policy"),
        ("矛盾", "disputes"),
        ("信访", "disputes"),
        ("学习", "training"),
        ("培训", "training"),
        ("问责", "accountability"),
        ("担当", "accountability"),
    ),
    "follow_up_status": (
        ("办结", "done"),
        ("完成", "done"),
        ("已办", "done"),
        ("在办", "open"),
        ("未办", "open"),
        ("不再", "dropped"),
        ("撤销", "dropped"),
    ),
    "outcome_kind": (
        ("提拔", "promotion"),
        ("职级", "rank_promotion"),
        ("记功", "merit"),
        ("嘉奖", "merit"),
        ("立功", "merit"),
        ("处分", "discipline"),
        ("问责", "accountability"),
        ("备案", "risk_filing"),
        ("容错", "fault_tolerance"),
    ),
    "sanction": (
        ("严重警告", "party_serious_warning"),
        ("撤销党内", "party_removal"),
        ("记大过", "admin_major_demerit"),
        ("记过", "admin_demerit"),
        ("降级", "admin_demotion"),
        ("撤职", "admin_removal"),
        ("诫勉", "admonishment"),
        ("责令辞职", "ordered_resignation"),
        ("免职", "dismissal"),
        ("降职", "demotion"),
        ("调整职务", "post_adjustment"),
        ("政务警告", "admin_warning"),
        ("警告", "party_warning"),
    ),
    "award": (("一等功", "merit_1"), ("二等功", "merit_2"), ("三等功", "merit_3"), ("嘉奖", "commendation")),
    "filing_result": (
        ("部分", "partly"),
        ("未达", "failed"),
        ("失败", "failed"),
        ("达到", "achieved"),
        ("成功", "achieved"),
    ),
    "commenter_role": (
        ("党员", "party_member"),
        ("干部", "cadre"),
        ("企业", "company"),
        ("群众", "resident"),
        ("居民", "resident"),
        ("村民", "resident"),
    ),
}
_WHAT = {
    "dimension": ("测评维度", "dimension"),
    "phase": ("测评阶段", "phase (pre, mid, post)"),
    "rater_role": ("评价人类别", "rater role"),
    "arena": ("考察领域（五个一线）", "frontline arena"),
    "review_source": ("考察方式（看、听、问）", "review source (look, hear, ask)"),
    "commenter_role": ("评价人身份", "commenter role"),
    "talker_role": ("谈话人身份", "talker role"),
    "concern": ("反映问题类别", "concern"),
    "follow_up_status": ("办理状态", "follow-up status"),
    "outcome_kind": ("类别", "kind of decision"),
    "sanction": ("处分或问责种类", "sanction"),
    "rank": ("职级", "rank"),
    "award": ("奖励", "award"),
    "filing_result": ("备案事项结果", "risk filing result"),
}


def parse_code(vocabulary: str, value: object) -> str | None:
    """A code of an evaluation vocabulary from its code, either label, or the word offices write
    ("训后" post, "互评" peer, "听" hear); None when blank, InvalidEntry naming the choices.

    >>> parse_code("phase", "训后"), parse_code("rater_role", "Peers"), parse_code("arena", "招商引资")
    ('post', 'peer', 'investment')
    """
    text = clean_text(value)
    if text is None:
        return None
    key = clean_header(text)
    for code, (zh, en) in VOCAB[vocabulary].items():
        if key in (clean_header(code), clean_header(zh), clean_header(en)):
            return code
    for word, code in _CODE_WORDS.get(vocabulary, ()):
        if word in key:
            return code
    zh, en = _WHAT[vocabulary]
    raise InvalidEntry(
        Problem.UNKNOWN_CODE,
        value=snippet(text, 20),
        what_zh=zh,
        what_en=en,
        known_zh="、".join(v[0] for v in VOCAB[vocabulary].values()),
        known_en=", ".join(VOCAB[vocabulary]),
    )


def parse_codes(vocabulary: str, value: object) -> str | None:
    """Several codes of a vocabulary in one cell ("用地指标、工作压力", "land,workload"), as a
    comma-separated string in the vocabulary's order; None when blank."""
    text = clean_text(value)
    if text is None:
        return None
    parts = [p for p in re.split(r"[,，、;；/／\s]+", text) if p]
    found = {parse_code(vocabulary, p) for p in parts}
    return ",".join(c for c in VOCAB[vocabulary] if c in found) or None


def parse_score(value: object) -> float | None:
    """A score as typed (full-width digits too); its scale is its instrument's, checked later."""
    return _typed_number(value, "a score")


def parse_level(value: object) -> int | None:
    """A frontline level 1-5, as a number or its word (好 5, 较好 4, 一般 3, 较差 2, 差 1)."""
    text = clean_text(value)
    if text is None:
        return None
    for code, (zh, en) in VOCAB["level"].items():
        if clean_header(text) in (clean_header(zh), clean_header(en)):
            return int(code)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number != number or number != int(number) or not 1 <= number <= 5 or isinstance(value, bool):
        raise InvalidEntry(Problem.LEVEL, value=snippet(text, 12))
    return int(number)


_PERIOD = re.compile(r"^(\d{4})(?:年度|年)?(?:[-_ ]?(H[12]|上半年|下半年))?$")


def parse_period(value: object) -> str | None:
    """A review period: a year ("2026", "2026年") or a half year ("2026-H1", "2026年上半年").

    >>> parse_period("2026年上半年"), parse_period(2026), parse_period("2026h2")
    ('2026-H1', '2026', '2026-H2')
    """
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = clean_text(value)
    if text is None:
        return None
    found = _PERIOD.match(text.upper().replace(" ", ""))
    if found is None or not 2000 <= int(found.group(1)) <= 2100:
        raise InvalidEntry(Problem.PERIOD, value=snippet(text, 16))
    half = found.group(2)
    if half is None:
        return found.group(1)
    return f"{found.group(1)}-{'H1' if half in ('H1', '上半年') else 'H2'}"


def _coded(vocabulary: str) -> Callable[[object], str | None]:
    def parse(value: object) -> str | None:
        return parse_code(vocabulary, value)

    return parse


def _coded_list(vocabulary: str) -> Callable[[object], str | None]:
    def parse(value: object) -> str | None:
        return parse_codes(vocabulary, value)

    return parse


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("name", "姓名", "Name", ("名字", "学员姓名", "干部姓名", "谈话对象"), clean_name),
        Field(
            "national_id",
            "公民身份号码",
            "ID",
            ("身份证号", "身份证号码", "身份证", "id number", "national id"),
            parse_national_id,
            many=parse_national_ids,
        ),
        Field("birth", "出生年月", "Birth date", ("出生日期", "出生年月日", "date of birth"), parse_date),
        Field("sex", "性别", "Sex", ("gender",), parse_sex),
        Field("ethnicity", "民族", "Ethnicity", (), _text_up_to(32), many=_plain_up_to(32)),
        Field("education", "学历", "Education", ("文化程度",), _text_up_to(32), many=_plain_up_to(32)),
        Field(
            "county",
            "县(区)",
            "County",
            ("县区", "区县", "县", "所在县区", "county/district"),
            _text_up_to(64),
            many=_plain_up_to(64),
        ),
        Field(
            "township",
            "乡镇(街道)",
            "Township",
            ("乡镇", "街道", "乡镇街道", "所在乡镇"),
            _text_up_to(64),
            many=_plain_up_to(64),
        ),
        Field("post", "现任职务", "Post", ("职务", "position"), _post),
        Field("post_since", "任现职时间", "In post since", ("任职时间", "任现职务时间"), parse_date),
        Field("phone", "联系电话", "Phone", ("电话", "手机", "手机号码"), _phone, many=_phones),
        Field(
            "remark", "备注", "Notes", ("remarks", "remark", "说明"), _text_up_to(500), many=_plain_up_to(500)
        ),
        Field(
            "cohort",
            "培训项目",
            "Cohort",
            ("项目", "班次", "培训班", "培训班次", "cohort code"),
            _text_up_to(128),
            many=_plain_up_to(128),
        ),
        Field(
            "date",
            "日期",
            "Date",
            ("培训日期", "时间", "上课日期", "session date", "谈话日期", "谈话时间", "决定日期"),
            _day,
        ),
        Field("format", "形式", "Format", ("培训形式", "方式", "教学形式"), _format),
        Field(
            "topic",
            "主题",
            "Topic",
            ("专题", "课程", "课程名称", "培训主题", "title"),
            _text_up_to(256),
            many=_plain_up_to(256),
        ),
        Field("hours", "学时", "Hours", ("课时", "class hours"), _hours),
        Field(
            "speaker",
            "主讲人",
            "Speaker",
            ("授课人", "主讲", "授课专家"),
            _text_up_to(128),
            many=_plain_up_to(128),
        ),
        Field(
            "location",
            "地点",
            "Location",
            ("培训地点", "上课地点", "place"),
            _text_up_to(128),
            many=_plain_up_to(128),
        ),
        Field("status", "考勤", "Attendance", ("签到", "出勤情况", "考勤情况", "status"), _mark),
        Field(
            "instrument",
            "测评工具",
            "Instrument",
            ("测评方式", "考核方式", "测评项目", "试卷"),
            _text_up_to(64),
            many=_plain_up_to(64),
        ),
        Field("dimension", "测评维度", "Dimension", ("维度", "能力维度"), _coded("dimension")),
        Field("phase", "测评阶段", "Phase", ("阶段", "测评时间点"), _coded("phase")),
        Field(
            "rater_role", "评价人类别", "Rater role", ("评价主体", "评分人", "rater"), _coded("rater_role")
        ),
        Field("score", "成绩", "Score", ("分数", "得分", "测评成绩"), parse_score),
        Field("period", "考察期", "Period", ("考察年度", "年度", "review period"), parse_period),
        Field("arena", "考察领域", "Arena", ("一线", "五个一线", "领域"), _coded("arena")),
        Field("source", "考察方式", "Source", ("看听问", "review source"), _coded("review_source")),
        Field("level", "等次", "Level", ("评价等次", "评定等次", "rating"), parse_level),
        Field(
            "evidence",
            "佐证",
            "Evidence",
            ("佐证材料", "事实依据", "主要事实"),
            _text_up_to(1000, clean_prose),
        ),
        Field(
            "commenter_role",
            "评价人身份",
            "Commenter role",
            ("评价人", "意见来源", "commenter"),
            _coded("commenter_role"),
        ),
        Field(
            "text",
            "评价意见",
            "Comment",
            ("意见", "评语", "评价内容", "comment text"),
            _text_up_to(2000, clean_prose),
        ),
        # care and incentives: talks and their follow-ups, the outcomes ledger
        Field("talker_role", "谈话人身份", "Talker role", ("谈话人职务", "谈话领导"), _coded("talker_role")),
        Field(
            "talker_name",
            "谈话人",
            "Talker",
            ("谈话人姓名", "talker name"),
            _text_up_to(64),
            many=_plain_up_to(64),
        ),
        Field(
            "concern_tags",
            "反映问题类别",
            "Concern tags",
            ("问题类别", "concerns raised"),
            _coded_list("concern"),
        ),
        Field(
            "concerns",
            "反映问题",
            "Concerns",
            ("反映的问题", "谈话内容", "主要问题", "concern text"),
            _text_up_to(2000, clean_prose),
        ),
        Field(
            "action",
            "跟进事项",
            "Follow-up",
            ("跟进措施", "整改措施", "follow-up action"),
            _text_up_to(1000, clean_prose),
        ),
        Field(
            "owner",
            "责任人",
            "Owner",
            ("责任单位", "承办单位", "承办人"),
            _text_up_to(64),
            many=_plain_up_to(64),
        ),
        Field("due_date", "办理时限", "Due date", ("完成时限", "时限", "due"), _day),
        Field("follow_up_status", "办理状态", "Status", ("办结情况", "进展"), _coded("follow_up_status")),
        Field("done_date", "办结日期", "Done on", ("完成日期", "done date"), _day),
        Field(
            "kind",
            "类别",
            "Kind",
            ("事项类别", "激励问责类别", "奖惩类别", "决定类别", "outcome kind"),
            _coded("outcome_kind"),
        ),
        Field("detail", "事由", "Detail", ("事项", "内容", "摘要", "detail"), _text_up_to(1000, clean_prose)),
        Field("from_post", "原职务", "From post", ("原任职务",), _text_up_to(128), many=_plain_up_to(128)),
        Field(
            "to_post",
            "新职务",
            "To post",
            ("拟任职务", "提拔职务", "现职务"),
            _text_up_to(128),
            many=_plain_up_to(128),
        ),
        Field("rank", "职级", "Rank", ("晋升职级", "新职级"), _coded("rank")),
        Field("award", "奖励", "Award", ("奖励等次", "立功等次"), _coded("award")),
        Field("sanction", "处分或问责种类", "Sanction", ("处分种类", "问责方式", "处分"), _coded("sanction")),
        Field("impact_end", "影响期至", "Impact until", ("影响期满", "影响期截止"), _day),
        Field("reviewed_on", "期满评价日期", "Reviewed on", ("重新评价日期",), _day),
        Field("result", "备案事项结果", "Result", ("结果", "实施结果"), _coded("filing_result")),
        Field("result_date", "结果日期", "Result date", ("结果认定日期",), _day),
    )
}


def pick(
    *keys: str, required: tuple[str, ...] = (), parsers: Mapping[str, Callable[[object], Any]] | None = None
) -> tuple[Field, ...]:
    """The registry's fields an importer reads, in file order, with those it cannot do without.
    `parsers`: a stage's own reader of a field's cells (a term the stage owns, such as a
    talker's title), used in place of the registry's; the headers stay the registry's.

    >>> [f.key for f in pick("date", "topic", required=("date",)) if f.required]
    ['date']
    """
    parsers = parsers or {}
    unknown = (set(required) | set(parsers)) - set(keys)
    if unknown:
        raise ValueError(f"required fields not picked: {sorted(unknown)}")
    return tuple(
        dataclasses.replace(FIELDS[k], required=k in required, parse=parsers[k], many=None)
        if k in parsers
        else dataclasses.replace(FIELDS[k], required=k in required)
        for k in keys
    )


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
