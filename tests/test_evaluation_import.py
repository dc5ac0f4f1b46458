"""`cadre import assessments|reviews|comments`: all or nothing, every problem with its row and
column, the same checks as the entry forms, and a second import of the same file changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from cadre_lib import ImportRejected, InvalidEntry, evaluation, people
from cadre_lib.cli import main
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.importers import IMPORTERS, check_file, import_assessments, import_comments, import_reviews
from cadre_lib.samples import write_samples, write_xlsx


def _dump(ws) -> list[str]:
    with sqlite3.connect(ws.url.database) as conn:
        return list(conn.iterdump())


@pytest.fixture
def samples(fresh_demo, tmp_path):
    write_samples(tmp_path / "samples", fresh_demo, DEMO_AS_OF)
    return tmp_path / "samples"


def _run(ws, kind, path, **options):
    return IMPORTERS[kind](ws).run(path, as_of=DEMO_AS_OF, **options)


def test_good_files_of_each_kind_import_and_again_change_nothing(fresh_demo, samples):
    before = fresh_demo.counts()
    scores = _run(fresh_demo, "assessments", samples / "assessments_programme_mid_self.xlsx", cohort="SHXF")
    ratings = _run(fresh_demo, "reviews", samples / "reviews_2026_two_chiefs.xlsx")
    said = _run(fresh_demo, "comments", samples / "comments_2026.xlsx")
    assert (scores.imported, ratings.imported, said.imported) == (36, 30, 8)
    after = fresh_demo.counts()
    assert after["assessment"] - before["assessment"] == 36 and after["comment"] - before["comment"] == 8
    mid_self = evaluation.assessments(fresh_demo, "SHXF").query("phase == 'mid' and rater_role == 'self'")
    assert len(mid_self) == 36 and mid_self["score"].between(1, 5).all()
    classes = evaluation.frontline_classification(fresh_demo, "2026", DEMO_AS_OF)
    assert len(classes) == 68 and set(classes["rating"]) <= {"strong", "average", "weak"}
    dump = _dump(fresh_demo)
    for kind, name in (
        ("assessments", "assessments_programme_mid_self.xlsx"),
        ("reviews", "reviews_2026_two_chiefs.xlsx"),
        ("comments", "comments_2026.xlsx"),
    ):
        again = _run(fresh_demo, kind, samples / name, cohort="SHXF")
        assert again.imported == again.updated == 0 and again.unchanged > 0
    assert [line for line in _dump(fresh_demo) if "audit_log" not in line] == [
        line for line in dump if "audit_log" not in line
    ]


def test_a_file_with_mistakes_lists_each_on_its_row_and_column_and_writes_nothing(fresh_demo, samples):
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "assessments", samples / "assessments_with_mistakes.xlsx", cohort="SHXF")
    found = {(e.row, e.column, e.problem.value) for e in rejected.value.report.errors}
    assert found == {
        (2, "成绩", "score_scale"),
        (3, "测评维度", "unknown_code"),
        (4, "测评工具", "unknown_instrument"),
        (5, "测评维度", "instrument_dimension"),
        (6, "姓名", "unknown_person"),
        (7, "成绩", "not_a_number"),
        (7, "测评阶段", "unknown_code"),
    }
    assert _dump(fresh_demo) == before


def _ratings(rows):
    return [["姓名", "乡镇（街道）", "考察期", "考察领域", "考察方式", "等次"], *rows]


def test_bad_ratings_and_comments_are_refused_with_their_reasons(fresh_demo, tmp_path):
    chiefs = evaluation.reviews(fresh_demo, "2026").drop_duplicates("person_id")
    name, township = chiefs["name"].iloc[0], chiefs["township"].iloc[0]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "s": _ratings(
                [
                    [name, township, "2026", "招商引资", "看", 6],
                    [name, township, "明年", "招商引资", "看", 4],
                    [name, township, "2026", "经济", "看", 4],
                    [name, township, "2026", "项目攻坚", "看", 4],
                    [name, township, "2026", "项目攻坚", "看", 5],
                ]
            )
        },
    )
    before = _dump(fresh_demo)
    report = check_file(fresh_demo, "reviews", path, as_of=DEMO_AS_OF)
    found = {(e.row, e.column, e.problem.value) for e in report.errors}
    assert found == {
        (2, "等次", "level"),
        (3, "考察期", "period"),
        (4, "考察领域", "unknown_code"),
        (6, "姓名", "duplicate_entry"),
    }
    assert "第5行" in next(e.reason for e in report.errors if e.row == 6)
    comments = write_xlsx(
        tmp_path / "c.xlsx",
        {
            "s": [
                ["姓名", "考察期", "评价人身份", "评价意见", "日期"],
                [name, "2026", "王局长", "很好", "2026-10-01"],
                [name, "2026", "群众", " ", "2026-10-01"],
            ]
        },
    )
    report = check_file(fresh_demo, "comments", comments, as_of=DEMO_AS_OF)
    assert {(e.row, e.column, e.problem.value) for e in report.errors} == {
        (2, "评价人身份", "unknown_code"),
        (3, "评价意见", "required"),
    }
    assert _dump(fresh_demo) == before


def test_namesakes_need_the_township_or_the_id(fresh_demo, tmp_path):
    chiefs = evaluation.reviews(fresh_demo, "2026").drop_duplicates("person_id")
    first, other = chiefs.iloc[0], chiefs.iloc[1]
    fresh_demo.update("person", int(other["person_id"]), {"name": first["name"]})  # two of one name now
    rows = _ratings([[first["name"], "", "2026", "招商引资", "看", 4]])
    report = check_file(fresh_demo, "reviews", write_xlsx(tmp_path / "a.xlsx", {"s": rows}), as_of=DEMO_AS_OF)
    assert [e.problem.value for e in report.errors] == ["same_name_person"]
    rows = _ratings([[first["name"], first["township"], "2026", "招商引资", "看", 4]])
    report = check_file(fresh_demo, "reviews", write_xlsx(tmp_path / "b.xlsx", {"s": rows}), as_of=DEMO_AS_OF)
    assert report.ok and report.updated + report.unchanged == 1


def test_the_command_line_imports_and_refuses_like_the_others(fresh_demo, samples, capsys):
    db = str(fresh_demo.url.database)
    good = ["import", "comments", str(samples / "comments_2026.xlsx"), "--db", db, "--as-of", "2026-11-30"]
    assert main(good) == 0
    assert "8" in capsys.readouterr().out
    bad = [
        "import",
        "assessments",
        str(samples / "assessments_with_mistakes.xlsx"),
        "--db",
        db,
        "--cohort",
        "SHXF",
    ]
    assert main(bad) == 1
    out = capsys.readouterr().out
    assert "row 2, 成绩 '105'" in out and "0至100" in out
    assert main(["template", "reviews", "--out", str(samples / "t.xlsx")]) == 0
    assert (samples / "t.xlsx").is_file()


def _scores(rows):
    return [["姓名", "测评工具", "测评维度", "测评阶段", "评价人类别", "成绩", "日期"], *rows]


def test_a_member_is_found_by_name_though_someone_outside_the_cohort_shares_it(fresh_demo, tmp_path):
    members = people.cohort_members(fresh_demo, "SHXF", as_of=DEMO_AS_OF)
    everyone = fresh_demo.table("person")
    shared = everyone[everyone["name"].isin(members["name"]) & ~everyone["id"].isin(members["person_id"])]
    assert not shared.empty  # the demo holds such a namesake; make one if it ever does not
    name = shared["name"].iloc[0]
    outsider = people.add_person(fresh_demo, "外人甲")
    rows = _scores(
        [
            [name, "理论知识测试", "理论素养", "训前", "", 80, "2025-09-01"],
            ["外人甲", "理论知识测试", "理论素养", "训前", "", 80, "2025-09-01"],
        ]
    )
    path = write_xlsx(tmp_path / "s.xlsx", {"s": rows})
    report = check_file(fresh_demo, "assessments", path, cohort="SHXF", as_of=DEMO_AS_OF)
    assert [(e.row, e.column, e.problem.value) for e in report.errors] == [(3, "姓名", "not_in_cohort")]
    assert outsider and "外人甲" in report.errors[0].reason


def test_scores_off_the_scale_or_dimension_are_refused_like_the_form_and_blank_role_is_the_office(
    fresh_demo, tmp_path
):
    name = people.cohort_members(fresh_demo, "SHXF", as_of=DEMO_AS_OF)["name"].drop_duplicates(keep=False)
    one, two = name.iloc[0], name.iloc[1]
    bad = _scores(
        [
            [one, "理论知识测试", "理论素养", "训后", "", 150, "2025-12-01"],
            [two, "理论知识测试", "体能", "训后", "", 80, "2025-12-01"],
        ]
    )
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        import_assessments(fresh_demo, write_xlsx(tmp_path / "b.xlsx", {"s": bad}), cohort="SHXF")
    errors = rejected.value.report.errors
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "成绩", "150"), (3, "测评维度", "体能")]
    with pytest.raises(InvalidEntry) as form:  # the entry API says the same
        evaluation.record_assessment(fresh_demo, 1, "SHXF", "theory", "post", "theory_exam", 150, DEMO_AS_OF)
    assert str(form.value).split(" ")[0] in errors[0].reason
    assert _dump(fresh_demo) == before
    good = write_xlsx(
        tmp_path / "g.xlsx", {"s": _scores([[one, "理论知识测试", "理论素养", "训后", "", 88, "2025-12-01"]])}
    )
    importer = IMPORTERS["assessments"](fresh_demo)
    checked = importer.run(good, cohort="SHXF", as_of=DEMO_AS_OF, dry_run=True)
    assert "未填，视为培训主管部门" in checked.plan[0]["rater_role"]
    done = importer.run(good, cohort="SHXF", as_of=DEMO_AS_OF)  # the same importer, checked then run
    assert done.imported + done.updated == 1
    stored = evaluation.assessments(fresh_demo, "SHXF").query("name == @one and phase == 'post'")
    assert stored.query("instrument == 'theory_exam'")["rater_role"].tolist() == ["training_office"]
    assert stored.query("instrument == 'theory_exam'")["score"].tolist() == [88.0]


def test_a_comment_twice_in_a_file_is_refused_and_once_stored_is_unchanged(fresh_demo, tmp_path):
    name = evaluation.reviews(fresh_demo, "2026").drop_duplicates("person_id")["name"].iloc[0]
    said = ["姓名", "考察期", "评价人身份", "评价意见", "日期"]
    row = [name, "2026", "群众", "经常下村走访", "2026-10-01"]
    twice = write_xlsx(tmp_path / "t.xlsx", {"s": [said, row, row]})
    report = check_file(fresh_demo, "comments", twice, as_of=DEMO_AS_OF)
    assert [(e.row, e.column, e.problem.value) for e in report.errors] == [(3, "姓名", "duplicate_entry")]
    once = write_xlsx(tmp_path / "o.xlsx", {"s": [said, row]})
    assert import_comments(fresh_demo, once, as_of=DEMO_AS_OF).imported == 1
    again = import_comments(fresh_demo, once, as_of=DEMO_AS_OF)
    assert (again.imported, again.unchanged) == (0, 1)


def test_cadre_import_reviews_exits_0_on_a_good_file_and_1_with_the_problems(
    fresh_demo, samples, tmp_path, capsys
):
    db = str(fresh_demo.url.database)
    good = samples / "reviews_2026_two_chiefs.xlsx"
    assert main(["import", "reviews", str(good), "--db", db, "--as-of", "2026-11-30"]) == 0
    assert "新增 30" in capsys.readouterr().out
    name = evaluation.reviews(fresh_demo, "2026")["name"].iloc[0]
    bad = write_xlsx(tmp_path / "r.xlsx", {"s": _ratings([[name, "", "明年", "招商引资", "看", 6]])})
    before = fresh_demo.counts()
    assert main(["import", "reviews", str(bad), "--db", db]) == 1
    out = capsys.readouterr().out
    assert "row 2, 考察期 '明年'" in out and "row 2, 等次 '6'" in out and "未导入任何数据" in out
    assert fresh_demo.counts() == before
    assert import_reviews(fresh_demo, good, as_of=DEMO_AS_OF).unchanged == 30
