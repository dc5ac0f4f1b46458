"""The themes dictionary: keywords that tag a comment with themes and read its tone, kept in a
TOML file an analyst can edit (themes.toml beside the workspace replaces the packaged one)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from ..core.errors import RulesError
from ..core.workspace import Workspace

__all__ = ["Themes", "Theme", "load_themes", "themes_for", "tag_comments", "THEMES_FILE"]

THEMES_FILE = "themes.toml"


@dataclass(frozen=True)
class Theme:
    """One theme of the dictionary: its code, Chinese and English label, and the keywords that
    tag a comment with it."""

    code: str
    label_zh: str
    label_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Themes:
    """Themes in file order, the positive and concern keywords, and the file they came from
    (None: the packaged dictionary)."""

    themes: tuple[Theme, ...]
    positive: tuple[str, ...]
    concern: tuple[str, ...]
    source: Path | None = None

    def label(self, code: str, lang: str = "both") -> str:
        for t in self.themes:
            if t.code == code:
                return {"zh": t.label_zh, "en": t.label_en}.get(lang, f"{t.label_zh} {t.label_en}")
        return code

    def read(self, text: str) -> tuple[list[str], list[str], str]:
        """(theme codes, keywords matched, tone) of one comment."""
        low = text.lower()
        found = lambda words: [w for w in words if w.lower() in low]  # noqa: E731
        codes, matched = [], []
        for t in self.themes:
            hits = found(t.keywords)
            if hits:
                codes.append(t.code)
                matched += [w for w in hits if w not in matched]
        concern, positive = found(self.concern), found(self.positive)
        tone = "concern" if concern else "positive" if positive else "neutral"
        matched += [w for w in (concern or positive) if w not in matched]
        return codes, matched, tone


def _words(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise RulesError(
            f"主题词典：“{where}”应为非空的关键词列表 themes dictionary: '{where}' must be a non-empty "
            f'list of keywords, e.g. ["项目", "project"]'
        )
    return tuple(w.strip() for w in value)


def load_themes(path: str | Path | None = None) -> Themes:
    """The dictionary in `path` (a TOML file laid out as the packaged themes_default.toml), or
    the packaged one. Raises RulesError naming the file and the entry when it cannot be used."""
    where = Path(path).name if path is not None else "themes_default.toml"
    try:
        text = (
            Path(path).read_text("utf-8")
            if path is not None
            else resources.files(__package__).joinpath("themes_default.toml").read_text("utf-8")
        )
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise RulesError(f"主题词典无法读取 themes dictionary {where} cannot be read: {reason}") from None
    tone, table = data.get("tone", {}), data.get("theme", {})
    if not isinstance(table, dict) or not table:
        raise RulesError(f"主题词典{where}中没有主题 themes dictionary {where} has no [theme.<code>] tables")
    themes = []
    for code, t in table.items():
        if not isinstance(t, dict) or not all(isinstance(t.get(k), str) for k in ("label_zh", "label_en")):
            raise RulesError(
                f"主题词典{where}：主题“{code}”需要 label_zh 和 label_en themes dictionary {where}: theme "
                f"'{code}' needs label_zh and label_en"
            )
        themes.append(
            Theme(code, t["label_zh"], t["label_en"], _words(t.get("keywords"), f"theme.{code}.keywords"))
        )
    return Themes(
        tuple(themes),
        _words(tone.get("positive"), "tone.positive"),
        _words(tone.get("concern"), "tone.concern"),
        Path(path) if path is not None else None,
    )


def themes_for(ws: Workspace) -> Themes:
    """The workspace's dictionary: themes.toml beside the workspace file, else the packaged one."""
    beside = ws.folder / THEMES_FILE if ws.folder else None
    return load_themes(beside if beside is not None and beside.exists() else None)


def tag_comments(frame: pd.DataFrame, themes: Themes, text: str = "text") -> pd.DataFrame:
    """`frame` with themes (comma list of theme codes), matched (the keywords found) and tone
    (positive, concern or neutral) read from its `text` column by the dictionary."""
    out = frame.copy()
    read = [themes.read(str(t)) for t in out[text]]
    out["themes"] = [",".join(r[0]) for r in read]
    out["matched"] = ["、".join(r[1]) for r in read]
    out["tone"] = [r[2] for r in read]
    return out
