"""Controlled vocabularies with their Chinese and English display labels."""

from __future__ import annotations

__all__ = ["VOCAB", "label", "codes", "for_display", "COLUMN_LABELS"]

# code -> (中文, English). Codes are what the database stores; labels are for people.
VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "post": {
        "secretary": ("党委书记", "Party secretary"),
        "head": ("乡镇长/街道主任", "Township head"),
    },
    "township_kind": {
        "township": ("乡镇", "Township"),
        "subdistrict": ("街道", "Sub-district"),
    },
    "cohort_kind": {
        "programme": ("培养行动", "Cultivation programme"),
        "class": ("培训班", "Training class"),
        "lecture_series": ("大讲堂", "Lecture series"),
        "rotation": ("集中轮训", "Rotation training"),
    },
    "enrollment_status": {
        "active": ("在训", "Active"),
        "completed": ("结业", "Completed"),
        "withdrawn": ("退出", "Withdrawn"),
    },
    "format": {
        "lecture": ("专家授课", "Expert lecture"),
        "site_visit": ("专场观摩", "On-site visit"),
        "experience_sharing": ("专项分享", "Experience sharing"),
        "seminar": ("专题研讨", "Seminar discussion"),
    },
    "attendance_status": {
        "present": ("出勤", "Present"),
        "late": ("迟到", "Late"),
        "left_early": ("早退", "Left early"),
        "excused": ("请假", "Excused"),
        "absent": ("缺勤", "Absent"),
    },
    "dimension": {
        "party_spirit": ("党性修养", "Party-spirit cultivation"),
        "theory": ("理论素养", "Theoretical literacy"),
        "professional": ("专业能力", "Professional ability"),
    },
    "phase": {
        "pre": ("训前", "Pre"),
        "mid": ("训中", "Mid"),
        "post": ("训后", "Post"),
    },
    "arena": {
        "investment": ("招商引资", "Investment attraction"),
        "projects": ("项目攻坚", "Major-project delivery"),
        "rural": ("乡村振兴", "Rural revitalization"),
        "governance": ("社会治理", "Social governance"),
        "public_opinion": ("舆情化解", "Public-opinion handling"),
        "overall": ("综合", "Overall"),
    },
    "rating": {
        "strong": ("担当有力", "Strong"),
        "average": ("表现一般", "Average"),
        "weak": ("较差", "Weak"),
    },
    "review_source": {
        "look": ("看", "Look (project progress)"),
        "hear": ("听", "Hear (views of others)"),
        "ask": ("问", "Ask (delivery problems)"),
        "cross_checked": ("交叉印证", "Cross-checked"),
    },
    "commenter_role": {
        "party_member": ("党员", "Party member"),
        "cadre": ("干部", "Cadre"),
        "company": ("企业", "Company"),
        "resident": ("群众", "Resident"),
    },
    "sentiment": {
        "positive": ("肯定", "Positive"),
        "neutral": ("中性", "Neutral"),
        "negative": ("批评", "Critical"),
    },
    "talker_role": {
        "county_secretary": ("县（区）委书记", "County Party secretary"),
        "county_org_chief": ("组织部部长", "County organization chief"),
        "city_deputy": ("市领导（四不两直）", "City deputy (unannounced)"),
    },
    "table": {
        "county": ("县（区）", "Counties and districts"),
        "township": ("乡镇（街道）", "Townships and sub-districts"),
        "person": ("干部", "People"),
        "post_tenure": ("任职记录", "Post tenures"),
        "cohort": ("培训项目", "Cohorts"),
        "enrollment": ("参训记录", "Enrollments"),
        "session": ("培训课次", "Training sessions"),
        "attendance": ("考勤记录", "Attendance records"),
        "assessment": ("测评成绩", "Assessment scores"),
        "frontline_review": ("一线考察", "Frontline reviews"),
        "comment": ("评价意见", "Evaluation comments"),
        "talk": ("谈心谈话", "Supervisory talks"),
        "outcome": ("激励与问责", "Outcomes"),
        "township_indicator": ("乡镇指标", "Township indicators"),
        "session_feedback": ("课程评价", "Session feedback"),
        "audit_log": ("操作日志", "Audit log entries"),
    },
    "figure": {
        "participants": ("参训人数", "Participants"),
        "active": ("在训", "Active"),
        "completed": ("结业", "Completed"),
        "withdrawn": ("退出", "Withdrawn"),
        "sessions_held": ("已办课次", "Sessions held"),
        "hours_held": ("已办学时", "Class hours held"),
        "attendance_rate": ("出勤率", "Attendance rate (hours credited / offered)"),
        "hours_per_participant": ("人均获得学时", "Hours credited per participant"),
    },
    "warning": {
        "below_completion": ("低于结业要求", "Below the completion threshold"),
        "yearly_shortfall": ("年度学时不足", "Short of the yearly requirement"),
        "leave_over": ("请假超过上限", "Leave over the limit"),
    },
    "outcome_kind": {
        "promotion": ("提拔使用", "Promotion"),
        "rank_promotion": ("职级晋升", "Rank promotion"),
        "merit": ("记三等功", "Merit award"),
        "discipline": ("处分", "Discipline"),
        "risk_filing": ("风险备案", "Risk filing"),
        "fault_tolerance": ("容错纠错", "Fault tolerance"),
    },
}


def codes(vocabulary: str) -> tuple[str, ...]:
    """The stored codes of a vocabulary, in display order.

    >>> codes("rating")
    ('strong', 'average', 'weak')
    """
    return tuple(VOCAB[vocabulary])


