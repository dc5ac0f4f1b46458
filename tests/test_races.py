"""Two trainers saving the same sign-in sheet at the same moment, in two real processes.

Each trial: both read the sheet, wait at a barrier, then save. They share one participant and
each also marks others of their own. The first save of the shared mark wins; the other trainer
is told whose mark stands; every other mark of both saves is kept. Runs on SQLite and, when
configured, on PostgreSQL (where a plain INSERT used to refuse the whole later save).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp

import pandas as pd
import pytest

from cadre_lib import Workspace, people
from cadre_lib.delivery import add_series, attendance_sheet, mark_attendance

TRIALS = 50
SHARED = 0  # index of the participant both trainers mark
OWN = {"A": range(1, 6), "B": range(6, 11)}
# (first round on unmarked rows, second round on the marks the first left)
STATUS = {"A": ("present", "late"), "B": ("absent", "excused")}


def _seen(sheet: pd.DataFrame) -> dict[int, int | None]:
    return {int(p): (None if pd.isna(v) else int(v)) for p, v in zip(sheet["person_id"], sheet["version"])}


def _trainer(url: str, role: str, sessions: list[int], trainees: list[int], barrier, out) -> None:
    """One trainer's process: for each session and round, read, wait for the other, save."""
    with Workspace(url, actor=f"trainer {role}") as ws:
        for sid in sessions:
            for round_ in (0, 1):
                seen = _seen(attendance_sheet(ws, sid))
                status = STATUS[role][round_]
                marks = {trainees[SHARED]: status, **{trainees[i]: status for i in OWN[role]}}
                barrier.wait(timeout=120)
                try:
                    result = mark_attendance(ws, sid, marks, seen)
                except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                    out.put((role, sid, round_, "error", repr(exc)))
                    continue
                out.put((role, sid, round_, "ok", (result.changed, result.conflicts)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_url(request, tmp_path):
    url = (
        str(tmp_path / "race.sqlite")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    with Workspace(url, actor="setup", clock=lambda: dt.datetime(2026, 11, 30)) as ws:
        people.add_county(ws, "C1", "甲县")
        people.add_township(ws, "C1", "T1", "乙镇")
        people.add_cohort(ws, "K1", "测试班", "class", dt.date(2026, 1, 1))
        trainees = [people.add_person(ws, f"学员{'甲乙丙丁戊己庚辛壬癸子'[i]}") for i in range(11)]
        for pid in trainees:
            people.enroll(ws, "K1", pid, dt.date(2026, 1, 1))
        days = [dt.date(2026, 1, 5) + dt.timedelta(days=i) for i in range(TRIALS)]
        sessions = add_series(ws, "K1", days, "lecture", "专题讲座", 3)
    return url, sessions, trainees


def test_two_trainers_saving_at_once_lose_no_mark(race_url):
    url, sessions, trainees = race_url
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_trainer, args=(url, role, sessions, trainees, barrier, out))
        for role in ("A", "B")
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=300) for _ in range(2 * 2 * len(sessions))]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    errors = [r for r in results if r[3] == "error"]
    assert not errors, f"{len(errors)} saves were refused whole, e.g. {errors[0]}"

    by_trial: dict[tuple[int, int], dict[str, tuple]] = {}
    for role, sid, round_, _, payload in results:
        by_trial.setdefault((sid, round_), {})[role] = payload
    with Workspace(url, readonly=True) as ws:
        for sid in sessions:
            final = attendance_sheet(ws, sid).set_index("person_id")["status"]
            for role in ("A", "B"):  # every mark that was not shared is saved
                assert all(final[trainees[i]] == STATUS[role][1] for i in OWN[role])
            shared = final[trainees[SHARED]]
            for round_ in (0, 1):
                saves = by_trial[sid, round_]
                winners = [r for r in "AB" if trainees[SHARED] in {c[0] for c in saves[r][0]}]
                losers = [r for r in "AB" if trainees[SHARED] in {c[0] for c in saves[r][1]}]
                assert len(winners) == 1 and len(losers) == 1 and winners != losers, saves
                (told,) = [c[2:] for c in saves[losers[0]][1] if c[0] == trainees[SHARED]]
                # the loser is told which mark stands and who saved it
                assert told == (STATUS[winners[0]][round_], f"trainer {winners[0]}")
            assert shared in (STATUS["A"][1], STATUS["B"][1])


