"""Odd paths and strict selections: each problem is reported for its path, the run goes on."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from logitguard.cli import main
from logitguard.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent


def buggy_source() -> str:
    rule = next(rule for rule in ALL_RULES if rule.code == "LG001")
    return textwrap.dedent(next(ex for ex in rule.examples if ex.invalid).source)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_symlink_loop_given_as_a_path_is_reported_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "loop.py"
    loop.symlink_to(loop)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    buggy = tmp_path / "buggy.py"
    buggy.write_text(buggy_source(), encoding="utf-8")
    for args in ([str(loop), str(buggy)], [str(tmp_path / "a"), str(buggy)], [str(tmp_path)]):
        code, out, err = run(capsys, "check", *args)
        assert code == 1
        assert "Traceback" not in err and "internal error" not in err
        assert f"{buggy}:" in out and ": LG001 [error] " in out
    code, out, _ = run(capsys, "check", str(loop), str(buggy))
    expected = "LG000 [warning] could not analyse this file: it is a symbolic link loop"
    assert f"{loop}:1:1: {expected}" in out


def test_a_fifo_is_reported_as_such_and_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "walked.py")  # met while walking a folder: skipped
    buggy = tmp_path / "buggy.py"
    buggy.write_text(buggy_source(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "logitguard", "check", str(fifo), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a read of the pipe would block forever
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert (
        f"{fifo}:1:1: LG000 [warning] could not analyse this file: it is a named pipe (FIFO), "
        "not a regular file" in result.stdout
    )
    assert "no such file" not in result.stdout + result.stderr
    assert ": LG001 [error] " in result.stdout
    assert "walked.py" not in result.stdout


def test_an_empty_select_in_the_configuration_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text(buggy_source(), encoding="utf-8")
    for value in ("[]", '[""]', '" "'):
        (tmp_path / "pyproject.toml").write_text(f"[tool.logitguard]\nselect = {value}\n")
        code, out, err = run(capsys, "check", ".")
        assert code == 2, value
        assert "select is empty, so no rule would run" in err
        assert out == ""


def test_excluded_paths_named_on_the_command_line_get_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.logitguard]\nexclude = ["legacy/*"]\n')
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "old.py").write_text(buggy_source(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "legacy/old.py")
    assert (code, out) == (0, "All clear: no findings in 0 files.\n")
    assert err == (
        "logitguard: note: legacy/old.py: not checked: excluded by the configuration (exclude)\n"
    )
    monkeypatch.chdir(legacy)
    code, out, err = run(capsys, "check", ".")
    assert (code, out) == (0, "All clear: no findings in 0 files.\n")
    assert err == (
        "logitguard: note: .: not checked: its 1 Python file(s) and notebook(s) are all excluded "
        "by the configuration (exclude)\n"
    )
