"""Library names a snippet reads but never imports (code pasted from a question or a
tutorial page) are read as the libraries' own; imported, defined or assigned names keep their
own meaning, and a project star import may bind any name."""

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


def test_a_snippet_that_adds_layers_to_a_model_it_never_makes_reads_them_as_a_sequential() -> None:
    without_constructor = KERAS_SNIPPET.replace("model = Sequential()\n", "")
    assert codes(without_constructor) == ["LG004"]
    softmax_10 = without_constructor.replace("Dense(1)", "Dense(10)")
    assert codes(softmax_10) == ["LG005"]
    assert codes(softmax_10.replace("binary_crossentropy", "categorical_crossentropy")) == []


def test_a_model_the_snippet_binds_elsewhere_is_not_taken_for_a_sequential() -> None:
    bound_later = KERAS_SNIPPET.replace("model = Sequential()\n", "") + "model = load()\n"
    assert codes(bound_later) == []
    imported = "from keras.layers import Activation, Dense, LeakyReLU\n" + bound_later.replace(
        "model = load()\n", ""
    )
    assert codes(imported) == ["LG004"]
    assert codes("from helpers import *\n" + imported) == []  # it may bind `model`
    assert codes("global model\n" + imported) == []  # bound by code the snippet leaves out


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


def test_an_imported_name_keeps_its_import() -> None:
    """`Dense` comes from the project here; only the names never imported are guessed."""
    assert codes("from my_layers import Dense, Activation\n" + KERAS_SNIPPET) == []


def test_names_a_snippet_reads_but_never_imports() -> None:
    """Only the dataset is imported; Sequential and Dense are read as Keras'."""
    source = """
    from keras.datasets import mnist
    (x_train, y_train), _ = mnist.load_data()
    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(784,)))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(optimizer='adam', loss='binary_crossentropy')
    model.fit(x_train.reshape(-1, 784), y_train)
    """
    assert codes(source) == ["LG008"]


def test_module_prefixes_a_snippet_never_imports() -> None:
    source = """
    model = models.Sequential()
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation='softmax'))
    model.compile(loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    """
    assert codes(source) == ["LG002"]


def test_a_project_star_import_may_bind_any_name() -> None:
    source = "from my_layers import *\n" + KERAS_SNIPPET
    assert codes(source) == []