def _talker(url: str, role: str, chief: int, days: list, barrier, out) -> None:
    """One organization chief's office registering the same talks as the other, at the same moment."""
    from cadre_lib import care

    with Workspace(url, actor=f"office {role}") as ws:
        for day in days:
            follow = {
                "action": f"回访（{role}）",
                "owner": "县委组织部",
                "due_date": day + dt.timedelta(days=30),
            }
            barrier.wait(timeout=120)
            try:
                saved = care.record_talk(
                    ws, chief, day, "county_org_chief", concerns="用地指标紧张", follow_ups=[follow]
                )
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                out.put((role, day, "error", repr(exc)))
                continue
            out.put((role, day, "ok", saved.action))


def test_two_offices_registering_the_same_talk_at_once_make_one_talk_and_keep_both_follow_ups(race_url):
    """The same chief, day and talker role saved in two processes at once: one talk, never two;
    both saves succeed, and the follow-up each added is kept."""
    from cadre_lib import care

    url, _sessions, trainees = race_url
    with Workspace(url, actor="setup") as ws:
        ws.insert(
            "post_tenure",
            {"person_id": trainees[0], "township_id": ws.id_of("township", "code", "T1"), "post": "head",
             "start_date": dt.date(2020, 1, 1)},
        )  # fmt: skip
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(20)]
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_talker, args=(url, r, trainees[0], days, barrier, out)) for r in "AB"]
    for w in workers:
        w.start()
    results = [out.get(timeout=300) for _ in range(2 * len(days))]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    errors = [r for r in results if r[2] == "error"]
    assert not errors, f"{len(errors)} saves were refused, e.g. {errors[0]}"
    with Workspace(url, readonly=True) as ws:
        held = care.talks(ws, dt.date(2026, 12, 31))
        follow = care.follow_ups(ws, dt.date(2026, 12, 31))
    assert len(held) == len(days) and held["follow_ups"].eq(2).all()
    assert sorted(follow["action"].unique()) == ["回访（A）", "回访（B）"]


PROMOTION_TRIALS = 24


def _chief_in_k1(ws, town: int, name: str) -> int:
    """A new township head of `town` since 2020, enrolled in K1 from 2026: one race's subject."""
    pid = people.add_person(ws, name)
    ws.insert("post_tenure", {"person_id": pid, "township_id": town, "post": "head",
                              "start_date": dt.date(2020, 1, 1)})  # fmt: skip
    people.enroll(ws, "K1", pid, dt.date(2026, 1, 1))
    return pid


def _promoter(url: str, role: str, trials: list[tuple[int, int, str]], barrier, out) -> None:
    """One office marks a participant at a session while another records their promotion dated
    that very day: both at the same moment, trial after trial."""
    from cadre_lib import care

    with Workspace(url, actor=f"office {role}") as ws:
        for person, session, day in trials:
            barrier.wait(timeout=120)
            try:
                if role == "mark":
                    result = mark_attendance(ws, session, {person: "present"}, {person: None})
                    saved = person in {c[0] for c in result.changed}
                    out.put((role, person, saved, result.message()))
                else:
                    care.record_outcome(
                        ws, person, "promotion", dt.date.fromisoformat(day), to_post="副县长",
                        as_of=dt.date(2026, 12, 31),
                    )  # fmt: skip
                    out.put((role, person, True, "saved"))
            except Exception as exc:  # noqa: BLE001 - a refusal with its reason, or a failure the test shows
                out.put((role, person, False, f"{type(exc).__name__}: {exc}"))


def test_a_promotion_and_a_mark_at_the_same_moment_never_both_stand(race_url):
    """A chief promoted on the day of a session cannot also be marked at it: whichever of the two
    saves commits second is refused with its reason, on SQLite and PostgreSQL alike, and the
    workspace never holds a promoted chief marked at a session on or after the promotion."""
    url, _sessions, _trainees = race_url
    with Workspace(url, actor="setup") as ws:
        town = ws.id_of("township", "code", "T1")
        trials = []
        for k in range(PROMOTION_TRIALS):
            pid = _chief_in_k1(ws, town, f"干部{'甲乙丙丁戊己庚辛壬癸'[k % 10]}{'子丑寅卯辰巳'[k // 10]}")
            day = dt.date(2026, 9, 1) + dt.timedelta(days=k)
            (sid,) = add_series(ws, "K1", [day], "lecture", f"专题{k}", 3)
            trials.append((pid, sid, day.isoformat()))
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_promoter, args=(url, r, trials, barrier, out)) for r in ("mark", "promote")
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=300) for _ in range(2 * len(trials))]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    by_person: dict[int, dict[str, tuple[bool, str]]] = {}
    for role, person, saved, said in results:
        by_person.setdefault(person, {})[role] = (saved, said)
    both = [p for p, r in by_person.items() if r["mark"][0] and r["promote"][0]]
    assert not both, f"{len(both)} of {len(trials)} trials saved both, e.g. {by_person[both[0]]}"
    for r in by_person.values():
        assert r["mark"][0] or r["promote"][0], r  # one of the two stands
        refused = r["promote"][1] if r["mark"][0] else r["mark"][1]
        assert "工作区拒绝" not in refused and "constraint" not in refused  # a reason, not database words
        assert any(w in refused for w in ("考勤", "提拔", "不在")), refused
    with Workspace(url, readonly=True) as ws:
        from cadre_lib import care

        promoted = care.outcomes(ws, kind="promotion").set_index("person_id")["date"]
        marks = ws.frame("SELECT a.person_id, s.date FROM attendance a JOIN session s ON s.id = a.session_id")
    late = marks[marks["person_id"].map(promoted).notna()]
    late = late[pd.to_datetime(late["date"]) >= pd.to_datetime(late["person_id"].map(promoted))]
    assert late.empty, late


