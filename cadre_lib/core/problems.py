"""Codes for every problem an entry or an import can have, and every warning: words come later.

A refusal carries a `Problem` and its parameters; the Chinese and English sentence is made from
them when it is shown (`describe`), so a widget, the JSON report, an Excel list and a summary per
kind can each word it for their reader, and later stages can match on the code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

__all__ = ["Problem", "describe", "WORDING", "UNCONFIRMED"]


class Problem(StrEnum):
    """A stable code: the JSON report and analysts match on these; never reword one in place."""

    # the file itself
    FILE_UNREADABLE = "file_unreadable"
    FILE_EMPTY = "file_empty"
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    BROKEN_SPREADSHEET = "broken_spreadsheet"
    BAD_CSV = "bad_csv"
    UNKNOWN_ENCODING = "unknown_encoding"
    NO_SUCH_SHEET = "no_such_sheet"
    SHEET_NUMBER = "sheet_number"
    BROKEN_SHEET = "broken_sheet"
    NO_HEADER = "no_header"
    MISSING_COLUMNS = "missing_columns"
    NO_DATA = "no_data"
    NO_COHORT_COLUMN = "no_cohort_column"
    # one cell
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    NEEDS_DAY = "needs_day"
    DATE_WINDOW = "date_window"
    NOT_A_NUMBER = "not_a_number"
    NUMBER_RANGE = "number_range"
    SESSION_HOURS = "session_hours"
    SEX = "sex"
    NAME = "name"
    ID_LENGTH = "id_length"
    ID_CHARACTERS = "id_characters"
    ID_DATE = "id_date"
    ID_CHECK = "id_check"
    PHONE = "phone"
    POST = "post"
    FORMAT = "format"
    ATTENDANCE_MARK = "attendance_mark"
    # a row against the file or the workspace
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_POST = "duplicate_post"
    BIRTH_MISMATCH = "birth_mismatch"
    SEX_MISMATCH = "sex_mismatch"
    ID_OF_ANOTHER = "id_of_another"
    PLACE_MISMATCH = "place_mismatch"
    NO_POST_ON_RECORD = "no_post_on_record"
    NOT_THIS_PERSON = "not_this_person"
    UNKNOWN_COUNTY = "unknown_county"
    UNKNOWN_TOWNSHIP = "unknown_township"
    UNKNOWN_COHORT = "unknown_cohort"
    COHORT_ENDED = "cohort_ended"
    WHICH_COHORT = "which_cohort"
    DUPLICATE_SESSION = "duplicate_session"
    NO_SESSION_THAT_DAY = "no_session_that_day"
    SEVERAL_SESSIONS = "several_sessions"
    NOT_ENROLLED = "not_enrolled"
    NOT_ON_SHEET_NOW = "not_on_sheet_now"
    MOVED_OFF_SHEET = "moved_off_sheet"
    SAME_NAME = "same_name"
    DUPLICATE_MARK = "duplicate_mark"
    # evaluation: assessments, frontline reviews, comments
    UNKNOWN_INSTRUMENT = "unknown_instrument"
    INSTRUMENT_DIMENSION = "instrument_dimension"
    SCORE_SCALE = "score_scale"
    UNKNOWN_CODE = "unknown_code"
    LEVEL = "level"
    PERIOD = "period"
    UNKNOWN_PERSON = "unknown_person"
    SAME_NAME_PERSON = "same_name_person"
    NOT_IN_COHORT = "not_in_cohort"
    DUPLICATE_ENTRY = "duplicate_entry"
    EMPTY_TEXT = "empty_text"
    BAD_SCALE = "bad_scale"
    DUPLICATE_INSTRUMENT = "duplicate_instrument"
    # care and incentives: talks, follow-ups, the outcomes ledger
    NOT_A_CHIEF = "not_a_chief"
    DATE_ORDER = "date_order"
    AFTER_AS_OF = "after_as_of"
    NOT_FOR_KIND = "not_for_kind"
    NEEDED_FOR_KIND = "needed_for_kind"
    RANK_NOT_ABOVE = "rank_not_above"
    MARKED_AFTER = "marked_after"
    TALK_DETAILS_DIFFER = "talk_details_differ"
    TALKER_ROLE_DIFFERS = "talker_role_differs"
    NOT_DISCIPLINE = "not_discipline"
    RANK_ORDER = "rank_order"
    UNKNOWN_FIELD = "unknown_field"
    # anything else a store refused, in its own words
    OTHER = "other"
    # warnings about a participant
    BELOW_COMPLETION = "below_completion"
    YEARLY_SHORTFALL = "yearly_shortfall"
    LEAVE_OVER = "leave_over"
    NOT_COMPLETED = "not_completed"


_DATE_HINT = (
    "日期请写作1985-03-01、1985.03、1985年3月或198503",
    "write dates as 1985-03-01, 1985.03, 1985年3月 or 198503",
)

# (Chinese, English) for each code; {names} are the problem's parameters.
WORDING: dict[Problem, tuple[str, str]] = {
    Problem.FILE_UNREADABLE: ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    Problem.FILE_EMPTY: ("“{name}”是空文件", "'{name}' is empty"),
    Problem.NOT_A_SPREADSHEET: (
        "“{name}”不是表格文件，请使用 .xlsx、.xls 或 .csv",
        "'{name}' is not a spreadsheet: use .xlsx, .xls or .csv",
    ),
    Problem.BROKEN_SPREADSHEET: (
        "“{name}”无法读取，请用 Excel 或 WPS 打开后重新保存",
        "'{name}' cannot be read as a spreadsheet ({detail}); open it in Excel or WPS and save it again",
    ),
    Problem.BAD_CSV: ("“{name}”不是有效的CSV文件", "'{name}' is not valid CSV ({detail})"),
    Problem.UNKNOWN_ENCODING: (
        "无法识别“{name}”的文字编码，请另存为“CSV UTF-8”后重新导入",
        "cannot read '{name}': tried {tried} and none gives a header row this import knows. "
        "Save it from Excel or WPS as “CSV UTF-8” and import it again",
    ),
    Problem.NO_SUCH_SHEET: (
        "没有名为“{sheet}”的工作表",
        "no sheet named '{sheet}'; the sheets are: {sheets}",
    ),
    Problem.SHEET_NUMBER: (
        "工作簿只有{count}个工作表",
        "the workbook has {count} sheet(s); sheet {index} does not exist",
    ),
    Problem.BROKEN_SHEET: (
        "工作表“{sheet}”无法读取，请重新保存",
        "sheet '{sheet}' cannot be read ({detail}); save the file again",
    ),
    Problem.NO_HEADER: (
        "前{rows}行中没有表头，表头应包含{names}等列",
        "no header row found in the first {rows} rows; the header must name columns such as {names}",
    ),
    Problem.MISSING_COLUMNS: ("表头缺少列：{columns}", "the header has no column for {columns_en}"),
    Problem.NO_DATA: (
        "工作表“{sheet}”表头下没有数据",
        "sheet '{sheet}' has no data rows below its header; is it the right sheet?",
    ),
    Problem.NO_COHORT_COLUMN: (
        "文件中没有“培训项目”列，请在导入时选择培训项目",
        "the file has no 培训项目 (cohort) column: choose the cohort when importing "
        "(--cohort CODE, or the cohort list above the file)",
    ),
    Problem.REQUIRED: ("{zh}为必填项", "{zh} ({en}) is required; fill it in"),
    Problem.TOO_LONG: ("超过{limit}字", "too long: at most {limit} characters"),
    Problem.NOT_A_DATE: ("“{text}”不是日期；" + _DATE_HINT[0], "'{text}' is not a date; " + _DATE_HINT[1]),
    Problem.YEAR: ("年份{year}不合理；" + _DATE_HINT[0], "year {year} is out of range; " + _DATE_HINT[1]),
    Problem.MONTH: ("不存在{month}月；" + _DATE_HINT[0], "month {month} does not exist; " + _DATE_HINT[1]),
    Problem.DAY: ("{year}年{month}月没有{day}日", "{year}-{month:02d} has no day {day}; " + _DATE_HINT[1]),
    Problem.NEEDS_DAY: ("上课日期须写到日，例如2026-03-18", "a session date needs the day, e.g. 2026-03-18"),
    Problem.DATE_WINDOW: (
        "{what_zh}{day}不在合理范围（{earliest}至{latest}）内",
        "the {what_en} {day} is outside {earliest} – {latest} (the [dates] rules, as of {as_of}); check it",
    ),
    Problem.NOT_A_NUMBER: ("“{text}”不是数字", "'{text}' is not a number; {what} is written like 3 or 3.5"),
    Problem.NUMBER_RANGE: ("应在{low:g}至{high:g}之间", "{what} must be between {low:g} and {high:g}"),
    Problem.SESSION_HOURS: (
        "学时应在{low:g}至{high:g}之间",
        "class hours must be between {low:g} and {high:g}",
    ),
    Problem.SEX: ("性别请填“男”或“女”", "'{text}' is not a sex; write 男 or 女"),
    Problem.NAME: (
        "姓名应为不超过30个字的文字，可含空格和间隔号“·”（外文姓名另可含 . - '），不能含数字、其他符号或控制字符",
        "a name is at most 30 letters, with spaces and middle dots (·) (and . - ' in Latin names): no "
        "digits, other symbols or control characters",
    ),
    Problem.ID_LENGTH: (
        "身份证号应为18位，此处为{length}位",
        "an ID number has 18 characters, this one has {length}",
    ),
    Problem.ID_CHARACTERS: (
        "身份证号为17位数字加一位0-9或X",
        "an ID number is 17 digits and a last character 0-9 or X",
    ),
    Problem.ID_DATE: ("身份证号中的出生日期不存在", "characters 7-14 of the ID number are not a real date"),
    Problem.ID_CHECK: (
        "身份证号校验位不符，可能有数字录错",
        "the check character (last one) does not match: a digit was mistyped",
    ),
    Problem.PHONE: (
        "电话号码应为7至15位数字",
        "a phone number has 7 to 15 digits (dashes and spaces allowed)",
    ),
    Problem.POST: (
        "职务请填写党委书记或镇长/乡长/街道办事处主任",
        "'{text}' is not a township chief's post; write 党委书记 or 镇长/乡长/街道办事处主任",
    ),
    Problem.FORMAT: (
        "形式请填写专家授课、专场观摩、专项分享或专题研讨",
        "'{text}' is not a session format; write 专家授课, 专场观摩, 专项分享 or 专题研讨",
    ),
    Problem.ATTENDANCE_MARK: (
        "考勤请填写出勤、迟到、早退、请假或缺勤",
        "'{text}' is not an attendance mark; write 出勤, 迟到, 早退, 请假 or 缺勤",
    ),
    Problem.DUPLICATE_ID: (
        "与第{row}行身份证号重复",
        "the same ID is already on row {row}; keep one row per person",
    ),
    Problem.DUPLICATE_POST: (
        "与第{row}行职务重复",
        "row {row} already names this township's {post}; one person a post",
    ),
    Problem.BIRTH_MISMATCH: (
        "与身份证号中的出生日期{birth}不符",
        "the ID number says born {birth}; correct the birth date or the ID",
    ),
    Problem.SEX_MISMATCH: (
        "与身份证号中的性别（{sex}）不符",
        "the ID number says {sex}; correct the sex or the ID",
    ),
    Problem.ID_OF_ANOTHER: (
        "姓名“{name}”与身份证号不符：{national_id}在工作区中属于{owner}，请核对姓名或身份证号",
        "the row names {name}, but ID {national_id} belongs to {owner} in the workspace; nothing is "
        "recorded for either: check the name or the ID number",
    ),
    Problem.PLACE_MISMATCH: (
        "{name}（{national_id}）{when_zh}任职于{county}{township}，与所填“{value}”不符，请核对",
        "{name} ({national_id}) held a post in {township}, {county} {when_en}, not in '{value}'; check "
        "the row: it may be about someone else",
    ),
    Problem.NO_POST_ON_RECORD: (
        "工作区中没有{name}（{national_id}）的乡镇任职记录，无法核对所填“{value}”",
        "the workspace has no township post of {name} ({national_id}) to check '{value}' against; leave "
        "it blank or import their post first",
    ),
    Problem.NOT_THIS_PERSON: (
        "编号{person_id}为{owner}，不是“{given}”{other}",
        "person #{person_id} is {owner}, not '{given}'{other_en}; choose the right person",
    ),
    Problem.UNKNOWN_COUNTY: (
        "工作区中没有“{value}”",
        "county '{value}' is not in the workspace.{suggestion} Use a name the workspace knows, or add it first",
    ),
    Problem.UNKNOWN_TOWNSHIP: (
        "{county}没有“{value}”",
        "township '{value}' is not in {county}.{suggestion} Use a name the workspace knows, or add it first",
    ),
    Problem.UNKNOWN_COHORT: (
        "工作区中没有培训项目“{value}”",
        "cohort '{value}' is not in the workspace.{suggestion}",
    ),
    Problem.COHORT_ENDED: (
        "培训项目已于{ended}结束",
        "cohort '{cohort}' ended on {ended}; enroll people in a current cohort",
    ),
    Problem.WHICH_COHORT: (
        "请填写培训项目或导入时选择",
        "which cohort? fill in 培训项目, or choose the cohort when importing",
    ),
    Problem.DUPLICATE_SESSION: (
        "与第{row}行为同一次课",
        "the same session (cohort, date, topic) is already on row {row}",
    ),
    Problem.NO_SESSION_THAT_DAY: ("该项目当天没有课", "no session of this cohort on that date"),
    Problem.SEVERAL_SESSIONS: (
        "当天有多次课，请填写主题",
        "several sessions that day: fill in 主题 (topic) to say which",
    ),
    Problem.NOT_ENROLLED: ("当天不在该项目参训名单中", "not enrolled in this cohort on that date"),
    Problem.MOVED_OFF_SHEET: (
        "未改期：改到{day}后，{names}已不在该课名单中（{why_zh}），但已有其考勤记录",
        "the date was not changed: on {day} {names} would no longer be on the session's sheet ({why_en}), "
        "yet they are marked at it",
    ),
    Problem.NOT_ON_SHEET_NOW: (
        "未导入：第{row}行的{name}在检查之后{why_zh}，请核对后重新导入",
        "nothing imported: {name} on row {row} was {why_en} after the file was checked; check it and import again",
    ),
    Problem.SAME_NAME: (
        "有重名学员，请填写公民身份号码",
        "two participants have this name: fill in 公民身份号码 (ID) to say which",
    ),
    Problem.DUPLICATE_MARK: (
        "与第{row}行重复",
        "this person is already marked for this session on row {row}",
    ),
    Problem.UNKNOWN_INSTRUMENT: (
        "工作区中没有测评工具“{value}”，现有：{known}",
        "no assessment instrument '{value}' in the workspace.{suggestion} Known: {known}; "
        "declare a new one first (its scale and dimensions)",
    ),
    Problem.INSTRUMENT_DIMENSION: (
        "测评工具“{instrument}”不测{dimension_zh}，只测{dimensions_zh}",
        "instrument '{instrument}' does not measure {dimension_en}; it measures {dimensions_en}",
    ),
    Problem.SCORE_SCALE: (
        "成绩{score:g}超出“{instrument}”的分值范围{low:g}至{high:g}",
        "score {score:g} is outside the scale of '{instrument}' ({low:g} to {high:g}); check the score "
        "or the instrument",
    ),
    Problem.UNKNOWN_CODE: (
        "“{value}”不是有效的{what_zh}，可填：{known_zh}",
        "'{value}' is not a {what_en}; use one of: {known_en}",
    ),
    Problem.LEVEL: (
        "等次应为1至5（5好、4较好、3一般、2较差、1差），此处为“{value}”",
        "a level is 1 to 5 (5 very good, 4 good, 3 fair, 2 poor, 1 very poor), not '{value}'",
    ),
    Problem.PERIOD: (
        "考察期“{value}”应写作2026、2026-H1或2026年上半年",
        "review period '{value}' should be written 2026, 2026-H1 or 2026-H2",
    ),
    Problem.UNKNOWN_PERSON: (
        "工作区中没有“{value}”",
        "no one named '{value}' in the workspace.{suggestion} Check the name, or give the ID number",
    ),
    Problem.SAME_NAME_PERSON: (
        "工作区中有{count}人名为“{value}”，请填写公民身份号码或乡镇（街道）",
        "{count} people are named '{value}': fill in 公民身份号码 (ID) or 乡镇（街道） (township) to say which",
    ),
    Problem.NOT_IN_COHORT: (
        "{name}不在培训项目“{cohort}”中",
        "{name} is not enrolled in cohort '{cohort}'; enroll them first or choose their cohort",
    ),
    Problem.DUPLICATE_ENTRY: ("与第{row}行重复", "the same {what} is already on row {row}"),
    Problem.EMPTY_TEXT: ("{zh}不能为空", "{zh} ({en}) cannot be empty"),
    Problem.BAD_SCALE: (
        "分值范围应为最低分小于最高分，此处为{low}至{high}",
        "a scale needs its lowest score below its highest; got {low} to {high}",
    ),
    Problem.DUPLICATE_INSTRUMENT: (
        "测评工具代码“{value}”已存在",
        "an instrument with code '{value}' already exists; choose another code",
    ),
    Problem.NOT_A_CHIEF: (
        "{name}在{day}未任乡镇（街道）党政正职",
        "{name} held no township post on {day}; talks and promotions are recorded for township chiefs in post",
    ),
    Problem.DATE_ORDER: (
        "{later_zh}{later}早于{earlier_zh}{earlier}",
        "the {later_en} {later} is before the {earlier_en} {earlier}; check both dates",
    ),
    Problem.AFTER_AS_OF: (
        "{what_zh}{day}晚于统计日{as_of}",
        "the {what_en} {day} is after the as-of date {as_of}; record only what has happened by then",
    ),
    Problem.NOT_FOR_KIND: (
        "{kind_zh}不填“{field_zh}”",
        "a {kind_en} record has no {field_en}; leave it blank, or check the kind",
    ),
    Problem.NEEDED_FOR_KIND: (
        "{kind_zh}须填写{field_zh}",
        "a {kind_en} record needs its {field_en}; fill it in",
    ),
    Problem.RANK_NOT_ABOVE: (
        "{name}自{since}起为{held_zh}，{rank_zh}并非更高职级",
        "{name} holds the rank of {held_en} since {since}; {rank_en} is not above it",
    ),
    Problem.MARKED_AFTER: (
        "{name}在“{cohort}”{day}的课上有考勤记录，{what_zh}须在该日之后",
        "{name} is marked at a session of {cohort} on {day}; the {what_en} must come after that day",
    ),
    Problem.TALK_DETAILS_DIFFER: (
        "与第{row}行为同一次谈话，但{field_zh}不同",
        "row {row} is the same talk (chief, date and talker) with another {field_en}; give a talk's "
        "details once, or the same on each of its rows",
    ),
    Problem.TALKER_ROLE_DIFFERS: (
        "谈话人“{title}”应记为“{read_zh}”，与所填谈话人身份“{given_zh}”不符",
        "the talker '{title}' reads as '{read_en}', not as the talker role given ('{given_en}'); "
        "correct one of them",
    ),
    Problem.NOT_DISCIPLINE: (
        "“{sanction_zh}”属于问责或组织处理，请按“精准问责”录入",
        "'{sanction_en}' is an accountability or organisational measure, not a disciplinary sanction: "
        "record it as precise accountability",
    ),
    Problem.RANK_ORDER: (
        "{name}自{since}起已任{held_zh}，在此之前晋升的{rank_zh}应低于该职级",
        "{name} holds the rank of {held_en} from {since}; a rank promotion before that date must be to a "
        "lower rank",
    ),
    Problem.UNKNOWN_FIELD: (
        "没有“{value}”这一项，可填：{known}",
        "there is no field '{value}'; the fields are {known}",
    ),
    Problem.OTHER: ("{text}", "{text}"),
    Problem.BELOW_COMPLETION: (
        "出勤率{rate:.0%}（已记考勤{marked_hours:.1f}学时），低于结业要求{threshold:.0%}{threshold_mark_zh}，"
        "还差{gap_hours:.1f}学时",
        "credited {rate:.0%} of {marked_hours:.1f} marked hours, below the {threshold:.0%} needed to "
        "complete{threshold_mark_en}; {gap_hours:.1f} h short",
    ),
    Problem.YEARLY_SHORTFALL: (
        "本年度已获{year_credited:.1f}学时，即使参加全部已排课程，年末预计{year_projected:.1f}学时，"
        "仍不足本人年度应完成的{year_target:.1f}学时",
        "{year_credited:.1f} h credited this year and {year_projected:.1f} h by year end even if every "
        "scheduled session is attended, short of the {year_target:.1f} h this chief owes for the year",
    ),
    Problem.LEAVE_OVER: (
        "请假和缺勤累计{leave_hours:.1f}学时，超过本班上限{leave_limit_hours:.1f}学时",
        "{leave_hours:.1f} h away (leave and absence), over this class's limit of {leave_limit_hours:.1f} h",
    ),
    Problem.NOT_COMPLETED: (
        "未结业：{why_zh}",
        "not completed: {why_en}",
    ),
}


_WHY = {
    "below_completion": (
        "出勤率{rate:.0%}（已记考勤{marked_hours:.1f}学时），低于结业要求{threshold:.0%}{threshold_mark_zh}",
        "credited {rate:.0%} of {marked_hours:.1f} marked hours, below the {threshold:.0%} needed{threshold_mark_en}",
    ),
    "leave_over": (
        "请假和缺勤累计{leave_hours:.1f}学时，超过上限{leave_limit_hours:.1f}学时",
        "{leave_hours:.1f} h away, over the limit of {leave_limit_hours:.1f} h",
    ),
    "assessment_failed": (
        "结业考核{pass_score:.1f}分，未达合格分{pass_mark:g}{pass_mark_zh}",
        "scored {pass_score:.1f} on the assessment, below its pass mark of {pass_mark:g}{pass_mark_en}",
    ),
}

# Beside a setting that is the department's own choice until its rules file confirms it.
UNCONFIRMED = ("（待部门确认）", " (to be confirmed by the department)")


def confirmation_marks(row: Mapping[str, Any]) -> dict[str, str]:
    """The "to be confirmed" marks a standing row's sentences carry beside its attendance
    threshold and its pass mark, from its `threshold_confirmed` and `pass_confirmed` flags (a
    setting of the department's own choice not yet confirmed in its rules file)."""
    out = {}
    for flag, name in (("threshold_confirmed", "threshold_mark"), ("pass_confirmed", "pass_mark")):
        value = row.get(flag, True)
        confirmed = value is None or value != value or bool(value)
        out[f"{name}_zh"], out[f"{name}_en"] = ("", "") if confirmed else UNCONFIRMED
    return out


def outcome_reasons(row: Mapping[str, Any]) -> tuple[str, str]:
    """Why an enrolment was not completed, in Chinese and in English, from its `reason` codes
    (comma-separated) and the figures of its standing row."""
    codes = [c for c in str(row.get("reason") or "").split(",") if c in _WHY]
    values = {**row, **confirmation_marks(row)}
    zh = "；".join(_WHY[c][0].format(**values) for c in codes)
    en = "; ".join(_WHY[c][1].format(**values) for c in codes)
    return zh, en


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def describe(problem: Problem, params: Mapping[str, Any] | None = None, lang: str = "both") -> str:
    """The problem in words, Chinese then English (or `lang` 'zh' / 'en' alone).

    >>> describe(Problem.ID_LENGTH, {"length": 17})
    '身份证号应为18位，此处为17位 an ID number has 18 characters, this one has 17'
    """
    zh, en = WORDING[problem]
    values = {**(params or {})}
    try:
        zh, en = zh.format(**values), en.format(**values)
    except (KeyError, ValueError, TypeError):  # a parameter missing or of another kind: the kind of problem
        zh, en = (_PLACEHOLDER.sub("…", s) for s in (zh, en))
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")
