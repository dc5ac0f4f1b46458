"""The pinned environment: pyproject, constraints and environment.yml agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>~! ]", req.strip(), maxsplit=1)[0]).lower()


def _pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    return {_name(x): x.split("==", 1)[1] for x in lines if x.strip() and not x.startswith("#")}


def _project() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + [r for reqs in project["optional-dependencies"].values() for r in reqs]


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(map(_name, pip)) == sorted(map(_name, _project()))


def test_every_dependency_is_pinned_and_environment_yml_uses_the_pins():
    pins = _pins()
    missing = [r for r in _project() if _name(r) not in pins]
    assert missing == [], "add these to constraints.txt (make lock)"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert {_name(r): r.split("==")[1] for r in pip} == {_name(r): pins[_name(r)] for r in _project()}


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and re.search(r"^\s*make test\s*$", ci, re.M)
