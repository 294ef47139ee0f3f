"""A Keras builder of one file that compiles the model it returns, trained or read in another.

`def build_model(): ...; model.compile(...); return model` in `model.py`, `model =
build_model(); model.fit(x, y)` in `train.py`: the fit trains with the builder's compile, so
the labels of `train.py` and its predictions are judged by that loss, as they are when both
are in one file. Each test writes its own small project.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from logitguard.core.findings import Finding
from logitguard.static.checker import check_paths

BUILDER_COMPILE = (
    '    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])\n'
)
BUILDER = f"""
from tensorflow import keras

def build_model(num_classes):
    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])
{BUILDER_COMPILE}    return model
"""
LOGITS_COMPILE = (
    '    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))\n'
)
LOGITS_BUILDER = f"""
from tensorflow import keras

def build_model():
    inputs = keras.Input(shape=(20,))
    outputs = keras.layers.Dense(1)(keras.layers.Dense(32, activation="relu")(inputs))
    model = keras.Model(inputs, outputs)
{LOGITS_COMPILE}    return model
"""
INTEGER_LABELS_FIT = """
import numpy as np
from model import build_model

model = build_model(3)
labels = np.random.randint(0, 3, size=(64,))
model.fit(np.zeros((64, 20)), labels, epochs=1)
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        (root / name).write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")


def found(findings: list[Finding]) -> list[tuple[str, str]]:
    """(code, file name) of each finding, in order."""
    return [(f.code, Path(f.location.path).name) for f in findings if f.location]


def test_labels_are_judged_by_the_compile_of_a_builder_in_another_file(tmp_path: Path) -> None:
    write(tmp_path, {"model.py": BUILDER, "train.py": INTEGER_LABELS_FIT})
    findings = check_paths([str(tmp_path)])
    assert found(findings) == [("LG007", "train.py")]
    assert "'categorical_crossentropy'" in findings[0].message


def test_checking_the_training_script_alone_reads_the_builder(tmp_path: Path) -> None:
    write(tmp_path, {"model.py": BUILDER, "train.py": INTEGER_LABELS_FIT})
    assert found(check_paths([str(tmp_path / "train.py")])) == [("LG007", "train.py")]


def test_a_prediction_of_another_files_builder_is_judged_by_its_compile(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": LOGITS_BUILDER,
            "predict.py": """
                import numpy as np
                from model import build_model

                model = build_model()
                model.load_weights("weights.h5")
                scores = model.predict(np.zeros((4, 20)))
                print(scores > 0.5)
            """,
        },
    )
    assert found(check_paths([str(tmp_path)])) == [("LG009", "predict.py")]


def test_a_builder_method_of_a_class_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "nets.py": """
                from tensorflow import keras

                class Builder:
                    def __init__(self, classes):
                        self.classes = classes

                    def build(self):
                        model = keras.Sequential([keras.layers.Dense(self.classes)])
                        model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
                        return model
            """,
            "train.py": """
                import numpy as np
                from nets import Builder

                model = Builder(1).build()
                model.fit(np.zeros((8, 20)), np.zeros(8))
                print(np.round(model.predict(np.zeros((2, 20)))))
            """,
        },
    )
    assert found(check_paths([str(tmp_path)])) == [("LG009", "train.py")]


def test_a_fault_of_the_builder_itself_is_reported_once(tmp_path: Path) -> None:
    builder = BUILDER.replace(', activation="softmax"', "").replace(', metrics=["accuracy"]', "")
    builder = builder.replace("categorical_", "sparse_categorical_")
    write(tmp_path, {"model.py": builder, "train.py": INTEGER_LABELS_FIT})
    assert found(check_paths([str(tmp_path)])) == [("LG001", "model.py")]


def test_a_compile_of_the_training_script_replaces_the_builders(tmp_path: Path) -> None:
    fit = INTEGER_LABELS_FIT.replace(
        "model.fit(", 'model.compile(loss="sparse_categorical_crossentropy")\nmodel.fit('
    )
    write(tmp_path, {"model.py": BUILDER, "train.py": fit})
    assert check_paths([str(tmp_path)]) == []


def test_a_builder_compiling_in_either_branch_gives_no_loss(tmp_path: Path) -> None:
    branches = BUILDER.replace(
        BUILDER_COMPILE,
        "    if num_classes > 2:\n"
        '        model.compile(loss="categorical_crossentropy")\n'
        "    else:\n"
        '        model.compile(loss="sparse_categorical_crossentropy")\n',
    )
    assert branches != BUILDER
    write(tmp_path, {"model.py": branches, "train.py": INTEGER_LABELS_FIT})
    assert check_paths([str(tmp_path)]) == []


