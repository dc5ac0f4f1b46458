"""The [frontline] rule applied: each chief's class and why, how near the nearest threshold they
sit, a provisional reading while arenas are missing, and how the split moves with the thresholds.
Pure functions over `arena_levels` rows and whole columns: a national review has tens of
thousands of chiefs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.codes import codes, label
from ..core.problems import UNCONFIRMED
from ..core.rules import Rules

__all__ = [
    "classify",
    "split_sensitivity",
    "split_note",
    "frontline_rule_text",
    "rating_counts",
    "threshold_marks",
    "lines_unconfirmed",
    "THRESHOLDS",
]

SOURCES = codes("review_source")
# The lines that decide a class; each is the department's own choice (core/rules.py).
THRESHOLDS = ("strong_mean", "strong_arena_min", "weak_mean")
_SETTINGS = ("min_sources_per_arena", "disagreement_levels", *THRESHOLDS)
_DECIMALS = 10  # a margin or a moved line as typed in a rules file: 3.8 + 0.05 is 3.85, not 3.8499…

_CLASS_COLUMNS = ["person_id", "name", "county", "township", "arenas_complete", "n_ratings", "mean"]
_CLASS_COLUMNS += ["lowest_arena", "lowest_arena_mean", "flags", "rating", "margin", "margin_to"]
_CLASS_COLUMNS += ["partial", "why"]


def classify(arenas: pd.DataFrame, rule: Mapping[str, float]) -> pd.DataFrame:
    """One row per person from `arena_levels` rows, classified by `rule` (the rules file's
    [frontline] section): arenas_complete (arenas rated by at least min_sources_per_arena
    sources), n_ratings, mean (of all their ratings), lowest_arena and its lowest_arena_mean,
    flags (arenas whose sources disagree), rating (strong, average, weak, or unrated while any
    arena lacks sources), margin and margin_to, partial and why (the rule applied, Chinese then
    English).

    `margin` is the signed distance to the nearest threshold that decides the class, named in
    `margin_to` (strong_mean, strong_arena_min or weak_mean): at or above it ≥ 0, below it < 0.
    A strong chief's is the smaller of mean − strong_mean and lowest arena mean −
    strong_arena_min (the line they would fall under first); a weak chief's is mean − weak_mean;
    an average chief's whichever of the two is nearer (below the strong lines, the one short by
    more binds). A chief with −d ≤ margin < d changes class when every threshold moves by d the
    right way. `partial`, for an unrated chief with some arenas complete, is the class those
    arenas alone would give so far (a provisional reading, never counted with the rated).
    """
    if arenas.empty:
        return pd.DataFrame(columns=_CLASS_COLUMNS)
    out = _figures(arenas, rule)
    sm, sam, wm = (float(rule[k]) for k in THRESHOLDS)
    unrated = out["arenas_complete"] < len(codes("arena"))
    rating = _decide(out["mean"], out["lowest_arena_mean"], sm, sam, wm).where(~unrated, "unrated")
    out["rating"] = rating.astype(str)
    out["margin"], out["margin_to"] = _margins(out["mean"], out["lowest_arena_mean"], rating, (sm, sam, wm))
    done = unrated & (out["arenas_complete"] > 0)
    partial = _decide(out["partial_mean"], out["lowest_arena_mean"], sm, sam, wm)
    out["partial"] = partial.where(done).astype(object)
    out["why"] = _why(out, rule)
    return out.reset_index()[_CLASS_COLUMNS]


def _figures(arenas: pd.DataFrame, rule: Mapping[str, float]) -> pd.DataFrame:
    """Per person: arenas_complete, n_ratings, mean, lowest_arena (of the complete arenas), its
    lowest_arena_mean, flags, and partial_mean (the mean of the ratings of complete arenas)."""
    need = int(rule["min_sources_per_arena"])
    levels, by = arenas[list(SOURCES)].astype(float), arenas["person_id"]
    complete = arenas["sources"] >= need
    out = arenas.drop_duplicates("person_id")[["person_id", "name", "county", "township"]].set_index(
        "person_id"
    )
    out["arenas_complete"] = complete.groupby(by).sum().astype(int)
    counted = levels.notna().sum(axis=1)
    out["n_ratings"] = counted.groupby(by).sum().astype(int)
    out["mean"] = levels.sum(axis=1).groupby(by).sum() / out["n_ratings"].where(out["n_ratings"] > 0)
    done = counted.where(complete, 0).groupby(by).sum()
    out["partial_mean"] = levels.sum(axis=1).where(complete, 0).groupby(by).sum() / done.where(done > 0)
    lowest = arenas[complete].sort_values(["person_id", "mean", "arena"], kind="stable")
    lowest = lowest.drop_duplicates("person_id").set_index("person_id")
    out["lowest_arena"] = lowest["arena"].reindex(out.index)
    out["lowest_arena_mean"] = lowest["mean"].reindex(out.index).astype(float)
    out["flags"] = arenas["flagged"].astype(int).groupby(by).sum().astype(int)
    return out


def _decide(mean: pd.Series, low: pd.Series, sm: float, sam: float, wm: float) -> pd.Series:
    """The rule's class for each mean and lowest arena mean: strong, else weak, else average."""
    strong = (mean >= sm) & (low >= sam)
    weak = ~strong & (mean < wm)
    out = pd.Series("average", index=mean.index, dtype=object)
    out[strong], out[weak] = "strong", "weak"
    return out


