"""Output formats: text, JSON, SARIF 2.1.0 and GitHub annotations, from known findings."""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from logitguard.cli import main
from logitguard.core.facts import Edit, Location
from logitguard.core.findings import Finding, Severity, unreadable
from logitguard.output import Summary, display_location, render
from logitguard.output.github import annotation
from logitguard.output.sarif import to_sarif
from logitguard.rules import ALL_RULES, get_rule


def finding(
    code: str = "LG001",
    severity: Severity = Severity.ERROR,
    location: Location | None = None,
    message: str = "'binary_crossentropy' expects sigmoid probabilities but Dense(1) emits logits",
    edit: Edit | None = None,
) -> Finding:
    rule = get_rule(code)
    assert rule is not None
    return Finding(
        code=code,
        name=rule.name,
        severity=severity,
        message=message,
        why=rule.why,
        fix=rule.fix,
        location=location or Location("src/train.py", 12, 4, 12, 30),
        edit=edit,
    )


def first_invalid_source(code: str) -> str:
    rule = get_rule(code)
    assert rule is not None
    return textwrap.dedent(next(ex.source for ex in rule.examples if ex.invalid))


NOTEBOOK_LOCATION = Location("nb.ipynb", 2, 4, 2, 9, cell=3)


def rendered(output_format: str, summary: Summary, verbose: bool = False) -> str:
    stream = io.StringIO()
    render(output_format, summary, stream, verbose=verbose)
    return stream.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_line_has_path_line_1_based_column_code_severity_and_message() -> None:
    text = rendered("text", Summary(files=1, findings=[finding()]))
    first = text.splitlines()[0]
    assert first.startswith("src/train.py:12:5: LG001 [error] 'binary_crossentropy' expects")
    assert "\x1b[" not in text  # not a terminal: no colour codes
    assert text.splitlines()[-1] == "Found 1 finding (1 error) in 1 file checked."


def test_text_notebook_location_names_cell_and_line() -> None:
    assert display_location(finding(location=NOTEBOOK_LOCATION)) == "nb.ipynb:cell 3:line 2:col 5"


def test_text_verbose_adds_why_and_fix() -> None:
    plain = rendered("text", Summary(files=1, findings=[finding()]))
    verbose = rendered("text", Summary(files=1, findings=[finding()]), verbose=True)
    assert "why:" not in plain
    assert "    why: A cross-entropy told that its input is probabilities" in verbose
    assert "    fix: Tell the loss it receives logits" in verbose


def test_text_summary_counts_severities_fixable_and_fixed() -> None:
    edit = Edit(Location("src/train.py", 12, 4), "True", "from_logits")
    findings = [
        finding(edit=edit),
        finding("LG002", Severity.WARNING),
        finding("LG009", Severity.INFO),
    ]
    last = rendered("text", Summary(files=4, findings=findings, fixed=2)).splitlines()[-1]
    assert last.startswith("Found 3 findings (1 error, 1 warning, 1 info) in 4 files checked.")
    assert "1 fixable with --fix" in last
    assert last.endswith("Fixed 2 findings.")
    assert rendered("text", Summary(files=2, findings=[])) == "All clear: no findings in 2 files.\n"


def test_text_in_a_terminal_is_coloured_and_keeps_brackets_literal() -> None:
    stream = Terminal()
    message = "metrics=['accuracy'] [bold]is not markup[/bold]"
    render("text", Summary(files=1, findings=[finding(message=message)]), stream)
    text = stream.getvalue()
    assert "\x1b[" in text
    assert "['accuracy'] [bold]is not markup[/bold]" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_info_findings_alone_do_not_fail() -> None:
    assert not Summary(files=1, findings=[finding("LG009", Severity.INFO)]).failing
    assert Summary(files=1, findings=[finding("LG002", Severity.WARNING)]).failing


def test_json_lists_findings_and_summary() -> None:
    edit = Edit(Location("src/train.py", 12, 4, 12, 30), "True", "from_logits")
    data = json.loads(rendered("json", Summary(files=3, findings=[finding(edit=edit)])))
    assert data["summary"] == {
        "files": 3,
        "findings": 1,
        "errors": 1,
        "warnings": 0,
        "info": 0,
        "fixable": 1,
        "fixed": 0,
        "unreadable": 0,
    }
    [item] = data["findings"]
    assert item["code"] == "LG001"
    assert item["severity"] == "error"
    assert item["location"] == {
        "path": "src/train.py",
        "line": 12,
        "col": 4,
        "end_line": 12,
        "end_col": 30,
        "cell": None,
    }
    assert item["edit"]["keyword"] == "from_logits"


