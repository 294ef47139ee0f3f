"""The Keras static front end: the facts it reads from source, and where it stays silent."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from logitguard.core.facts import (
    Emits,
    Head,
    LabelFormat,
    LossFamily,
    MetricKind,
    PredictionMisuse,
    TrainingSetup,
)
from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks.keras.frontend import extract

SUBCLASS_EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "keras" / "buggy_subclass_double_softmax.py"
)


def setups(source: str) -> list[TrainingSetup]:
    return extract(ParsedModule.parse(textwrap.dedent(source), "model.py"))


def only(source: str) -> TrainingSetup:
    found = setups(source)
    assert len(found) == 1, found
    return found[0]


def head_of(source: str) -> Head | None:
    return only(source).head


def codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(textwrap.dedent(source), "model.py")}


# -- heads ------------------------------------------------------------------------------------


def test_sequential_list_ends_in_a_logits_dense() -> None:
    head = head_of(
        """
        import tensorflow as tf
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10),
        ])
        """
    )
    assert head is not None
    assert (head.emits, head.units, head.display) == (Emits.LOGITS, 10, "Dense(10) (no activation)")
    assert head.location is not None and (head.location.line, head.location.col) == (6, 4)
    assert head.activation_location is None


@pytest.mark.parametrize(
    ("activation", "emits"),
    [
        ("'softmax'", Emits.SOFTMAX),
        ("'sigmoid'", Emits.SIGMOID),
        ("None", Emits.LOGITS),
        ("'linear'", Emits.LOGITS),
        ("'log_softmax'", Emits.LOG_SOFTMAX),
        ("tf.nn.softmax", Emits.SOFTMAX),
        ("tf.keras.activations.sigmoid", Emits.SIGMOID),
        ("keras.activations.softmax", Emits.SOFTMAX),
        ("'relu'", Emits.UNKNOWN),
        ("ACTIVATION", Emits.SIGMOID),
        ("activation_from_elsewhere", Emits.UNKNOWN),
    ],
)
def test_dense_activation_argument(activation: str, emits: Emits) -> None:
    head = head_of(
        f"""
        import keras
        import tensorflow as tf
        ACTIVATION = "sigmoid"
        model = keras.Sequential([keras.layers.Dense(4, activation={activation})])
        """
    )
    assert head is not None and head.emits is emits and head.units == 4


@pytest.mark.parametrize(
    ("layer", "emits"),
    [
        ("layers.Activation('softmax')", Emits.SOFTMAX),
        ("layers.Activation(activation='sigmoid')", Emits.SIGMOID),
        ("layers.Softmax()", Emits.SOFTMAX),
        ("layers.Lambda(tf.nn.softmax)", Emits.SOFTMAX),
        ("layers.Lambda(lambda x: tf.nn.softmax(x))", Emits.SOFTMAX),
        ("layers.Lambda(lambda t: keras.ops.sigmoid(t))", Emits.SIGMOID),
    ],
)
def test_separate_activation_layer_after_dense(layer: str, emits: Emits) -> None:
    head = head_of(
        f"""
        import keras
        import tensorflow as tf
        from keras import layers
        model = keras.Sequential([layers.Dense(3), layers.Dropout(0.5), {layer}])
        """
    )
    assert head is not None and head.emits is emits and head.units == 3
    assert head.location is not None and head.location.line == 5
    assert head.activation_location is not None and head.activation_location.col > 40


@pytest.mark.parametrize(
    ("function", "emits"),
    [
        ("tf.nn.softmax", Emits.SOFTMAX),
        ("tf.sigmoid", Emits.SIGMOID),
        ("tf.math.sigmoid", Emits.SIGMOID),
        ("keras.activations.sigmoid", Emits.SIGMOID),
        ("keras.ops.softmax", Emits.SOFTMAX),
        ("tf.nn.log_softmax", Emits.LOG_SOFTMAX),
    ],
)
def test_functional_api_activation_function(function: str, emits: Emits) -> None:
    head = head_of(
        f"""
        import keras
        import tensorflow as tf
        inputs = keras.Input(shape=(8,))
        x = keras.layers.Dense(16, activation="relu")(inputs)
        x = keras.layers.Dense(5)(x)
        outputs = {function}(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )
    assert head is not None and head.emits is emits and head.units == 5
    assert head.location is not None and head.location.line == 6
    assert head.activation_location is not None and head.activation_location.line == 7