def _margins(
    mean: pd.Series, low: pd.Series, rating: pd.Series, lines: tuple[float, float, float]
) -> tuple[pd.Series, pd.Series]:
    """Signed distance to the nearest deciding threshold, and its name (see `classify`)."""
    sm, sam, wm = lines
    by_mean, by_arena = (mean - sm).round(_DECIMALS), (low - sam).round(_DECIMALS)
    to_strong = np.minimum(by_mean, by_arena)
    strong_line = pd.Series(
        np.where(by_mean <= by_arena, "strong_mean", "strong_arena_min"), index=mean.index
    )
    to_weak = (mean - wm).round(_DECIMALS)
    near_strong = (rating == "strong") | ((rating == "average") & (to_strong.abs() <= to_weak.abs()))
    margin = to_strong.where(near_strong, to_weak).where(rating != "unrated")
    named = strong_line.where(near_strong, "weak_mean").where(rating != "unrated")
    return margin.astype(float), named.astype(object)


def _why(f: pd.DataFrame, rule: Mapping[str, float]) -> pd.Series:
    """The rule, step by step, for each row: incomplete (with its provisional reading); strong;
    weak; else average, and which line decided it. Chinese, then English."""
    n, need = len(codes("arena")), int(rule["min_sources_per_arena"])
    sm, sam, wm = (float(rule[k]) for k in THRESHOLDS)
    m, lo = f["mean"].map("{:.2f}".format), f["lowest_arena_mean"].map("{:.2f}".format)
    zh = f["lowest_arena"].map(lambda a: label("arena", a, "zh") if isinstance(a, str) else "")
    en = f["lowest_arena"].map(lambda a: label("arena", a, "en") if isinstance(a, str) else "")
    rating, done = f["rating"], f["arenas_complete"].astype(str)
    why = ("最低领域（" + zh + "）" + lo + f"<{sam:g} lowest arena (" + en + ") " + lo + f" < {sam:g}").where(
        f["mean"] >= sm, "均分" + m + f"<{sm:g} mean " + m + f" < {sm:g}"
    )
    why = why.where(rating != "weak", "均分" + m + f"<{wm:g} mean " + m + f" < {wm:g}")
    why = why.where(
        rating != "strong",
        "均分" + m + f"≥{sm:g}，最低领域（" + zh + "）" + lo + f"≥{sam:g} mean " + m + f" ≥ {sm:g} and lowest arena ("
        + en + ") " + lo + f" ≥ {sam:g}",
    )  # fmt: skip
    so_far = f["partial"].map(lambda r: label("rating", r, "zh") if isinstance(r, str) else "")
    so_far_en = f["partial"].map(lambda r: label("rating", r, "en").lower() if isinstance(r, str) else "")
    provisional = ("；按已评完的" + done + "个领域暂为" + so_far + "（部分领域，暂定）").where(
        so_far != "", ""
    )
    provisional_en = ("; from the " + done + " done, provisionally " + so_far_en).where(so_far != "", "")
    unrated = (
        done + f"/{n}个领域有至少{need}种方式的评价" + provisional
        + " " + done + f" of {n} arenas rated by at least {need} sources" + provisional_en
    )  # fmt: skip
    return why.where(rating != "unrated", unrated).astype(str)


