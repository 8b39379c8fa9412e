"""The `kg` command: help everywhere, documented in the README, errors without tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
COMMAND_NAMES = [c[0] for c in COMMANDS]


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in COMMAND_NAMES:
        assert re.search(rf"^\s+{name}\s", out, re.M), f"{name} missing from kg --help"


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_has_help_with_an_example(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "Example" in out, f"kg {name} --help has no example"
    assert f"kg {name}" in out


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_is_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kg {name}" in readme, f"README does not document `kg {name}`"


def test_every_option_has_help_text():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        for action in p._actions:
            if action.dest != "help":
                assert action.help, f"kg {name}: option {action.option_strings or action.dest} has no help"


def test_console_script_runs():
    exe = Path(sys.executable).with_name("kg")
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.startswith("gwr-kg ")


def test_build_query_roundtrip_on_one_report(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds" / "shilong-2024.txt"), "--out", str(out), "-q", "--no-views"]) == 0
    summary = capsys.readouterr().out
    assert "reports read: 1" in summary and "triples:" in summary
    assert main(["query", "SELECT ?d WHERE { ?d a <https://w3id.org/gwr/ontology#District> }",
                 "--graph", str(out / "graph.ttl"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "d"


def test_missing_input_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    code = main(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert "nope" in err and "no such file" in err
    assert "Traceback" not in err


def test_unknown_query_lists_saved_queries(tmp_path, capsys):
    graph = tmp_path / "g.ttl"
    graph.write_text("", encoding="utf-8")
    code = main(["query", "no-such-query", "--graph", str(graph)])
    err = capsys.readouterr().err
    assert code == 1 and "unknown query 'no-such-query'" in err
