"""Import templates and synthetic sample files, typed the way county offices really type them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from . import delivery, evaluation, people
from .core.codes import codes, label
from .core.errors import InvalidEntry, WorkspaceError
from .core.export import write_rows
from .core.ids import SYNTHETIC_REGION, synthetic_national_id
from .importers import IMPORTERS

__all__ = ["write_template", "write_samples", "roster_rows", "write_xlsx"]

SAMPLE_FILES = (
    "roster_clean.xlsx",
    "roster_with_mistakes.xlsx",
    "roster_gbk.csv",
    "sessions_2026_december.xlsx",
    "signin_programme_last_session.xlsx",
    "assessments_programme_mid_self.xlsx",
    "assessments_with_mistakes.xlsx",
    "reviews_2026_two_chiefs.xlsx",
    "comments_2026.xlsx",
    "talks_2026_november.xlsx",
    "talks_with_mistakes.xlsx",
    "outcomes_2026.xlsx",
)
_FULL = str.maketrans("0123456789.-", "０１２３４５６７８９．－")

INSTRUCTIONS = {
    "roster": [
        ("填写说明", "Instructions"),
        ("每行一人；第一行是表头，请勿改动表头文字。", "One person a row; keep the header row as it is."),
        (
            "公民身份号码必须为18位，末位可为X；出生年月、性别须与身份证号一致。",
            "The ID number has 18 characters (last may be X); birth date and sex must agree with it.",
        ),
        (
            "县（区）、乡镇（街道）须使用工作区中已有的名称。",
            "County and township must be names the workspace knows.",
        ),
        (
            "现任职务填写“党委书记”或“镇长/乡长/街道办事处主任”。",
            "Post: 党委书记 (secretary) or 镇长/乡长/主任 (head).",
        ),
        (
            "日期可写作 1985-03-01、1985.03、1985年3月 或 198503。",
            "Dates: 1985-03-01, 1985.03, 1985年3月 or 198503.",
        ),
        (
            "同一身份证号即同一人：已有人员会被更新，不会重复创建。",
            "The same ID is the same person: updated, never doubled.",
        ),
        (
            "任何一行有错误时，整个文件都不会导入，并列出全部错误。",
            "If any row is wrong, nothing is imported and every error is listed.",
        ),
    ],
    "attendance": [
        ("填写说明", "Instructions"),
        (
            "每行一人一次课；培训项目可在导入时选择；同一天有多次课时须填写主题。",
            "One person and session a row; the cohort may be chosen when importing; give the topic "
            "when a day has several sessions.",
        ),
        ("考勤填写：出勤、迟到、早退、请假、缺勤。", "Attendance: 出勤, 迟到, 早退, 请假 or 缺勤."),
        (
            "按姓名匹配参训人员；重名时请填写公民身份号码。",
            "People are found by name; give the ID when two share a name.",
        ),
    ],
    "assessments": [
        ("填写说明", "Instructions"),
        (
            "每行一项成绩；培训项目可在导入时选择；测评工具须为工作区中已有的工具。",
            "One score a row; the cohort may be chosen when importing; the instrument must be one the "
            "workspace has.",
        ),
        (
            "测评维度：党性修养、理论素养、专业能力；测评阶段：训前、训中、训后。",
            "Dimension: 党性修养, 理论素养 or 专业能力; phase: 训前, 训中 or 训后.",
        ),
        (
            "评价人类别：本人自评、学员互评、授课教师、培训主管部门、上级领导；不填即培训主管部门。互评填写互评平均分。",
            "Rater role: self, peers, trainer, training office or supervisor; blank means the training "
            "office. For peers, give the peers' mean.",
        ),
        (
            "成绩须在该测评工具的分值范围内；同一人、维度、阶段、工具和评价人类别再次导入即更新。",
            "A score must lie on its instrument's scale; the same person, dimension, phase, instrument and "
            "rater role again is an update.",
        ),
    ],
    "reviews": [
        ("填写说明", "Instructions"),
        (
            "每行一项评价：一名干部在一个考察期、一个领域、一种考察方式（看、听、问）下的等次。",
            "One rating a row: a chief's level in one period, arena and source (look, hear, ask).",
        ),
        (
            "考察领域：招商引资、项目攻坚、乡村振兴、社会治理、舆情化解；等次：5好、4较好、3一般、2较差、1差。",
            "Arena: 招商引资, 项目攻坚, 乡村振兴, 社会治理 or 舆情化解; level 5 (very good) to 1 (very poor).",
        ),
        (
            "考察期写作2026或2026-H1；重名时请填写乡镇（街道）或公民身份号码。",
            "Period as 2026 or 2026-H1; give the township or the ID when two share a name.",
        ),
    ],
    "comments": [
        ("填写说明", "Instructions"),
        (
            "每行一条评价意见；评价人身份填写党员、干部、企业或群众，不填写评价人姓名。",
            "One comment a row; the commenter's role is 党员, 干部, 企业 or 群众, never their name.",
        ),
        (
            "同一干部、考察期、评价人身份、日期和内容的意见已录入的，不会重复录入。",
            "A comment already stored (same chief, period, role, date and text) is not stored twice.",
        ),
    ],
    "talks": [
        ("填写说明", "Instructions"),
        (
            "每行一次谈话；谈话人身份填写县（区）委书记、县（区）委组织部部长、市委组织部分管副部长（四不两直）或其他领导，"
            "也可照登记簿写明职务（如西岭县委书记、组织部长、市委组织部分管副部长），市级其他领导记为其他领导。",
            "One talk a row; the talker is the county Party secretary, the county organization chief, the "
            "deputy head of the city organization department (unannounced visits) or another leader, or the "
            "title as the register writes it (e.g. 西岭县委书记, 组织部长, 市委组织部分管副部长); other city "
            "leaders count as other leaders.",
        ),
        (
            "反映问题类别可填多项，用顿号隔开，例如“用地指标、工作压力”。",
            "Several concern tags may be given, separated by 、, e.g. 用地指标、工作压力.",
        ),
        (
            "一次谈话有多项跟进事项时，每项一行，姓名、谈话日期和谈话人身份相同；办理时限不得早于谈话日期；"
            "责任人尚未明确的可不填（列为“责任人待明确”）。",
            "A talk with several follow-ups takes one row each, with the same name, date and talker; a "
            "follow-up is due on or after the talk; an owner not yet decided may be left blank (listed as "
            "owner to be assigned).",
        ),
        (
            "同一干部、日期和谈话人身份即同一次谈话：再次导入会更新而不会重复。",
            "The same chief, date and talker is the same talk: updated, never doubled.",
        ),
    ],
    "outcomes": [
        ("填写说明", "Instructions"),
        (
            "每行一项决定；类别：提拔使用、职级晋升、记功嘉奖、处分、精准问责、风险备案、容错纠错。",
            "One decision a row; kind: promotion, rank promotion, merit, discipline, accountability, risk "
            "filing or fault tolerance.",
        ),
        (
            "提拔使用须填新职务；职级晋升须填职级；记功嘉奖须填奖励；处分和精准问责须填处分或问责种类；风险备案和容错纠错须填事由。",
            "A promotion needs the new post; a rank promotion the rank; a merit the award; discipline and "
            "accountability the sanction; a risk filing and fault tolerance the detail.",
        ),
        (
            "影响期按规则文件计算；决定另定影响期的，填写“影响期至”。提拔使用将结束其乡镇职务，在训项目以“提拔”结束。",
            "Impact periods follow the rules file unless the decision sets its own end (影响期至). A "
            "promotion ends the township post, and the open enrolments end as promoted.",
        ),
    ],
    "sessions": [
        ("填写说明", "Instructions"),
        (
            "每行一次课；培训项目填写项目代码或名称（也可在导入时选择）。",
            "One session a row; cohort by code or name (or chosen when importing).",
        ),
        (
            "形式：专家授课、专场观摩、专项分享、专题研讨。",
            "Format: 专家授课, 专场观摩, 专项分享 or 专题研讨.",
        ),
        (
            "日期须写到日，例如 2026-03-18；学时为 0.5 至 24。",
            "Dates need the day, e.g. 2026-03-18; hours 0.5 to 24.",
        ),
        (
            "同一项目、日期和主题即同一次课：再次导入会更新而不会重复。",
            "Same cohort, date and topic is the same session: updated, never doubled.",
        ),
    ],
}


_SHEET_NAMES = {
    "roster": "花名册 Roster",
    "sessions": "课程表 Schedule",
    "attendance": "签到表 Sign-in",
    "assessments": "测评成绩 Scores",
    "reviews": "一线考察 Reviews",
    "comments": "评价意见 Comments",
    "talks": "谈心谈话 Talks",
    "outcomes": "激励与问责 Outcomes",
}


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merge_title: bool = False) -> Path:
    """Write rows to an .xlsx file (one entry per sheet); optionally merge the title cell across."""
    return write_rows(path, sheets, merge_title=merge_title)


def write_template(kind: str, path: str | Path) -> Path:
    """A new template file: .xlsx with the header row and a sheet of instructions in Chinese and
    English, or .csv (UTF-8 that Excel opens) with the Chinese and English header rows only.

    Refuses any other suffix, and a file or folder that is already there.
    """
    importer = IMPORTERS[kind]
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise InvalidEntry(
            f"模板文件应以 .xlsx 或 .csv 结尾 a template is an .xlsx or .csv file, not “{path.name}”"
        )
    if path.exists():
        raise InvalidEntry(f"“{path}”已存在 {path} already exists; choose a new file name")
    header = [f.zh.replace("(", "（").replace(")", "）") for f in importer.fields]
    english = [f.en for f in importer.fields]
    if path.suffix.lower() == ".csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows([header, english])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.getvalue().encode("utf-8-sig"))
        return path
    return write_xlsx(
        path,
        {
            _SHEET_NAMES[kind]: [header, english],
            "说明 Instructions": [list(r) for r in INSTRUCTIONS[kind]],
        },
    )


def _messy_date(day: dt.date, style: int) -> object:
    """The same date as county offices type it, in one of several spellings."""
    return [
        f"{day:%Y.%m}",
        f"{day.year}年{day.month}月",
        f"{day:%Y-%m}",
        f"{day:%Y%m}",
        f"{day:%Y.%m}".translate(_FULL),
        day,
        float(f"{day.year}.{day.month:02d}"),
    ][style % 7]


ROSTER_HEADER = [
    "序号",
    "姓 名",
    "身份证号",
    "出生年月",
    "性别",
    "民族",
    "学历",
    "县（区）",
    "乡镇（街道）",
    "现任职务",
    "任现职时间",
    "联系电话",
    "籍贯",
    "备注",
]


def new_people(places: list[tuple[str, str]], n: int, seed: int) -> list[dict]:
    """Synthetic people (region 99, so no real ID) for townships given as (county, township)."""
    rng = random.Random(f"roster/{seed}")
    people = []
    for i in range(n):
        sex = "M" if rng.random() < 0.8 else "F"
        birth = dt.date(rng.randint(1980, 1993), rng.randint(1, 12), rng.randint(1, 28))
        county, town = places[(i * 7 + seed) % len(places)]
        people.append(
            {
                "name": rng.choice("王李张刘陈杨赵周")
                + rng.choice("伟强敏静磊洋军芳")
                + rng.choice(("", "明", "华")),
                "national_id": synthetic_national_id(rng, birth, sex, region="0202"),
                "birth": birth,
                "sex": sex,
                "county": county,
                "township": town,
                "post": rng.choice(("secretary", "head")),
                "since": dt.date(2026, rng.randint(1, 10), 1),
                "phone": f"1390000{i + 100 * seed:04d}",
            }
        )
    return people


def roster_rows(people: list[dict]) -> list[list[object]]:
    """Roster rows (header first) with the variety of hand-typed files: padded names, spellings of dates."""
    rows: list[list[object]] = [list(ROSTER_HEADER)]
    for i, p in enumerate(people):
        name = p["name"][0] + "　" + p["name"][1] if len(p["name"]) == 2 and i % 2 == 0 else p["name"]
        sub = p["township"].endswith("街道")
        post = {
            "secretary": "党工委书记" if sub else "党委书记",
            "head": "街道办事处主任" if sub else "镇长",
        }[p["post"]]
        rows.append(
            [
                i + 1,
                name,
                p["national_id"].lower() if i % 4 == 0 else p["national_id"],
                _messy_date(p["birth"], i),
                "男" if p["sex"] == "M" else "女",
                "汉族",
                "大学",
                p["county"].replace("区", "区 ") if i % 5 == 0 else p["county"],
                f" {p['township']} ",
                post,
                _messy_date(p["since"], i + 3),
                p["phone"].translate(_FULL) if i % 6 == 0 else p["phone"],
                "本市",
                "",
            ]
        )
    return rows


def _existing_chiefs(ws, as_of: dt.date, n: int) -> list[dict]:
    chiefs = people.chiefs(ws, as_of, reveal_ids=True).head(n)
    return [
        {
            "name": r.name,
            "national_id": r.national_id,
            "birth": r.birth_date,
            "sex": r.sex,
            "county": r.county,
            "township": r.township,
            "post": r.post,
            "since": r.in_post_since,
            "phone": f"1380000{k:04d}",
        }
        for k, r in enumerate(chiefs.itertuples())
    ]


_TITLE = ["2027年度乡镇（街道）党政正职专题培训班花名册"]


def _clean_roster(ws, as_of: dt.date, places: list[tuple[str, str]]) -> dict:
    """Four chiefs the workspace knows (new phone numbers) and eight newly appointed, with a title,
    a filed-by line, a blank row and a total row, as a county office sends them."""
    filed = ["填报单位：市委组织部干部教育科", "", "", "", "", "", "", "", "", "", "填报日期：2026年11月"]
    clean = roster_rows(_existing_chiefs(ws, as_of, 4) + new_people(places[2:], 8, seed=1))
    body = clean[1:]
    return {"花名册": [_TITLE, filed, clean[0], *body[:6], [], *body[6:], ["合计", "共12人"]]}


def _roster_with_mistakes(ws, places: list[tuple[str, str]]) -> dict:
    """One of every mistake a trainer meets, one a row."""
    bad = roster_rows(new_people(places, 10, seed=2))
    existing = ws.frame("SELECT name, national_id FROM person ORDER BY id LIMIT 1", reveal_ids=True).iloc[0]
    bad[1][2] = bad[1][2][:-1] + ("0" if bad[1][2][-1] != "0" else "1")  # a mistyped check character
    bad[2][3] = "1985.13"  # month 13
    bad[3][1] = ""  # name missing
    bad[4] = [bad[4][0], *bad[5][1:]]  # the same person twice
    town = bad[6][8].strip()
    bad[6][8] = town[0] + ("东" if town[1] != "东" else "西") + town[2:]  # a township with a typo
    bad[7][4] = "女" if bad[7][4] == "男" else "男"  # sex disagrees with the ID
    bad[8][1:5] = ["冒名", existing["national_id"], None, None]  # someone else's ID
    bad[9][10] = "2026-02-30"  # no such day
    return {"花名册": [_TITLE, bad[0], *bad[1:]]}


def _gbk_roster(places: list[tuple[str, str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in roster_rows(new_people(places, 5, seed=3)):
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode("gbk")


_SCHEDULE = [
    ["培训项目", "日期", "形式", "主题", "学时", "主讲人", "地点"],
    ["SHXF", "2026-12-08", "专家授课", "年度履职能力提升", "３", "特邀专家", "市委党校"],
    ["SHXF", "2026年12月15日", "专题研讨", "三年培养行动总结研讨", 4, "", "市委党校"],
    ["SHXF", dt.date(2026, 12, 22), "现场观摩", "重大项目现场教学", 6, "", "临港产业园"],
]


def _signin(ws, as_of: dt.date) -> dict:
    """The sign-in sheet of the programme's last session as typed on the day, with a correction."""
    code = people.cohorts(ws)["code"].iloc[0]
    sessions = delivery.cohort_sessions(ws, code)
    last = sessions[sessions["date"] <= as_of].iloc[-1]
    sheet = delivery.attendance_sheet(ws, int(last["id"]))
    signin = [[f"{last['date']} {last['topic']} 签到表"], ["日期", "姓 名", "考勤", "备注"]]
    for k, r in enumerate(sheet.itertuples()):
        status = r.status if isinstance(r.status, str) else "present"  # unmarked: signed in on paper
        if k == 0:  # corrected on the day: the sheet says otherwise than the workspace
            status = "late" if status == "present" else "present"
        signin.append(
            [
                f"{last['date']:%Y年%m月%d日}" if k % 3 else last["date"],
                r.name,
                label("attendance_status", status, "zh"),
                "",
            ]
        )
    return {"签到表": signin}


