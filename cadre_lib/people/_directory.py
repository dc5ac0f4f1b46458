"""Places and people: counties, townships, cadres and who holds which township post on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.errors import InvalidEntry
from ..core.ids import mask_national_id, validate_national_id
from ..core.normalize import clean_name
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace

__all__ = ["add_county", "add_township", "add_person", "find_person", "chiefs", "tenures", "place_on"]


def add_county(ws: Workspace, code: str, name: str, name_en: str | None = None) -> int:
    """Add a county or district; return its id.

    >>> # add_county(ws, "C01", "示例县", "Example County")
    """
    return ws.insert("county", {"code": code, "name": name, "name_en": name_en})[0]


def add_township(
    ws: Workspace, county_code: str, code: str, name: str, name_en: str | None = None, kind: str = "township"
) -> int:
    """Add a township or sub-district under a county given by code; return its id."""
    county_id = ws.id_of("county", "code", county_code)
    return ws.insert(
        "township", {"county_id": county_id, "code": code, "name": name, "name_en": name_en, "kind": kind}
    )[0]


def add_person(ws: Workspace, name: str, national_id: str | None = None, **fields: Any) -> int:
    """Add a cadre; return the id. A national ID is validated and sets birth date and sex, and the
    birth date must lie in the rules' window as of today."""
    row = {"name": clean_name(name), **fields}
    if not row["name"]:
        raise InvalidEntry(Problem.REQUIRED, field="name", zh="姓名", en="name")
    today = ws.clock().date()
    if row.get("birth_date") is not None:
        ws.rules.check_date("birth", row["birth_date"], today)
    if national_id:
        nid, birth, sex = validate_national_id(national_id)
        for key, implied in (("birth_date", birth), ("sex", sex)):
            given = row.get(key)
            if given is not None and given != implied:
                raise InvalidEntry(
                    f"与身份证号不符 {key} {given} does not agree with the ID number ({implied})", field=key
                )
        ws.rules.check_date("birth", birth, today)
        row.update(national_id=nid, birth_date=birth, sex=sex)
        if find_person(ws, nid) is not None:
            raise InvalidEntry(
                f"身份证号{mask_national_id(nid)}已在工作区中 "
                f"a person with ID {mask_national_id(nid)} is already in the workspace",
                field="national_id",
            )
    return ws.insert("person", row)[0]


def find_person(ws: Workspace, national_id: str) -> int | None:
    """The id of the person with this ID number, or None."""
    t = TABLES["person"]
    with ws.engine.connect() as conn:
        return conn.execute(
            sa.select(t.c.id).where(t.c.national_id == str(national_id).strip().upper())
        ).scalar()


def _tenures_with_place(*columns) -> sa.Select:
    """A select of `columns` over township tenures joined to the person, township and county,
    the place's columns first named the same way everywhere."""
    p, pt, tw, co = (TABLES[n] for n in ("person", "post_tenure", "township", "county"))
    return (
        sa.select(*columns)
        .select_from(pt)
        .join(p, p.c.id == pt.c.person_id)
        .join(tw, tw.c.id == pt.c.township_id)
        .join(co, co.c.id == tw.c.county_id)
    )


def _place_columns() -> list:
    tw, co = TABLES["township"], TABLES["county"]
    return [
        co.c.code.label("county_code"),
        co.c.name.label("county"),
        co.c.name_en.label("county_en"),
        tw.c.code.label("township_code"),
        tw.c.name.label("township"),
    ]


def chiefs(ws: Workspace, as_of: dt.date, reveal_ids: bool = False) -> pd.DataFrame:
    """Township chiefs in post on `as_of`: one row per person and post, sorted by place."""
    p, pt, tw = TABLES["person"], TABLES["post_tenure"], TABLES["township"]
    q = (
        _tenures_with_place(
            p.c.id.label("person_id"),
            p.c.name,
            p.c.sex,
            p.c.birth_date,
            p.c.national_id,
            *_place_columns(),
            tw.c.name_en.label("township_en"),
            tw.c.kind.label("township_kind"),
            pt.c.post,
            pt.c.start_date.label("in_post_since"),
        )
        .where(pt.c.start_date <= as_of, sa.or_(pt.c.end_date.is_(None), pt.c.end_date > as_of))
        .order_by("county_code", "township_code", pt.c.post, p.c.id)
    )
    return ws.frame(q, reveal_ids)


def tenures(
    ws: Workspace,
    begun_by: dt.date | None = None,
    running_after: dt.date | None = None,
    person_ids: list[int] | None = None,
) -> pd.DataFrame:
    """Township tenures with their place: one row per tenure (id, person_id, name, county_code,
    county, county_en, township_code, township, post, start_date, end_date). `begun_by`: only
    those begun by that day; `running_after`: only those not ended by then (the end date is
    the first day out of post); `person_ids`: only these people's."""
    p, pt = TABLES["person"], TABLES["post_tenure"]
    q = _tenures_with_place(
        pt.c.id, pt.c.person_id, p.c.name, *_place_columns(), pt.c.post, pt.c.start_date, pt.c.end_date
    )
    if begun_by is not None:
        q = q.where(pt.c.start_date <= begun_by)
    if running_after is not None:
        q = q.where(sa.or_(pt.c.end_date.is_(None), pt.c.end_date > running_after))
    if person_ids is not None:
        q = q.where(pt.c.person_id.in_(person_ids))
    return ws.frame(q)


def place_on(rows: pd.DataFrame, day: dt.date | None) -> pd.DataFrame:
    """Per person (the index), from `tenures` rows: the tenure in force on `day`, else the last
    one begun (without `day`: the latest), and `in_post`, whether they held it that day."""
    rows = rows.copy()
    end = pd.to_datetime(rows["end_date"])
    rows["in_post"] = end.isna() | (end > pd.Timestamp(day)) if day is not None else end.isna()
    # The tenure in force wins over one that has ended; among equals, the latest begun.
    rows = rows.sort_values(["person_id", "in_post", "start_date", "id"])
    return rows.drop_duplicates("person_id", keep="last").set_index("person_id")