@pytest.mark.parametrize(
    "constructor",
    [
        "keras.Model(inputs, outputs)",
        "keras.models.Model(inputs, outputs)",
        "tf.keras.Model(inputs, outputs)",
    ],
)
def test_functional_model_constructors(constructor: str) -> None:
    head = head_of(
        f"""
        import keras
        import tensorflow as tf
        inputs = keras.Input(shape=(8,))
        dense = keras.layers.Dense(2, activation="softmax")
        outputs = dense(inputs)
        model = {constructor}
        """
    )
    assert head is not None and (head.emits, head.units) == (Emits.SOFTMAX, 2)


def test_functional_model_with_two_outputs_has_no_head() -> None:
    assert (
        head_of(
            """
            import keras
            inputs = keras.Input(shape=(8,))
            a = keras.layers.Dense(2)(inputs)
            b = keras.layers.Dense(1, activation="sigmoid")(inputs)
            model = keras.Model(inputs, [a, b])
            """
        )
        is None
    )


def test_units_keeping_and_reshaping_layers() -> None:
    dropout = head_of(
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(1), keras.layers.Dropout(0.1)])"
    )
    flatten = head_of(
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(1), keras.layers.Flatten()])"
    )
    assert dropout is not None and dropout.units == 1
    assert flatten is not None and flatten.emits is Emits.LOGITS and flatten.units is None