def _refuse_unless_synthetic(ws, folder: Path) -> None:
    ids = ws.table("person", reveal_ids=True)["national_id"]
    if not ids.map(lambda v: isinstance(v, str) and v.startswith(SYNTHETIC_REGION)).all():
        raise WorkspaceError(
            "示例文件只能由演示工作区生成 sample files are written only from a synthetic workspace (every "
            f"person with an ID in the unassigned region {SYNTHETIC_REGION}); this one holds other people. "
            "Use the demo workspace"
        )
    there = [name for name in SAMPLE_FILES if (folder / name).exists()]
    if there:
        raise InvalidEntry(
            f"示例文件已存在 {folder} already holds {', '.join(there)}; choose another folder or remove them"
        )


def write_samples(folder: str | Path, ws, as_of: dt.date) -> list[Path]:
    """Write the sample import files for a workspace's townships and cohorts into `folder`.

    The clean roster lists four chiefs the workspace knows (with new phone numbers) and eight
    newly appointed ones; the one with mistakes has one of every error a trainer meets; the
    CSV is GBK-encoded as Chinese Excel saves it. Only from a synthetic workspace, never over
    files already there.
    """
    folder = Path(folder)
    _refuse_unless_synthetic(ws, folder)
    towns = ws.frame(
        "SELECT c.name AS county, t.name AS township FROM township t JOIN county c ON c.id = t.county_id ORDER BY t.code"
    )
    places = list(towns.itertuples(index=False, name=None))
    out = [
        write_xlsx(folder / "roster_clean.xlsx", _clean_roster(ws, as_of, places), merge_title=True),
        write_xlsx(folder / "roster_with_mistakes.xlsx", _roster_with_mistakes(ws, places), merge_title=True),
    ]
    (folder / "roster_gbk.csv").write_bytes(_gbk_roster(places))
    out.append(folder / "roster_gbk.csv")
    out.append(write_xlsx(folder / "sessions_2026_december.xlsx", {"课程表": _SCHEDULE}))
    out.append(
        write_xlsx(folder / "signin_programme_last_session.xlsx", _signin(ws, as_of), merge_title=True)
    )
    out += _evaluation_samples(ws, folder, as_of)
    out += _care_samples(ws, folder, as_of)
    return out


