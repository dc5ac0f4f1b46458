"""The evaluation stage through its public API and its widgets' models: scores on declared
scales, the frontline rule read from the rules file, comments read by the themes dictionary."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import FIXED, downgrade

from cadre_lib import CadreError, InvalidEntry, RulesError, Workspace, evaluation, people
from cadre_lib.evaluation import widgets

DAY = dt.date(2026, 6, 1)
ARENAS = ("investment", "projects", "rural", "governance", "public_opinion")


@pytest.fixture
def tiny(tiny_workspace, tmp_path):
    """The tiny workspace (cohort K1 with 张三) with a theory exam and a self-rating declared,
    and 张三 and 李四 township chiefs of 乙镇."""
    ws = tiny_workspace(tmp_path / "ws.sqlite")
    evaluation.declare_instrument(ws, "theory_exam", "理论知识测试", 0, 100, dimensions=["theory"])
    evaluation.declare_instrument(ws, "self_rating", "能力自评量表", 1, 5)
    li = people.add_person(ws, "李四")
    township = ws.id_of("township", "code", "T1")
    zhang = int(people.cohort_members(ws, "K1")["person_id"].iloc[0])
    for pid, post in ((zhang, "secretary"), (li, "head")):
        ws.insert(
            "post_tenure",
            {"person_id": pid, "township_id": township, "post": post, "start_date": dt.date(2020, 1, 1)},
        )
    ws.ids = {"张三": zhang, "李四": li}
    yield ws
    ws.close()


def _count(ws: Workspace, table: str) -> int:
    return ws.counts()[table]


def test_a_score_off_its_scale_or_dimension_is_refused_with_the_reason_and_nothing_saved(tiny):
    pid = tiny.ids["张三"]
    cases = [
        (dict(score=150), ["150", "0至100", "0 to 100"]),
        (dict(dimension="体能"), ["体能", "党性修养", "party_spirit"]),
        (dict(dimension="professional"), ["不测", "does not measure"]),
        (dict(instrument="口试"), ["口试", "理论知识测试", "declare"]),
        (dict(score="八十"), ["八十", "not a number"]),
        (dict(phase="期末考"), ["期末考", "训前"]),
    ]
    for change, words in cases:
        values = {
            **dict(dimension="theory", phase="pre", instrument="theory_exam", score=80, date=DAY),
            **change,
        }
        with pytest.raises(InvalidEntry) as refused:
            evaluation.record_assessment(tiny, pid, "K1", **values)
        assert all(w in str(refused.value) for w in words), (change, str(refused.value))
    with pytest.raises(InvalidEntry, match="不在培训项目"):
        evaluation.record_assessment(tiny, tiny.ids["李四"], "K1", "theory", "pre", "theory_exam", 80, DAY)
    assert _count(tiny, "assessment") == 0


def test_a_score_entered_again_replaces_the_first_and_words_are_read_as_codes(tiny):
    pid = tiny.ids["张三"]
    first = evaluation.record_assessment(tiny, pid, "K1", "theory", "pre", "theory_exam", 70, DAY)
    again = evaluation.record_assessment(tiny, pid, "K1", "理论素养", "训前", "理论知识测试", 74.5, DAY)
    same = evaluation.record_assessment(tiny, pid, "K1", "theory", "pre", "theory_exam", 74.5, DAY)
    assert (first.action, again.action, same.action) == ("new", "update", "unchanged")
    assert "原为70" in again.message() and "was 70" in again.message()
    stored = evaluation.assessments(tiny, "K1")
    assert len(stored) == 1 and stored["score"].iloc[0] == 74.5
    assert stored["rater_role"].iloc[0] == "training_office"


def test_a_column_of_scores_is_saved_all_or_none(tiny):
    zhang = tiny.ids["张三"]
    people.enroll(tiny, "K1", tiny.ids["李四"], dt.date(2026, 1, 1))
    test = dict(instrument="self_rating", dimension="party_spirit", phase="post", date=DAY, rater_role="self")
    with pytest.raises(InvalidEntry) as refused:
        evaluation.record_scores(tiny, "K1", {zhang: 4.5, tiny.ids["李四"]: 6}, **test)
    assert (
        "李四" in str(refused.value)
        and "1至5" in str(refused.value)
        and "nothing saved" in str(refused.value)
    )
    assert _count(tiny, "assessment") == 0
    saved = evaluation.record_scores(tiny, "K1", {zhang: "4.5", tiny.ids["李四"]: "  "}, **test)
    assert [s.action for s in saved] == ["new"]


def test_an_instrument_needs_a_scale_low_below_high_and_known_dimensions(tiny):
    with pytest.raises(InvalidEntry, match="最低分小于最高分"):
        evaluation.declare_instrument(tiny, "x", "某测试", 100, 0)
    with pytest.raises(InvalidEntry, match="体能"):
        evaluation.declare_instrument(tiny, "x", "某测试", 0, 100, dimensions=["体能"])
    with pytest.raises(InvalidEntry, match="已存在"):
        evaluation.declare_instrument(tiny, "theory_exam", "重复", 0, 100)
    assert list(evaluation.instruments(tiny)["code"]) == ["self_rating", "theory_exam"]


def _rate(ws, pid, levels):
    """Rate every arena of `pid` in 2026: `levels` gives (look, hear, ask) per arena, or one for all."""
    for k, arena in enumerate(ARENAS):
        triple = levels[k] if isinstance(levels, list) else levels
        evaluation.record_ratings(
            ws,
            pid,
            "2026",
            arena,
            {s: (v, f"佐证{v}") for s, v in zip(("look", "hear", "ask"), triple, strict=True)},
            DAY,
        )


def test_the_classification_is_computed_by_the_rules_file_never_stored(tiny):
    zhang, li = tiny.ids["张三"], tiny.ids["李四"]
    _rate(tiny, zhang, (4, 4, 4))
    _rate(tiny, li, [(5, 5, 5)] * 4 + [(3, 2, 2)])  # mean 4.47 but one arena at 2.33
    got = evaluation.frontline_classification(tiny, "2026").set_index("person_id")
    assert got.loc[zhang, "rating"] == "strong" and got.loc[li, "rating"] == "average"
    assert "舆情化解" in got.loc[li, "why"] and "public-opinion" in got.loc[li, "why"].lower()
    assert "rating" not in tiny.table("frontline_review").columns
    (tiny.folder / "rules.toml").write_text(
        "[frontline]\nstrong_mean = 4.2\nstrong_arena_min = 2.0\n", "utf-8"
    )
    with Workspace(tiny.url.database) as reopened:  # the rules are read when a workspace is opened
        again = evaluation.frontline_classification(reopened, "2026").set_index("person_id")
    assert again.loc[zhang, "rating"] == "average" and again.loc[li, "rating"] == "strong"


def test_an_arena_rated_by_one_source_leaves_the_chief_unrated(tiny):
    pid = tiny.ids["张三"]
    _rate(tiny, pid, (4, 4, 4))
    evaluation.record_review(tiny, tiny.ids["李四"], "2026", "招商引资", "看", 5)
    got = evaluation.frontline_classification(tiny, "2026").set_index("person_id")
    assert got.loc[tiny.ids["李四"], "rating"] == "unrated" and got.loc[pid, "rating"] == "strong"
    counts = evaluation.rating_counts(got.reset_index()).set_index("rating")["count"]
    assert counts.to_dict() == {"strong": 1, "average": 0, "weak": 0, "unrated": 1}


def test_sources_two_levels_apart_are_flagged_with_their_evidence(tiny):
    pid = tiny.ids["张三"]
    _rate(tiny, pid, [(5, 3, 4), (4, 3, 4)] + [(4, 4, 4)] * 3)
    flags = evaluation.frontline_flags(tiny, "2026")
    assert list(flags["arena"]) == ["investment"]
    assert flags["look_evidence"].iloc[0] == "佐证5" and flags["spread"].iloc[0] == 2
    (tiny.folder / "rules.toml").write_text("[frontline]\ndisagreement_levels = 1\n", "utf-8")
    with Workspace(tiny.url.database) as reopened:
        assert len(evaluation.frontline_flags(reopened, "2026")) == 2


def test_a_bad_rating_is_refused_naming_what_to_write(tiny):
    pid = tiny.ids["张三"]
    for values, words in (
        (dict(level=6), "1至5"),
        (dict(period="明年"), "2026-H1"),
        (dict(arena="经济"), "招商引资"),
        (dict(source="查"), "看"),
    ):
        kw = {**dict(period="2026", arena="rural", source="look", level=4), **values}
        with pytest.raises(InvalidEntry, match=words):
            evaluation.record_review(tiny, pid, **kw)
    with pytest.raises(InvalidEntry, match="看：.*听："):
        evaluation.record_ratings(tiny, pid, "2026", "rural", {"look": (7, None), "hear": ("很棒", None)})
    assert _count(tiny, "frontline_review") == 0


def test_comments_are_read_by_the_dictionary_file_beside_the_workspace(tiny):
    pid = tiny.ids["张三"]
    evaluation.record_comment(tiny, pid, "2026", "群众", "深入一线，群众认可度高", DAY)
    evaluation.record_comment(tiny, pid, "2026", "企业", "对企业诉求回应不够及时", DAY)
    said = evaluation.comments(tiny, "2026").set_index("text")
    assert said.loc["深入一线，群众认可度高", "tone"] == "positive"
    assert said.loc["对企业诉求回应不够及时", "tone"] == "concern"  # 及时 is praise, 不够 a concern
    assert "people" in said.loc["深入一线，群众认可度高", "themes"].split(",")
    (tiny.folder / "themes.toml").write_text(
        '[tone]\npositive = ["认可"]\nconcern = ["回应"]\n'
        '[theme.service]\nlabel_zh = "服务企业"\nlabel_en = "Serving companies"\nkeywords = ["企业"]\n',
        "utf-8",
    )
    said = evaluation.comments(tiny, "2026").set_index("text")
    assert said.loc["对企业诉求回应不够及时", "themes"] == "service"
    assert said.loc["深入一线，群众认可度高", "themes"] == ""
    assert said.loc["对企业诉求回应不够及时", "matched"] == "企业、回应"
    (tiny.folder / "themes.toml").write_text("[theme.x]\nlabel_zh = 1\n", "utf-8")
    with pytest.raises(RulesError, match="themes.toml"):
        evaluation.comments(tiny, "2026")


def test_a_comment_needs_text_and_a_role_and_is_not_stored_twice(tiny):
    pid = tiny.ids["张三"]
    with pytest.raises(InvalidEntry, match="不能为空"):
        evaluation.record_comment(tiny, pid, "2026", "群众", "   ", DAY)
    with pytest.raises(InvalidEntry, match="评价人身份"):
        evaluation.record_comment(tiny, pid, "2026", "张局长", "很好", DAY)
    first = evaluation.record_comment(tiny, pid, "2026", "群众", "工作扎实", DAY)
    again = evaluation.record_comment(tiny, pid, "2026", "resident", "工作扎实", DAY)
    assert (first.action, again.action) == ("new", "unchanged") and _count(tiny, "comment") == 1


def test_the_score_sheet_refuses_a_score_off_the_scale_and_saves_nothing(tiny):
    sheet = widgets.score_sheet(tiny, "K1", FIXED.date())
    sheet.model.instrument = "theory_exam"
    assert [d for _l, d in sheet.dimension.options] == ["theory"]
    box = sheet.boxes[tiny.ids["张三"]]
    box.value = "101"
    sheet.save_button.click()
    assert not sheet.model.ok and "0至100" in sheet.message.value and "#b00020" in sheet.message.value
    assert _count(tiny, "assessment") == 0
    box.value = "88"
    sheet.save_button.click()
    assert sheet.model.ok and "88分" in sheet.message.value
    assert evaluation.assessments(tiny, "K1")["score"].tolist() == [88.0]


def test_the_review_form_saves_an_arena_and_warns_when_its_sources_disagree(tiny):
    form = widgets.review_form(tiny, "2026", FIXED.date())
    form.person.value = tiny.ids["李四"]
    form.arena.value = "projects"
    form.level["look"].value, form.level["hear"].value = "5", "2"
    form.evidence["look"].value = "实地查看项目3个"
    form.save_button.click()
    assert form.model.ok and "相差2级及以上" in form.message.value
    stored = evaluation.reviews(tiny, "2026")
    assert sorted(stored["level"]) == [2, 5] and "实地查看项目3个" in set(stored["evidence"])
    assert "项目攻坚" in form.listing.value
    with pytest.raises(Exception, match="Invalid selection"):  # a level not on the scale cannot be chosen
        form.level["ask"].value = "9"


def test_the_comment_form_reads_the_comment_back_and_the_digest_follows(tiny):
    digest = widgets.digest_view(tiny, "2026", FIXED.date(), person_id=tiny.ids["张三"])
    assert "评价意见0条" in digest.page.value
    form = widgets.comment_form(tiny, "2026", FIXED.date())
    form.person.value = tiny.ids["张三"]
    form.commenter_role.value = "company"
    form.text.value = "项目推进偏慢"
    form.save_button.click()
    assert form.model.ok and "问题与建议" in form.message.value and "项目推进" in form.message.value
    assert form.text.value == ""  # cleared for the next one
    assert "评价意见1条" in digest.page.value and "项目推进偏慢" in digest.page.value


def test_a_workspace_of_the_previous_schema_keeps_its_ratings_as_levels(fresh_demo):
    path = fresh_demo.url.database
    fresh_demo.close()
    downgrade(path, "0005")
    with sqlite3.connect(path) as conn:
        pid = conn.execute("SELECT person_id FROM frontline_review LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM frontline_review WHERE person_id = ?", (pid,))
        conn.executemany(
            "INSERT INTO frontline_review (person_id, period, arena, rating, evidence, source) VALUES (?,?,?,?,?,?)",
            [
                (pid, "2025", "overall", "strong", "交叉印证", "cross_checked"),
                (pid, "2025", "rural", "average", "x", "hear"),
            ],
        )
        comments = conn.execute("SELECT COUNT(*) FROM comment").fetchone()[0]
    with Workspace(path) as ws:
        own = evaluation.reviews(ws, "2025")
        assert own[["arena", "source", "level"]].values.tolist() == [["rural", "hear", 3]]
        assert ws.counts()["comment"] == comments
        assert set(evaluation.instruments(ws)["code"]) >= set(evaluation.assessments(ws)["instrument"])


def test_an_entry_refused_is_a_cadre_error_a_form_can_show():
    assert issubclass(InvalidEntry, CadreError)


def test_a_trainer_declares_an_instrument_and_the_score_sheet_offers_it(tiny):
    sheet = widgets.score_sheet(tiny, "K1", FIXED.date())
    form = widgets.instrument_form(tiny)
    form.code.value, form.name.value, form.scale_min.value, form.scale_max.value = (
        "case",
        "案例研判",
        "0",
        "abc",
    )
    form.save_button.click()
    assert not form.model.ok and "最低分小于最高分" in form.message.value and _count(tiny, "instrument") == 2
    form.scale_max.value = "10"
    form.dimension["professional"].value = True
    form.save_button.click()
    assert form.model.ok and "案例研判" in form.message.value and form.code.value == ""
    assert not form.dimension["professional"].value  # cleared for the next one
    assert "案例研判" in form.listing.value
    assert "case" in [code for _label, code in sheet.instrument.options]  # follows without a re-run
    sheet.model.instrument = "case"
    assert [d for _l, d in sheet.dimension.options] == ["professional"]
    sheet.boxes[tiny.ids["张三"]].value = "11"
    sheet.save_button.click()
    assert "0至10" in sheet.message.value and _count(tiny, "assessment") == 0


def test_a_review_period_with_no_ratings_yet_reads_empty_not_an_error(demo_path):
    from cadre_lib import Workspace

    ws = Workspace(demo_path, readonly=True)
    assert evaluation.frontline_flags(ws, "2026-H1", dt.date(2026, 11, 30)).empty
    assert evaluation.frontline_classification(ws, "2026-H1", dt.date(2026, 11, 30)).empty
