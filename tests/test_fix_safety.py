"""--fix never damages a file: atomic writes, stale files refused, failures per path."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from logitguard import atomic_write
from logitguard.atomic_write import StaleFile, fingerprint, replace_contents
from logitguard.cli import main
from logitguard.static import runner

REPO = Path(__file__).resolve().parent.parent

BUGGY = textwrap.dedent(
    """\
    import keras

    model = keras.Sequential([
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
    """
)
FIXED = BUGGY.replace(
    "SparseCategoricalCrossentropy()", "SparseCategoricalCrossentropy(from_logits=True)"
)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(atomic_write.TEMPORARY_SUFFIX)]


def test_fix_keeps_the_file_mode_and_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.py"
    real.write_text(BUGGY, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert main(["check", "--fix", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []
    capsys.readouterr()


def test_disk_full_leaves_the_original_untouched(tmp_path: Path) -> None:
    """A file-size limit below the fixed file's size, as a full disk: the write fails."""
    padding = "".join(
        f"# padding line {index:04d} to make the file bigger\n" for index in range(160)
    )
    path = tmp_path / "big.py"
    path.write_text(padding + BUGGY, encoding="utf-8")
    before = path.read_bytes()
    assert len(before) > 4096
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
        from logitguard.cli import main
        sys.exit(main(["check", "--fix", {str(path)!r}]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert f"{path}:1:1: LG000 [warning] could not analyse this file: cannot write the fix" in (
        result.stdout
    )
    assert "File too large" in result.stdout
    assert "Traceback" not in result.stderr


def test_ctrl_c_during_the_write_leaves_the_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text(BUGGY, encoding="utf-8")

    def interrupted(_descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_write.os, "fsync", interrupted)
    assert main(["check", "--fix", str(path)]) == 130
    assert path.read_text(encoding="utf-8") == BUGGY
    assert leftovers(tmp_path) == []


def test_a_file_changed_between_check_and_fix_is_refused_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.py"
    path.write_text(BUGGY, encoding="utf-8")
    # The user's edit lands after the check: another call now sits where the loss was.
    edited = BUGGY.replace(
        "loss=keras.losses.SparseCategoricalCrossentropy()",
        'loss=transfer(to="bob", amount=100, dry_run=True)',
    )
    real_check_files = runner.check_files  # what the command checks with

    def check_then_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        checked = real_check_files(*args, **kwargs)
        path.write_text(edited, encoding="utf-8")
        return checked

    monkeypatch.setattr(runner, "check_files", check_then_edit)
    code = main(["check", "--fix", str(path)])
    captured = capsys.readouterr()
    assert path.read_text(encoding="utf-8") == edited
    assert f"{path}: not fixed: it changed after it was checked" in captured.err
    assert "Fixed" not in captured.out
    assert code == 1  # the finding was not fixed


def test_replace_contents_refuses_a_stale_file(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"old\n")
    expected = fingerprint(b"old\n")
    path.write_bytes(b"changed by the user\n")
    with pytest.raises(StaleFile):
        replace_contents(str(path), b"new\n", expected)
    assert path.read_bytes() == b"changed by the user\n"
    assert leftovers(tmp_path) == []
    replace_contents(str(path), b"new\n", fingerprint(b"changed by the user\n"))
    assert path.read_bytes() == b"new\n"