def _care_chiefs(ws, as_of: dt.date, n: int) -> list:
    """`n` chiefs in post on `as_of` with unique names, in office since before the year began,
    taken from the end of the list (so they differ from the review and comment samples')."""
    chiefs = people.chiefs(ws, as_of).drop_duplicates("person_id")
    chiefs = chiefs[~chiefs["name"].duplicated(keep=False)]
    chiefs = chiefs[chiefs["in_post_since"].astype(str) < f"{as_of.year}-01-01"]
    return list(chiefs.tail(n).itertuples())


def _care_samples(ws, folder: Path, as_of: dt.date) -> list[Path]:
    """Talks of the month before the as-of date (one with two follow-ups), a file of talks with
    one of each mistake, and ledger decisions of each kind that does not end a post."""
    c = _care_chiefs(ws, as_of, 6)
    day = as_of - dt.timedelta(days=20)
    due = day + dt.timedelta(days=45)
    head = [
        "姓名",
        "乡镇（街道）",
        "谈话日期",
        "谈话人身份",
        "反映问题类别",
        "反映问题",
        "跟进事项",
        "责任单位",
        "办理时限",
    ]
    talks = [[f"{as_of.year}年谈心谈话登记表"], head]
    talks += [
        [c[0].name, c[0].township, f"{day:%Y.%m.%d}", "县委书记", "用地指标、工作压力", "项目用地指标紧张，加班多",
         "协调县自然资源局研究用地指标", "县自然资源局", f"{due:%Y-%m-%d}"],
        [c[0].name, c[0].township, f"{day:%Y.%m.%d}", "县委书记", "", "", "安排轮休", "乡镇党委", f"{due:%Y-%m-%d}"],
        [c[1].name, c[1].township, f"{day:%Y年%m月%d日}", "组织部长", "成长进步", "希望到上级部门跟班学习",
         "列入跟班学习计划", "县委组织部干部科", f"{due:%Y-%m-%d}"],
        [c[2].name, c[2].township, f"{day:%Y-%m-%d}", "市委组织部分管副部长", "矛盾化解", "信访积案较多", "", "", ""],
    ]  # fmt: skip
    wrong = [
        head,
        ["查无此人", "", f"{day:%Y-%m-%d}", "县委书记", "", "", "", "", ""],
        [c[3].name, c[3].township, f"{day:%Y-%m-%d}", "县委书记", "", "", "回访", "县委组织部", f"{day - dt.timedelta(days=3):%Y-%m-%d}"],
        [c[4].name, c[4].township, f"{day:%Y-%m-%d}", "纪委书记", "", "", "", "", ""],
        [c[5].name, c[5].township, f"{as_of + dt.timedelta(days=30):%Y-%m-%d}", "组织部部长", "", "", "", "", ""],
        [c[3].name, c[3].township, f"{day:%Y-%m-%d}", "组织部部长", "住房", "", "", "", ""],
        [c[4].name, c[4].township, f"{day:%Y-%m-%d}", "组织部部长", "", "", "回访", "县委组织部", ""],
    ]  # fmt: skip
    ledger = [
        ["姓名", "乡镇（街道）", "类别", "日期", "事由", "职级", "奖励", "处分或问责种类", "影响期至"],
        [c[0].name, c[0].township, "记功", f"{day:%Y-%m-%d}", "连续两年获评先进乡镇", "", "三等功", "", ""],
        [c[1].name, c[1].township, "风险备案", f"{day:%Y-%m-%d}", "村集体经济改革先行先试", "", "", "", ""],
        [c[2].name, c[2].township, "精准问责", f"{day:%Y-%m-%d}", "信访事项处置不及时", "", "", "诫勉", ""],
        [c[3].name, c[3].township, "容错纠错", f"{day:%Y-%m-%d}", "招商引资探索中出现失误，予以容错", "", "", "", ""],
    ]  # fmt: skip
    return [
        write_xlsx(folder / "talks_2026_november.xlsx", {"谈心谈话": talks}, merge_title=True),
        write_xlsx(folder / "talks_with_mistakes.xlsx", {"谈心谈话": wrong}),
        write_xlsx(folder / "outcomes_2026.xlsx", {"激励与问责": ledger}),
    ]


