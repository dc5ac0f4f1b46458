"""The training rules in force, in the words a trainer reads beside the figures they decide: the
hours each attendance status earns, what completes a cohort, and what makes a training day. A setting that is the department's own choice
says so ("待部门确认") until its rules file confirms it; a rule of the regulation names its source."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.codes import label
from ..core.rules import Rules
from ..core.schema import TABLES
from ..core.workspace import Workspace

__all__ = ["day_rule_text", "credit_text", "completion_text", "training_rules_text"]


def day_rule_text(rules: Rules) -> str:
    """What makes a training day, in one line (Chinese, then English).

    >>> from cadre_lib.core.rules import load_rules
    >>> day_rule_text(load_rules())[:38]
    '训练天数：当日所参加培训项目排课满6学时为1天、满3学时为半天（待部门确认）'
    """
    full, half = rules.day_hours
    zh_mark, en_mark = rules.unconfirmed("training.full_day_hours")
    if not zh_mark:
        zh_mark, en_mark = rules.unconfirmed("training.half_day_hours")
    return (
        f"训练天数：当日所参加培训项目排课满{full:g}学时为1天、满{half:g}学时为半天{zh_mark}，"
        "全部出勤计满，部分出勤按获得学时比例折算并向下取整到半天；学时与天数任一达到即为达标。"
        f" Training days: a date with {full:g} class hours scheduled in the chief's cohorts is a day, "
        f"with {half:g} half a day{en_mark}; attended in full it counts in full, partly attended by "
        "the share of hours credited, rounded down to the half day. Reaching either the hours or "
        "the days complies."
    )


def credit_text(rules: Rules) -> str:
    """The share of a session's hours each attendance status earns, in one line; the partial
    shares (late, left early) are the department's choice.

    >>> from cadre_lib.core.rules import load_rules
    >>> credit_text(load_rules()).split(" ")[0]
    '计入学时：出勤100%、迟到75%（待部门确认）、早退50%（待部门确认）、请假0%、缺勤0%。'
    """
    zh, en = [], []
    for status, share in rules.credit.items():
        mark_zh, mark_en = rules.unconfirmed(f"attendance.credit.{status}")
        zh.append(f"{label('attendance_status', status, 'zh')}{share:.0%}{mark_zh}")
        en.append(f"{label('attendance_status', status, 'en').lower()} {share:.0%}{mark_en}")
    return f"计入学时：{'、'.join(zh)}。 Hours credited per session: {', '.join(en)}."


def completion_text(rules: Rules, code: str, kind: str, stored: float | None, pass_mark: float | None) -> str:
    """What completes one cohort (its code, kind, the threshold stored with it, and the pass mark
    of the assessment the rules name for it), in one line: which rule is the regulation's and
    which the department's."""
    if kind not in rules.completion_kinds:
        return f"结业：{label('cohort_kind', kind, 'zh')}不评结业。 Completion: a {label('cohort_kind', kind, 'en').lower()} has no completion."
    zh, en = [], []
    if kind in rules.residential_kinds:
        share = "1/7" if abs(rules.leave_limit - 1 / 7) < 1e-4 else f"{rules.leave_limit:.1%}"
        zh.append(f"请假和缺勤累计不超过总学时的{share}（《干部教育培训工作条例》）")
        en.append(
            f"time away (leave and absence) at most {share} of the class hours (the 2023 cadre training regulation)"
        )
    threshold = rules.threshold(code, stored, kind)
    if threshold is not None:
        mark_zh, mark_en = rules.unconfirmed(rules.threshold_setting(code, stored))
        zh.append(f"出勤率（获得学时 ÷ 已记考勤学时）不低于{threshold:.0%}{mark_zh}")
        en.append(f"an attendance rate (hours credited ÷ hours marked) of at least {threshold:.0%}{mark_en}")
    named = rules.pass_instrument(code)
    if named is not None:
        mark_zh, mark_en = rules.unconfirmed(f"training.completion.pass_instruments.{code}")
        if pass_mark is None:
            zh.append(f"规则文件指定的结业考核“{named}”未设合格分，暂不作为结业条件")
            en.append(
                f"the assessment the rules file names, {named}, has no pass mark, so it is not required yet"
            )
        else:
            zh.append(f"结业考核“{named}”训后成绩达到{pass_mark:g}分{mark_zh}")
            en.append(f"a post score of at least {pass_mark:g} on {named}{mark_en}")
    return f"结业：{'；'.join(zh)}。 Completion: {'; '.join(en)}."


def training_rules_text(ws: Workspace, cohort_code: str) -> str:
    """The rules one cohort's standings are measured by, one line each (Chinese, then English):
    the hours each attendance status earns, what completes it, and what makes a training day."""
    c, i = TABLES["cohort"], TABLES["instrument"]
    rules = ws.rules
    named = rules.pass_instrument(cohort_code)
    with ws.engine.connect() as conn:
        row = conn.execute(
            sa.select(c.c.kind, c.c.completion_threshold).where(c.c.code == cohort_code)
        ).first()
        mark = conn.execute(sa.select(i.c.pass_mark).where(i.c.code == named)).scalar() if named else None
    if row is None:
        return credit_text(rules) + "\n" + day_rule_text(rules)
    lines = (
        credit_text(rules),
        completion_text(rules, cohort_code, row.kind, row.completion_threshold, mark),
    )
    return "\n".join((*lines, day_rule_text(rules)))
