"""The `logitguard` command: check, rules, explain, demo, server.

Exit codes: 0 nothing to report (info findings alone do not fail), 1 errors or warnings found
(a file that could not be read, LG000, only with --strict), 2 bad usage or an internal error of
the tool.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from logitguard import __version__
from logitguard.config import FORMATS, Config, ConfigError, load_config, unknown_selectors
from logitguard.core.findings import (
    UNREADABLE_CODE,
    UNREADABLE_NAME,
    UNREADABLE_SUMMARY,
    Finding,
    unreadable,
)
from logitguard.rules import ALL_RULES, get_rule

if TYPE_CHECKING:
    from logitguard.static.cache import Cache
    from logitguard.static.check_log import CheckLog

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# --fix re-checks and fixes again while a fix reveals another fixable finding.
MAX_FIX_PASSES = 5


class UsageError(Exception):
    """Bad arguments or configuration: reported in one line, exit code 2."""


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _selected_codes(value: str) -> list[str]:
    """--select: an empty value (an unset CI variable) would silently check nothing."""
    codes = _codes(value)
    if not codes:
        raise argparse.ArgumentTypeError(
            f"{value!r} selects no rule; leave --select out to run every rule"
        )
    return codes


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="logitguard",
        description="Find, explain and fix mismatches between a classifier's outputs (logits "
        "or probabilities), its loss and its metrics.",
    )
    parser.add_argument("--version", action="version", version=f"logitguard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    _add_check(commands)
    rules = commands.add_parser("rules", help="list the rules")
    rules.set_defaults(handler=run_rules)
    explain = commands.add_parser("explain", help="explain a rule, with examples")
    explain.add_argument("code", metavar="CODE", help="a rule code, e.g. LG001")
    explain.set_defaults(handler=run_explain)
    _add_demo(commands, wanted=_first_positional(argv) == "demo")
    server = commands.add_parser(
        "server",
        help="run the language server for editors (needs logitguard[lsp])",
        description="A Language Server on stdin/stdout: diagnostics, quick fixes and hover "
        "for Python files and notebooks in any editor with an LSP client.",
    )
    server.add_argument(
        "--stdio", action="store_true", help="talk over stdin/stdout (the default and only way)"
    )
    server.set_defaults(handler=run_server)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check Python files, notebooks and folders",
        description="Check .py files and .ipynb notebooks (folders are searched recursively); "
        "saved Keras models (.keras, .h5) named explicitly are loaded and inspected.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    check.add_argument(
        "--select",
        type=_selected_codes,
        action="append",
        metavar="CODES",
        help="report only these codes or code prefixes (comma-separated, e.g. LG001,LG00)",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        action="append",
        metavar="CODES",
        help="never report these codes or code prefixes (added to the configured ones)",
    )
    rewrite = check.add_mutually_exclusive_group()
    rewrite.add_argument("--fix", action="store_true", help="apply the safe fixes in place")
    rewrite.add_argument(
        "--diff", action="store_true", help="print the safe fixes as a diff; change nothing"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="exit 1 also when a file cannot be read (LG000, a warning otherwise ignored)",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="explain why, and how to fix, each finding"
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="processes to check files with (default: the number of cores; 1: no workers)",
    )
    caching = check.add_mutually_exclusive_group()
    caching.add_argument(
        "--no-cache", action="store_true", help="analyse every file; read and write no cache"
    )
    caching.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where results are cached (default: $LOGITGUARD_CACHE_DIR, else "
        ".logitguard_cache in the project's root folder)",
    )
    check.set_defaults(handler=run_check)


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def _first_positional(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser], wanted: bool) -> None:
    demo = commands.add_parser(
        "demo",
        help="train tiny models that show each mismatch (needs logitguard[demo])",
        description="Train tiny models on real data to show what each mismatch does.",
    )
    if not wanted:
        # The demo needs heavy frameworks: its module is imported only when it is run.
        return
    try:
        from logitguard.demo import command
    except ImportError as error:
        demo.set_defaults(handler=partial(_demo_unavailable, error))
        return
    command.add_arguments(demo)
    demo.set_defaults(handler=command.run)


def _demo_unavailable(error: ImportError, _args: argparse.Namespace) -> int:
    _error(f"the demo is not available ({error}); install it with pip install 'logitguard[demo]'")
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error from argparse
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`logitguard check . | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except Exception:
        _error("internal error, please report it:\n" + traceback.format_exc())
        return EXIT_USAGE


def _error(message: str) -> None:
    print(f"logitguard: error: {message}", file=sys.stderr)


def _flatten(groups: list[list[str]] | None) -> list[str] | None:
    return None if groups is None else [code for group in groups for code in group]


def _configure(args: argparse.Namespace) -> Config:
    try:
        config = load_config(args.paths)
    except ConfigError as error:
        raise UsageError(str(error)) from error
    config = config.with_overrides(
        select=_flatten(args.select),
        ignore=_flatten(args.ignore),
        format=args.format,
        strict=args.strict,
    )
    known = [UNREADABLE_CODE, *(rule.code for rule in ALL_RULES)]
    unknown = unknown_selectors([*(config.select or ()), *config.ignore], known)
    if unknown:
        raise UsageError(f"unknown rule code(s) {', '.join(unknown)}; see `logitguard rules`")
    return config


def run_check(args: argparse.Namespace) -> int:
    from logitguard.output import Summary, render
    from logitguard.static import runner
    from logitguard.static.check_log import CheckLog
    from logitguard.static.discovery import ExcludeGlobs, discover

    config = _configure(args)
    found = discover(args.paths, ExcludeGlobs(config.exclude, config.root))
    if found.missing:
        raise UsageError(f"no such file or directory: {', '.join(found.missing)}")
    log = CheckLog(notes=list(found.notes))
    unreadable_paths = [unreadable(path, reason) for path, reason in found.unreadable]
    cache = _cache(args, config)
    jobs = args.jobs or runner.default_jobs()

    def check(fresh: CheckLog) -> list[Finding]:
        run = runner.check_files(
            found.files, config, jobs=jobs, cache=cache, log=fresh, paths=args.paths
        )
        return [*unreadable_paths, *run.findings]

    findings = check(log)
    fixed = 0
    if args.diff:
        _print_diff(findings, log)
    elif args.fix:
        findings, fixed = _fix(findings, log, check)
    _report_notes(log.notes)
    summary = Summary(files=len(found.files), findings=findings, fixed=fixed, strict=config.strict)
    if args.diff:
        # The diff is the output; the findings it does not resolve are summarised on stderr.
        from logitguard.output.text import summary_line

        print(summary_line(summary), file=sys.stderr)
    else:
        render(config.format, summary, sys.stdout, verbose=args.verbose)
    if cache is not None and cache.write_error is not None:
        print(f"logitguard: warning: results not cached ({cache.write_error})", file=sys.stderr)
    return EXIT_FINDINGS if summary.failing and not args.exit_zero else EXIT_CLEAN


def _cache(args: argparse.Namespace, config: Config) -> Cache | None:
    from logitguard.static.cache import Cache, default_folder
    from logitguard.static.discovery import project_roots

    if args.no_cache:
        return None
    folder = Path(args.cache_dir) if args.cache_dir else default_folder(config, args.paths)
    return Cache(folder, config, search_roots=project_roots(args.paths))


def _print_diff(findings: list[Finding], log: CheckLog) -> None:
    from logitguard.fixer import plan_fixes

    for file_fix in plan_fixes(findings, log.fingerprints):
        sys.stdout.write(file_fix.diff)
        _report_refusals(file_fix.refused)


def _fix(
    findings: list[Finding], log: CheckLog, recheck: Callable[[CheckLog], list[Finding]]
) -> tuple[list[Finding], int]:
    """Fix, write, re-check; again while fixes keep applying. Returns what remains, and count.

    A file is written only if it still has the bytes that were checked; each file is replaced
    atomically, so a failed or interrupted write leaves it as it was.
    """
    from logitguard.atomic_write import StaleFile
    from logitguard.fixer import STALE_REASON, plan_fixes
    from logitguard.static.check_log import CheckLog

    fixed = 0
    not_written: dict[str, Finding] = {}  # files that could not be written: not tried again
    reported: set[str] = set()  # refusals already printed in an earlier pass

    def report(refusals: list[str]) -> None:
        _report_refusals([refusal for refusal in refusals if refusal not in reported])
        reported.update(refusals)

    for _ in range(MAX_FIX_PASSES):
        applied = 0
        for file_fix in plan_fixes(findings, log.fingerprints):
            report(file_fix.refused)
            if not file_fix.changed or file_fix.path in not_written:
                continue
            try:
                file_fix.write()
            except StaleFile:
                report([f"{file_fix.path}: not fixed: {STALE_REASON}"])
                continue
            except OSError as error:
                reason = f"cannot write the fix, the file is unchanged ({error})"
                not_written[file_fix.path] = unreadable(file_fix.path, reason)
                continue
            applied += file_fix.applied
        if not applied:
            break
        fixed += applied
        fresh = CheckLog()
        findings = recheck(fresh)
        log.fingerprints = fresh.fingerprints
    return [*findings, *not_written.values()], fixed


def _report_refusals(refusals: list[str]) -> None:
    for refusal in refusals:
        print(refusal, file=sys.stderr)


def run_server(_args: argparse.Namespace) -> int:
    try:
        from logitguard.integrations.lsp import serve
    except ImportError as error:
        raise UsageError(
            f"the language server needs pygls ({error}); pip install 'logitguard[lsp]'"
        ) from error
    serve()
    return EXIT_CLEAN


def _report_notes(notes: list[str]) -> None:
    for note in dict.fromkeys(notes):  # the same note from a re-check once
        print(f"logitguard: note: {note}", file=sys.stderr)


def run_rules(_args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="logitguard rules")
    for column in ("Code", "Name", "Severity", "Autofix"):
        table.add_column(column, no_wrap=True)
    table.add_column("Summary")
    table.add_row(UNREADABLE_CODE, UNREADABLE_NAME, "error", "", UNREADABLE_SUMMARY)
    for rule in ALL_RULES:
        table.add_row(
            rule.code, rule.name, rule.severity.value, "yes" if rule.autofix else "", rule.summary
        )
    console = Console(file=sys.stdout, highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = max(console.width, 120)  # piped: no terminal width to respect
    console.print(table)
    return EXIT_CLEAN


def explanation(code: str) -> str:
    code = code.strip().upper()
    if code == UNREADABLE_CODE:
        finding = unreadable("<file>", "<reason>")
        return f"{code} {finding.name} [{finding.severity.value}]\n\n{finding.why}\n\nFix: " + (
            finding.fix
        )
    rule = get_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule code {code!r}; see `logitguard rules`")
    parts = [
        f"{rule.code} {rule.name} [{rule.severity.value}]" + (" (autofix)" if rule.autofix else ""),
        rule.summary,
        "Why:\n" + _wrap(rule.why),
        "Fix:\n" + _wrap(rule.fix),
    ]
    for wanted, title in ((True, "Flagged"), (False, "Not flagged")):
        example = next((ex for ex in rule.examples if ex.invalid is wanted), None)
        if example is not None:
            body = textwrap.indent(textwrap.dedent(example.source).strip("\n"), "    ")
            parts.append(f"{title} ({example.framework}):\n{body}")
    return "\n\n".join(parts)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=96, initial_indent="    ", subsequent_indent="    ")


def run_explain(args: argparse.Namespace) -> int:
    print(explanation(args.code))
    return EXIT_CLEAN
