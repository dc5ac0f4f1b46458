"""Rosters: people with their township post; the same ID is the same person."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import pick, same_day, unit_keys
from ..core.ids import mask_national_id
from ..core.import_report import ImportReport
from ..core.importing import Importer, ParsedRow, Progress
from ..core.problems import Problem
from ..core.workspace import Workspace
from ._cohorts import cohorts, find_cohort
from ._identity import same_name

__all__ = ["RosterImporter"]


@dataclass
class _Known:
    """What the rows are checked against: places, people, open posts, the cohort and its members."""

    county_ids: dict[str, int]
    county_names: list[str]
    town_ids: dict[int, dict[str, int]]
    town_names: dict[int, list[str]]
    people: dict[str, Any]
    names: dict[int, str]
    open_tenure: dict[int, Any]
    holders: dict[tuple[int, str], list[Any]]
    target: tuple[int, dt.date] | None = None  # the cohort enrolled into, and the day people join
    enrolled: set[int] = field(default_factory=set)
    # What this run found already: rows repeat their county and township, and their dates.
    places: dict[tuple[Any, Any], tuple[int | None, str, InvalidEntry | None]] = field(default_factory=dict)
    dates: dict[tuple[str, dt.date], InvalidEntry | None] = field(default_factory=dict)


def _known(ws: Workspace, cohort: str | None, today: dt.date) -> _Known:
    counties = ws.table("county", reveal_ids=True)
    town_ids: dict[int, dict[str, int]] = {}
    town_names: dict[int, list[str]] = {}
    towns = ws.table("township", reveal_ids=True)
    columns = (towns[c].tolist() for c in ("id", "county_id", "name", "code"))
    for town_id, county_id, name, code in zip(*columns, strict=True):
        town_ids.setdefault(int(county_id), {}).update(dict.fromkeys(unit_keys(name, code), int(town_id)))
        town_names.setdefault(int(county_id), []).append(name)
    people = ws.table("person", reveal_ids=True)
    tenures = ws.table("post_tenure").query("end_date.isna()")
    holders: dict[tuple[int, str], list[Any]] = {}
    for r in tenures.itertuples():
        holders.setdefault((int(r.township_id), r.post), []).append(r)
    known = _Known(
        county_ids={k: int(r.id) for r in counties.itertuples() for k in unit_keys(r.name, r.code)},
        county_names=counties["name"].tolist(),
        town_ids=town_ids,
        town_names=town_names,
        people={r.national_id: r for r in people.itertuples() if r.national_id},
        names=dict(zip(people["id"].astype(int), people["name"], strict=True)),
        open_tenure={int(r.person_id): r for r in tenures.itertuples()},
        holders=holders,
    )
    target = find_cohort(ws, cohort)
    if target:
        ended = cohorts(ws).set_index("id")["end_date"].get(target[0])
        if ended is not None and ended == ended and ended < today:
            raise InvalidEntry(Problem.COHORT_ENDED, cohort=cohort, ended=ended)
        known.target = (target[0], max(target[1], today))  # they join from today, not from the start
        e = ws.table("enrollment")
        known.enrolled = set(e.loc[e["cohort_id"] == target[0], "person_id"].astype(int))
    return known


class RosterImporter(Importer):
    """People with their township post: the same ID is the same person, updated, never doubled."""

    kind = "roster"
    fields = pick(
        "name",
        "national_id",
        "birth",
        "sex",
        "ethnicity",
        "education",
        "county",
        "township",
        "post",
        "post_since",
        "phone",
        "remark",
        required=("name", "national_id", "county", "township", "post"),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Check rows against the workspace and plan the writes.

        `as_of` is the day people enrolled by this import join the cohort, and the start of a
        post whose 任现职时间 is blank (default: today by the clock).
        """
        today = as_of or self.ws.clock().date()
        known = _known(self.ws, cohort, today)
        seen: dict[str, int] = {}
        posts_in_file: dict[tuple[int, str], int] = {}
        self._plan: list[dict[str, Any]] = []
        for pr in rows:
            v = pr.values
            if v.get("national_id") is None or v.get("name") is None or not self._identity(report, pr, seen):
                continue
            self._dates_plausible(report, pr, known, today)
            town_id = self._township(report, pr, known)
            if town_id is None or v.get("post") is None:
                continue
            post_key = (town_id, v["post"])
            if post_key in posts_in_file:
                post = "secretary" if v["post"] == "secretary" else "head"
                self.error(report, pr, "post", Problem.DUPLICATE_POST, row=posts_in_file[post_key], post=post)
                continue
            posts_in_file[post_key] = pr.row
            self._plan_row(report, pr, known, post_key, today)
        self._cohort = known.target

    def _identity(self, report: ImportReport, pr: ParsedRow, seen: dict[str, int]) -> bool:
        """One row per person, and the birth date and sex typed agree with the ID number."""
        v = pr.values
        nid, birth, sex = v["national_id"]
        if nid in seen:
            self.error(report, pr, "national_id", Problem.DUPLICATE_ID, row=seen[nid])
            return False
        seen[nid] = pr.row
        if v.get("birth") and not same_day(v["birth"], birth):
            self.error(report, pr, "birth", Problem.BIRTH_MISMATCH, birth=f"{birth:%Y-%m-%d}")
        if v.get("sex") and v["sex"] != sex:
            self.error(report, pr, "sex", Problem.SEX_MISMATCH, sex="男" if sex == "M" else "女")
        return True

    def _dates_plausible(self, report: ImportReport, pr: ParsedRow, known: _Known, today: dt.date) -> None:
        """The birth date (as the ID number gives it) and the post's start lie in their windows."""
        for key, what, day in (
            ("national_id", "birth", pr.values["national_id"][1]),
            ("post_since", "post", (pr.values.get("post_since") or (None,))[0]),
        ):
            if day is None:
                continue
            if (what, day) not in known.dates:
                known.dates[(what, day)] = self._date_refused(what, day, today)
            if known.dates[(what, day)] is not None:
                self.error(report, pr, key, known.dates[(what, day)])

    def _date_refused(self, what: str, day: dt.date, today: dt.date) -> InvalidEntry | None:
        try:
            self.ws.rules.check_date(what, day, today)
        except InvalidEntry as exc:
            return exc
        return None

    def _township(self, report: ImportReport, pr: ParsedRow, known: _Known) -> int | None:
        """The township's id, found within its county; None after reporting why not."""
        place = (pr.values.get("county"), pr.values.get("township"))
        if place not in known.places:
            known.places[place] = self._place(*place, known)
        town_id, key, refused = known.places[place]
        if refused is not None:
            self.error(report, pr, key, refused)
        return town_id

    def _place(
        self, county: Any, township: Any, known: _Known
    ) -> tuple[int | None, str, InvalidEntry | None]:
        """(the township's id, or None with the column and refusal that say why not)."""
        if not county:
            return None, "", None
        try:
            county_id = self.lookup(county, known.county_ids, known.county_names, Problem.UNKNOWN_COUNTY)
        except InvalidEntry as exc:
            return None, "county", exc
        if not township:
            return None, "", None
        try:
            towns, names = known.town_ids.get(county_id, {}), known.town_names.get(county_id, [])
            return self.lookup(township, towns, names, Problem.UNKNOWN_TOWNSHIP, county=county), "", None
        except InvalidEntry as exc:
            return None, "township", exc

    def _plan_row(
        self, report: ImportReport, pr: ParsedRow, known: _Known, post_key: tuple[int, str], today: dt.date
    ) -> None:
        """Decide what one checked row writes: a new person or changes, a post, an enrollment."""
        v = pr.values
        nid, birth, sex = v["national_id"]
        fields = _person_fields(pr)
        existing = known.people.get(nid)
        pid = None if existing is None else int(existing.id)
        if existing is not None and not same_name(v["name"], existing.name):
            self.error(
                report, pr, "name", Problem.ID_OF_ANOTHER, name=v["name"], owner=existing.name,
                national_id=mask_national_id(nid),
            )  # fmt: skip
            return
        changes = (
            {}
            if existing is None
            else {k: x for k, x in fields.items() if x is not None and getattr(existing, k) != x}
        )
        start = v.get("post_since")
        tenure, tenure_action, replaced = _tenure_change(known, pid, post_key, start)
        enrol = bool(known.target) and (pid is None or pid not in known.enrolled)
        action = (
            "new" if existing is None else "update" if (changes or tenure_action or enrol) else "unchanged"
        )
        report.count(action)
        what = [*changes, *([tenure_action] if tenure_action and existing is not None else [])]
        report.plan.append(
            {
                "row": pr.row,
                "action": action,
                "name": v["name"],
                "national_id": mask_national_id(nid),
                "county": v["county"],
                "township": v["township"],
                "post": _post_label(v["post"]),
                "changes": ", ".join([*what, *(["enrollment"] if enrol and existing is not None else [])]),
                "replaces": "、".join([known.names.get(int(t.person_id), "") for t in replaced])
                if replaced
                else "",
            }
        )
        self._plan.append(
            {
                "action": action,
                "fields": {**fields, "national_id": nid, "birth_date": birth, "sex": sex},
                "person_id": pid,
                "changes": changes,
                "tenure": tenure,
                "replaced": replaced,
                "tenure_action": tenure_action,
                "township_id": post_key[0],
                "post": v["post"],
                "start": start[0] if start else today,
                "enrol": enrol,
            }
        )

    def write(self, tx, progress: Progress | None) -> None:
        _write_plan(tx, self._plan, self._cohort, progress)