@pytest.mark.parametrize(
    "last_layer",
    ["MyLayer()", "keras.layers.BatchNormalization()", "keras.layers.Lambda(lambda x: x / 2.0)"],
)
def test_unknown_last_layer_means_no_head(last_layer: str) -> None:
    source = f"""
        import keras
        model = keras.Sequential([keras.layers.Dense(10), {last_layer}])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert head_of(source) is None
    assert codes(source) == set()


def test_add_and_pop_build_the_head() -> None:
    head = head_of(
        """
        from tensorflow import keras
        model = keras.Sequential()
        for units in (64, 32):
            model.add(keras.layers.Dense(units, activation="relu"))
        model.add(keras.layers.Dense(10, activation="softmax"))
        model.add(keras.layers.Dense(1))
        model.pop()
        """
    )
    assert head is not None and (head.emits, head.units) == (Emits.SOFTMAX, 10)


def test_conditional_add_after_the_dense_leaves_the_head_unknown() -> None:
    source = """
        import keras
        model = keras.Sequential([keras.layers.Dense(4)])
        if use_probabilities:
            model.add(keras.layers.Softmax())
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """
    assert head_of(source) is None
    assert codes(source) == set()


def test_subclassed_model_follows_self_attributes_and_call() -> None:
    head = head_of(
        """
        import tensorflow as tf
        class Classifier(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(32, activation="relu")
                self.out = tf.keras.layers.Dense(5)

            def call(self, x):
                x = self.hidden(x)
                return tf.nn.softmax(self.out(x))

        model = Classifier()
        """
    )
    assert head is not None and (head.emits, head.units) == (Emits.SOFTMAX, 5)
    assert head.display == "Dense(5) + tf.nn.softmax"


def test_subclass_returning_logits_or_probabilities_stays_silent() -> None:
    source = """
        import numpy as np
        import tensorflow as tf
        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.out = tf.keras.layers.Dense(1)

            def call(self, x, training=False):
                logits = self.out(x)
                if training:
                    return logits
                return tf.sigmoid(logits)

        net = Net()
        net.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                    metrics=[tf.keras.metrics.BinaryAccuracy()])
        print(np.round(net.predict(x)))
        """
    setup = only(source)
    assert setup.head is None and setup.metrics == [] and setup.predictions == []
    assert codes(source) == set()


def test_applications_with_and_without_their_top() -> None:
    found = setups(
        """
        import keras
        full = keras.applications.ResNet50(weights=None, classes=10)
        logits = keras.applications.ResNet50(classes=3, classifier_activation=None)
        features = keras.applications.MobileNetV2(include_top=False)
        """
    )
    heads = [setup.head for setup in found]
    assert heads[0] is not None and (heads[0].emits, heads[0].units) == (Emits.SOFTMAX, 10)
    assert heads[1] is not None and (heads[1].emits, heads[1].units) == (Emits.LOGITS, 3)
    assert heads[2] is None


@pytest.mark.parametrize(
    "imports_and_layer",
    [
        ("from keras.layers import Dense as D", "D(7)"),
        ("from tensorflow.keras import layers as L", "L.Dense(7)"),
        ("import tensorflow.keras as tfk", "tfk.layers.Dense(7)"),
        ("import tf_keras", "tf_keras.layers.Dense(7)"),
        ("from tensorflow.python.keras.layers import Dense", "Dense(7)"),
    ],
)
def test_imports_under_any_alias(imports_and_layer: tuple[str, str]) -> None:
    imports, layer = imports_and_layer
    head = head_of(f"{imports}\nfrom keras.models import Sequential\nm = Sequential([{layer}])")
    assert head is not None and (head.emits, head.units) == (Emits.LOGITS, 7)


@pytest.mark.parametrize(
    "imports",
    [
        "from keras.engine import Model, Input",
        "from keras.engine.training import Model\nfrom keras.engine.topology import Input",
        "from keras.engine.training import Model\nfrom keras.engine.input_layer import Input",
    ],
)
def test_keras_2_engine_paths_are_keras_model_and_input(imports: str) -> None:
    # Old Keras 2 code imports the functional API from where Keras 2 kept it.
    head = head_of(
        f"{imports}\nfrom keras.layers import Dense\n"
        "inputs = Input(shape=(8,))\nmodel = Model(inputs, Dense(7, activation='softmax')(inputs))"
    )
    assert head is not None and (head.emits, head.units) == (Emits.SOFTMAX, 7)


def test_units_from_constants_and_unknown_parameters() -> None:
    found = setups(
        """
        import keras
        NUM_CLASSES = 6

        def build(num_classes):
            hidden = 3
            first = keras.Sequential([keras.layers.Dense(units=NUM_CLASSES)])
            second = keras.Sequential([keras.layers.Dense(hidden)])
            third = keras.Sequential([keras.layers.Dense(num_classes)])
            return first, second, third
        """
    )
    assert [setup.head.units for setup in found if setup.head] == [6, 3, None]


# -- which compile, fit and predict belong to which model -------------------------------------


def test_helper_function_model_with_compile_inside() -> None:
    setup = only(
        """
        import keras
        def build_model():
            model = keras.Sequential([keras.layers.Dense(10)])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model

        clf = build_model()
        clf.fit(x, keras.utils.to_categorical(y, 10))
        """
    )
    assert setup.head is not None and setup.head.emits is Emits.LOGITS
    assert setup.loss is not None and setup.loss.family is LossFamily.SPARSE_CATEGORICAL
    assert setup.labels is not None and setup.labels.format is LabelFormat.ONE_HOT


def test_several_models_in_one_file_keep_their_own_compile() -> None:
    found = setups(
        """
        import keras
        model = keras.Sequential([keras.layers.Dense(10)])
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy")
        probe = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        probe.compile(loss="binary_crossentropy")
        """
    )
    pairs = [(s.head.emits, s.loss.expects) for s in found if s.head and s.loss]
    assert pairs == [
        (Emits.LOGITS, Emits.LOGITS),
        (Emits.SOFTMAX, Emits.SOFTMAX),
        (Emits.SIGMOID, Emits.SIGMOID),
    ]


def test_compile_on_a_model_from_elsewhere_keeps_the_loss_without_a_head() -> None:
    setup = only(
        """
        import re
        import keras
        pattern = re.compile("x")
        model = keras.models.load_model("model.keras")
        model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
        """
    )
    assert setup.head is None
    assert setup.loss is not None and setup.loss.expects is Emits.LOGITS


def test_model_chosen_in_a_branch_is_not_matched() -> None:
    source = """
        import keras
        if small:
            model = keras.Sequential([keras.layers.Dense(10)])
        else:
            model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy")
        """
    assert all(setup.loss is None for setup in setups(source))
    assert codes(source) == set()


# -- losses -----------------------------------------------------------------------------------


LOGITS_MODEL = "model = keras.Sequential([keras.layers.Dense(3)])\n"


def loss_of(loss: str, prelude: str = "") -> object:
    imports = "import keras\nimport tensorflow as tf\n"
    source = f"{imports}{prelude}\n{LOGITS_MODEL}model.compile(loss={loss})"
    return only(source).loss


@pytest.mark.parametrize(
    ("loss", "family", "expects", "display"),
    [
        (
            "'binary_crossentropy'",
            LossFamily.BINARY,
            Emits.SIGMOID,
            "'binary_crossentropy' (from_logits=False by default)",
        ),
        (
            "keras.losses.SparseCategoricalCrossentropy(from_logits=False)",
            LossFamily.SPARSE_CATEGORICAL,
            Emits.SOFTMAX,
            "SparseCategoricalCrossentropy(from_logits=False)",
        ),
        (
            "tf.keras.losses.CategoricalCrossentropy(True)",
            LossFamily.CATEGORICAL,
            Emits.LOGITS,
            "CategoricalCrossentropy(from_logits=True)",
        ),
        (
            "keras.losses.BinaryCrossentropy()",
            LossFamily.BINARY,
            Emits.SIGMOID,
            "BinaryCrossentropy() (from_logits=False by default)",
        ),
        (
            "tf.keras.losses.sparse_categorical_crossentropy",
            LossFamily.SPARSE_CATEGORICAL,
            Emits.SOFTMAX,
            "tf.keras.losses.sparse_categorical_crossentropy (from_logits=False by default)",
        ),
        (
            "lambda y, p: keras.losses.categorical_crossentropy(y, p, from_logits=True)",
            LossFamily.CATEGORICAL,
            Emits.LOGITS,
            "lambda (calls categorical_crossentropy with from_logits=True)",
        ),
    ],
)
def test_loss_forms(loss: str, family: LossFamily, expects: Emits, display: str) -> None:
    found = loss_of(loss)
    assert found is not None
    assert (found.family, found.expects, found.display) == (family, expects, display)


def test_loss_stored_in_a_variable_first() -> None:
    found = loss_of("loss_fn", "loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)")
    assert found is not None and found.expects is Emits.LOGITS
    assert found.location is not None and found.location.line == 3


@pytest.mark.parametrize(
    "loss",
    [
        "config['loss']",
        "my_custom_loss",
        "keras.losses.BinaryCrossentropy(from_logits=flag)",
        "'mse'",
    ],
)
def test_unknown_loss_is_no_loss(loss: str) -> None:
    assert loss_of(loss) is None


def test_loss_chosen_in_a_branch_is_no_loss() -> None:
    prelude = (
        "loss = 'sparse_categorical_crossentropy'\n"
        "if one_hot:\n"
        "    loss = 'categorical_crossentropy'"
    )
    assert loss_of("loss", prelude) is None


# -- edits ------------------------------------------------------------------------------------


def test_edit_on_a_loss_class_sets_the_keyword() -> None:
    found = loss_of("keras.losses.SparseCategoricalCrossentropy()")
    assert found.to_logits_edit is not None and found.to_probabilities_edit is not None
    assert (found.to_logits_edit.keyword, found.to_logits_edit.replacement) == (
        "from_logits",
        "True",
    )
    assert found.to_probabilities_edit.replacement == "False"
    target = found.to_logits_edit.target
    assert (target.line, target.col) == (5, 19)


def test_positional_from_logits_gets_no_keyword_edit() -> None:
    found = loss_of("keras.losses.SparseCategoricalCrossentropy(False)")
    assert found.to_logits_edit is None


@pytest.mark.parametrize(
    ("imports", "replacement"),
    [
        ("import tensorflow as tf", "tf.keras.losses.BinaryCrossentropy(from_logits=True)"),
        ("from tensorflow import keras as K", "K.losses.BinaryCrossentropy(from_logits=True)"),
        ("import keras", "keras.losses.BinaryCrossentropy(from_logits=True)"),
        ("from keras.models import Sequential", None),
    ],
)
def test_edit_on_a_string_loss_replaces_it(imports: str, replacement: str | None) -> None:
    setup = only(
        f"""
        {imports}
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential([Dense(1)])
        model.compile(loss="binary_crossentropy")
        """
    )
    edit = setup.loss.to_logits_edit
    if replacement is None:
        assert edit is None
    else:
        assert edit is not None and edit.keyword is None and edit.replacement == replacement
        assert (edit.target.line, edit.target.col) == (6, 19)


def test_lg001_and_lg003_findings_carry_the_edits() -> None:
    findings = check_source(
        textwrap.dedent(
            """
            import tensorflow as tf
            model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
            metrics = ["acc", tf.keras.metrics.BinaryAccuracy()]
            model.compile(loss="binary_crossentropy", metrics=metrics)
            """
        ),
        "model.py",
    )
    edits = {(f.code, f.edit.replacement, f.edit.keyword) for f in findings if f.edit}
    assert edits == {
        ("LG001", "tf.keras.losses.BinaryCrossentropy(from_logits=True)", None),
        ("LG003", "tf.keras.metrics.BinaryAccuracy(threshold=0.0)", None),
        ("LG003", "0.0", "threshold"),
    }


# -- metrics ----------------------------------------------------------------------------------


def metrics_of(model: str, loss: str, metrics: str, fit: str = "", imports: str = "") -> list:
    source = (
        f"import keras\n{imports}\nmodel = keras.Sequential([{model}])\n"
        f"model.compile(loss={loss}, metrics={metrics})\n{fit}"
    )
    return only(source).metrics


def test_accuracy_on_one_unit_becomes_binary_accuracy() -> None:
    [metric] = metrics_of("keras.layers.Dense(1)", "'binary_crossentropy'", "['accuracy']")
    assert metric.kind is MetricKind.BINARY_ACCURACY and metric.threshold == 0.5
    assert metric.resolved_because == "Keras makes it BinaryAccuracy: the output has 1 unit"


def test_accuracy_resolution_by_loss_and_labels() -> None:
    sparse = metrics_of("keras.layers.Dense(10)", "'sparse_categorical_crossentropy'", "['acc']")
    one_hot = metrics_of(
        "keras.layers.Dense(10)",
        "'categorical_crossentropy'",
        "['accuracy']",
        fit="model.fit(x, keras.utils.to_categorical(y))",
    )
    assert [m.kind for m in sparse] == [MetricKind.SPARSE_CATEGORICAL_ACCURACY]
    assert [m.kind for m in one_hot] == [MetricKind.CATEGORICAL_ACCURACY]
    assert "one column per unit" in (one_hot[0].resolved_because or "")


def test_accuracy_with_binary_loss_on_many_units_depends_on_graph_mode() -> None:
    eager = metrics_of("keras.layers.Dense(10)", "'binary_crossentropy'", "['accuracy']")
    graph = only(
        """
        import tensorflow as tf
        tf.compat.v1.disable_eager_execution()
        model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
        model.compile(loss="binary_crossentropy", metrics=["accuracy"])
        """
    ).metrics
    assert [m.kind for m in eager] == [MetricKind.CATEGORICAL_ACCURACY]
    assert [m.kind for m in graph] == [MetricKind.BINARY_ACCURACY]
    assert "graph mode" in (graph[0].resolved_because or "")


def test_accuracy_of_an_unknown_head_is_left_unresolved() -> None:
    setup = only(
        """
        import keras
        model = keras.models.load_model("m.keras")
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    )
    assert setup.metrics == []


