"""`cadre import assessments|reviews|comments`: all or nothing, every problem with its row and
column, the same checks as the entry forms, and a second import of the same file changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from cadre_lib import ImportRejected, evaluation
from cadre_lib.cli import main
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.importers import IMPORTERS, check_file
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
