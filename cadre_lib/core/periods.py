"""Calendar periods and months, as the rules count them: pure date arithmetic, no workspace."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

__all__ = [
    "add_months_each",
    "add_months",
    "period_bounds",
    "period_label",
    "period_starts",
    "periods_between",
]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a month without that day gives its last day (民法典 第二百零二条:
    "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。").

    >>> add_months(dt.date(2024, 2, 29), 12), add_months(dt.date(2023, 8, 31), 6)
    (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_months_each(days: pd.Series, months: pd.Series) -> pd.Series:
    """`add_months` over whole columns: each day (datetime64) `months` later (missing where
    either is missing), as datetime64.

    >>> add_months_each(pd.Series(pd.to_datetime(["2024-02-29", "2023-08-31"])), pd.Series([12, 6])).dt.date.tolist()
    [datetime.date(2025, 2, 28), datetime.date(2024, 2, 29)]
    """
    known = days.notna() & months.notna()
    d, m = days[known], months[known].astype(int)
    index = d.dt.year * 12 + d.dt.month - 1 + m
    first = pd.to_datetime(pd.DataFrame({"year": index // 12, "month": index % 12 + 1, "day": 1}))
    shifted = first + pd.to_timedelta(d.dt.day.clip(upper=first.dt.days_in_month) - 1, unit="D")
    return shifted.reindex(days.index)


def period_bounds(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar period of `months` months (dividing 12) holding `day`.

    >>> period_bounds(dt.date(2026, 6, 30), 6)
    (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    """
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    return first, add_months(first, months) - dt.timedelta(days=1)


def period_label(start: dt.date, months: int) -> str:
    """A period's name: 2026 (a year), 2026-H1 (a half), 2026-Q3, 2026-M05 or 2026-P2 otherwise.

    >>> period_label(dt.date(2026, 7, 1), 6), period_label(dt.date(2026, 1, 1), 12)
    ('2026-H2', '2026')
    """
    number = (start.month - 1) // months + 1
    mark = {12: "", 6: "H", 3: "Q", 1: "M"}.get(months, "P")
    if not mark:
        return str(start.year)
    return f"{start.year}-{mark}{number:02d}" if mark == "M" else f"{start.year}-{mark}{number}"


def periods_between(first: dt.date, last: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """Every calendar period of `months` months from the one holding `first` to the one holding
    `last`, as (first day, last day)."""
    out = []
    start = period_bounds(first, months)[0]
    while start <= last:
        out.append((start, add_months(start, months) - dt.timedelta(days=1)))
        start = add_months(start, months)
    return out


def period_starts(days: pd.Series, months: int) -> pd.Series:
    """The first day of the calendar period holding each day (a Series of dates), vectorised."""
    days = pd.to_datetime(days)
    month = (days.dt.month - 1) // months * months + 1
    return pd.to_datetime({"year": days.dt.year, "month": month, "day": 1})