def test_metric_objects_thresholds_and_variables() -> None:
    metrics = metrics_of(
        "keras.layers.Dense(1)",
        "'binary_crossentropy'",
        "chosen",
        imports="from keras.metrics import BinaryAccuracy, AUC\n"
        "chosen = [BinaryAccuracy(threshold=0.3), AUC(from_logits=True), 'binary_accuracy',"
        " keras.metrics.Precision(thresholds=0.0), keras.metrics.BinaryAccuracy(threshold=t),"
        " keras.metrics.SparseCategoricalAccuracy()]",
    )
    summary = [(m.kind, m.threshold, m.from_logits, m.display) for m in metrics]
    assert summary == [
        (MetricKind.BINARY_ACCURACY, 0.3, None, "BinaryAccuracy(threshold=0.3)"),
        (MetricKind.THRESHOLDED, None, True, "AUC(from_logits=True)"),
        (MetricKind.BINARY_ACCURACY, 0.5, None, "'binary_accuracy'"),
        (MetricKind.THRESHOLDED, 0.0, None, "Precision(thresholds=0.0)"),
        (MetricKind.SPARSE_CATEGORICAL_ACCURACY, None, None, "SparseCategoricalAccuracy()"),
    ]


def test_linear_output_trained_with_another_loss_is_not_taken_for_logits() -> None:
    source = """
        import numpy as np
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse", metrics=[keras.metrics.BinaryAccuracy()])
        print(np.round(model.predict(x)))
        """
    head = only(source).head
    assert head is not None and (head.emits, head.units) == (Emits.UNKNOWN, 1)
    assert codes(source) == set()


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fit", "label_format", "classes"),
    [
        (
            "y = keras.utils.to_categorical(y, NUM_CLASSES)",
            "model.fit(x, y)",
            LabelFormat.ONE_HOT,
            7,
        ),
        ("y = tf.one_hot(labels, depth=4)", "model.fit(x=x, y=y)", LabelFormat.ONE_HOT, 4),
        ("y = np.eye(3)[labels]", "model.fit(x, y)", LabelFormat.ONE_HOT, 3),
        ("x, y = load_digits(return_X_y=True)", "model.fit(x, y)", LabelFormat.INTEGER, 10),
        ("x, y = load_breast_cancer(return_X_y=True)", "model.fit(x, y)", LabelFormat.INTEGER, 2),
        (
            "x, y = load_wine(return_X_y=True)",
            "model.fit(x, y.astype('int32'))",
            LabelFormat.INTEGER,
            3,
        ),
        ("iris = load_iris()", "model.fit(iris.data, iris.target)", LabelFormat.INTEGER, 3),
        (
            "(x, y), (xt, yt) = keras.datasets.mnist.load_data()",
            "model.fit(x, y[:1000])",
            LabelFormat.INTEGER,
            10,
        ),
        (
            "data = tf.keras.datasets.cifar100\n(x, y), _ = data.load_data()",
            "model.fit(x, y)",
            LabelFormat.INTEGER,
            100,
        ),
        (
            "x, y = load_digits(return_X_y=True)\nx_tr, x_te, y_tr, y_te = train_test_split(x, y)",
            "model.fit(x_tr, y_tr)",
            LabelFormat.INTEGER,
            10,
        ),
        ("", "model.fit(x, keras.utils.to_categorical(y, 5))", LabelFormat.ONE_HOT, 5),
    ],
)
def test_visible_labels(data: str, fit: str, label_format: LabelFormat, classes: int) -> None:
    source = (
        "import numpy as np\nimport keras\nimport tensorflow as tf\n"
        "from sklearn.datasets import load_digits, load_breast_cancer, load_wine, load_iris\n"
        "from sklearn.model_selection import train_test_split\n"
        f"NUM_CLASSES = 7\n{data}\n{LOGITS_MODEL}{fit}\n"
    )
    labels = only(source).labels
    assert labels is not None
    assert (labels.format, labels.num_classes) == (label_format, classes)


