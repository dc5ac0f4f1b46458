"""The guide and the documentation site: the README stays a guide whose links all resolve, the
API reference says what the code exports (and every public name has a docstring), and every
design decision has its context, decision and consequences. `make test` builds the site itself,
strictly, so a broken link or anchor inside it fails there."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in t and not t.startswith("#")]


def test_the_readme_is_a_guide_of_a_screen_or_two_whose_links_resolve():
    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 250
    broken = [t for t in _links(readme) if not (ROOT / t.split("#")[0]).exists()]
    assert broken == []


def test_the_api_reference_is_what_each_stage_exports_and_every_public_name_has_a_docstring():
    run = subprocess.run(
        [sys.executable, "tools/docs_reference.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_every_decision_record_gives_its_context_decision_and_consequences_and_is_listed():
    folder = ROOT / "docs" / "decisions"
    records = sorted(p for p in folder.glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert len(records) >= 40
    listed = set(_links(folder / "index.md"))
    for path in records:
        text = path.read_text(encoding="utf-8")
        assert re.match(rf"# {int(path.name[:4]):04d}\. ", text), path.name
        assert all(f"\n## {h}\n" in text for h in ("Context", "Decision", "Consequences")), path.name
        assert path.name in listed, f"{path.name} is not listed in decisions/index.md"
