"""Every entry form of the workbook, opened on a tiny workspace with good values to start from.

Shared by the privacy test (an ID typed into any field is never shown) and the form fuzz test
(anything typed into any field is saved whole or refused with a reason).
"""

from __future__ import annotations

import datetime as dt

import traitlets as T

from cadre_lib import care, delivery, evaluation, for_display, people

AS_OF = dt.date(2026, 11, 30)
FORMS = (
    "talk",
    "outcome",
    "comment",
    "review",
    "instrument",
    "schedule",
    "feedback",
    "scores",
    "follow_up",
    "signin",
)


def member_in_post(ws) -> None:
    """The tiny workspace's participant heads 乙镇, and a test that scores theory is declared."""
    ws.insert(
        "post_tenure",
        {"person_id": 1, "township_id": ws.id_of("township", "code", "T1"), "post": "head",
         "start_date": dt.date(2020, 1, 1)},
    )  # fmt: skip
    evaluation.declare_instrument(ws, "exam", "理论考试", 0, 100, dimensions=["theory"])


def prepare_forms(ws) -> None:
    """What the forms need to have something to save: a chief in post, an attended session
    they may rate, and a talk with a follow-up to close."""
    member_in_post(ws)
    session = int(delivery.cohort_sessions(ws, "K1")["id"].iloc[0])
    delivery.mark_attendance(ws, session, {1: "present"}, {1: None})
    care.record_talk(ws, 1, dt.date(2026, 5, 1), "county_secretary", follow_ups=[
        {"action": "回访", "owner": "组织部", "due_date": dt.date(2026, 6, 1)}])  # fmt: skip


def open_form(ws, name: str):
    """(view, the good values a trainer would type before the field under test) of one form."""
    from cadre_lib.care.widgets import follow_up_board, outcome_form, talk_form
    from cadre_lib.delivery.widgets import feedback_form, schedule_editor, sign_in_sheet
    from cadre_lib.evaluation.widgets import comment_form, instrument_form, review_form, score_sheet

    if name == "talk":
        values = {
            "person_id": 1,
            "date": "2026-06-02",
            "action": "回访",
            "owner": "组织部",
            "due": "2026-07-01",
        }
        return talk_form(ws, AS_OF), values
    if name == "outcome":
        values = {"person_id": 1, "kind": "merit", "award": "merit_3", "date": "2026-06-03", "detail": "先进"}
        return outcome_form(ws, AS_OF), values
    if name == "comment":
        return comment_form(ws, "2026", AS_OF), {"person_id": 1, "date": "2026-06-01", "text": "工作扎实"}
    if name == "review":
        values = {"person_id": 1, "date": "2026-06-01", "levels": {"look": "4"}, "evidence": {"look": "看"}}
        return review_form(ws, "2026", AS_OF), values
    if name == "instrument":
        return instrument_form(ws), {"code": "t2", "name": "测试二", "scale_min": "0", "scale_max": "10"}
    if name == "schedule":
        return schedule_editor(ws, "K1", AS_OF), {"dates": "2026-03-16", "topic": "新课", "hours": "3"}
    if name == "feedback":
        first = int(delivery.cohort_sessions(ws, "K1")["id"].min())  # the session they attended
        values = {"session_id": first, "person_id": 1, "usefulness": 4, "relevance": 4, "comment": "好"}
        return feedback_form(ws, "K1", AS_OF), values
    if name == "scores":
        return score_sheet(ws, "K1", AS_OF), {
            "instrument": "exam",
            "dimension": "theory",
            "scores": {1: "80"},
        }
    if name == "signin":
        return sign_in_sheet(ws, "K1", AS_OF), {}
    chosen = int(care.follow_ups(ws, AS_OF)["id"].iloc[0])
    return follow_up_board(ws, AS_OF), {"chosen": chosen, "date": "2026-06-10"}


# Traits a form's model keeps for its own bookkeeping or its answer, not typed by the trainer.
NOT_TYPED = frozenset({"message", "ok", "listing", "versions", "seen", "pending"})


def typed_fields(model) -> list[str]:
    """The fields of a form's model that a trainer fills in: its text boxes, choices and numbers,
    and the per-row entries (scores, levels, evidence); found on the model, so a field added to a
    form is covered without listing it here."""
    kinds = (T.Unicode, T.Int, T.Dict, T.Tuple)
    return sorted(
        key
        for key, trait in model.traits().items()
        if isinstance(trait, kinds) and key not in NOT_TYPED and not key.startswith("_")
    )


def save(name: str, model) -> None:
    """Press the form's button: the schedule adds its sessions, every other form saves."""
    (model.add if name == "schedule" else model.save)()


def shown_by(widget) -> list[str]:
    """What a view shows: every HTML and label text and every choice offered, anywhere in it."""
    import ipywidgets as W

    out = []
    if isinstance(widget, W.HTML | W.Label | W.HTMLMath):
        out.append(widget.value)
    if isinstance(widget, W.Dropdown | W.SelectMultiple | W.Select | W.ToggleButtons):
        out += [str(o) for o in widget.options]
    if isinstance(widget, W.Button | W.ToggleButton):
        out += [widget.description, widget.tooltip or ""]
    for child in getattr(widget, "children", ()):
        out += shown_by(child)
    return out


def stage_tables(ws) -> list[str]:
    """Every table the stages return about the records an import or a form can write, as text
    and as the trainer's HTML."""
    frames = [
        delivery.cohort_sessions(ws, "K1"), people.cohort_members(ws, "K1"), people.chiefs(ws, AS_OF),
        evaluation.assessments(ws), evaluation.reviews(ws), evaluation.comments(ws), evaluation.instruments(ws),
        care.talks(ws), care.follow_ups(ws, AS_OF), care.outcomes(ws),
    ]  # fmt: skip
    return [f.to_csv() for f in frames] + [for_display(f).to_html() for f in frames]