def test_a_builder_that_returns_the_model_uncompiled_gives_no_loss(tmp_path: Path) -> None:
    uncompiled = BUILDER.replace(BUILDER_COMPILE, "")
    assert uncompiled != BUILDER
    write(tmp_path, {"model.py": uncompiled, "train.py": INTEGER_LABELS_FIT})
    assert check_paths([str(tmp_path)]) == []


UNCOMPILED_LOGITS_BUILDER = LOGITS_BUILDER.replace(LOGITS_COMPILE, "")
READ_OUT = """
import numpy as np
from model import build_model

model = build_model()
model.load_weights("weights.h5")
scores = model.predict(np.zeros((4, 20)))
print(scores > 0.5)
"""


def training_script(loss: str) -> str:
    return f"""
import numpy as np
from tensorflow import keras
from model import build_model

model = build_model()
model.compile(optimizer="adam", loss={loss})
model.fit(np.zeros((8, 20)), np.zeros(8))
model.save_weights("weights.h5")
"""


def test_a_read_out_is_judged_by_the_compile_of_the_training_script_beside(
    tmp_path: Path,
) -> None:
    assert UNCOMPILED_LOGITS_BUILDER != LOGITS_BUILDER
    write(
        tmp_path,
        {
            "model.py": UNCOMPILED_LOGITS_BUILDER,
            "train.py": training_script("keras.losses.BinaryCrossentropy(from_logits=True)"),
            "predict.py": READ_OUT,
        },
    )
    assert found(check_paths([str(tmp_path)])) == [("LG009", "predict.py")]
    assert found(check_paths([str(tmp_path / "predict.py")])) == [("LG009", "predict.py")]


def test_a_read_out_of_a_model_trained_beside_on_probabilities_is_left_alone(
    tmp_path: Path,
) -> None:
    sigmoid = 'Dense(1, activation="sigmoid")'
    sigmoid_builder = UNCOMPILED_LOGITS_BUILDER.replace("Dense(1)", sigmoid)
    assert sigmoid_builder != UNCOMPILED_LOGITS_BUILDER
    write(
        tmp_path,
        {
            "model.py": sigmoid_builder,
            "train.py": training_script('"binary_crossentropy"'),
            "predict.py": READ_OUT,
        },
    )
    assert check_paths([str(tmp_path)]) == []


def test_scripts_beside_that_disagree_or_only_compile_give_no_loss(tmp_path: Path) -> None:
    only_compiles = training_script('"binary_crossentropy"').replace(
        "model.fit(np.zeros((8, 20)), np.zeros(8))\n", ""
    )
    write(
        tmp_path,
        {
            "model.py": UNCOMPILED_LOGITS_BUILDER,
            "train.py": training_script("keras.losses.BinaryCrossentropy(from_logits=True)"),
            "train_mse.py": training_script('"mse"'),
            "export.py": only_compiles,
            "predict.py": READ_OUT,
        },
    )
    assert check_paths([str(tmp_path / "predict.py")]) == []
    (tmp_path / "train_mse.py").unlink()
    assert found(check_paths([str(tmp_path / "predict.py")])) == [("LG009", "predict.py")]


def test_read_outs_beside_one_another_do_not_loop(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": UNCOMPILED_LOGITS_BUILDER,
            "predict.py": READ_OUT,
            "predict_again.py": READ_OUT,
        },
    )
    assert check_paths([str(tmp_path)]) == []


def test_a_model_class_read_beside_its_training_script(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "nets.py": """
                import keras

                class Scorer(keras.Model):
                    def __init__(self):
                        super().__init__()
                        self.hidden = keras.layers.Dense(32, activation="relu")
                        self.out = keras.layers.Dense(1)

                    def call(self, x):
                        return self.out(self.hidden(x))
            """,
            "train.py": """
                import keras
                import numpy as np
                from nets import Scorer

                model = Scorer()
                model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
                model.fit(np.zeros((8, 20)), np.zeros(8))
            """,
            "serve.py": """
                import numpy as np
                from nets import Scorer

                model = Scorer()
                model.load_weights("scorer.weights.h5")
                print(np.round(model.predict(np.zeros((2, 20)))))
            """,
        },
    )
    assert found(check_paths([str(tmp_path)])) == [("LG009", "serve.py")]


FLAG_BUILDER = """
from tensorflow import keras

def build(from_logits=True):
    head = keras.layers.Dense(1, activation=None if from_logits else "sigmoid")
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), head])
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=from_logits))
    return model
"""


def test_a_builders_compile_is_read_with_what_the_call_passes(tmp_path: Path) -> None:
    script = "import numpy as np\nfrom nets import build\n\nmodel = build({flag})\n"
    script += "model.fit(x, y)\nprint(model.predict(x) > 0.5)\n"
    write(tmp_path, {"nets.py": FLAG_BUILDER, "run.py": script.format(flag="from_logits=False")})
    assert check_paths([str(tmp_path)]) == []
    write(tmp_path, {"run.py": script.format(flag="")})
    assert found(check_paths([str(tmp_path)])) == [("LG009", "run.py")]


