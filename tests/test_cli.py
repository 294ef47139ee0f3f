"""The `logitguard` command: exit codes, formats, selection, configuration and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from logitguard.cli import main
from logitguard.core.facts import TrainingSetup
from logitguard.rules import ALL_RULES
from logitguard.rules.base import Example
from logitguard.static import sources
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frontends import Frontend

REPO = Path(__file__).resolve().parent.parent


def example(code: str, invalid: bool = True, framework: str = "keras") -> str:
    rule = next(rule for rule in ALL_RULES if rule.code == code)
    found: Example = next(
        ex for ex in rule.examples if ex.invalid is invalid and ex.framework == framework
    )
    return textwrap.dedent(found.source)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with one LG001 file, one LG003 file and one clean file; the cwd."""
    (tmp_path / "lg001.py").write_text(example("LG001"), encoding="utf-8")
    (tmp_path / "lg003.py").write_text(example("LG003"), encoding="utf-8")
    (tmp_path / "clean.py").write_text(example("LG001", invalid=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_findings_exit_1_and_are_reported_as_path_line_col(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("lg001.py:") and ": LG001 [error] " in line for line in lines)
    assert any(line.startswith("lg003.py:") and ": LG003 [error] " in line for line in lines)
    assert not any(line.startswith("clean.py") for line in lines)
    assert lines[-1].startswith("Found 2 findings (2 errors) in 3 files checked.")


def test_clean_files_exit_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "clean.py")
    assert code == 0
    assert out == "All clear: no findings in 1 file.\n"


def test_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--exit-zero", ".")[0] == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "LG001"], {"LG001"}),
        (["--select", "LG001,LG003"], {"LG001", "LG003"}),
        (["--select", "LG001", "--select", "LG003"], {"LG001", "LG003"}),
        (["--select", "LG00"], {"LG001", "LG003"}),
        (["--select", "lg00", "--ignore", "LG003"], {"LG001"}),
        (["--ignore", "LG001"], {"LG003"}),
    ],
)
def test_select_and_ignore_by_code_prefix(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: set[str]
) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", *args, ".")
    assert code == 1
    assert {finding["code"] for finding in json.loads(out)["findings"]} == expected


def test_ignoring_everything_found_exits_0(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "check", "--ignore", "LG001,LG003", ".")[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["check", "missing.py"],
        ["check", "--select", "XY1", "."],
        ["check", "--select", "", "."],
        ["check", "--select", ",", "."],
        ["check", "--select", "LG001", "--select", " ", "."],
        ["check", "--ignore", "LG9999", "."],
        ["check", "--format", "xml", "."],
        ["check", "--fix", "--diff", "."],
        ["check"],
        ["frobnicate"],
        [],
        ["explain", "LG999"],
    ],
)
def test_usage_errors_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err  # said why, on stderr
    assert "Traceback" not in err


def test_missing_path_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "check", "lg001.py", "nowhere/")
    assert err == "logitguard: error: no such file or directory: nowhere/\n"


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", ".")
    report = json.loads(out)
    assert code == 1
    assert report["summary"]["files"] == 3
    assert report["summary"]["errors"] == len(report["findings"]) == 2
    lg001 = next(f for f in report["findings"] if f["code"] == "LG001")
    assert lg001["location"]["path"] == "lg001.py"
    assert lg001["location"]["line"] >= 1
    assert lg001["why"] and lg001["fix"]


def test_github_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "github", ".")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith("::error file=lg001.py,line=")
    assert ",title=LG001::" in lines[0]


def test_verbose_explains_each_finding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "-v", "lg001.py")
    assert "    why: " in out
    assert "    fix: " in out


def test_config_from_the_nearest_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.logitguard]\nignore = ["LG003"]\n'
        'exclude = ["generated/*"]\nformat = "json"\n',
        encoding="utf-8",
    )
    (project / "generated").mkdir()
    (project / "generated" / "copy.py").write_text(example("LG001"), encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    (sub / "more.py").write_text(example("LG003"), encoding="utf-8")
    code, out, _ = run(capsys, "check", ".")
    report = json.loads(out)  # format from the configuration
    assert code == 1
    assert [f["location"]["path"] for f in report["findings"]] == ["lg001.py"]
    assert report["summary"]["files"] == 4  # generated/ was excluded
    # Found from a subfolder too; a flag replaces the configured format, and --ignore adds
    # to the configured ignore list.
    code, out, _ = run(capsys, "check", "--format", "text", "sub")
    assert (code, out) == (0, "All clear: no findings in 1 file.\n")
    code, out, _ = run(capsys, "check", "--format", "text", "--ignore", "LG001", ".")
    assert (code, out) == (0, "All clear: no findings in 4 files.\n")


def test_bad_config_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.logitguard]\nselekt = ['LG001']\n")
    code, _, err = run(capsys, "check", ".")
    assert code == 2
    assert "unknown key(s) in [tool.logitguard]: selekt" in err


def test_rules_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "LG000" in out and "unreadable-input" in out
    for rule in ALL_RULES:
        assert rule.code in out


def test_explain_prints_why_fix_and_two_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "lg001")
    rule = next(rule for rule in ALL_RULES if rule.code == "LG001")
    assert code == 0
    assert out.startswith("LG001 logits-into-probability-loss [error] (autofix)")
    assert "Why:\n" in out and "Fix:\n" in out
    assert "Flagged (keras):\n" in out and "Not flagged (keras):\n" in out
    assert " ".join(rule.why.split()[:6]) in " ".join(out.split())
    assert run(capsys, "explain", "LG000")[0] == 0


def test_demo_is_listed_and_never_breaks_the_other_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "demo" in out
    assert run(capsys, "demo", "--help")[0] == 0


# --- Bad input: every file gets its own verdict and the run goes on -----------------------


