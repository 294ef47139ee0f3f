"""Replacements in a text, and the unified diff they make, in time linear in the text.

A fix knows exactly which characters it replaces, so its diff is built from those spans, not
by comparing the whole old and new texts (difflib takes quadratic time on files of many
similar lines, such as one model block repeated). Lines end with "\\n" only, as patch tools
count them, and a last line without one gets "\\ No newline at end of file", so the output
applies with `git apply` and `patch -p1`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Characters [start, end) of the original text, and what replaces them.
Replacement = tuple[int, int, str]

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"
CONTEXT_LINES = 3
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def apply(text: str, replacements: Sequence[Replacement]) -> str:
    """`text` with the replacements (sorted, not overlapping) made."""
    parts: list[str] = []
    position = 0
    for start, end, new in replacements:
        parts += [text[position:start], new]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def patch_lines(text: str) -> list[str]:
    """Lines as patch tools count them: ended by "\\n" only (str.splitlines knows more)."""
    return _LINE.findall(text)


@dataclass
class _Block:
    """Consecutive old lines (from index `first`) that the replacements turn into `new`."""

    first: int
    old: list[str]
    new: list[str]


def unified_diff(text: str, replacements: Sequence[Replacement], path: str) -> str:
    """The unified diff from `text` to `text` with `replacements` made ("" when none changes)."""
    lines = patch_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    blocks = _blocks(text, lines, starts, replacements)
    if not blocks:
        return ""
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    shift = 0  # new line numbers minus old ones, before the current hunk
    for hunk in _hunks(blocks):
        low = max(0, hunk[0].first - CONTEXT_LINES)
        end = hunk[-1].first + len(hunk[-1].old)
        high = min(len(lines), end + CONTEXT_LINES)
        body: list[str] = []
        position = low
        old_count = new_count = 0
        hunk_shift = shift
        for block in hunk:
            context = lines[position : block.first]
            body += [" " + line for line in context]
            body += ["-" + line for line in block.old] + ["+" + line for line in block.new]
            old_count += len(context) + len(block.old)
            new_count += len(context) + len(block.new)
            shift += len(block.new) - len(block.old)
            position = block.first + len(block.old)
        body += [" " + line for line in lines[position:high]]
        old_count += high - position
        new_count += high - position
        old_range = _range(low + 1, old_count)
        new_range = _range(low + 1 + hunk_shift, new_count)
        out.append(f"@@ -{old_range} +{new_range} @@\n")
        out += [line if line.endswith("\n") else line + "\n" + NO_NEWLINE_MARKER for line in body]
    return "".join(out)


def _range(start: int, count: int) -> str:
    """As difflib and GNU diff write it: "3" for one line, "2,0" for none after line 2."""
    if count == 1:
        return str(start)
    if count == 0:
        return f"{start - 1},0"
    return f"{start},{count}"


def _blocks(
    text: str, lines: list[str], starts: list[int], replacements: Sequence[Replacement]
) -> list[_Block]:
    """The changed lines, replacements on the same lines together, unchanged lines trimmed."""
    if not lines:  # an empty text: everything is added
        new = patch_lines(apply(text, replacements))
        return [_Block(0, [], new)] if new else []
    groups: list[tuple[int, int, list[Replacement]]] = []  # first line, last line, replacements
    for replacement in replacements:
        start, end, _ = replacement
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        last = max(bisect.bisect_right(starts, max(start, end - 1)) - 1, first)
        first, last = min(first, len(lines) - 1), min(last, len(lines) - 1)
        if groups and first <= groups[-1][1]:
            groups[-1] = (groups[-1][0], max(last, groups[-1][1]), [*groups[-1][2], replacement])
        else:
            groups.append((first, last, [replacement]))
    blocks = []
    for first, last, group in groups:
        offset = starts[first]
        old_text = text[offset : starts[last + 1]]
        moved = [(start - offset, end - offset, new) for start, end, new in group]
        block = _trimmed(_Block(first, patch_lines(old_text), patch_lines(apply(old_text, moved))))
        if block.old or block.new:
            blocks.append(block)
    return blocks


def _trimmed(block: _Block) -> _Block:
    old, new, first = block.old, block.new, block.first
    while old and new and old[0] == new[0]:
        old, new, first = old[1:], new[1:], first + 1
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    return _Block(first, old, new)


def _hunks(blocks: list[_Block]) -> list[list[_Block]]:
    """Blocks close enough that their context lines meet share one hunk."""
    hunks = [[blocks[0]]]
    for block in blocks[1:]:
        previous = hunks[-1][-1]
        if block.first - (previous.first + len(previous.old)) <= 2 * CONTEXT_LINES:
            hunks[-1].append(block)
        else:
            hunks.append([block])
    return hunks