# -- the same score, rating or talk entered by two offices at once -----------------------------

ENTRY_TRIALS = 24
AS_OF = dt.date(2026, 11, 30)


def _entries_url(race_url) -> tuple[str, list[int]]:
    """The race workspace with an instrument and 24 more chiefs in post enrolled in K1."""
    from cadre_lib import evaluation

    url, _sessions, _trainees = race_url
    with Workspace(url, actor="setup") as ws:
        evaluation.declare_instrument(ws, "exam", "理论考试", 0, 100, dimensions=["theory"])
        town = ws.id_of("township", "code", "T1")
        chiefs = []
        for k in range(ENTRY_TRIALS):
            chiefs.append(_chief_in_k1(ws, town, f"正职{'甲乙丙丁戊己庚辛壬癸'[k % 10]}{'子丑寅'[k // 10]}"))
    return url, chiefs


def _enter(url: str, kind: str, role: str, chiefs: list[int], barrier, out) -> None:
    """One office entering, chief after chief, the same entry as the other office, through the
    form a trainer uses (or, for `api` and `import`, the library call and a file), at the same
    moment as the other: its own value, so who won is visible."""
    from cadre_lib.care.widgets import outcome_form, talk_form
    from cadre_lib.evaluation.widgets import review_form, score_sheet

    mine = {"A": 71, "B": 92}[role]
    with Workspace(url, actor=f"office {role}") as ws:
        for pid in chiefs:
            if kind == "scores":
                model = score_sheet(ws, "K1", AS_OF).model
                model.instrument, model.phase = "exam", "post"
                model.scores = {pid: str(mine)}
            elif kind == "ratings":
                model = review_form(ws, "2026", AS_OF).model
                model.person_id, model.arena = pid, "projects"
                model.levels = {**model.levels, "look": "4" if role == "A" else "2"}
            elif kind == "talks":
                model = talk_form(ws, AS_OF).model
                model.person_id, model.date, model.talker_role = pid, "2026-11-02", "county_org_chief"
                model.concerns = f"用地指标（{role}）"
                model.action, model.owner, model.due = f"回访（{role}）", "县委组织部", "2026-12-15"
            elif kind == "outcomes":
                model = outcome_form(ws, AS_OF).model
                model.person_id, model.kind, model.date = pid, "merit", "2026-11-03"
                model.award, model.detail = "merit_3", f"招商引资成效突出（{role}）"
            barrier.wait(timeout=120)
            try:
                if kind in ("scores", "ratings", "talks", "outcomes"):
                    model.save()
                    out.put((role, pid, model.ok, model.message))
                else:
                    out.put((role, pid, True, _api_or_file(ws, kind, pid, mine)))
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                out.put((role, pid, None, f"{type(exc).__name__}: {exc}"))


def _api_or_file(ws, kind: str, pid: int, score: int) -> str:
    from cadre_lib import evaluation
    from cadre_lib.importers import IMPORTERS

    if kind == "api":
        return evaluation.record_assessment(ws, pid, "K1", "theory", "post", "exam", score, AS_OF).message()
    name = ws.table("person").set_index("id").loc[pid, "name"]
    rows = [["培训项目", "姓名", "测评工具", "测评维度", "测评阶段", "成绩", "日期"],
            ["K1", name, "exam", "理论素养", "训后", score, "2026-11-30"]]  # fmt: skip
    data = "\n".join(",".join(map(str, r)) for r in rows).encode("utf-8")
    report = IMPORTERS["assessments"](ws).run(data, "scores.csv", as_of=AS_OF)
    return report.summary() + (" [replaced]" if report.replaced else "")


