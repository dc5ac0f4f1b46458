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
_VALUE_VOCAB = {"format": "format", "kind": "cohort_kind", "post": "post"}
_ACTIONS = {"new": "新增 new", "update": "更新 update", "unchanged": "不变 unchanged"}


def for_display(frame, name_label: str = "姓名 Name"):
    """A table for people: two-language column names and labels instead of stored codes.

    The library's functions return stored codes and English column names (for analysts);
    notebooks pass what a trainer reads through this. `name_label` heads a `name` column
    (a cohort's name is 名称, not 姓名).
    """
    from .ids import mask_frame

    out = mask_frame(frame.copy())
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
    return out.rename(
        columns={c: name_label if c == "name" else COLUMN_LABELS.get(c, c) for c in out.columns}
    )
