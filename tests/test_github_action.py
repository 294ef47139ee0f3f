"""The GitHub Action (action.yml): its shape, and its check step's script run here with bash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "keras"


def action() -> dict[str, Any]:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def step(name_or_id: str) -> dict[str, Any]:
    steps = action()["runs"]["steps"]
    return next(s for s in steps if name_or_id in (s.get("id"), s.get("name"), s.get("uses")))


def test_the_action_sets_up_python_installs_itself_and_uploads_sarif() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in spec["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    upload = next(s for s in spec["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    install = step("Install logitguard")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --quiet "$ACTION_PATH"' in install["run"]


def run_check_step(folder: Path, paths: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run the check step's script as the runner would, with `python` being this Python."""
    check = step("check")
    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python").unlink(missing_ok=True)
    (bin_dir / "python").symlink_to(sys.executable)
    output = folder / "github_output"
    output.write_text("")
    defaults = {name: spec.get("default", "") for name, spec in action()["inputs"].items()}
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO / "src"),
        "GITHUB_OUTPUT": str(output),
        "LOGITGUARD_PATHS": paths,
        "LOGITGUARD_ARGS": defaults["args"],
        "SARIF_FILE": defaults["sarif-file"],
    }
    assert set(check["env"]) == {"LOGITGUARD_PATHS", "LOGITGUARD_ARGS", "SARIF_FILE"}
    result = subprocess.run(
        ["bash", "-e", "-c", check["run"]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, output.read_text()


def test_the_check_step_writes_sarif_and_reports_the_exit_code(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "buggy_fashion_mnist_mlp_from_logits_false.py", tmp_path / "buggy.py")
    shutil.copy(EXAMPLES / "correct_fashion_mnist_mlp_from_logits_true.py", tmp_path / "ok.py")
    result, outputs = run_check_step(tmp_path, "buggy.py ok.py")
    assert result.returncode == 0, result.stderr
    assert outputs == "exit-code=1\n"
    sarif = json.loads((tmp_path / "logitguard.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["LG001"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "buggy.py", "uriBaseId": "%SRCROOT%"}


def test_the_check_step_fails_on_a_usage_error(tmp_path: Path) -> None:
    result, outputs = run_check_step(tmp_path, "no_such_folder")
    assert result.returncode == 2
    assert outputs == "exit-code=2\n"
    assert "::error title=logitguard::logitguard check failed (exit code 2)" in result.stdout
