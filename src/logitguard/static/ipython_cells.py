"""Notebook cells read as IPython runs them, laid out line for line over the cell.

Before running a cell IPython rewrites it into Python: leading blank lines go, an indented cell
is dedented, `>>>` and `In [1]:` prompts are stripped, a `%%magic` cell becomes one call, and
`%magic`, `!cmd`, `!!cmd`, `x = !cmd`, `x = %magic`, `?obj`, `obj?`, `obj??` lines become calls
of `get_ipython()`. `transform_cell` applies exactly these rewrites, with IPython's own input
transformer (`IPython.core.inputtransformer2.TransformerManager`, step by step) when IPython is
installed, and with an equivalent of ours for the same cases, prompts aside, when it is not.

The result is laid out over the cell: line i of `code` is what line i of the cell became (blank
when IPython folded it into another line) and `shifts[i]` the columns dedenting removed from
its start (None when the line is IPython's, not the user's). Findings therefore map back to the
cell's own lines and columns, and fixes made on `code` can be written back into the cell.

Three readings go beyond the transformer:
- a cell whose first line is indented more than a later one: IPython 7 to 9.0 removed the first
  line's indentation from each line that starts with it (9.1 removes only what all lines share,
  and such a cell no longer runs); it is read as the versions its author ran it with did;
- as IPython's shell does when it runs the cell, the body of `%%time`, `%%timeit`,
  `%%capture` and `%%prun` is Python run in the notebook's namespace: it is read as a cell
  of its own instead of becoming a string;
- an automagic, a line magic called without `%` (`ls -la`, `cd ..`, `pip install x`,
  `timeit x = 1`, `pwd`), is read as that magic, never as Python.
"""

from __future__ import annotations