@functools.cache
def _post_label(code: str) -> str:
    return label("post", code, "zh")


def _person_fields(pr: ParsedRow) -> dict[str, Any]:
    """The person's own fields from a checked row; the remark and any extra columns go to notes."""
    v = pr.values
    notes = (
        "; ".join([*([v["remark"]] if v.get("remark") else []), *(f"{k}: {x}" for k, x in pr.extra.items())])
        if v.get("remark") or pr.extra
        else None
    )
    return {
        "name": v["name"],
        "ethnicity": v.get("ethnicity"),
        "education": v.get("education"),
        "phone": v.get("phone"),
        "notes": notes or None,
    }


def _tenure_change(known: _Known, pid: int | None, post_key: tuple[int, str], start) -> tuple[Any, str, list]:
    """What a row does to the person's township post: (their open tenure, the action, the
    holders it replaces). A new post replaces whoever else holds it; the same post may only
    move its start date."""
    tenure = known.open_tenure.get(pid) if pid is not None else None
    if tenure is None or (int(tenure.township_id), tenure.post) != post_key:
        replaced = [t for t in known.holders.get(post_key, []) if int(t.person_id) != pid]
        return tenure, "new post", replaced
    moved = start and not same_day(start, tenure.start_date)
    return tenure, "post start date" if moved else "", []