def test_labels_from_unknown_data_are_not_reported() -> None:
    setup = only(f"import keras\n{LOGITS_MODEL}model.fit(dataset, epochs=3)\nmodel.fit(x, y)")
    assert setup.labels is None


# -- predictions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "misuse"),
    [
        ("np.round(model.predict(x))", PredictionMisuse.ROUNDED),
        ("model.predict(x).round()", PredictionMisuse.ROUNDED),
        ("(model.predict(x) > 0.5).astype(int)", PredictionMisuse.THRESHOLDED),
        ("0.5 <= model(x)[:, 0]", PredictionMisuse.THRESHOLDED),
        ("scores = model.predict(x)\nlabels = scores >= 0.5", PredictionMisuse.THRESHOLDED),
        ("p = model.predict(x)[0]\nnp.random.choice(3, p=p)", PredictionMisuse.SAMPLED),
        ("np.round(model.predict(x).ravel())", PredictionMisuse.ROUNDED),
    ],
)
def test_prediction_misuse(code: str, misuse: PredictionMisuse) -> None:
    setup = only(f"import numpy as np\nimport keras\n{LOGITS_MODEL}{code}\n")
    assert [prediction.misuse for prediction in setup.predictions] == [misuse]


@pytest.mark.parametrize(
    "code",
    [
        "model.predict(x) > 0",
        "np.argmax(model.predict(x), axis=-1)",
        "np.round(keras.ops.softmax(model.predict(x)))",
        "scores = model.predict(x)\nscores = keras.ops.sigmoid(scores)\nscores > 0.5",
        "other = keras.models.load_model('m.keras')\nnp.round(other.predict(x))",
    ],
)
def test_correct_predictions_are_not_misuse(code: str) -> None:
    setup = only(f"import numpy as np\nimport keras\n{LOGITS_MODEL}{code}\n")
    assert setup.predictions == []


