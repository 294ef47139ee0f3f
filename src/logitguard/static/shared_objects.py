"""One loss or metric object used by several models: a fix for one model must not break another.

`loss_fn = SparseCategoricalCrossentropy()` compiled into a logits model and into a softmax
model is right for one of them whatever `from_logits` says. Setting it for the model that is
wrong breaks the one that was right, and the next `--fix` would flip it back. So when the
models sharing an object (found by where the object is created) do not all emit the same kind
of output, the edits that change that object are dropped and each finding says why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from logitguard.core.facts import Edit, Emits, Head, Location, TrainingSetup
from logitguard.core.findings import Finding

# Where an object is created: the same place means the same object.
_Place = tuple[str, int | None, int, int]


def _place(location: Location) -> _Place:
    return (location.path, location.cell, location.line, location.col)


class SharedObjects:
    """The losses and metrics of a module's set-ups, by where each is created."""

    def __init__(self, setups: Sequence[TrainingSetup]) -> None:
        self.users: dict[_Place, list[TrainingSetup]] = {}
        for setup in setups:
            for location in _object_locations(setup):
                users = self.users.setdefault(_place(location), [])
                if all(user is not setup for user in users):
                    users.append(setup)

    def guard(self, setup: TrainingSetup, findings: Iterable[Finding]) -> list[Finding]:
        """`findings` of `setup`, without the edits that would break a model sharing the object."""
        return [self._guarded(setup, finding) for finding in findings]

    def _guarded(self, setup: TrainingSetup, finding: Finding) -> Finding:
        if finding.edit is None:
            return finding
        edited = _edited_object(setup, finding.edit)
        if edited is None:
            return finding
        location, kind = edited
        others = _other_heads(setup, self.users.get(_place(location), []))
        own = setup.head.emits if setup.head is not None else Emits.UNKNOWN
        broken = [head for head in others if head.emits is not own or own is Emits.UNKNOWN]
        if not broken:
            return finding
        other = broken[0]
        reason = (
            f"Not fixed automatically: this {kind} object (line {location.line}) is also used by "
            f"{other.display}{_line_of(other)}, which emits {other.emits.value}; changing it for "
            f"this model would break that one. Give each model its own {kind} object."
        )
        return dataclasses.replace(finding, edit=None, fix=f"{finding.fix} {reason}")


def _object_locations(setup: TrainingSetup) -> list[Location]:
    locations = [setup.loss.location] if setup.loss and setup.loss.location else []
    return locations + [metric.location for metric in setup.metrics if metric.location]


def _edited_object(setup: TrainingSetup, edit: Edit) -> tuple[Location, str] | None:
    """The loss or metric of `setup` that `edit` changes: (where it is created, which kind)."""
    loss = setup.loss
    if loss is not None and loss.location is not None:
        loss_edits = (loss.to_logits_edit, loss.to_probabilities_edit)
        if edit in loss_edits or _place(edit.target) == _place(loss.location):
            return loss.location, "loss"
    for metric in setup.metrics:
        if metric.location is None:
            continue
        if edit == metric.logits_threshold_edit or _place(edit.target) == _place(metric.location):
            return metric.location, "metric"
    return None


def _other_heads(setup: TrainingSetup, users: Iterable[TrainingSetup]) -> list[Head]:
    """The heads of the other models among `users` (a model may appear in several set-ups)."""
    own = setup.head
    heads: list[Head] = []
    for user in users:
        head = user.head
        if user is setup or head is None or _same_model_head(head, own):
            continue
        heads.append(head)
    return heads


def _same_model_head(head: Head, other: Head | None) -> bool:
    """The same model's head, its output used as it is: one model's outputs given to the loss
    raw in one place and through a sigmoid in another are two heads to that loss."""
    if other is None or head.location is None or other.location is None:
        return head is other
    return _place(head.location) == _place(other.location) and head.emits is other.emits


def _line_of(head: Head) -> str:
    return f" (line {head.location.line})" if head.location is not None else ""
