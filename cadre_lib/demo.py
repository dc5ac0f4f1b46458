"""A deterministic synthetic prefecture, calibrated to the figures of the department's report."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NoWorkspace, OutdatedWorkspace, WorkspaceError
from .ids import synthetic_national_id
from .rules import load_rules
from .store import Workspace, empty_workspace, resolve_url

__all__ = [
    "DemoSpec",
    "build_demo",
    "make_demo",
    "DemoOutcome",
    "DEMO_AS_OF",
    "DEMO_ACTOR",
    "WorkSummary",
    "work_beyond_demo",
]

D = dt.date
DEMO_AS_OF = D(2026, 11, 30)
DEMO_ACTOR = "cadre demo"  # the demo build's audit entries: bulk loads under this actor

# Fictional places: no real county or township carries these names.
COUNTIES = [
    ("东川区", "Dongchuan District", True),
    ("西岭县", "Xiling County", False),
    ("南湖县", "Nanhu County", False),
    ("北塘县", "Beitang County", False),
    ("青石县", "Qingshi County", False),
    ("云港区", "Yungang District", True),
]
TOWNSHIPS_PER_COUNTY = (12, 12, 12, 12, 11, 11)  # 70 townships, 140 chiefs
_HEAD = dict(
    zip(
        "安宝朝丰凤福高广河红花华金锦景兰乐临龙马梅明宁平庆仁沙双顺太桃天田兴阳永玉竹",
        "An Bao Chao Feng Feng Fu Gao Guang He Hong Hua Hua Jin Jin Jing Lan Le Lin Long Ma "
        "Mei Ming Ning Ping Qing Ren Sha Shuang Shun Tai Tao Tian Tian Xing Yang Yong Yu Zhu".split(),
    )
)
_TAIL = dict(
    zip(
        "岭口湾桥坪集港溪庄洲塘埠滩林台坝园",
        "ling kou wan qiao ping ji gang xi zhuang zhou tang bu tan lin tai ba yuan".split(),
    )
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟强磊军洋勇杰涛明超华平刚辉鹏飞斌宇浩凯健俊帆帅旭宁龙林峰建国志新亮成波海"
GIVEN_F = "静丽敏燕艳娟霞婷芳娜慧"

PROGRAMME = ("SHXF", "“山海新锋”三年培养行动", "Shanhai Xinfeng three-year young-cadre programme")
CLASSES = [
    ("TC-2025A", "乡村振兴专题培训班", "Rural revitalization class", D(2025, 4, 14), "rural"),
    ("TC-2025B", "生态环境保护专题培训班", "Ecological protection class", D(2025, 10, 13), "ecology"),
    ("TC-2026A", "招商引资专题培训班", "Investment attraction class", D(2026, 4, 13), "investment"),
    ("TC-2026B", "社会治理专题培训班", "Social governance class", D(2026, 9, 14), "governance"),
]
LECTURES = [
    "海洋经济与港城发展",
    "新质生产力的培育路径",
    "低空经济新赛道",
    "数字经济与县域治理",
    "绿色低碳转型",
    "现代海洋牧场",
    "人工智能赋能基层治理",
]
FORMAT_HOURS = {"lecture": 3.0, "site_visit": 6.0, "experience_sharing": 3.0, "seminar": 4.0}
TOPICS = {
    "rural": ["乡村产业振兴", "和美乡村建设", "农村集体经济", "乡村人才振兴"],
    "ecology": ["生态保护红线", "河湖长制实务", "环保督察整改", "生态产品价值实现"],
    "investment": ["产业链招商", "项目谋划与落地", "营商环境优化", "招商谈判实务"],
    "governance": ["基层矛盾化解", "网格化治理", "舆情应对处置", "平安乡镇建设"],
    "programme": [
        "党性教育专题",
        "理论学习专题",
        "重大项目攻坚",
        "乡村振兴实践",
        "招商引资实战",
        "社会治理创新",
        "舆情化解能力",
        "领导力提升",
    ],
}
EVIDENCE = {
    "investment": "签约亿元以上项目{n}个",
    "projects": "重点项目按期推进率{p}%",
    "rural": "村集体经济收入增长{p}%",
    "governance": "信访积案化解{n}件",
    "public_opinion": "妥善处置舆情事件{n}起",
}
COMMENTS = {
    "positive": [
        "敢于担当，项目推进有力",
        "深入一线，群众认可度高",
        "思路清晰，招商成效明显",
        "处置突发事件沉着果断",
    ],
    "neutral": ["工作稳步推进", "能够完成上级部署任务", "作风较为扎实"],
    "negative": ["创新办法不多", "项目推进偏慢", "对群众诉求回应不够及时"],
}
CONCERNS = [
    "项目用地指标紧张",
    "干部队伍年龄结构偏大",
    "工作压力大、家庭照顾不足",
    "招商政策落实难",
    "基层矛盾化解任务重",
    "希望增加外出学习机会",
]
FOLLOW_UPS = [
    "协调县自然资源部门研究",
    "列入年度干部调配计划",
    "安排带薪休假",
    "由县招商局专题对接",
    "纳入下一期培训班",
    "组织部跟踪回访",
]


@dataclass(frozen=True)
class DemoSpec:
    """What to build: the seed, how many copies of the prefecture, and the as-of date."""

    seed: int = 2024
    scale: int = 1
    as_of: dt.date = DEMO_AS_OF


@dataclass
class _Rows:
    """Rows per table with explicit ids, so the whole demo can be bulk-loaded."""

    data: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)

    def add(self, table: str, **values) -> int:
        cols, rows = self.data.setdefault(table, (["id", *values], []))
        if cols[1:] != list(values):
            raise ValueError(f"{table}: columns {list(values)} differ from {cols[1:]}")
        new_id = len(rows) + 1
        rows.append((new_id, *values.values()))
        return new_id


def _name(rng: random.Random, sex: str) -> str:
    given = GIVEN if sex == "M" else GIVEN_F + GIVEN[:8]
    n = rng.choice((1, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(n))


def _person(rows: _Rows, rng: random.Random, born_from: int, born_to: int) -> tuple[int, float]:
    sex = "M" if rng.random() < 0.84 else "F"
    birth = D(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    pid = rows.add(
        "person",
        national_id=synthetic_national_id(rng, birth, sex),
        name=_name(rng, sex),
        sex=sex,
        birth_date=birth,
        ethnicity="汉族" if rng.random() < 0.93 else "回族",
        education=rng.choice(("大学", "大学", "研究生")),
        phone=None,
        notes=None,
    )
    return pid, rng.gauss(0, 1)  # latent capability: drives gains, ratings and outcomes alike


def _unit(
    rows: _Rows, rng: random.Random, unit: int, scale: int, as_of: dt.date, credit: dict[str, float]
) -> None:
    sfx = "" if scale == 1 else f"-{unit + 1:03d}"
    zh_sfx = "" if scale == 1 else f"（{unit + 1}）"
    chiefs: list[dict] = []  # current and former chiefs with their latent capability
    heads, tails = list(_HEAD), list(_TAIL)
    used: set[str] = set()
    for ci, ((cname, cname_en, district), n_town) in enumerate(zip(COUNTIES, TOWNSHIPS_PER_COUNTY)):
        cid = rows.add("county", code=f"C{ci + 1}{sfx}", name=cname + zh_sfx, name_en=cname_en + zh_sfx)
        for ti in range(n_town):
            while (stem := rng.choice(heads) + rng.choice(tails)) in used:
                pass
            used.add(stem)
            sub = district and ti % 2 == 0
            tid = rows.add(
                "township",
                county_id=cid,
                code=f"C{ci + 1}T{ti + 1:02d}{sfx}",
                name=stem + ("街道" if sub else "镇"),
                name_en=f"{_HEAD[stem[0]]}{_TAIL[stem[1]]} " + ("Sub-district" if sub else "Town"),
                kind="subdistrict" if sub else "township",
            )
            for post in ("secretary", "head"):
                pid, latent = _person(rows, rng, 1972 if post == "secretary" else 1978, 1993)
                start = D(rng.randint(2019, 2023), rng.randint(1, 12), 1)
                chiefs.append(
                    {
                        "pid": pid,
                        "latent": latent,
                        "tid": tid,
                        "post": post,
                        "start": start,
                        "tenure": rows.add(
                            "post_tenure",
                            person_id=pid,
                            township_id=tid,
                            post=post,
                            start_date=start,
                            end_date=None,
                        ),
                    }
                )

    def session(
        cohort_id: int, day: dt.date, fmt: str, topic: str, speaker: str | None, hours: float | None = None
    ) -> tuple[int, float]:
        hours = hours or FORMAT_HOURS[fmt]
        sid = rows.add(
            "session",
            cohort_id=cohort_id,
            date=day,
            format=fmt,
            topic=topic,
            hours=hours,
            speaker=speaker,
            location=rng.choice(("市委党校", "市行政中心", "现场教学点")),
        )
        return sid, hours

    def attend(sid: int, hours: float, people: list[dict]) -> float:
        credited_total = 0.0
        for c in people:
            r = rng.random() - 0.03 * c["latent"]
            status = (
                "present"
                if r < 0.86
                else "late"
                if r < 0.91
                else "left_early"
                if r < 0.93
                else "excused"
                if r < 0.98
                else "absent"
            )
            credited = hours * credit[status]
            c["hours"] = c.get("hours", 0.0) + credited
            c["offered"] = c.get("offered", 0.0) + hours
            rows.add("attendance", session_id=sid, person_id=c["pid"], status=status, hours_credited=credited)
            credited_total += credited
            if credited and rng.random() < 0.6:  # Kirkpatrick level 1: most who came rate the session
                useful = min(5, max(1, round(rng.gauss(4.1 + 0.2 * c["latent"], 0.8))))
                rows.add(
                    "session_feedback",
                    session_id=sid,
                    person_id=c["pid"],
                    usefulness=useful,
                    relevance=min(5, max(1, useful + rng.choice((-1, 0, 0, 1)))),
                    comment=rng.choice((None, None, None, "案例很实用", "希望增加现场教学", "内容贴近基层")),
                )
        return credited_total

    def assess(
        cohort_id: int,
        people: list[dict],
        phases: list[tuple[str, dt.date]],
        instrument: str,
        window: dict[int, tuple[dt.date, dt.date]] | None = None,
    ) -> None:
        for c in people:
            base = {d: rng.gauss(68 + 3 * c["latent"], 6) for d in ("party_spirit", "theory", "professional")}
            joined, left = (window or {}).get(c["pid"], (D(1900, 1, 1), D(9999, 1, 1)))
            for k, (phase, day) in enumerate(phases):
                day = max(day, joined)  # a late joiner takes the entry test when joining
                if day > as_of or day > left:
                    continue
                share = c.get("hours", 0.0) / max(c.get("offered", 1.0), 1.0)
                for dim, b in base.items():
                    gain = k * (4 + 6 * share + 1.5 * c["latent"]) / max(len(phases) - 1, 1)
                    score = min(100.0, max(0.0, round(b + gain + rng.gauss(0, 3), 1)))
                    rows.add(
                        "assessment",
                        person_id=c["pid"],
                        cohort_id=cohort_id,
                        dimension=dim,
                        phase=phase,
                        instrument=instrument,
                        rater_role="training_office",
                        score=score,
                        date=day,
                    )

    # -- the three-year programme: 76 of the youngest chiefs ---------------------------
    code, name, name_en = PROGRAMME
    prog = rows.add(
        "cohort",
        code=code + sfx,
        name=name + zh_sfx,
        name_en=name_en,
        kind="programme",
        start_date=D(2024, 1, 8),
        end_date=D(2026, 12, 31),
        completion_threshold=0.8,
    )
    pool = sorted(chiefs, key=lambda c: (rows.data["person"][1][c["pid"] - 1][4], c["pid"]), reverse=True)
    participants = pool[:76]
    late_joiners = {c["pid"] for c in participants[-4:]}  # joined mid-programme to fill vacancies
    withdrawn = {participants[10]["pid"], participants[40]["pid"]}
    for c in participants:
        start = D(2025, 7, 1) if c["pid"] in late_joiners else D(2024, 1, 8)
        c["prog_start"] = start
        status = "withdrawn" if c["pid"] in withdrawn else "active"
        rows.add(
            "enrollment",
            cohort_id=prog,
            person_id=c["pid"],
            status=status,
            start_date=start,
            end_date=D(2025, 12, 31) if status == "withdrawn" else None,
        )
    formats = ["lecture", "seminar", "site_visit", "experience_sharing"]
    for year in (2024, 2025, 2026):
        for m in range(10):
            day = D(year, 2 + m, 10 + (m * 3) % 15)
            if day > as_of:
                continue
            fmt = formats[(m + year) % 4]
            sid, hours = session(
                prog, day, fmt, TOPICS["programme"][(m + year) % 8], "特邀专家" if fmt == "lecture" else None
            )
            present = [
                c
                for c in participants
                if c["prog_start"] <= day and not (c["pid"] in withdrawn and day > D(2025, 12, 31))
            ]
            attend(sid, hours, present)
    window = {
        c["pid"]: (c["prog_start"], D(2025, 12, 31) if c["pid"] in withdrawn else D(9999, 1, 1))
        for c in participants
    }
    assess(
        prog,
        participants,
        [("pre", D(2024, 1, 8)), ("mid", D(2025, 6, 20)), ("post", D(2026, 11, 20))],
        "三维度能力测评",
        window,
    )

    # -- four residential classes in two years ------------------------------------------
    for code, name, name_en, start, theme in CLASSES:
        if start > as_of:
            continue
        cls = rows.add(
            "cohort",
            code=code + sfx,
            name=name + zh_sfx,
            name_en=name_en,
            kind="class",
            start_date=start,
            end_date=start + dt.timedelta(days=4),
            completion_threshold=0.9,
        )
        members = rng.sample(chiefs, 40)
        for c in members:
            c.pop("hours", None), c.pop("offered", None)
            rows.add(
                "enrollment",
                cohort_id=cls,
                person_id=c["pid"],
                status="completed",
                start_date=start,
                end_date=start + dt.timedelta(days=4),
            )
        for k in range(10):
            fmt = ("lecture", "lecture", "site_visit", "seminar", "experience_sharing")[k % 5]
            sid, hours = session(
                cls,
                start + dt.timedelta(days=k // 2),
                fmt,
                TOPICS[theme][k % 4],
                "特邀专家" if fmt == "lecture" else None,
            )
            attend(sid, hours, members)
        assess(cls, members, [("pre", start), ("post", start + dt.timedelta(days=4))], "结业测试")

    # -- the lecture series: 7 academician lectures, open to every chief -----------------
    series = rows.add(
        "cohort",
        code="GCDJT" + sfx,
        name="港城大讲堂" + zh_sfx,
        name_en="Port City Lecture Series",
        kind="lecture_series",
        start_date=D(2025, 3, 1),
        end_date=D(2026, 12, 31),
        completion_threshold=None,
    )
    for c in chiefs:
        c.pop("hours", None), c.pop("offered", None)
        rows.add(
            "enrollment",
            cohort_id=series,
            person_id=c["pid"],
            status="active",
            start_date=D(2025, 3, 1),
            end_date=None,
        )
    for k, topic in enumerate(LECTURES):
        day = D(2025 + k // 4, 3 + (k % 4) * 2, 18)
        if day <= as_of:
            sid, hours = session(series, day, "lecture", topic, "院士")
            attend(sid, hours, chiefs)

    # -- the yearly rotation: every chief spends 12 days (90 class hours) in one of two batches --
    for year in (2025, 2026):
        for batch, (month, day0) in enumerate(((3, 2), (6, 8))):
            start = D(year, month, day0)
            if start > as_of:
                continue
            days = [start + dt.timedelta(days=k) for k in range(16)]
            days = [d for d in days if d.weekday() < 5][:12]
            code = f"LX-{year}{'AB'[batch]}"
            rot = rows.add(
                "cohort",
                code=code + sfx,
                name=f"{year}年乡镇党政正职集中轮训第{batch + 1}期" + zh_sfx,
                name_en=f"{year} rotation training, batch {batch + 1}",
                kind="rotation",
                start_date=days[0],
                end_date=days[-1],
                completion_threshold=None,
            )
            members = [c for k, c in enumerate(chiefs) if k % 2 == batch]
            for c in members:
                rows.add(
                    "enrollment",
                    cohort_id=rot,
                    person_id=c["pid"],
                    status="completed",
                    start_date=days[0],
                    end_date=days[-1],
                )
            for k, day in enumerate(days):
                for half in range(2):
                    fmt = ("lecture", "seminar", "site_visit", "experience_sharing")[(2 * k + half) % 4]
                    sid, hours = session(
                        rot,
                        day,
                        fmt,
                        TOPICS["programme"][(2 * k + half) % 8],
                        "党校教师" if fmt == "lecture" else None,
                        hours=3.75,
                    )
                    attend(sid, hours, members)
    _assessment_and_care(rows, rng, chiefs, as_of)


def _assessment_and_care(rows: _Rows, rng: random.Random, chiefs: list[dict], as_of: dt.date) -> None:
    """Frontline reviews, comments, talks, outcomes and township figures of one prefecture."""
    by_latent = sorted(chiefs, key=lambda c: (c["latent"] + rng.gauss(0, 0.5), c["pid"]))
    reviewed = sorted(rng.sample(chiefs, 66), key=lambda c: (c["latent"] + rng.gauss(0, 0.6), c["pid"]))
    for rank, c in enumerate(reviewed):
        overall = "average" if rank < 8 else "strong"
        rows.add(
            "frontline_review",
            person_id=c["pid"],
            period="2026",
            arena="overall",
            rating=overall,
            evidence="看、听、问交叉印证",
            source="cross_checked",
        )
        for arena, tpl in EVIDENCE.items():
            good = rng.random() < (0.85 if overall == "strong" else 0.35)
            rows.add(
                "frontline_review",
                person_id=c["pid"],
                period="2026",
                arena=arena,
                rating="strong" if good else "average",
                evidence=tpl.format(n=rng.randint(1, 12), p=rng.randint(60, 100)),
                source=rng.choice(("look", "hear", "ask")),
            )
        for _ in range(6 + (rank % 3 == 0)):
            sentiment = rng.choices(
                ("positive", "neutral", "negative"),
                (0.7, 0.2, 0.1) if overall == "strong" else (0.3, 0.4, 0.3),
            )[0]
            rows.add(
                "comment",
                person_id=c["pid"],
                period="2026",
                arena=rng.choice(list(EVIDENCE)),
                commenter_role=rng.choice(("party_member", "cadre", "company", "resident")),
                sentiment=sentiment,
                text=rng.choice(COMMENTS[sentiment]),
                date=D(2026, rng.randint(5, 9), rng.randint(1, 28)),
            )

    # Outcomes: the strongest are promoted (and replaced), others ranked up or awarded.
    current = list(chiefs)
    promoted = by_latent[-15:]
    for k, c in enumerate(promoted):
        day = D(2025 + k % 2, 3 + (k * 5) % 9, 15)
        rows.add(
            "outcome",
            person_id=c["pid"],
            kind="promotion",
            date=day,
            detail=rng.choice(("提拔为副县长", "提拔为县委常委", "调任市直部门副职")),
            impact_end=None,
            reviewed_on=None,
        )
        tenure_cols, tenure_rows = rows.data["post_tenure"]
        t = list(tenure_rows[c["tenure"] - 1])
        t[tenure_cols.index("end_date")] = day
        tenure_rows[c["tenure"] - 1] = tuple(t)
        pid, latent = _person(rows, rng, 1980, 1992)
        rows.add(
            "post_tenure", person_id=pid, township_id=c["tid"], post=c["post"], start_date=day, end_date=None
        )
        current.append({"pid": pid, "latent": latent, "tid": c["tid"], "post": c["post"], "start": day})
    gone = {c["pid"] for c in promoted}
    current = [c for c in current if c["pid"] not in gone]
    secretaries = [c for c in by_latent[-100:-15] if c["post"] == "secretary"]
    for year, n in ((2025, 10), (2026, 12)):
        for c in secretaries[:n]:
            rows.add(
                "outcome",
                person_id=c["pid"],
                kind="rank_promotion",
                date=D(year, 6, 30),
                detail="晋升三级调研员",
                impact_end=None,
                reviewed_on=None,
            )
        secretaries = secretaries[n:]
    for c in by_latent[-22:-15]:
        rows.add(
            "outcome",
            person_id=c["pid"],
            kind="merit",
            date=D(2026, 3, 20),
            detail="连续两年获评高质量发展先进乡镇，记三等功",
            impact_end=None,
            reviewed_on=None,
        )
    for k, c in enumerate(by_latent[:10]):
        start = D(2022 + k // 8, 1 + k, 10)
        expired = k < 8
        end = D(2025, 1 + k, 10) if expired else D(2027, 3, 1)
        rows.add(
            "outcome",
            person_id=c["pid"],
            kind="discipline",
            date=start,
            detail="党内警告处分",
            impact_end=end,
            reviewed_on=D(2026, 4, 15) if expired else None,
        )
    for kind, n, day, detail in (
        ("risk_filing", 5, 8, "重大项目先行先试风险备案"),
        ("fault_tolerance", 3, 20, "改革探索中出现失误，予以容错"),
    ):
        for c in rng.sample(by_latent[10:60], n):
            rows.add(
                "outcome",
                person_id=c["pid"],
                kind=kind,
                date=D(2026, rng.randint(1, 10), day),
                detail=detail,
                impact_end=None,
                reviewed_on=None,
            )

    # Supervisory talks: last year nearly complete, this year with the gaps a department finds.
    for year, p_sec, p_h1, p_h2 in ((2025, 0.97, 0.9, 0.85), (2026, 0.82, 0.62, 0.42)):
        for c in current:
            for role, p, months in (
                ("county_secretary", p_sec, (3, 10)),
                ("county_org_chief", p_h1, (1, 6)),
                ("county_org_chief", p_h2, (7, 11)),
            ):
                if rng.random() < p:
                    day = D(year, rng.randint(*months), rng.randint(1, 28))
                    if c.get("start", day) <= day <= as_of:
                        _talk(rows, rng, c["pid"], day, role, False, as_of)
        for c in rng.sample(current, 8):
            day = D(year, rng.randint(2, 11), rng.randint(1, 28))
            if day <= as_of:
                _talk(rows, rng, c["pid"], day, "city_deputy", True, as_of)

    # Township figures: a few stand out as in the report.
    towns = sorted({c["tid"] for c in chiefs})
    for k, tid in enumerate(towns):
        for period in ("2025", "2026"):
            projects = 35 if (k == 0 and period == "2026") else rng.randint(1, 14)
            for indicator, value, unit in (
                ("projects_signed_100m", projects, "个"),
                (
                    "largest_project",
                    120.0 if (k == 1 and period == "2026") else round(rng.uniform(1, 30), 1),
                    "亿元",
                ),
                ("industrial_sales_growth", 50.0 if k == 2 else round(rng.gauss(8, 7), 1), "%"),
                ("industrial_investment_growth", 100.0 if k == 3 else round(rng.gauss(12, 15), 1), "%"),
            ):
                rows.add(
                    "township_indicator",
                    township_id=tid,
                    period=period,
                    indicator=indicator,
                    value=float(value),
                    unit=unit,
                )


def _talk(
    rows: _Rows, rng: random.Random, pid: int, day: dt.date, role: str, unannounced: bool, as_of: dt.date
) -> None:
    due = day + dt.timedelta(days=60)
    done = due - dt.timedelta(days=rng.randint(0, 50)) if (due <= as_of and rng.random() < 0.8) else None
    rows.add(
        "talk",
        person_id=pid,
        date=day,
        talker_role=role,
        unannounced=unannounced,
        concerns=rng.choice(CONCERNS),
        follow_ups=rng.choice(FOLLOW_UPS),
        follow_up_due=due,
        follow_up_done=done,
    )


def build_demo(
    ws: Workspace, spec: DemoSpec = DemoSpec(), progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Fill an empty workspace with the synthetic prefecture; return rows written per table.

    The same spec always gives the same content, down to the audit log (its time is the
    spec's as-of date, and its actor 'cadre demo').
    """
    if any(n for t, n in ws.counts().items() if t != "audit_log"):
        raise WorkspaceError(
            "工作区已有数据 the workspace already holds data; build the demo into a new one (or use --replace)"
        )
    credit = load_rules()["attendance"]["credit"]
    rows = _Rows()
    for unit in range(spec.scale):
        _unit(rows, random.Random(f"cadre-demo/{spec.seed}/{unit}"), unit, spec.scale, spec.as_of, credit)
    stamp = dt.datetime.combine(spec.as_of, dt.time())
    written: dict[str, int] = {}
    demo_ws = ws.with_identity(actor=DEMO_ACTOR, clock=lambda: stamp)
    with demo_ws.transaction() as tx:
        for table in (
            "county",
            "township",
            "person",
            "post_tenure",
            "cohort",
            "enrollment",
            "session",
            "attendance",
            "session_feedback",
            "assessment",
            "frontline_review",
            "comment",
            "talk",
            "outcome",
            "township_indicator",
        ):
            cols, data = rows.data.get(table, ([], []))
            if progress:
                progress(table)
            written[table] = (
                tx.bulk_insert(table, cols, data, note=f"demo seed {spec.seed} scale {spec.scale}")
                if data
                else 0
            )
    return written