def test_bad_files_each_get_lg000_and_the_good_ones_are_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_buggy.py").write_text(example("LG001"), encoding="utf-8")
    (tmp_path / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "latin1.py").write_bytes('x = "café"\n'.encode("latin-1"))
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "syntax.py").write_text("model.compile(loss=\n", encoding="utf-8")
    (tmp_path / "nul.py").write_bytes(b"import keras\x00\n")
    (tmp_path / "deep.py").write_text("import keras\nx = " + "-" * 100_000 + "1\n")
    (tmp_path / "z_buggy.py").write_text(example("LG003"), encoding="utf-8")
    code, out, err = run(capsys, "check", "--format", "json", str(tmp_path))
    assert code == 1
    assert err == ""
    report = json.loads(out)
    by_file: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        by_file.setdefault(Path(finding["location"]["path"]).name, []).append(finding)
    assert report["summary"]["files"] == 8
    assert [f["code"] for f in by_file["a_buggy.py"]] == ["LG001"]
    assert [f["code"] for f in by_file["z_buggy.py"]] == ["LG003"]
    assert "empty.py" not in by_file  # an empty module is valid Python
    expected_reasons = {
        "broken.ipynb": "not valid notebook JSON",
        "latin1.py": "not valid utf-8 text (byte 0xe9",
        "syntax.py": "syntax error",
        "nul.py": "null bytes",
        "deep.py": "nested too deeply",
    }
    for name, reason in expected_reasons.items():
        [finding] = by_file[name]
        assert finding["code"] == "LG000"
        assert reason in finding["message"], finding["message"]


def test_a_crashing_front_end_is_reported_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(module: ParsedModule, project: Project | None) -> list[TrainingSetup]:
        raise KeyError("surprise")

    broken = Frontend("keras", frozenset({"keras", "tensorflow"}), crash)
    monkeypatch.setattr(sources, "FRONTENDS", (broken,))
    (tmp_path / "a.py").write_text("import keras\nmodel.compile(loss='mse')\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("import os\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0  # LG000 is a warning that fails the run only with --strict
    assert (
        "a.py:1:1: LG000 [warning] could not analyse this file: internal error in the keras " in out
    )
    assert "(KeyError: 'surprise')" in out
    assert "b.py" not in out
    assert "in 2 files checked" in out


@pytest.mark.parametrize(
    ("nesting", "reason"),
    [
        (3, "internal error in the keras front end (RecursionError, on code nested only a little)"),
        (150, "the code is nested too deeply for the keras front end"),
    ],
)
def test_a_front_end_recursing_too_deeply_is_told_apart_from_deep_code(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    nesting: int,
    reason: str,
) -> None:
    """A RecursionError on shallow code is a bug of the analysis, to be reported as one."""

    def recurse(module: ParsedModule, project: Project | None) -> list[TrainingSetup]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(sources, "FRONTENDS", (Frontend("keras", frozenset({"keras"}), recurse),))
    source = "import keras\nmodel.compile(loss='mse')\nx = " + "-" * nesting + "1\n"
    (tmp_path / "a.py").write_text(source, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0
    assert f"a.py:1:1: LG000 [warning] could not analyse this file: {reason}" in out


def test_two_thousand_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in range(20):
        package = tmp_path / f"pkg{folder:02d}"
        package.mkdir()
        for index in range(100):
            (package / f"mod{index:03d}.py").write_text(f"VALUE = {index}\n", encoding="utf-8")
    (tmp_path / "pkg07" / "mod050.py").write_text(example("LG001"), encoding="utf-8")
    (tmp_path / "pkg13" / "mod000.py").write_text("def broken(:\n", encoding="utf-8")
    for skipped in (".hidden", "node_modules", "__pycache__", "build/lib/site-packages"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "buggy.py").write_text(example("LG001"), encoding="utf-8")
    venv = tmp_path / "myenv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (venv / "buggy.py").write_text(example("LG001"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path))
    report = json.loads(out)
    assert code == 1
    assert report["summary"]["files"] == 2000
    located = [(f["code"], Path(f["location"]["path"]).parts[-2:]) for f in report["findings"]]
    assert located == [("LG001", ("pkg07", "mod050.py")), ("LG000", ("pkg13", "mod000.py"))]


def test_saved_model_file_is_reported_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.keras").write_bytes(b"this is not a zip archive")
    (tmp_path / "train.py").write_text(example("LG001"), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path / "model.keras"), str(tmp_path / "train.py"))
    assert code == 1
    lines = out.splitlines()
    model_lines = [line for line in lines if line.startswith(str(tmp_path / "model.keras"))]
    assert len(model_lines) == 1
    assert ": LG000 [warning] could not analyse this file: " in model_lines[0]
    assert any(": LG001 [error] " in line for line in lines)


def test_notebook_findings_point_at_cell_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", str(REPO / "examples" / "notebooks"))
    assert code == 1
    [line] = [line for line in out.splitlines() if ": LG001 " in line]
    assert "buggy_fashion_mnist.ipynb:cell 4:line 3:col " in line
    assert "correct_fashion_mnist" not in out


def test_suppression_comment_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = example("LG001").replace(
        "model.compile(", "model.compile(  # logitguard: ignore[LG001]"
    )
    path = tmp_path / "quiet.py"
    path.write_text(source, encoding="utf-8")
    assert run(capsys, "check", str(path))[0] == 0


def test_python_dash_m_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "buggy.py"
    path.write_text(example("LG001"), encoding="utf-8")
    nbformat.write(
        new_notebook(cells=[new_code_cell("%matplotlib inline\nx = 1")]), tmp_path / "n.ipynb"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "logitguard", "check", "--format", "github", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"::error file={path},line=")
    assert "title=LG001::" in result.stdout
