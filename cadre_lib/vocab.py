"""Controlled vocabularies with their Chinese and English display labels."""

from __future__ import annotations

__all__ = ["VOCAB", "label", "codes"]

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