def _evaluation_samples(ws, folder: Path, as_of: dt.date) -> list[Path]:
    """Assessment, review and comment files typed as an office types them, from what the
    workspace holds: its cohort with mid-programme scores, its instruments and its chiefs."""
    scored = evaluation.assessments(ws)
    mid = scored[scored["phase"] == "mid"]
    code = mid["cohort"].iloc[0] if not mid.empty else people.cohorts(ws)["code"].iloc[0]
    day = str(mid["date"].min() if not mid.empty else as_of)
    members = people.cohort_members(ws, code, as_of=as_of)
    members = members[~members["name"].duplicated(keep=False)].reset_index(drop=True)
    rating, exam = _sample_instruments(ws, scored)
    low, high = float(rating["scale_min"]), float(rating["scale_max"])
    rows = [["培训项目", "姓名", "测评工具", "测评维度", "测评阶段", "评价人类别", "成绩", "日期"]]
    for k, r in enumerate(members.head(12).itertuples()):
        for d, dim in enumerate(("党性修养", "理论素养", "专业能力")):
            score = round(low + (high - low) * (0.6 + ((k + d) % 6) * 0.075), 1)
            rows.append([code, r.name, rating["name"], dim, "训中", "自评", score, day])
    wrong = _score_mistakes(exam, members["name"], day)
    return [
        write_xlsx(folder / "assessments_programme_mid_self.xlsx", {"测评成绩": rows}),
        write_xlsx(folder / "assessments_with_mistakes.xlsx", {"测评成绩": wrong}),
        write_xlsx(folder / "reviews_2026_two_chiefs.xlsx", {"一线考察": _reviews_sample(ws, as_of)}),
        write_xlsx(folder / "comments_2026.xlsx", {"评价意见": _comments_sample(ws, as_of)}),
    ]