_TABLE_ZH = {
    "import": "导入",
    "person": "人员",
    "post_tenure": "任职",
    "enrollment": "参训",
    "session": "课程",
    "attendance": "考勤",
    "session_feedback": "评课",
}


@dataclass(frozen=True)
class WorkSummary:
    """What a workspace holds beyond its demo build: somebody's work, which no everyday command
    may replace. Audit entries the demo did not write, and rows the audit log does not account
    for (someone wrote to the tables directly, or removed audit entries)."""

    entries: int
    by_kind: dict[str, int]  # "import" or a table name -> audit entries
    actors: tuple[str, ...]
    first: dt.datetime | None
    last: dt.datetime | None
    unaccounted: dict[str, int] = field(default_factory=dict)  # table -> rows more (+) or fewer (-)

    def __bool__(self) -> bool:
        return self.entries > 0 or bool(self.unaccounted)

    def describe(self) -> str:
        """'12 项不是演示数据生成的记录（导入 1、考勤 11；…）12 audit entries the demo did not write (…)'."""
        parts_zh, parts_en = [], []
        if self.entries:
            kinds_zh = "、".join(f"{_TABLE_ZH.get(k, k)} {n}" for k, n in self.by_kind.items())
            kinds_en = ", ".join(f"{k} {n}" for k, n in self.by_kind.items())
            who = ", ".join(self.actors)
            when = f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"
            parts_zh.append(f"{self.entries} 项不是演示数据生成的记录（{kinds_zh}；操作人 {who}；{when}）")
            parts_en.append(
                f"{self.entries} audit entries the demo did not write ({kinds_en}; by {who}; {when})"
            )
        if self.unaccounted:
            rows = ", ".join(f"{t} {n:+d}" for t, n in self.unaccounted.items())
            parts_zh.append(f"审计日志未记录的行数变化（{rows}）")
            parts_en.append(f"rows the audit log does not account for ({rows})")
        return "；".join(parts_zh) + " " + "; ".join(parts_en)


