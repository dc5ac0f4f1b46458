"""Who held a talk: the talker's role read from the title a register or a form gives
("西岭县委书记 王某", "市委组织部分管副部长", "组织部长"), in one place for the form, the API and
the importer.

A title is read as a whole title, its level first and then its post, never by a word it happens
to contain: "市委组织部部长" is a city leader, not a county organization chief, and "纪委书记" is
not the county's Party secretary. The level is the last 市 (city) or 县/区 (county or district)
before the post; a title without one is read as a county register writes it ("组织部长" is the
county's). A title that begins with the name of one of the workspace's counties is that county's,
whatever the name ends in: "海城市委书记" of a county-level city (县级市) is its county secretary,
not a city leader. Then:

- county 委书记 → county_secretary; county 组织部部长 / 组织部长 → county_org_chief;
- city 组织部分管副部长 / 组织部常务副部长 / 组织部副部长 → city_deputy (the unannounced 四不两直
  visits; no cadence owed);
- every other leader recognised (市委书记, 市长, 市委组织部部长, 县委副书记, 县长, a county
  organization department's deputy head, 市领导 …) → other, which owes no cadence;
- a title that names no post but says 四不两直 → city_deputy.

What was typed is kept as the talk's `talker_name`.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..core.codes import VOCAB, label
from ..core.errors import InvalidEntry
from ..core.ids import snippet
from ..core.normalize import clean_header, clean_text
from ..core.problems import Problem

__all__ = ["talker_role_of", "talker", "talker_cell", "county_keys", "KNOWN_TITLES"]

# Posts as whole titles, longest first where one contains another; (words, post).
_POSTS = (
    ("组织部分管副部长", "org_deputy"),
    ("组织部常务副部长", "org_deputy"),
    ("组织部副部长", "org_deputy"),
    ("组织部部长", "org_chief"),
    ("组织部长", "org_chief"),
    ("委副书记", "deputy_secretary"),
    ("委书记", "secretary"),
    ("副市长", "city_head"),
    ("市长", "city_head"),
    ("副县长", "county_head"),
    ("县长", "county_head"),
    ("副区长", "county_head"),
    ("区长", "county_head"),
    ("领导", "leader"),
)
_POST = re.compile("|".join(re.escape(w) for w, _ in _POSTS))
_POST_OF = dict(_POSTS)
# (level, post) -> role; a pair not here is a leader who owes no cadence.
_ROLES = {
    ("county", "secretary"): "county_secretary",
    ("county", "org_chief"): "county_org_chief",
    ("city", "org_deputy"): "city_deputy",
}
KNOWN_TITLES = ("西岭县委书记", "东川区委组织部部长", "组织部长", "市委组织部分管副部长")


def county_keys(ws) -> frozenset[str]:
    """The workspace's county names as title keys ("海城市", "西岭县"): titles beginning with one
    are that county's."""
    from ..core.schema import TABLES

    c = TABLES["county"]
    with ws.engine.connect() as conn:
        return frozenset(clean_header(n) for n in conn.execute(sa.select(c.c.name)).scalars())


def _vocabulary_word(key: str) -> str | None:
    """The role whose code or label (either language) `key` is, else None."""
    for code, (zh, en) in VOCAB["talker_role"].items():
        if key in (clean_header(code), clean_header(zh), clean_header(en)):
            return code
    return None


def _level(before: str) -> str | None:
    """city or county from the last 市 / 县 / 区 before the post; None when there is none."""
    before = before.replace("县(区)", "县")
    marks = [(before.rfind(m), level) for m, level in (("市", "city"), ("县", "county"), ("区", "county"))]
    at, level = max(marks)
    return level if at >= 0 else None