def _score_mistakes(exam: dict, names, day: str) -> list[list[object]]:
    """One of each mistake a score sheet has, on `exam` (a test that measures one dimension)."""
    dims = [d for d in exam["dimensions"].split(",") if d] or ["theory"]
    measured = label("dimension", dims[0], "zh")
    other = label("dimension", [c for c in codes("dimension") if c not in dims][-1], "zh")
    low, high, e = exam["scale_min"], exam["scale_max"], exam["name"]
    top, fair = int(high) + 5, round(low + 0.8 * (high - low))
    return [
        ["姓名", "测评工具", "测评维度", "测评阶段", "成绩", "日期"],
        [names.iloc[0], e, measured, "训中", top, day],
        [names.iloc[1], e, "体能", "训中", fair, day],
        [names.iloc[2], "口试", measured, "训中", fair, day],
        [names.iloc[3], e, other, "训中", fair, day],
        ["查无此人", e, measured, "训中", fair, day],
        [names.iloc[4], e, measured, "期末", "八十", day],
    ]


def _sample_instruments(ws, scored) -> tuple[dict, dict]:
    """The workspace's self-rating instrument (the one self-ratings use, else the narrowest
    scale) and a test that measures one dimension (theory when there is one) for the mistakes."""
    known = evaluation.instruments(ws)
    used = set(scored.loc[scored["rater_role"] == "self", "instrument"])
    by_use = known[known["code"].isin(used)]
    rating = (by_use if not by_use.empty else known.sort_values("scale_max")).iloc[0]
    single = known[(known["dimensions"] != "") & ~known["dimensions"].str.contains(",")]
    single = single.assign(theory=single["dimensions"] != "theory").sort_values(["theory", "code"])
    exam = (single if not single.empty else known.sort_values("scale_max", ascending=False)).iloc[0]
    return rating.to_dict(), exam.to_dict()


