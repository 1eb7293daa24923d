"""The import contracts in `.importlinter` hold for Outreach, and each one fails on a bad import.

Each bad case copies the package, adds one import that breaks a rule, and runs `lint-imports` on
the copy with the project's own contracts: the contract must be reported broken, naming it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT}"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_outreach_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BAD_IMPORTS = [
    pytest.param(
        "stock/services.py",
        "from outreach.handouts import routes as _bad  # noqa\n",
        "Routes import services and queries",
        "a logic module may not import a web module",
        id="service-imports-routes",
    ),
    pytest.param(
        "maps/routes.py",
        "from outreach.auth.routes import login as _bad  # noqa\n",
        "Routes import services and queries",
        "no feature imports another feature's routes",
        id="routes-import-another-features-routes",
    ),
    pytest.param(
        "handouts/models.py",
        "from outreach.handouts import services as _bad  # noqa\n",
        "Routes import services and queries",
        "a models module may not import a feature's logic",
        id="models-import-services",
    ),
    pytest.param(
        "stock/models.py",
        "from outreach.handouts.models import Handout as _bad  # noqa\n",
        "No import cycles",
        ".stock -> .handouts",
        id="stock-and-handouts-import-each-other",
    ),
    pytest.param(
        "geo/hotspots.py",
        "import flask as _bad  # noqa\n",
        "Geometry and statistics import no Flask",
        "outreach.geo.hotspots is not allowed to import flask",
        id="statistics-import-flask",
    ),
]


@pytest.mark.parametrize(("module", "line", "contract", "reason"), BAD_IMPORTS)
def test_a_bad_import_breaks_its_contract(tmp_path, module, line, contract, reason):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "outreach", tree / "outreach", ignore=shutil.ignore_patterns("*.mo"))
    target = tree / "outreach" / module
    target.write_text(target.read_text() + line)

    result = lint_imports(tree)

    out = " ".join(result.stdout.split())  # lint-imports wraps long lines
    assert result.returncode == 1, out
    assert f"{contract}" in out and "BROKEN" in out, out
    assert reason in out, out
