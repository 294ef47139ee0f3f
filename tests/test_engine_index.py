"""The module index: one pass per file, shared by every analysis of it."""

from __future__ import annotations

import ast
import textwrap

import pytest

from logitguard.static.checker import check_source
from logitguard.static.engine import index as index_module
from logitguard.static.engine.module import ParsedModule

SOURCE = textwrap.dedent(
    """
    import numpy as np
    import torch.nn as nn
    from tensorflow import keras

    model = keras.Sequential([keras.layers.Dense(10)])
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, np.random.randint(0, 10, size=100))

    net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))
    criterion = nn.CrossEntropyLoss()
    loss = criterion(net(x), y)
    """
)


def test_calls_named_gives_the_calls_of_those_names_in_source_order() -> None:
    module = ParsedModule.parse(SOURCE, "train.py")
    found = module.index.calls_named({"Dense", "Linear", "fit"}.__contains__)
    assert [ast.unparse(call.func) for call, _ in found] == [
        "keras.layers.Dense",
        "model.fit",
        "nn.Linear",
    ]
    assert [statement.lineno for _, statement in found] == [6, 8, 10]


def test_one_index_per_module_for_every_front_end(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[ast.Module] = []
    original = index_module.ModuleIndex.__init__

    def counting(self: index_module.ModuleIndex, tree: ast.Module) -> None:
        built.append(tree)
        original(self, tree)

    monkeypatch.setattr(index_module.ModuleIndex, "__init__", counting)
    codes = {finding.code for finding in check_source(SOURCE, "train.py")}
    assert {"LG001", "LG002"} <= codes  # both front ends read the file, labels included
    assert len(built) == 1


@pytest.mark.parametrize("parameter", ["x", "rest", "options", "flag"])
def test_a_parameter_left_as_it_came_on_one_path_is_a_source_of_its_own(parameter: str) -> None:
    """Read for a call that binds the parameters (`entry`), a parameter bound again on one
    path only holds, on the other, what the call passes: its own `ast.arg`, of every kind."""
    from logitguard.static.engine.scopes import ScopeIndex

    tree = ast.parse(
        f"def f(x, *rest, flag=False, **options):\n"
        f"    if x:\n"
        f"        {parameter} = None\n"
        f"    return {parameter}\n"
    )
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    use = function.body[-1].value  # type: ignore[attr-defined]
    index = ScopeIndex(tree)
    sources = index.sources_of_name(use, entry=True)
    assert sources is not None
    [argument] = [value for value, _ in sources if isinstance(value, ast.arg)]
    assert argument.arg == parameter
    assert any(isinstance(value, ast.Constant) for value, _ in sources)
    without_the_call = index.sources_of_name(use)
    if parameter != "flag":  # no call here and no default: unknown
        assert without_the_call is None