# -- robustness -------------------------------------------------------------------------------


def test_odd_code_does_not_break_the_front_end() -> None:
    source = """
        import keras
        def loop():
            return loop()
        model = loop()
        x = x
        a, *rest = keras.Sequential([*layers])
        b = keras.Sequential(layers=build_layers())
        c = keras.Model()
        class Broken(keras.Model):
            def call(self):
                return
        d = Broken()
        def add(value):
            return value
        add(d)
        model.compile(loss="binary_crossentropy")
        """
    found = setups(source)
    assert all(setup.head is None for setup in found)
    assert "LG000" not in codes(source)


def test_odd_forms_of_feeds_thresholds_argmaxes_and_containers_break_nothing() -> None:
    source = """
        import numpy as np
        import tensorflow as tf
        import torch
        import torch.nn as nn
        from tensorflow.examples.tutorials.mnist import input_data
        mnist = input_data.read_data_sets("d", one_hot=flag)
        y = tf.compat.v1.placeholder(tf.float32)
        extra = {}
        sess.run(op, feed_dict={**extra, y: mnist.train.labels})
        sess.run(op, feeds)
        sess.run(op, {y})
        x = tf.greater(*args)
        z = torch.ge(a, b=0.5)
        outs = model(x)[lo:hi:step]
        class C(nn.Module):
            def __init__(self, *blocks, **options):
                super().__init__()
                self.b = nn.ModuleList(blocks)
            def forward(self, x):
                for b in self.b:
                    x = b(x)
                return x
        loss = nn.CrossEntropyLoss()(C(*parts)(x), y) + nn.CrossEntropyLoss()(C()(x), y)
        w = tf.Variable(tf.zeros(shape))
        w3 = tf.compat.v1.get_variable("w", shape=[None, 1])
        h = tf.matmul(x, w) + b
        h3 = tf.matmul(x, w3, transpose_b=True) + b
        np.argmax(h, axis=unknown)
        tf.argmax(h3, 1)
        tf.math.log(tf.clip_by_value())
        torch.log(torch.clamp()).sum()
        class G:
            def m(self, a):
                return tf.reduce_mean(a * tf.math.log(a))
            def n(self):
                self.m()
                self.m(*xs)
        """
    assert codes(source) == set()


