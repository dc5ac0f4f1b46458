"""The training rules in force, in the words a trainer reads beside the figures they decide: what
makes a training day. A setting that is the department's own choice says so ("待部门确认") until
its rules file confirms it."""

from __future__ import annotations

from ..core.rules import Rules

__all__ = ["day_rule_text"]


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
