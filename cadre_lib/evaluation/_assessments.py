"""Assessment scores: one per person, cohort, dimension, phase, instrument and rater role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import parse_code, parse_score
from ..core.problems import Problem
from ..core.saved import Saved
from ..core.schema import TABLES
from ..core.tx import ANY_VERSION
from ..core.workspace import Workspace
from ..people import check_identity, find_cohort, place_on, tenures
from ._instruments import check_score, find_instrument

__all__ = [
    "record_assessment",
    "record_scores",
    "assessments",
    "check_assessment",
    "score_versions",
    "ASSESSMENT_KEY",
]

# What makes one score: re-entering these replaces the score.
ASSESSMENT_KEY = ("person_id", "cohort_id", "dimension", "phase", "instrument", "rater_role")


def check_assessment(
    ws: Workspace, values: dict, instrument: dict | None = None, today: dt.date | None = None
) -> dict:
    """The row to store for one score, every value checked (InvalidEntry with the reason and the
    field at fault otherwise): dimension, phase and rater role as codes or words, the score on
    its instrument's scale, the person enrolled in the cohort, the date within the rules' window."""
    out = {}
    for key, vocabulary in (("dimension", "dimension"), ("phase", "phase"), ("rater_role", "rater_role")):
        try:
            out[key] = parse_code(vocabulary, values.get(key))
        except InvalidEntry as exc:
            raise InvalidEntry(exc.problem, field=key, **exc.params) from None
        if out[key] is None:
            raise InvalidEntry(Problem.REQUIRED, field=key, zh=_ZH[key], en=key.replace("_", " "))
    instrument = instrument or find_instrument(ws, str(values.get("instrument") or ""))
    try:
        score = parse_score(values.get("score"))
    except InvalidEntry as exc:
        raise InvalidEntry(exc.problem, field="score", **exc.params) from None
    if score is None:
        raise InvalidEntry(Problem.REQUIRED, field="score", zh="成绩", en="score")
    check_score(instrument, out["dimension"], score)
    day = values.get("date")
    if not isinstance(day, dt.date):
        raise InvalidEntry(Problem.REQUIRED, field="date", zh="测评日期", en="date")
    ws.rules.check_date(
        "held", day, today or ws.clock().date(), field="date", words=("测评日期", "assessment date")
    )
    return {**out, "instrument": instrument["code"], "score": float(score), "date": day}


_DATE_WORDS = ("测评日期", "assessment date")
_ZH = {"dimension": "测评维度", "phase": "测评阶段", "rater_role": "评价人类别"}


def record_assessment(
    ws: Workspace,
    person_id: int,
    cohort: str,
    dimension: str,
    phase: str,
    instrument: str,
    score: float,
    date: dt.date,
    rater_role: str = "training_office",
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
    version: int | None | str = ANY_VERSION,
) -> Saved:
    """Store one score (codes or their words: "theory" or 理论素养, "post" or 训后); a score with
    the same person, cohort, dimension, phase, instrument and rater role is replaced. Refused
    with the reason, nothing saved, when a value is unknown, the score is off the instrument's
    scale, the person is not in the cohort, or a `name` or `national_id` given is not theirs.
    `version`: the version of the stored score this entry was made on (None: there was none);
    when another save changed it since, nothing is written and the answer (`conflict`) names the
    score that stands and who saved it. Without it, the entry replaces what is stored."""
    cohort_id = _cohort_id(ws, cohort)
    row = check_assessment(
        ws,
        {
            "dimension": dimension,
            "phase": phase,
            "rater_role": rater_role,
            "instrument": instrument,
            "score": score,
            "date": date,
        },
        today=as_of,
    )
    with ws.transaction() as tx:
        check_identity(tx, person_id, name=name, national_id=national_id)
        name = _enrolled_name(ws, person_id, cohort_id, cohort)
        return _write(tx, {**row, "person_id": person_id, "cohort_id": cohort_id}, name, version)


def record_scores(
    ws: Workspace,
    cohort: str,
    scores: Mapping[int, object],
    *,
    instrument: str,
    dimension: str,
    phase: str,
    date: dt.date,
    rater_role: str = "training_office",
    as_of: dt.date | None = None,
    versions: Mapping[int, int | None] | None = None,
) -> list[Saved]:
    """Store a column of scores of one test ({person_id: score}; a blank score is skipped), all
    or none: when any is refused, nothing is saved and the error lists every refusal by name.
    `versions` ({person_id: the version of their stored score the sheet showed, None for none}):
    a score someone else saved since is not overwritten (its answer is a conflict naming theirs
    and who saved it) while the others are saved; without it, every score replaces the stored."""
    ws.rules.check_date("held", date, as_of or ws.clock().date(), field="date", words=_DATE_WORDS)
    cohort_id = _cohort_id(ws, cohort)
    found = find_instrument(ws, instrument)
    names = _member_names(ws, cohort_id)
    rows, refused = [], []
    for pid, score in scores.items():
        if score is None or (isinstance(score, str) and not score.strip()):
            continue
        name = names.get(pid) or _enrolled_name(ws, pid, cohort_id, cohort)
        try:
            values = {
                "dimension": dimension,
                "phase": phase,
                "rater_role": rater_role,
                "score": score,
                "date": date,
            }
            rows.append(
                (
                    {**check_assessment(ws, values, found, as_of), "person_id": pid, "cohort_id": cohort_id},
                    name,
                )
            )
        except InvalidEntry as exc:
            refused.append(f"{name}：{exc}")
    if refused:
        raise InvalidEntry(
            f"未保存任何成绩，请改正以下{len(refused)}项后再保存 nothing saved; correct these "
            f"{len(refused)} and save again: " + "；".join(refused)
        )
    seen = ANY_VERSION if versions is None else None
    with ws.transaction() as tx:  # in person order: two sheets saved at once never wait in a circle
        return [
            _write(tx, row, name, seen if versions is None else versions.get(row["person_id"]))
            for row, name in sorted(rows, key=lambda r: r[0]["person_id"])
        ]


def _write(tx, row: dict, name: str, version: int | None | str = ANY_VERSION) -> Saved:
    """Insert the score, or replace the one with its key (unless another save changed it since
    `version`); say which."""
    what = (
        f"{name} {label('dimension', row['dimension'], 'zh')}{label('phase', row['phase'], 'zh')}"
        f"（{label('rater_role', row['rater_role'], 'zh')}）{row['score']:g}分",
        f"the {label('dimension', row['dimension'], 'en').lower()} score ({row['phase']}, "
        f"{label('rater_role', row['rater_role'], 'en').lower()}) of {name}: {row['score']:g}",
    )
    key = {k: row[k] for k in ASSESSMENT_KEY}
    done = tx.put("assessment", key, {"score": row["score"], "date": row["date"]}, version)
    shown = f"{done.was['score']:g}分" if done.was and done.was.get("score") is not None else None
    return Saved(done.action, done.id, what, was=shown, by=done.by)


def score_versions(
    ws: Workspace, cohort: str, *, instrument: str, dimension: str, phase: str, rater_role: str
) -> dict[int, int]:
    """{person_id: version} of the scores stored for one test of a cohort: what a score sheet's
    save names as the versions it was made on (a person absent had no score)."""
    a = TABLES["assessment"]
    rows = ws.frame(
        sa.select(a.c.person_id, a.c.version).where(
            a.c.cohort_id == _cohort_id(ws, cohort), a.c.instrument == instrument, a.c.dimension == dimension,
            a.c.phase == phase, a.c.rater_role == rater_role,
        )
    )  # fmt: skip
    return dict(zip(rows["person_id"].astype(int), rows["version"].astype(int), strict=True))


def _member_names(ws: Workspace, cohort_id: int) -> dict[int, str]:
    e, p = TABLES["enrollment"], TABLES["person"]
    frame = ws.frame(
        sa.select(p.c.id, p.c.name).join(e, e.c.person_id == p.c.id).where(e.c.cohort_id == cohort_id)
    )
    return dict(zip(frame["id"].astype(int), frame["name"], strict=True))


def _cohort_id(ws: Workspace, cohort: str) -> int:
    found = find_cohort(ws, cohort)
    if found is None:
        raise InvalidEntry(Problem.WHICH_COHORT, field="cohort")
    return found[0]


def _enrolled_name(ws: Workspace, person_id: int, cohort_id: int, cohort: str) -> str:
    e, p = TABLES["enrollment"], TABLES["person"]
    with ws.engine.connect() as conn:
        name = conn.execute(sa.select(p.c.name).where(p.c.id == person_id)).scalar()
        enrolled = conn.execute(
            sa.select(e.c.id).where(e.c.person_id == person_id, e.c.cohort_id == cohort_id)
        ).scalar()
    if name is None:
        raise InvalidEntry(Problem.UNKNOWN_PERSON, field="person_id", value=person_id, suggestion="")
    if enrolled is None:
        raise InvalidEntry(Problem.NOT_IN_COHORT, field="person_id", name=name, cohort=cohort)
    return name


def assessments(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Scores as stored, with who and where: person_id, name, county, township, post, cohort
    (code), dimension, phase, instrument, rater_role, score, scale_min, scale_max, date. `cohort`:
    one cohort's; `as_of`: only scores dated by then. The place and post are those of the tenure in
    force on `as_of` (today's without it), else of the last one begun by then."""
    a, p, c, i = (TABLES[n] for n in ("assessment", "person", "cohort", "instrument"))
    q = (
        sa.select(
            a.c.person_id,
            p.c.name,
            c.c.code.label("cohort"),
            a.c.dimension,
            a.c.phase,
            a.c.instrument,
            a.c.rater_role,
            a.c.score,
            i.c.scale_min,
            i.c.scale_max,
            a.c.date,
        )
        .join(p, p.c.id == a.c.person_id)
        .join(c, c.c.id == a.c.cohort_id)
        .join(i, i.c.code == a.c.instrument, isouter=True)
        .order_by(c.c.code, a.c.person_id, a.c.dimension, a.c.phase, a.c.instrument, a.c.rater_role)
    )
    if cohort is not None:
        q = q.where(a.c.cohort_id == _cohort_id(ws, cohort))
    if as_of is not None:
        q = q.where(a.c.date <= as_of)
    frame = ws.frame(q)
    places = place_on(tenures(ws, begun_by=as_of), as_of)[["county", "township", "post"]]
    frame = frame.join(places, on="person_id")
    front = ["person_id", "name", "county", "township", "post"]
    return frame[front + [k for k in frame.columns if k not in front]].reset_index(drop=True)
