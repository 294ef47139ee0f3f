"""The runtime API's surface: consistent errors and attributes, exports at the top level."""

from __future__ import annotations

import re

import pytest

import logitguard
from logitguard.errors import LogitMismatchError, LogitMismatchWarning
from logitguard.runtime.report import InspectionReport


@pytest.mark.parametrize("not_a_model", [None, "model.keras", 3])
def test_inspect_and_fix_reject_what_is_not_a_model_alike(not_a_model: object) -> None:
    with pytest.raises(TypeError, match=re.escape("logitguard.inspect() takes a Keras model")):
        logitguard.inspect(not_a_model)
    with pytest.raises(TypeError, match=re.escape("logitguard.fix() takes a compiled Keras model")):
        logitguard.fix(not_a_model)


def test_report_codes_and_ok_are_both_properties() -> None:
    assert isinstance(InspectionReport.codes, property)
    assert isinstance(InspectionReport.ok, property)
    empty = InspectionReport("nothing")
    assert (empty.codes, empty.ok) == (set(), True)


def test_errors_are_exported_at_the_top_level() -> None:
    assert logitguard.LogitMismatchError is LogitMismatchError
    assert logitguard.LogitMismatchWarning is LogitMismatchWarning
    assert {"LogitMismatchError", "LogitMismatchWarning"} <= set(logitguard.__all__)