def _unreviewed(ws, as_of: dt.date, n: int) -> list:
    """`n` chiefs in post with unique names and no frontline review yet."""
    chiefs = people.chiefs(ws, as_of).drop_duplicates("person_id")
    reviewed = set(ws.table("frontline_review")["person_id"])
    chiefs = chiefs[~chiefs["person_id"].isin(reviewed) & ~chiefs["name"].duplicated(keep=False)]
    return list(chiefs.head(n).itertuples())


def _reviews_sample(ws, as_of: dt.date) -> list[list[object]]:
    rows = [
        [f"{as_of.year}年“五个一线”考察评价表"],
        ["姓名", "乡镇（街道）", "考察期", "考察领域", "考察方式", "等次", "佐证"],
    ]
    arenas = ("招商引资", "项目攻坚", "乡村振兴", "社会治理", "舆情化解")
    for k, c in enumerate(_unreviewed(ws, as_of, 2)):
        for a, arena in enumerate(arenas):
            for s, (source, note) in enumerate(
                (("看", "实地查看项目"), ("听", "走访党员群众"), ("问", "询问推进难点"))
            ):
                level = (
                    ("较好", "好", "一般", "4", "5")[(k + a + s) % 5]
                    if not (k == 1 and a == 1)
                    else ("5", "3", "4")[s]
                )
                rows.append([c.name, c.township, f"{as_of.year}年", arena, source, level, f"{note}{a + 2}处"])
    return rows


def _comments_sample(ws, as_of: dt.date) -> list[list[object]]:
    rows = [["姓名", "考察期", "考察领域", "评价人身份", "评价意见", "日期"]]
    texts = (
        ("群众", "经常下村走访，群众认可度高"),
        ("企业", "服务企业热情，审批协调有力"),
        ("干部", "统筹协调能力需加强"),
        ("党员", "作风务实，带头攻坚"),
    )
    for k, c in enumerate(_unreviewed(ws, as_of, 2)):
        for t, (role, text) in enumerate(texts):
            rows.append([c.name, str(as_of.year), "", role, text, f"{as_of.year}-10-{10 + k * 4 + t:02d}"])
    return rows
