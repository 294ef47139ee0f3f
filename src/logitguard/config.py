"""Settings from `[tool.logitguard]` in the nearest pyproject.toml; command-line flags win.

```toml
[tool.logitguard]
select = ["LG001", "LG003"]   # code prefixes to report (default: all)
ignore = ["LG009"]            # code prefixes never to report
exclude = ["build/*", "legacy/**"]  # globs, relative to the pyproject.toml's folder
format = "text"               # text | json | sarif | github
strict = false                # true: files that cannot be read (LG000) fail the run too
```
"""

from __future__ import annotations

import os.path
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from logitguard.core.findings import UNREADABLE_CODE

FORMATS = ("text", "json", "sarif", "github")
_KEYS = {"select", "ignore", "exclude", "format", "strict"}


class ConfigError(ValueError):
    """The configuration cannot be used (bad TOML, unknown key, wrong type): a usage error."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    format: str = "text"
    strict: bool = False  # files that could not be read (LG000) fail the run
    # Folder that relative exclude globs are matched from.
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the pyproject.toml read, if any

    def with_overrides(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        format: str | None = None,
        strict: bool | None = None,
    ) -> Config:
        return replace(
            self,
            select=tuple(select) if select is not None else self.select,
            # Ignoring on the command line adds to the configured list: a flag given for one
            # run should not bring back what the project ignores.
            ignore=(*self.ignore, *ignore) if ignore is not None else self.ignore,
            format=format or self.format,
            strict=self.strict if strict is None else strict,
        )

    def reports(self, code: str) -> bool:
        """Whether findings with `code` are reported: selected by prefix and not ignored.

        LG000 (a file that could not be read) is reported unless ignored explicitly: a
        selection of rules should not hide that a file was never checked.
        """
        if any(code.startswith(prefix.upper()) for prefix in self.ignore):
            return False
        if code == UNREADABLE_CODE or self.select is None:
            return True
        return any(code.startswith(prefix.upper()) for prefix in self.select)


def unknown_selectors(selectors: Iterable[str], known_codes: Iterable[str]) -> list[str]:
    """The selectors (code prefixes) that match none of `known_codes`."""
    codes = [code.upper() for code in known_codes]
    return [
        selector
        for selector in selectors
        if not any(code.startswith(selector.upper()) for code in codes)
    ]


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.logitguard] table."""
    folder = start if os.path.isdir(start) else start.parent
    for candidate_folder in (folder, *folder.parents):
        candidate = candidate_folder / "pyproject.toml"
        # os.path.isfile: False, not an exception, for a folder this user may not search.
        if os.path.isfile(candidate) and _has_logitguard_table(candidate):
            return candidate
    return None


def _has_logitguard_table(pyproject: Path) -> bool:
    # A cheap text test first, so unrelated or broken pyproject.toml files are never parsed.
    try:
        return "tool.logitguard" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def common_folder(paths: Iterable[str]) -> Path:
    """The deepest folder holding every path (symbolic links resolved, loops left as they are)."""
    folders = []
    for path in paths:
        resolved = os.path.realpath(path)
        folders.append(resolved if os.path.isdir(resolved) else os.path.dirname(resolved))
    if not folders:
        return Path.cwd()
    return Path(os.path.commonpath(folders))


def load_config(paths: Iterable[str] = ()) -> Config:
    """The configuration for a run over `paths` (found from their common folder)."""
    pyproject = find_pyproject(common_folder(paths))
    if pyproject is None:
        return Config()
    return read_config(pyproject)


def read_config(pyproject: Path) -> Config:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read it: {error}") from error
    table = data.get("tool", {}).get("logitguard", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.logitguard] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{pyproject}: unknown key(s) in [tool.logitguard]: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    select = None if "select" not in table else _string_list(pyproject, "select", table["select"])
    if select is not None and not any(code.strip() for code in select):
        raise ConfigError(
            f"{pyproject}: select is empty, so no rule would run; remove it to select every rule"
        )
    output_format = table.get("format", "text")
    if output_format not in FORMATS:
        raise ConfigError(f"{pyproject}: format must be one of {', '.join(FORMATS)}")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{pyproject}: strict must be true or false")
    return Config(
        select=select,
        ignore=_string_list(pyproject, "ignore", table.get("ignore", [])),
        exclude=_string_list(pyproject, "exclude", table.get("exclude", [])),
        format=output_format,
        strict=strict,
        root=pyproject.parent.resolve(),
        source=pyproject,
    )


def _string_list(pyproject: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{pyproject}: {key} must be a list of strings")
    return tuple(value)
