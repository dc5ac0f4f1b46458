"""A Griffe extension for the documentation site: a docstring's doctest examples (`>>>` lines
and the output under them) are shown as Python console code, not read as Markdown (where `>>>`
is a quote and `[...]` a link)."""

from __future__ import annotations

import griffe


def fence_doctests(text: str) -> str:
    """Wrap each run of doctest lines (a `>>>` line, its `...` lines and its output, up to a
    blank line) in a ```pycon fence; the rest of the text is left as it is."""
    out, inside = [], False
    for line in text.split("\n"):
        if not inside and line.lstrip().startswith(">>>"):
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