def test_a_called_builders_loss_is_read_with_what_the_call_passes(tmp_path: Path) -> None:
    builder = """
        from tensorflow import keras

        def build(act=None, fl=True):
            head = keras.layers.Dense(1, activation=act)
            model = keras.Sequential([keras.layers.Dense(8, activation="relu"), head])
            model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=fl))
            return model
    """
    script = "from nets import build\n\nmodel = build({arguments})\nmodel.fit(x, y)\n"
    write(tmp_path, {"nets.py": builder, "run.py": script.format(arguments='"sigmoid", False')})
    assert check_paths([str(tmp_path)]) == []
    write(tmp_path, {"run.py": script.format(arguments='act="sigmoid"')})
    assert found(check_paths([str(tmp_path)])) == [("LG002", "nets.py")]


BASE_BUILDER = """
from tensorflow import keras

def make_base():
    model = keras.Sequential()
    model.add(keras.Input(shape=(20,)))
    model.add(keras.layers.Dense(32, activation="relu"))
    return model
"""


def test_layers_added_to_another_files_model_make_its_head(tmp_path: Path) -> None:
    script = """
        from tensorflow import keras
        from nets import make_base

        model = make_base()
        model.add(keras.layers.Dense(10, activation="softmax"))
        model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    """
    write(tmp_path, {"nets.py": BASE_BUILDER, "run.py": script})
    assert found(check_paths([str(tmp_path)])) == [("LG002", "run.py")]
    conditional = textwrap.dedent(script).replace("model.add(", "if wide:\n    model.add(", 1)
    write(tmp_path, {"run.py": conditional})
    assert check_paths([str(tmp_path)]) == []


def test_a_builders_compile_does_not_judge_layers_added_after_it(tmp_path: Path) -> None:
    builder = LOGITS_BUILDER.replace("keras.Model(inputs, outputs)", "keras.Sequential([])")
    script = """
        from tensorflow import keras
        from model import build_model

        model = build_model()
        model.add(keras.layers.Activation("sigmoid"))
        model.compile(loss="binary_crossentropy")
        model.fit(x, y)
        print(model.predict(x) > 0.5)
    """
    write(tmp_path, {"model.py": builder, "train.py": script})
    assert check_paths([str(tmp_path)]) == []
    one_file = builder + textwrap.dedent(script).replace("from model import build_model\n", "")
    (tmp_path / "model.py").unlink()
    (tmp_path / "train.py").write_text(one_file, encoding="utf-8")
    assert check_paths([str(tmp_path)]) == []


def test_a_layer_added_to_a_model_compiled_in_one_arm_of_another_file(tmp_path: Path) -> None:
    builder = """
        from tensorflow import keras

        def make(flag):
            model = keras.Sequential([keras.layers.Dense(1)])
            if flag:
                model.compile(loss="mse")
            return model
    """
    script = "from tensorflow import keras\nfrom nets import make\n\nmodel = make(False)\n"
    script += "model.add(keras.layers.Dense(1))\n"
    write(tmp_path, {"nets.py": builder, "run.py": script})
    assert check_paths([str(tmp_path)]) == []


DEFAULTS_BUILDER = """
from tensorflow import keras

def build_head(input_shape, channels=1, activation="softmax"):
    inputs = keras.Input(input_shape)
    hidden = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    outputs = keras.layers.Conv2D(channels, 1, activation=activation)(hidden)
    return keras.Model(inputs, outputs)
"""


def test_a_builders_defaults_that_a_script_beside_overrides_are_not_judged(
    tmp_path: Path,
) -> None:
    """`channels=1, activation="softmax"` defaults no caller keeps: the factory beside it
    passes two sigmoid channels, so the one-unit softmax of the defaults is never built."""
    write(
        tmp_path,
        {
            "unets.py": DEFAULTS_BUILDER,
            "factory.py": """
            from unets import build_head

            def make_model(shape):
                return build_head(shape, channels=2, activation="sigmoid")
            """,
        },
    )
    assert found(check_paths([str(tmp_path)])) == []
    assert found(check_paths([str(tmp_path / "unets.py")])) == []


def test_a_builders_defaults_are_judged_where_no_script_beside_overrides_them(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "unets.py": DEFAULTS_BUILDER,
            "factory.py": """
            from unets import build_head

            def make_model(shape):
                return build_head(shape)
            """,
        },
    )
    assert ("LG004", "unets.py") in found(check_paths([str(tmp_path)]))
    (tmp_path / "factory.py").unlink()
    assert found(check_paths([str(tmp_path)])) == [("LG004", "unets.py")]
