"""LG000, a file that could not be read: a warning that fails the run only with --strict."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from logitguard.cli import main
from logitguard.core.findings import Severity, unreadable
from logitguard.rules import get_rule

BROKEN = "def f(:\n    pass\n"


def lg001_program() -> str:
    rule = get_rule("LG001")
    assert rule is not None
    return textwrap.dedent(next(ex.source for ex in rule.examples if ex.invalid))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.fixture
def broken_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lg000_is_a_warning() -> None:
    assert unreadable("a.py", "why").severity is Severity.WARNING


def test_an_unreadable_file_alone_does_not_fail_the_run(
    broken_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", ".")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("broken.py:1:7: LG000 [warning] could not analyse this file: ")
    assert lines[-1] == (
        "Found 1 finding (1 warning) in 2 files checked. 1 file could not be read (LG000)."
    )


def test_strict_fails_the_run_on_an_unreadable_file(
    broken_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "check", "--strict", ".")[0] == 1


def test_strict_from_the_configuration(
    broken_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = broken_only / "pyproject.toml"
    pyproject.write_text("[tool.logitguard]\nstrict = true\n", encoding="utf-8")
    assert run(capsys, "check", ".")[0] == 1
    pyproject.write_text("[tool.logitguard]\nstrict = false\n", encoding="utf-8")
    assert run(capsys, "check", ".")[0] == 0
    assert run(capsys, "check", "--strict", ".")[0] == 1  # the flag wins
    pyproject.write_text('[tool.logitguard]\nstrict = "yes"\n', encoding="utf-8")
    code = main(["check", "."])
    assert code == 2
    assert "strict must be true or false" in capsys.readouterr().err


def test_findings_about_the_model_still_fail_the_run(
    broken_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (broken_only / "train.py").write_text(lg001_program(), encoding="utf-8")
    code, out = run(capsys, "check", ".")
    assert code == 1
    assert "(1 error, 1 warning)" in out


@pytest.mark.parametrize(
    ("output_format", "shows_warning"),
    [
        ("text", lambda out: "LG000 [warning]" in out),
        ("json", lambda out: json.loads(out)["findings"][0]["severity"] == "warning"),
        (
            "sarif",
            lambda out: (
                json.loads(out)["runs"][0]["results"][0]["level"] == "warning"
                and json.loads(out)["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]
                == {"level": "warning"}
            ),
        ),
        ("github", lambda out: out.startswith("::warning file=broken.py,line=1,col=7,")),
    ],
)
def test_every_format_shows_lg000_as_a_warning(
    broken_only: Path, capsys: pytest.CaptureFixture[str], output_format: str, shows_warning
) -> None:
    code, out = run(capsys, "check", "--format", output_format, "broken.py")
    assert code == 0
    assert shows_warning(out), out


def test_json_summary_counts_unreadable_files(
    broken_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (broken_only / "notes.ipynb").write_text("{ not json", encoding="utf-8")
    summary = json.loads(run(capsys, "check", "--format", "json", ".")[1])["summary"]
    assert summary["unreadable"] == 2
    assert summary["warnings"] == 2
    assert summary["errors"] == 0
