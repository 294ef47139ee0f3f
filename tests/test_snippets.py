"""Code with no import at all (pasted from a question or a tutorial page) is read as using
the libraries its names belong to; code that imports anything is read as written."""

from __future__ import annotations

import textwrap

from logitguard.static.checker import check_source


def codes(source: str) -> list[str]:
    return [finding.code for finding in check_source(textwrap.dedent(source), "snippet.py")]


KERAS_SNIPPET = """
model = Sequential()
model.add(Dense(64, input_dim=20))
model.add(LeakyReLU())
model.add(Dense(1))
model.add(Activation('softmax'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(X_train, y_train, epochs=10)
"""


def test_keras_snippet_without_imports_is_read_as_keras() -> None:
    assert codes(KERAS_SNIPPET) == ["LG004"]


def test_correct_keras_snippet_stays_silent() -> None:
    assert codes(KERAS_SNIPPET.replace("Activation('softmax')", "Activation('sigmoid')")) == []


def test_torch_snippet_without_imports_is_read_as_torch() -> None:
    source = """
    net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5), nn.Softmax(dim=1))
    criterion = nn.CrossEntropyLoss()
    for x, y in loader:
        loss = criterion(net(x), y)
    """
    assert codes(source) == ["LG002"]


def test_a_name_the_snippet_defines_is_its_own() -> None:
    source = KERAS_SNIPPET.replace(
        "model = Sequential()", "def Dense(*a, **k):\n    return a\nmodel = Sequential()"
    )
    assert codes(source) == []


def test_a_name_the_snippet_assigns_is_its_own() -> None:
    source = "Activation = make_layer\n" + KERAS_SNIPPET
    assert codes(source) == []


def test_code_that_imports_anything_is_read_as_written() -> None:
    assert codes("import os\n" + KERAS_SNIPPET) == []