def _write_plan(
    tx, plan: list[dict[str, Any]], cohort: tuple[int, dt.date] | None, progress: Progress | None
) -> None:
    """Carry out a checked roster: new people, changed details, posts taken and left, enrollments."""
    new = [p for p in plan if p["action"] == "new"]
    for p, pid in zip(new, tx.insert("person", [p["fields"] for p in new]) if new else []):
        p["person_id"] = pid
    tenures, enrollments = [], []
    for n, p in enumerate(plan, 1):
        if p["changes"]:
            tx.update("person", p["person_id"], p["changes"])
        if p["tenure_action"] == "post start date":
            tx.update("post_tenure", int(p["tenure"].id), {"start_date": p["start"]})
        elif p["tenure_action"] == "new post":
            # The person leaves their old post, and whoever held this one leaves it, that day.
            for old in [p["tenure"], *p["replaced"]]:
                if old is not None:
                    tx.update("post_tenure", int(old.id), {"end_date": max(p["start"], old.start_date)})
            tenures.append(
                {
                    "person_id": p["person_id"],
                    "township_id": p["township_id"],
                    "post": p["post"],
                    "start_date": p["start"],
                    "end_date": None,
                }
            )
        if p["enrol"]:
            enrollments.append(
                {
                    "cohort_id": cohort[0],
                    "person_id": p["person_id"],
                    "status": "active",
                    "start_date": cohort[1],
                    "end_date": None,
                }
            )
        if progress and (n % 1000 == 0 or n == len(plan)):
            progress(n, len(plan))
    if tenures:
        tx.insert("post_tenure", tenures)
    if enrollments:
        tx.insert("enrollment", enrollments)