def _race(url: str, kind: str, chiefs: list[int]) -> dict[int, dict[str, tuple]]:
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_enter, args=(url, kind, r, chiefs, barrier, out)) for r in "AB"]
    for w in workers:
        w.start()
    results = [out.get(timeout=300) for _ in range(2 * len(chiefs))]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    by_chief: dict[int, dict[str, tuple]] = {}
    for role, pid, ok, said in results:
        by_chief.setdefault(pid, {})[role] = (ok, said)
    failed = [r for r in by_chief.values() for ok, _s in r.values() if ok is None]
    assert not failed, f"{len(failed)} saves raised, e.g. {failed[0]}"
    for r in by_chief.values():
        for _ok, said in r.values():
            assert not any(w in said for w in ("duplicate key", "constraint", "UNIQUE", "工作区拒绝")), said
    return by_chief


@pytest.mark.parametrize("kind", ["scores", "ratings", "talks", "outcomes"])
def test_the_same_entry_saved_by_two_offices_at_once_keeps_one_and_tells_the_other(race_url, kind):
    """Two offices enter the same score, rating, talk or decision, both on the form as it stood (nothing
    stored yet), at the same moment: one is stored; the other is not written over it and is told
    which value stands and who saved it — on SQLite and PostgreSQL, never a refusal in database
    words. A talk's second office still adds its own follow-up, which overwrites nothing."""
    from cadre_lib import care, evaluation

    url, chiefs = _entries_url(race_url)
    by_chief = _race(url, kind, chiefs)
    with Workspace(url, readonly=True) as ws:
        scores = evaluation.assessments(ws, "K1").set_index("person_id")["score"]
        ratings = evaluation.reviews(ws, "2026").set_index("person_id")["level"]
        held = care.talks(ws, AS_OF).set_index("person_id")
        follow = care.follow_ups(ws, AS_OF)
        decided = care.outcomes(ws, AS_OF, kind="merit").set_index("person_id")
    for pid, r in by_chief.items():
        winners = [role for role in "AB" if r[role][0]]
        assert len(winners) == 1, r
        (loser,) = set("AB") - set(winners)
        said = r[loser][1]
        assert "未保存" in said and f"office {winners[0]}" in said, said  # who saved what stands
        stands = {"scores": scores.get(pid), "ratings": ratings.get(pid)}.get(kind)
        if kind == "scores":
            assert stands == {"A": 71, "B": 92}[winners[0]] and f"{stands:g}" in said
        elif kind == "ratings":
            assert stands == {"A": 4, "B": 2}[winners[0]]
        elif kind == "outcomes":
            assert (
                decided.loc[pid, "detail"] == f"招商引资成效突出（{winners[0]}）"
                and decided.loc[pid, "detail"] in said
            )
        else:
            assert held.loc[pid, "concerns"] == f"用地指标（{winners[0]}）"  # the winner's words stand
            assert held.loc[pid, "concerns"] in said
            actions = sorted(follow.loc[follow["person_id"] == pid, "action"])
            assert actions == ["回访（A）", "回访（B）"]  # the loser's follow-up is added, nothing lost


@pytest.mark.parametrize("kind", ["api", "import"])
def test_the_same_score_saved_at_once_through_the_library_or_a_file_replaces_and_says_so(race_url, kind):
    """Without a form's version, the second save replaces the first as docs/decisions/0029 documents (a
    file replaces what is stored): both are saved, neither is refused, and the one that replaced
    the other's value says which value it replaced."""
    from cadre_lib import evaluation

    url, chiefs = _entries_url(race_url)
    by_chief = _race(url, kind, chiefs)
    with Workspace(url, readonly=True) as ws:
        scores = evaluation.assessments(ws, "K1").set_index("person_id")["score"]
    for pid, r in by_chief.items():
        assert r["A"][0] and r["B"][0], r
        said = {role: r[role][1] for role in "AB"}
        if kind == "api":
            first = [role for role in "AB" if said[role].startswith("已保存")]
            assert len(first) == 1, said  # one stored it, the other replaced it, saying so
            (second,) = set("AB") - set(first)
            assert (
                said[second].startswith("已更新")
                and f"原为{ {'A': 71, 'B': 92}[first[0]] }分" in said[second]
            )
            assert scores[pid] == {"A": 71, "B": 92}[second]
        else:  # one file stored the score, the other updated it (and says what it replaced)
            first = [role for role in "AB" if "新增 1" in said[role]]
            second = [role for role in "AB" if "更新 1" in said[role]]
            assert len(first) == 1 and len(second) == 1 and first != second, said
            assert scores[pid] == {"A": 71, "B": 92}[second[0]]
            if "[replaced]" in said[second[0]]:  # it planned a new score: the check came before the other's
                assert "已由他人保存" in said[second[0]]