def label(vocabulary: str, code: str, lang: str = "both") -> str:
    """Display label of a code: lang is 'zh', 'en' or 'both' ("专家授课 Expert lecture").

    >>> label("format", "lecture", "zh")
    '专家授课'
    """
    try:
        zh, en = VOCAB[vocabulary][code]
    except KeyError:
        return str(code)
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")


COLUMN_LABELS: dict[str, str] = {
    "person_id": "编号 No.",
    "name": "姓名 Name",
    "national_id": "公民身份号码 ID",
    "status": "状态 Status",
    "county": "县（区） County",
    "township": "乡镇（街道） Township",
    "post": "职务 Post",
    "code": "代码 Code",
    "name_en": "英文名 English name",
    "kind": "类型 Kind",
    "start_date": "开始 Start",
    "end_date": "结束 End",
    "enrolled": "人数 Enrolled",
    "session_id": "课次 Session",
    "date": "日期 Date",
    "format": "形式 Format",
    "topic": "主题 Topic",
    "hours": "学时 Hours",
    "speaker": "主讲 Speaker",
    "location": "地点 Place",
    "row": "行 Row",
    "action": "操作 Action",
    "changes": "变更 Changes",
    "replaces": "接替 Replaces",
    "was": "原记录 Was",
    "offered": "应到学时 Offered",
    "credited": "获得学时 Credited",
    "rate": "出勤率 Rate",
    "threshold": "结业要求 Threshold",
    "below": "低于要求 Below",
    "gap_hours": "缺口学时 Gap",
    "below_since": "低于要求起 Below since",
    "year_credited": "本年学时 This year",
    "year_required_to_date": "至今应完成 Required to date",
    "projected_year_end": "预计年末 Projected",
    "projected_shortfall": "预计缺口 Projected shortfall",
    "leave_hours": "请假学时 Leave",
    "warning": "预警 Warning",
    "detail": "说明 Detail",
    "since": "起始 Since",
    "hours_short": "缺口学时 Hours short",
    "ratings": "评价人数 Ratings",
    "usefulness": "有用 Usefulness",
    "relevance": "切题 Relevance",
    "townships": "乡镇数 Townships",
    "secretaries": "书记 Secretaries",
    "heads": "乡镇长 Heads",
    "chiefs": "合计 Chiefs",
    "county_en": "County",
    "marked": "已记人数 Marked",
}
_VALUE_VOCAB = {
    "format": "format",
    "kind": "cohort_kind",
    "post": "post",
    "table": "table",
    "figure": "figure",
    "warning": "warning",
}
_ACTIONS = {"new": "新增 new", "update": "更新 update", "unchanged": "不变 unchanged"}
_SHARES = ("rate", "threshold")  # numbers held as shares (0.83), shown as 83%
COLUMN_LABELS.update(
    {
        "table": "内容 What",
        "rows": "行数 Rows",
        "figure": "指标 Figure",
        "value": "数值 Value",
        "participants": "人数 Participants",
        "leave_over": "请假超限 Leave over",
        "leave_limit_hours": "请假上限 Leave limit",
        "year_required": "全年应完成 Required this year",
        "year_shortfall": "至今缺口 Short so far",
    }
)


def _share(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "–" if value != value else f"{value:.0%}"
    return value


def _yes_no(value: object) -> object:
    return ("是 yes" if value else "否 no") if isinstance(value, bool) else value


def _figure_values(out) -> None:
    """A figure table's values as a trainer reads them: a rate as a percentage, counts as they are."""
    out["value"] = [
        _share(v) if f.endswith("_rate") else (f"{v:g}" if isinstance(v, float) and v == v else v)
        for f, v in zip(out["figure"], out["value"], strict=True)
    ]


def _warning_details(out) -> None:
    """A warning list's `detail`: the warning's code and its figures, in words."""
    from .problems import Problem, describe

    out["detail"] = [describe(Problem(r["warning"]), r) for r in out.to_dict("records")]


def for_display(frame, name_label: str = "姓名 Name", columns: list[str] | None = None):
    """A table for people: two-language column names, labels instead of stored codes, shares as
    percentages, yes and no in words, and a warning's detail in a sentence.

    The library's functions return stored codes, numbers and English column names (for
    analysts); notebooks pass what a trainer reads through this. `name_label` heads a `name`
    column (a cohort's name is 名称, not 姓名); `columns` (codes, `detail` included) chooses
    and orders the columns shown.
    """
    from .ids import mask_frame

    out = mask_frame(frame.copy())
    if "warning" in out.columns and "detail" not in out.columns:
        _warning_details(out)
    if columns is not None:
        out = out[list(columns)]
    if "figure" in out.columns and "value" in out.columns:
        _figure_values(out)
    for column, vocabulary in _VALUE_VOCAB.items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, voc=vocabulary: label(voc, v) if isinstance(v, str) else v
            )
    if "action" in out.columns:
        out["action"] = out["action"].map(lambda v: _ACTIONS.get(v, v))
    if "status" in out.columns:
        out["status"] = out["status"].map(
            lambda v: (
                label("enrollment_status" if v in VOCAB["enrollment_status"] else "attendance_status", v)
                if isinstance(v, str)
                else v
            )
        )
    for column in out.columns:
        if column in _SHARES:
            out[column] = out[column].map(_share)
        elif out[column].dtype == bool:
            out[column] = out[column].map(_yes_no)
    return out.rename(
        columns={c: name_label if c == "name" else COLUMN_LABELS.get(c, c) for c in out.columns}
    )