def work_beyond_demo(ws: Workspace) -> WorkSummary:
    """What a workspace holds beyond the demo build: every audit entry not one of its bulk loads,
    and every table whose row count the audit log (loads, inserts, deletes) does not explain."""
    import json

    import sqlalchemy as sa

    from .schema import TABLES

    log = TABLES["audit_log"]
    theirs = sa.not_(sa.and_(log.c.actor == DEMO_ACTOR, log.c.action == "bulk_insert"))
    rows = ws.frame(
        sa.select(
            sa.case((log.c.action == "import", "import"), else_=log.c.table_name).label("kind"),
            log.c.actor,
            sa.func.count().label("n"),
            sa.func.min(log.c.at).label("first"),
            sa.func.max(log.c.at).label("last"),
        )
        .where(theirs)
        .group_by("kind", log.c.actor)
        .order_by("kind", log.c.actor)
    )
    changes = ws.frame(
        sa.select(log.c.table_name, log.c.action, log.c.new).where(
            log.c.action.in_(["bulk_insert", "insert", "delete"])
        )
    )
    expected: dict[str, int] = {}
    for table, action, new in changes.itertuples(index=False, name=None):
        step = json.loads(new)["rows"] if action == "bulk_insert" else 1 if action == "insert" else -1
        expected[table] = expected.get(table, 0) + step
    counts = ws.counts()
    unaccounted = {
        t: counts[t] - expected.get(t, 0)
        for t in counts
        if t != "audit_log" and counts[t] != expected.get(t, 0)
    }
    if rows.empty:
        return WorkSummary(0, {}, (), None, None, unaccounted)
    by_kind = rows.groupby("kind", sort=True)["n"].sum()
    return WorkSummary(
        int(rows["n"].sum()),
        {str(k): int(n) for k, n in by_kind.items()},
        tuple(sorted(set(rows["actor"].astype(str)))),
        rows["first"].min(),
        rows["last"].max(),
        unaccounted,
    )