def test_github_annotations() -> None:
    line = annotation(finding())
    assert line.startswith("::error file=src/train.py,line=12,col=5,endLine=12,endColumn=31,")
    assert line.endswith(",title=LG001::" + finding().message)
    warning = annotation(finding("LG002", Severity.WARNING, message="50% done\nnext: a,b"))
    assert warning.startswith("::warning ")
    assert warning.endswith("::50%25 done%0Anext: a,b")
    assert annotation(finding("LG009", Severity.INFO)).startswith("::notice ")
    notebook = annotation(finding(location=NOTEBOOK_LOCATION))
    assert notebook.startswith("::error file=nb.ipynb,title=LG001::cell 3, line 2: ")
    tricky = annotation(finding(location=Location("a:b,c.py", 1, 0)))
    assert "file=a%3Ab%2Cc.py," in tricky


# What SARIF 2.1.0 requires of the objects logitguard writes (sarif-schema-2.1.0.json,
# "required" and enum constraints), checked by hand: the schema itself is not bundled.
SARIF_LEVELS = {"none", "note", "warning", "error"}


def _check_message(message: Any) -> None:
    assert isinstance(message, dict)
    assert isinstance(message.get("text"), str) and message["text"]


def _check_descriptor(rule: Any) -> None:
    assert isinstance(rule["id"], str)
    for key in ("shortDescription", "fullDescription", "help"):
        _check_message(rule[key])
    assert rule["defaultConfiguration"]["level"] in SARIF_LEVELS


def _check_result(result: Any, rule_ids: list[str]) -> None:
    _check_message(result["message"])
    assert result["ruleId"] in rule_ids
    assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert result["level"] in SARIF_LEVELS
    for location in result.get("locations", []):
        physical = location["physicalLocation"]
        assert isinstance(physical["artifactLocation"]["uri"], str)
        region = physical.get("region")
        if region is not None:
            assert region["startLine"] >= 1
            assert region["startColumn"] >= 1
            if "endLine" in region:
                assert region["endLine"] >= region["startLine"]
                assert region["endColumn"] >= 1


def check_sarif_log(log: Any) -> None:
    assert log["version"] == "2.1.0"
    assert isinstance(log["$schema"], str)
    assert isinstance(log["runs"], list) and log["runs"]
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        for rule in driver["rules"]:
            _check_descriptor(rule)
        rule_ids = [rule["id"] for rule in driver["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        for base in run.get("originalUriBaseIds", {}).values():
            assert base["uri"].endswith("/")
        for result in run["results"]:
            _check_result(result, rule_ids)


def test_sarif_log_is_structurally_valid_with_catalogue_and_levels() -> None:
    findings = [
        finding(),
        finding("LG002", Severity.WARNING, location=Location("/abs/dir/model code.py", 3, 0)),
        finding("LG009", Severity.INFO, location=NOTEBOOK_LOCATION),
        unreadable("broken.py", "syntax error: '(' was never closed", line=4, col=7),
    ]
    log = to_sarif(Summary(files=4, findings=findings))
    json.dumps(log)  # serialisable as is
    check_sarif_log(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == ["LG000", *(r.code for r in ALL_RULES)]
    lg001 = driver["rules"][1]
    assert lg001["help"]["text"].startswith(get_rule("LG001").why)
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning", "note", "warning"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 31}
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "src/train.py",
        "uriBaseId": "%SRCROOT%",
    }
    absolute = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert absolute == "file:///abs/dir/model%20code.py"
    notebook = results[2]
    assert "region" not in notebook["locations"][0]["physicalLocation"]
    assert notebook["properties"]["notebookCell"] == 3
    assert notebook["message"]["text"].startswith("cell 3, line 2: ")


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_every_format_handles_no_findings(output_format: str) -> None:
    output = rendered(output_format, Summary(files=0, findings=[]))
    if output_format in ("json", "sarif"):
        json.loads(output)
    if output_format == "sarif":
        check_sarif_log(json.loads(output))


def test_sarif_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lg001.py").write_text(first_invalid_source("LG001"), encoding="utf-8")
    (tmp_path / "lg003.py").write_text(first_invalid_source("LG003"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "sarif", "."])
    out = capsys.readouterr().out
    log = json.loads(out)
    check_sarif_log(log)
    results = log["runs"][0]["results"]
    assert code == 1
    assert {r["ruleId"] for r in results} == {"LG001", "LG003"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"lg001.py", "lg003.py"}
