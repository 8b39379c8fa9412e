"""A real, non-editable install: build the wheel, install it into a fresh venv and use it from a folder
outside the repository, where only the package's own data (ontology, shapes, queries, lexicons) exists."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _run(cmd, cwd, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GWR_KG_LEXICON")}
    run = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert run.returncode == 0, f"{cmd}: {run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    return run


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the wheel (not editable); its dependencies come from this test venv's
    site-packages through a .pth path entry (so nothing is downloaded but the build backend)."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", tmp / "dist"], cwd=tmp)
    wheels = list((tmp / "dist").glob("gwr_kg-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp)
    py = venv / "bin" / "python"
    purelib = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp).stdout.strip())
    (purelib / "zz-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([py, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheels[0]], cwd=tmp)
    return venv, tmp


def test_the_wheel_is_not_editable_and_holds_its_data(installed):
    venv, tmp = installed
    where = _run([venv / "bin" / "python", "-c", "import kg, kg.defaults as d; print(kg.__file__); "
                  "print(d.ontology_file()); print(d.queries_dir())"], cwd=tmp).stdout.split()
    assert all(str(venv) in line for line in where), where  # the installed copy, not the repository's


def test_build_query_validate_from_outside_the_repo(installed, tmp_path):
    venv, _ = installed
    kg = venv / "bin" / "kg"
    work = tmp_path / "elsewhere"
    work.mkdir()
    _run([kg, "build", SEEDS / "zhanhe-2024.txt", "--out", "out", "--format", "ttl,trig", "--no-views", "-q"], cwd=work)
    rows = _run([kg, "query", "undertakes", "--graph", "out/graph.ttl", "--format", "csv"], cwd=work).stdout
    assert len(rows.splitlines()) > 20 and "湛河区" in rows
    report = _run([kg, "validate", "out/graph.ttl"], cwd=work)
    assert "conforms" in (report.stdout + report.stderr).lower()
    trig = (work / "out" / "graph.trig").read_text(encoding="utf-8")
    assert "<https://w3id.org/gwr/ontology> {" in trig and "owl:Ontology" in trig