@dataclass(frozen=True)
class DemoOutcome:
    """What `make_demo` did: built the demo (rows written per table) or kept what was there."""

    where: str
    written: dict[str, int] | None  # None: the workspace there was kept
    work: WorkSummary | None  # what the workspace held beyond a demo, if anything
    kept_copy: Path | None  # where a replaced SQLite workspace with work in it now is


def _look(target) -> tuple[str, bool, WorkSummary | None]:
    """(where, holds anything, its work) of the workspace at `target`, read without writing
    unless it must first be brought up to date; a file that is not a workspace is refused."""
    try:
        ws = Workspace(target, readonly=True)
    except NoWorkspace:
        return resolve_url(target).render_as_string(hide_password=True), False, None
    except OutdatedWorkspace:
        ws = Workspace(target, create=False)  # a demo command writes: upgrading is its to do
    with ws:
        holds = any(ws.counts().values())
        return ws.display_url, holds, work_beyond_demo(ws) if holds else None


def make_demo(
    target,
    spec: DemoSpec = DemoSpec(),
    *,
    if_missing: bool = False,
    replace: bool = False,
    discard_work: bool = False,
) -> DemoOutcome:
    """Build the demo at `target` where there is no workspace; never lose anyone's work.

    A workspace already there is kept with `if_missing`, replaced with `replace` only if it holds
    nothing but an earlier demo, and with `discard_work` too even if it holds work (a SQLite
    file is then copied beside itself first). Otherwise WorkspaceError says what it holds.
    """
    where, holds, work = _look(target)
    if holds and if_missing:
        return DemoOutcome(where, None, work, None)
    if holds and not replace:
        raise WorkspaceError(
            f"工作区已有数据 {where} already holds data; build the demo into a new file, keep it "
            "(--if-missing), or replace an earlier demo (--replace)"
        )
    if work and not discard_work:
        raise WorkspaceError(
            f"未替换 not replaced: {where} holds work — {work.describe()}. Replacing it would lose that "
            "work; to replace it anyway add --discard-work (a SQLite file is kept beside it as a copy; "
            "a server workspace is dropped, so back it up with pg_dump first)"
        )
    kept = empty_workspace(target, keep_copy=bool(work)) if holds else None
    with Workspace(target) as ws:
        written = build_demo(ws, spec)
    return DemoOutcome(where, written, work, kept)