def test_every_truncation_of_an_example_is_handled() -> None:
    lines = SUBCLASS_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for end in range(len(lines) + 1):
        findings = check_source("\n".join(lines[:end]), "cut.py")
        assert not any("internal error" in finding.message for finding in findings), end


def test_the_front_end_never_imports_a_framework() -> None:
    program = (
        "import sys\n"
        "from logitguard.static.checker import check_source\n"
        f"check_source(open({str(SUBCLASS_EXAMPLE)!r}).read(), 'x.py')\n"
        "assert not {'tensorflow', 'keras', 'torch'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)


def test_an_activation_function_of_a_linear_layer_written_out_shows_as_its_call() -> None:
    source = textwrap.dedent(
        """
        import tensorflow as tf
        x = tf.compat.v1.placeholder(tf.float32, [None, 64])
        w = tf.Variable(tf.zeros([64, 4]))
        b = tf.Variable(tf.zeros([4]))
        probs = tf.nn.softmax(tf.matmul(x, w) + b)
        cost = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=probs)
        """
    )
    [found] = check_source(source, "graph.py")
    assert "but tf.nn.softmax(tf.matmul(x, w) + b) already emits" in found.message


KL_DIVERGENCE = """
import tensorflow as tf
from tensorflow import keras
student = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10{act})])
student.compile(optimizer="adam", loss={loss})
student.fit(x, teacher_probabilities)
"""


@pytest.mark.parametrize(
    "loss", ["'kld'", "'kl_divergence'", "keras.losses.KLDivergence()", "keras.losses.kld"]
)
def test_a_kl_divergence_takes_probabilities_and_gets_no_from_logits_edit(loss: str) -> None:
    found = check_source(textwrap.dedent(KL_DIVERGENCE.format(act="", loss=loss)), "model.py")
    assert [finding.code for finding in found] == ["LG001"]
    assert "expects softmax probabilities but Dense(10) (no activation)" in found[0].message
    assert "from_logits" not in found[0].message
    assert found[0].edit is None  # KLDivergence has no from_logits to set
    assert "softmax as the model's last activation" in (found[0].fix or "")


def test_a_kl_divergence_on_a_softmax_head_is_silent() -> None:
    source = KL_DIVERGENCE.format(act=', activation="softmax"', loss="'kld'")
    assert codes(source) == set()


def test_a_kl_divergence_in_a_tape_loop_on_a_student_s_logits() -> None:
    source = """
    import tensorflow as tf
    from tensorflow import keras
    student = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])
    divergence = keras.losses.KLDivergence()

    def step(x, teacher_probabilities, optimizer):
        with tf.GradientTape() as tape:
            loss = divergence(teacher_probabilities, student(x))
        grads = tape.gradient(loss, student.trainable_variables)
        optimizer.apply_gradients(zip(grads, student.trainable_variables))
    """
    assert codes(source) == {"LG001"}