def split_sensitivity(
    arenas: pd.DataFrame,
    rule: Mapping[str, float],
    shifts: Sequence[float] = (-0.1, -0.05, 0.0, 0.05, 0.1),
    moves: Sequence[str] = ("all", *THRESHOLDS),
) -> pd.DataFrame:
    """How many chiefs of `arena_levels` rows each class holds when the thresholds move: one row
    per move and shift. `moved` is "all" (strong_mean, strong_arena_min and weak_mean each moved
    by `shift` together) or the one threshold moved alone; `shift` is added to it (a moved line
    reads as a rules file would hold it: 3.8 + 0.05 is 3.85). Columns: moved, shift, the three
    thresholds used, strong, average, weak, unrated (never reclassified: their arenas are not
    complete) and changed (chiefs whose class differs from the rule as it is).

    Example: `split_sensitivity(arena_levels(reviews(ws, "2026"), 2), ws.rules.frontline)`.
    """
    columns = ["moved", "shift", *THRESHOLDS, *codes("rating"), "changed"]
    if arenas.empty:
        return pd.DataFrame(columns=columns)
    f = _figures(arenas, rule)
    unrated = f["arenas_complete"] < len(codes("arena"))
    base = _decide(f["mean"], f["lowest_arena_mean"], *(float(rule[k]) for k in THRESHOLDS))
    rows = []
    for moved in moves:
        for shift in shifts:
            lines = {
                k: round(float(rule[k]) + (shift if moved in ("all", k) else 0.0), _DECIMALS)
                for k in THRESHOLDS
            }
            rating = _decide(f["mean"], f["lowest_arena_mean"], *lines.values()).where(~unrated, "unrated")
            counts = rating.value_counts()
            rows.append(
                {"moved": moved, "shift": float(shift), **lines, **{r: int(counts.get(r, 0)) for r in codes("rating")},
                 "changed": int(((rating != base) & ~unrated).sum())}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def threshold_marks(rules: Rules | Mapping[str, float]) -> dict[str, tuple[str, str]]:
    """("（待部门确认）", " (to be confirmed by the department)") or ("", "") for each setting of
    the [frontline] rule: the department's own choices until its rules file confirms them. A rule
    given by hand (a mapping, not the workspace's `Rules`) is nobody's confirmed rule: marked."""
    if isinstance(rules, Rules):
        return {k: rules.unconfirmed(f"frontline.{k}") for k in _SETTINGS}
    return dict.fromkeys(_SETTINGS, UNCONFIRMED)


def _rule_of(rules: Rules | Mapping[str, float]) -> Mapping[str, float]:
    return rules.frontline if isinstance(rules, Rules) else rules


def split_note(
    classes: pd.DataFrame, within: float = 0.05, rules: Rules | Mapping[str, float] | None = None
) -> str:
    """How fragile the split is, in a sentence (Chinese, then English): how many classified chiefs
    sit within `within` of a deciding threshold (−within ≤ margin < within, so moving every
    threshold by `within` the right way changes their class), by class, and how many are still
    unrated; the thresholds said to be the department's own until its rules file confirms them
    (`rules`: the workspace's `ws.rules`; without it nothing says they were confirmed)."""
    rated = classes[classes["rating"] != "unrated"]
    near = rated[(rated["margin"] >= -within) & (rated["margin"] < within)]
    counts = near["rating"].value_counts()
    present = [r for r in ("strong", "average", "weak") if counts.get(r, 0)]
    zh = "、".join(f"{label('rating', r, 'zh')}{counts[r]}名" for r in present) or "无"
    en = ", ".join(f"{counts[r]} {label('rating', r, 'en').lower()}" for r in present) or "none"
    waiting = int((classes["rating"] == "unrated").sum())
    zh_wait = f"另有{waiting}名考察未完成，待定（不计入）。" if waiting else ""
    en_wait = f" {waiting} more are not yet rated (not counted)." if waiting else ""
    unconfirmed = lines_unconfirmed(rules if rules is not None else {})[0]
    mark_zh = "评定线由部门自定（待部门确认）。" if unconfirmed else ""
    mark_en = " The thresholds are the department's own choice (to be confirmed by the department)."
    mark_en = mark_en if unconfirmed else ""
    return (
        f"{len(rated)}名已评定干部中，{len(near)}名距最近的评定线不足{within:g}（{zh}）：各评定线同时上调或下调"
        f"{within:g}，他们的评定就会改变。{zh_wait}{mark_zh} Of {len(rated)} chiefs classified, {len(near)} sit "
        f"within {within:g} of the nearest threshold ({en}): moving every threshold by {within:g} one way or "
        f"the other changes their class.{en_wait}{mark_en}"
    )


def lines_unconfirmed(rules: Rules | Mapping[str, float]) -> tuple[str, str]:
    """("评定线待部门确认", "thresholds to be confirmed by the department") while any line that
    decides a class is the department's own choice not yet confirmed in its rules file; ("", "")
    once all are."""
    marks = threshold_marks(rules)
    if not any(marks[k][0] for k in THRESHOLDS):
        return "", ""
    return "评定线待部门确认", "thresholds to be confirmed by the department"


_SETTING_WORDS = {
    "min_sources_per_arena": ("每个领域至少评价方式数", "sources needed in each arena"),
    "strong_mean": ("担当有力均分线", "strong mean"),
    "strong_arena_min": ("担当有力最低领域线", "strong lowest arena"),
    "weak_mean": ("表现较差均分线", "weak mean"),
    "disagreement_levels": ("看听问不一致的等次差", "levels apart flagged"),
}


def frontline_rule_text(rules: Rules | Mapping[str, float]) -> str:
    """The [frontline] rule in words, Chinese first: how a chief is classified and flagged, and
    which of its settings are the department's own choice still to be confirmed (see
    `threshold_marks`). Pass the workspace's rules (`ws.rules`), or a rule of your own (a
    mapping: nothing confirms it, so every setting is listed as to be confirmed)."""
    r, marks = _rule_of(rules), threshold_marks(rules)
    open_ = [k for k in _SETTING_WORDS if marks[k][0]]
    zh_open = "、".join(f"{_SETTING_WORDS[k][0]}{r[k]:g}" for k in open_)
    en_open = ", ".join(f"{_SETTING_WORDS[k][1]} {r[k]:g}" for k in open_)
    return (
        f"评定规则（规则文件[frontline]）：每个领域至少有{r['min_sources_per_arena']}种方式（看、听、问）评价后方予评定；"
        f"全部评价等次均值不低于{r['strong_mean']:g}且各领域均值均不低于{r['strong_arena_min']:g}的为担当有力，"
        f"均值低于{r['weak_mean']:g}的为表现较差，其余为表现一般；同一领域看、听、问的等次相差"
        f"{r['disagreement_levels']}级及以上的列为不一致，需核实。"
        + (f"以上标准由部门自定，其中{zh_open}（待部门确认）。" if open_ else "")
        + f" The rule (rules file, [frontline]): a chief is classified once every arena is rated by at least "
        f"{r['min_sources_per_arena']} sources; strong when the mean of all ratings is at least {r['strong_mean']:g} "
        f"and no arena's mean is below {r['strong_arena_min']:g}; weak when the mean is below {r['weak_mean']:g}; "
        f"average otherwise. An arena whose sources differ by {r['disagreement_levels']} levels or more is "
        f"flagged for checking."
        + (
            f" These are the department's own choices; {en_open} (to be confirmed by the department)."
            if open_
            else ""
        )
    )


def rating_counts(classes: pd.DataFrame) -> pd.DataFrame:
    """How many chiefs `classify` put in each class (every class shown, none left out): rating,
    count. A partial reading of an unrated chief is not counted in any class but unrated."""
    counts = classes["rating"].value_counts()
    return pd.DataFrame(
        {"rating": list(codes("rating")), "count": [int(counts.get(r, 0)) for r in codes("rating")]}
    )