import ast
import copy
import difflib
import functools
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Cell magics whose body is Python that IPython transforms and runs in the user's namespace.
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# Line magics (and the aliases of the shell) as a Jupyter kernel defines them: the names an
# automagic may use. Kept in step with IPython by a test.
AUTOMAGICS = frozenset(
    {
        *("alias", "alias_magic", "autoawait", "autocall", "automagic", "autosave", "bookmark"),
        *("cat", "cd", "clear", "code_wrap", "colors", "conda", "config", "connect_info", "cp"),
        *("debug", "dhist", "dirs", "doctest_mode", "ed", "edit", "env", "gui", "hist"),
        *("history", "killbgscripts", "ldir", "less", "lf", "lk", "ll", "load", "load_ext"),
        *("loadpy", "logoff", "logon", "logstart", "logstate", "logstop", "ls", "lsmagic", "lx"),
        *("macro", "magic", "mamba", "man", "matplotlib", "micromamba", "mkdir", "more", "mv"),
        *("notebook", "page", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2"),
        *("pip", "popd", "pprint", "precision", "prun", "psearch", "psource", "pushd", "pwd"),
        *("pycat", "pylab", "qtconsole", "quickref", "recall", "rehashx", "reload_ext", "rep"),
        *("rerun", "reset", "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env"),
        *("sx", "system", "tb", "tensorflow_version", "time", "timeit", "unalias", "unload_ext"),
        *("uv", "who", "who_ls", "whos", "xdel", "xmode"),
    }
)

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
# Without one of these the token transforms have nothing to rewrite: `%magic`, `!cmd`, `obj?`
# and the `,f a` / `;f a` / `/f a` calls are the only IPython syntax they read.
_IPYTHON_MARKS = re.compile(r"[!%?]|^[ \t]*[,;/]", re.MULTILINE)
# Without one of these no prompt is stripped (`>>>`, `...`, `In [1]:`, `...:`).
_PROMPT_MARKS = re.compile(r">>>|In \[|\.\.\.:")
# Characters that make `=` part of another operator when they come just before it.
_AUGMENTING = frozenset("=!<>+-*/%@&|^:")
# `ls -la`, `cd /data`, `cd ~/x`, `ls ./x`: arguments that only a shell command starts with.
_SHELL_LIKE_ARGUMENTS = re.compile(r"(?:-{1,2}[A-Za-z]|/[\w.~-]|\.{1,2}/|~)")
_NAME_AND_REST = re.compile(r"([^\W\d]\w*)(.*)", re.DOTALL)
_MAGIC_NAME_FIRST = re.compile(
    r"^[ \t]*(?:" + "|".join(sorted(AUTOMAGICS, key=len, reverse=True)) + r")\b", re.MULTILINE
)


@dataclass(frozen=True)
class TransformedCell:
    """A cell as IPython runs it, line for line over the cell's own lines."""

    source: str
    code: str
    # Per line of the cell: the columns removed from its start (an ASCII indent or prompt);
    # None where the code line is IPython's (a magic's call, or blank where one was folded).
    shifts: tuple[int | None, ...]

    def cell_column(self, line: int, column: int) -> int:
        """The column in the cell of a (1-based) line and column of `code`."""
        shift = self.shifts[line - 1] if 1 <= line <= len(self.shifts) else None
        return column + (shift or 0)

    def code_column(self, line: int, column: int) -> int | None:
        """The column in `code` of a position in the cell; None on a line IPython replaced."""
        shift = self.shifts[line - 1] if 1 <= line <= len(self.shifts) else None
        return None if shift is None else column - shift

    def restore(self, edited: str) -> str | None:
        """The cell with the edits made to `code` in `edited`; None if they cannot go back.

        They cannot when they change the number of lines, or touch a line IPython replaced.
        """
        edited_lines = _LINE_BREAK.split(edited)
        code_lines = _LINE_BREAK.split(self.code)
        cell_lines = _LINE_BREAK.split(self.source)
        if len(edited_lines) != len(code_lines):
            return None
        restored = list(cell_lines)
        for index in range(0, len(code_lines), 2):  # the odd items are the line breaks
            shift = self.shifts[index // 2]
            if shift is None:
                if edited_lines[index] != code_lines[index]:
                    return None
            else:
                restored[index] = cell_lines[index][:shift] + edited_lines[index]
        return "".join(restored)


def transform_cell(source: str) -> TransformedCell:
    """The cell as IPython runs it (IPython's transformer if installed, else ours)."""
    steps = _ipython_steps()
    if steps is not None:
        try:
            return _transform(source, steps)
        except Exception:  # IPython failed on this cell (or added lines): ours reads it
            pass
    try:
        return _transform(source, OWN_STEPS)
    except _Unmapped:  # dedenting split a line at a form feed, which Python does not break at
        return TransformedCell(source, source, (0,) * len(_LINE_BREAK.split(source)[0::2]))


@dataclass(frozen=True)
class Steps:
    """The transformations of one implementation, applied in this order."""

    cleanups: Sequence[Callable[[list[str]], list[str]]]
    cell_magic: Callable[[list[str]], list[str]]
    token_transforms: Callable[[list[str]], list[str]]


def _ipython_steps() -> Steps | None:
    try:
        from IPython.core.inputtransformer2 import PromptStripper, TransformerManager
    except ImportError:
        return None
    return _steps_of(TransformerManager, PromptStripper)


@functools.cache
def _steps_of(manager_class: type, prompt_stripper: type) -> Steps:
    manager = manager_class()  # it keeps no state between cells

    def line_transforms(lines: list[str]) -> list[str]:
        for transform in manager.line_transforms:  # `cell_magic`
            lines = transform(lines)
        return lines

    cleanups = [
        _when_prompted(cleanup) if isinstance(cleanup, prompt_stripper) else cleanup
        for cleanup in manager.cleanup_transforms
    ]
    cleanups.append(_first_line_dedent)
    return Steps(cleanups, line_transforms, manager.do_token_transforms)


def _when_prompted(strip: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """`strip`, skipped on the (many) cells without `>>>`, `In [1]:` or `...:` prompts."""

    def strip_prompts(lines: list[str]) -> list[str]:
        return strip(lines) if _PROMPT_MARKS.search("".join(lines)) else lines

    return strip_prompts


class _Unmapped(Exception):
    """A transformation added lines: its result cannot be laid out over the cell."""


@dataclass(frozen=True)
class _Line:
    text: str  # with its line ending
    origin: int  # the index of the cell line it comes from
    shift: int | None  # columns removed from that line's start; None: not the user's text


def _transform(source: str, steps: Steps) -> TransformedCell:
    parts = _LINE_BREAK.split(source)
    texts, breaks = parts[0::2], [*parts[1::2], ""]
    # IPython reads the lines with their breaks, and gives a last line without one "\n". Every
    # break is "\n" to it, as to a notebook's editor, which reads `\r\n` as a line end (IPython
    # itself would see a backslash continuation before `\r\n` as no continuation at all).
    lines = [
        _Line(text + "\n", index, 0)
        for index, (text, end) in enumerate(zip(texts, breaks, strict=True))
        if text or end
    ]
    code = [""] * len(texts)
    shifts: list[int | None] = [None] * len(texts)
    previous = -1
    for line in _run(lines, steps):
        if line.origin <= previous:
            raise _Unmapped
        previous = line.origin
        code[line.origin] = _LINE_BREAK.split(line.text, maxsplit=1)[0]
        shifts[line.origin] = line.shift
    return TransformedCell(
        source=source,
        code="".join(text + end for text, end in zip(code, breaks, strict=True)),
        shifts=tuple(shifts),
    )


def _run(lines: list[_Line], steps: Steps) -> list[_Line]:
    for cleanup in steps.cleanups:
        lines = _step(lines, cleanup)
    if lines and lines[0].text.startswith("%%"):
        name = lines[0].text[2:].strip().partition(" ")[0]
        if name in PYTHON_BODY_CELL_MAGICS:
            return _run(lines[1:], steps)  # the magic runs its body as a cell of its own
        lines = _step(lines, steps.cell_magic)
    text = "".join(line.text for line in lines)
    if _MAGIC_NAME_FIRST.search(text):
        lines = _step(lines, _mark_automagics)
        text = "".join(line.text for line in lines)
    if not _IPYTHON_MARKS.search(text):
        return lines  # the token transforms would change nothing (and tokenize it all)
    return _step(lines, steps.token_transforms)


def _step(lines: list[_Line], transform: Callable[[list[str]], list[str]]) -> list[_Line]:
    """`transform` applied to the lines' texts, each new line tied to the line it came from."""
    before = [line.text for line in lines]
    after = transform(list(before))
    if after == before:
        return lines
    if len(after) == len(before):
        return [_follow(line, new) for line, new in zip(lines, after, strict=True)]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    result: list[_Line] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += lines[i1:i2]
        elif j2 - j1 > i2 - i1:
            raise _Unmapped
        else:  # lines folded into fewer: each new one takes the place of the first it replaces
            result += [_Line(after[j1 + k], lines[i1 + k].origin, None) for k in range(j2 - j1)]
    return result


def _follow(line: _Line, new: str) -> _Line:
    if new == line.text:
        return line
    if line.shift is not None and line.text.endswith(new):  # dedented, or a prompt stripped
        return _Line(new, line.origin, line.shift + len(line.text) - len(new))
    return _Line(new, line.origin, None)


# Automagics: IPython's shell reads `ls -la` as `%ls -la` when `ls` names a line magic.


def _mark_automagics(lines: list[str]) -> list[str]:
    """The lines with `%` put before each automagic, which the token transforms then read."""
    scanner = _Scanner()
    marked = list(lines)
    for index, line in enumerate(lines):
        text = _LINE_BREAK.split(line, maxsplit=1)[0]
        if scanner.at_line_start:
            after = copy.copy(scanner)
            after.feed(text)
            if after.at_line_start and is_automagic(text):
                indent = len(text) - len(text.lstrip())
                marked[index] = line[:indent] + "%" + line[indent:]
        scanner.feed(text)
    return marked


def is_automagic(line: str) -> bool:
    """Whether a one-line statement is a line magic called without `%`, as IPython reads it.

    `ls -la`, `cd ..`, `pwd`, `pip install x`, `timeit x = 1` are; `time.sleep(1)`,
    `history = model.fit(x)`, `run(x)`, `ls = []` are Python.
    """
    match = _NAME_AND_REST.fullmatch(line.strip())
    if match is None or match[1] not in AUTOMAGICS:
        return False
    rest = match[2]
    if not rest or rest.isspace():
        return True
    if rest[0] not in " \t":
        return False  # `ls.x`, `time(`, `cd=`: the name is used as Python
    if rest.lstrip()[:1] in ("=", ","):
        return False  # `env = # your code`: IPython's assignment checker reads it as Python
    if _SHELL_LIKE_ARGUMENTS.match(rest.lstrip()):
        return True
    try:
        ast.parse(line.strip())
    except SyntaxError:
        return True
    return False


class _Scanner:
    """Just enough of Python's tokenizer to know where logical lines start and comments begin."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open string's delimiter
        self.continued = False
        self.comment_at: int | None = None  # in the last line fed
        self.assignment_at: int | None = None  # its first `=` outside brackets

    @property
    def at_line_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        """Advance over one physical line, given without its line break."""
        self.continued = False
        self.comment_at = self.assignment_at = None
        index = 0
        while index < len(line):
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    index += 2
                elif line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                else:
                    index += 1
                continue
            if char == "#":
                self.comment_at = index
                return  # a comment ends the line, and no backslash continues it
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char in "'\"":
                triple = line[index : index + 3]
                self.quote = triple if triple in ('"""', "'''") else char
                index += len(self.quote)
                continue
            elif char == "=" and self.assignment_at is None and self._assigns(line, index):
                self.assignment_at = index
            index += 1
        self.continued = line.endswith("\\")
        if self.quote is not None and len(self.quote) == 1 and not self.continued:
            self.quote = None  # an unterminated one-line string ends with its line

    def _assigns(self, line: str, index: int) -> bool:
        """Whether the `=` at `index` assigns (not `==`, `<=`, `+=`, ...) outside brackets."""
        before, after = line[index - 1 : index], line[index + 1 : index + 2]
        return self.depth == 0 and after != "=" and before not in _AUGMENTING


# Our own transformations, for when IPython is not installed: the same results for the same
# input, written from IPython's documented behaviour (prompt stripping is not covered).

_ESCAPES = "!?%,;/"
_TWO_CHARACTER_OPERATORS = ("!=", "%=", "/=", "//")
_HELP_TARGET = re.compile(
    r"(%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*)(\?\??)$"  # obj.attr[0]? or ??
)


def _drop_leading_blank_lines(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line and not line.isspace():
            return lines[index:]
    return lines


def _dedent(lines: list[str]) -> list[str]:
    return textwrap.dedent("".join(lines)).splitlines(keepends=True) if lines else lines


def _first_line_dedent(lines: list[str]) -> list[str]:
    """IPython 7 to 9.0's dedent: the first line's indentation removed from each line that
    starts with it. It changes only a cell that a dedent of what all lines share leaves
    starting indented, one that later versions cannot run."""
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))] if lines else ""
    if not indent or lines[0].isspace():
        return lines
    return [line[len(indent) :] if line.startswith(indent) else line for line in lines]


def _own_cell_magic(lines: list[str]) -> list[str]:
    if not lines or not lines[0].startswith("%%") or re.match(r"%%\w+\?", lines[0]):
        return lines
    name, _, arguments = lines[0][2:].rstrip().partition(" ")
    body = "".join(lines[1:])
    return [f"get_ipython().run_cell_magic({name!r}, {arguments!r}, {body!r})\n"]


def _own_token_transforms(lines: list[str]) -> list[str]:
    result: list[str] = []
    scanner = _Scanner()
    index = 0
    while index < len(lines):
        text = _LINE_BREAK.split(lines[index], maxsplit=1)[0]
        if scanner.at_line_start:
            replaced = _transform_statement(lines, index, scanner)
            if replaced is not None:
                new_line, last = replaced
                result.append(new_line)
                index = last + 1
                continue
        scanner.feed(text)
        result.append(lines[index])
        index += 1
    return result


def _transform_statement(lines: list[str], start: int, scanner: _Scanner) -> tuple[str, int] | None:
    """The line that replaces the IPython statement starting at `start`, and its last line."""
    first = _LINE_BREAK.split(lines[start], maxsplit=1)[0]
    indent = first[: len(first) - len(first.lstrip())]
    help_call = _help_end(lines, start, scanner, len(indent))
    if help_call is not None:
        return help_call
    stripped = first.lstrip()
    if stripped[:1] in _ESCAPES and not stripped.startswith(_TWO_CHARACTER_OPERATORS):
        last = _continued_to(lines, start)
        call = _escaped_call(_assemble(lines, start, len(indent), last))
        return None if call is None else (f"{indent}{call}\n", last)
    probe = copy.copy(scanner)
    probe.feed(first)
    if probe.assignment_at is None:
        return None
    value_at = probe.assignment_at + 1
    value_at += len(first[value_at:]) - len(first[value_at:].lstrip(" \t"))
    value = first[value_at:]
    target = first[:value_at]
    if re.match(r"%[^\W\d]", value):
        last = _continued_to(lines, start)
        name, _, arguments = _assemble(lines, start, value_at, last)[1:].partition(" ")
        return f"{target}get_ipython().run_line_magic({name!r}, {arguments!r})\n", last
    if value.startswith("!") and not value.startswith("!=") and first.strip()[:1] != "=":
        last = _continued_to(lines, start)
        command = _assemble(lines, start, value_at, last)[1:]
        return f"{target}get_ipython().getoutput({command!r})\n", last
    return None


def _help_end(
    lines: list[str], start: int, scanner: _Scanner, column: int
) -> tuple[str, int] | None:
    """`obj?` or `obj.attr??` ending the logical line that starts at `start`."""
    probe = copy.copy(scanner)
    last = start
    while True:
        text = _LINE_BREAK.split(lines[last], maxsplit=1)[0]
        probe.feed(text)
        if probe.at_line_start or last == len(lines) - 1:
            break
        last += 1
    if probe.comment_at is not None or not text.rstrip().endswith("?"):
        return None
    piece = "".join(lines[start : last + 1])
    if not piece[column:].strip().rstrip("?"):
        return None  # a lone `?` or `??`: an escape, handled as such
    match = _HELP_TARGET.search(piece[column:])
    if match is None:
        return None
    return f"{piece[:column]}{_help_call(match[1], match[2])}\n", last


def _help_call(target: str, escape: str) -> str:
    method = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    return f"get_ipython().run_line_magic({method!r}, {target!r})"


def _escaped_call(line: str) -> str | None:
    escape = line[:2] if line[:2] in ("!!", "??") else line[:1]
    content = line[len(escape) :]
    name, _, arguments = content.partition(" ")
    if escape == "!":
        return f"get_ipython().system({content!r})"
    if escape == "!!":
        return f"get_ipython().getoutput({content!r})"
    if escape in ("?", "??"):
        return _help_call(content, escape) if content else "get_ipython().show_usage()"
    if escape == "%":
        return f"get_ipython().run_line_magic({name!r}, {arguments!r})"
    if escape == ",":
        return name + "(" + ", ".join(f'"{word}"' for word in arguments.split()) + ")"
    if escape == ";":
        return f'{name}("{arguments}")'
    if not name:
        return None  # `/` needs a callable's name
    return f"{name}({', '.join(arguments.split())})"


def _continued_to(lines: list[str], start: int) -> int:
    """The last line of the statement at `start` continued with backslashes."""
    last = start
    while last < len(lines) - 1 and lines[last].endswith("\\\n"):
        last += 1
    return last


def _assemble(lines: list[str], start: int, column: int, last: int) -> str:
    """The backslash-continued lines as one, from `column` of the first."""
    parts = [lines[start][column:], *lines[start + 1 : last + 1]]
    pieces = [part.rstrip()[:-1] for part in parts[:-1]] + [parts[-1].rstrip()]
    return " ".join(pieces)


OWN_STEPS = Steps(
    cleanups=(_drop_leading_blank_lines, _dedent, _first_line_dedent),
    cell_magic=_own_cell_magic,
    token_transforms=_own_token_transforms,
)