def _from_title(key: str, counties: frozenset[str] = frozenset()) -> str | None:
    """The role a title (a clean_header key) names, or None when it names none. `counties`: the
    workspace's county names as keys (a county-level city's 市委 is a county's)."""
    found = _POST.search(key)
    if found is None:
        return "city_deputy" if "四不两直" in key else None
    post, before = _POST_OF[found.group()], key[: found.start()]
    if post == "city_head":
        return "other"
    if post == "county_head":
        return "other"
    level = "county" if any(before.startswith(c) for c in counties) else _level(before)
    if post in ("secretary", "deputy_secretary"):
        # 委书记 of a 县委, 区委 or 市委 only: a 纪委书记 or a township's 党委书记 is not a talker here
        if before.replace("县(区)", "县")[-1:] not in ("市", "县", "区"):
            return None
    elif post == "leader":
        if level is None:
            return None
        return "city_deputy" if "四不两直" in key and level == "city" else "other"
    return _ROLES.get((level or "county", post), "other")


def talker_role_of(
    value: object, field: str = "talker_role", counties: frozenset[str] = frozenset()
) -> str | None:
    """The talker role of a code, a label or a title as written; None when blank.

    >>> [talker_role_of(t) for t in ("西岭县委书记 王某", "组织部长", "市委组织部分管副部长", "市委组织部部长")]
    ['county_secretary', 'county_org_chief', 'city_deputy', 'other']
    """
    text = clean_text(value)
    if text is None:
        return None
    key = clean_header(text)
    role = _vocabulary_word(key) or _from_title(key, counties)
    if role is None:
        raise InvalidEntry(
            Problem.UNKNOWN_CODE,
            field=field,
            value=snippet(text, 20),
            what_zh="谈话人身份",
            what_en="talker role",
            known_zh="、".join(v[0] for v in VOCAB["talker_role"].values())
            + "，或写明职务（如" + "、".join(KNOWN_TITLES) + "）",
            known_en=", ".join(VOCAB["talker_role"]) + ", or the title as written (e.g. "
            + ", ".join(KNOWN_TITLES) + ")",
        )  # fmt: skip
    return role


def talker_cell(value: object) -> str | None:
    """A cell of a register's talker-role column: the text as typed once it reads as a role
    (InvalidEntry naming the roles when it does not), so the title can be kept as written."""
    text = clean_text(value)
    talker_role_of(text)
    return text


def talker(
    role: object, name: object, counties: frozenset[str] = frozenset()
) -> tuple[str, str | None, str | None]:
    """(talker role, talker as written, the title the role was given as) from the role given (a
    code, a label or a title) and the talker as written (a title, a name, or both: "西岭县委书记
    王某").

    With no role, the role is read from the talker's title. A talker whose title names another
    role than the one given is refused (a city leader's talk never counts as a county one's). A
    role given as a title (not a code or label) comes back as the third value, to be kept as the
    talker of a new talk that names none. `counties`: the workspace's county names as keys
    (`county_keys`), so a county-level city's title is read as its county's.

    >>> talker("市委组织部分管副部长", None), talker("county_secretary", "西岭县委书记 王某")
    (('city_deputy', None, '市委组织部分管副部长'), ('county_secretary', '西岭县委书记 王某', None))
    """
    typed, written = clean_text(role), clean_text(name)
    if written is not None and len(written) > 64:
        raise InvalidEntry(Problem.TOO_LONG, field="talker_name", limit=64)
    code = talker_role_of(typed, counties=counties)
    if code is None:
        if written is None:
            raise InvalidEntry(Problem.REQUIRED, field="talker_role", zh="谈话人身份", en="talker role")
        return talker_role_of(written, "talker_name", counties), written, None
    read = _from_title(clean_header(written), counties) if written is not None else None
    if read is not None and read != code:
        raise InvalidEntry(
            Problem.TALKER_ROLE_DIFFERS, field="talker_name", title=snippet(written, 30),
            read_zh=label("talker_role", read, "zh"), read_en=label("talker_role", read, "en"),
            given_zh=label("talker_role", code, "zh"), given_en=label("talker_role", code, "en"),
        )  # fmt: skip
    if _vocabulary_word(clean_header(typed)) is not None:
        return code, written, None
    if len(typed) > 64:  # kept as the talker as written: as long as a talker may be, never cut
        raise InvalidEntry(Problem.TOO_LONG, field="talker_role", limit=64)
    return code, written, typed
