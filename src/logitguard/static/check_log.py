"""What a check run read besides findings, in a module of its own: a command whose results all
come from the cache records it without importing the checker."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CheckLog:
    """What a run read, besides findings: for a later --fix, and for the user."""

    # path -> fingerprint of the bytes analysed: a fix refuses a file that changed since.
    fingerprints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # files skipped on purpose, and why
