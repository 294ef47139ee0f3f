"""`check --jobs N` and the result cache: the same findings as a plain run, whatever N, cold or
warm; entries invalidated exactly when a file, a file it depends on, the settings or logitguard
change; corrupt entries ignored and rewritten; concurrent runs leave the cache valid."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import logitguard
from logitguard.cli import main
from logitguard.config import Config, load_config
from logitguard.core.facts import TrainingSetup
from logitguard.core.findings import Finding
from logitguard.rules import ALL_RULES
from logitguard.static import cache as cache_module
from logitguard.static import checker, runner, sources
from logitguard.static.cache import Cache, FileHashes, content_hash, tool_fingerprint
from logitguard.static.checker import CheckLog, FileResult
from logitguard.static.discovery import FileKind, SourceFile, discover, project_roots
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frontends import Frontend

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "examples" / "notebooks" / "buggy_fashion_mnist.ipynb"
BROKEN = "broken.py"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_project(root: Path) -> None:
    """Every rule's examples spread over packages, plain modules importing one another, a
    notebook, and a file that does not parse: enough files for three workers."""
    examples = [(rule, example) for rule in ALL_RULES for example in rule.examples]
    for index, (rule, example) in enumerate(examples):
        package = root / f"pkg{index % 4}"
        write(package / "__init__.py", "")
        name = f"{rule.code.lower()}_{'invalid' if example.invalid else 'valid'}_{index:03d}.py"
        write(package / name, textwrap.dedent(example.source))
    for index in range(12):
        previous = f"from util.helpers{index - 1} import scale\n" if index else ""
        write(
            root / "util" / f"helpers{index}.py",
            f"{previous}\n\ndef scale{index}(values):\n    return [v * {index} for v in values]\n",
        )
    write(root / BROKEN, "def broken(:\n")
    shutil.copy(NOTEBOOK, root / "notebook.ipynb")
    shutil.copytree(REPO / "examples" / "project", root / "multi_file")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    build_project(root)
    monkeypatch.chdir(root)
    monkeypatch.delenv(cache_module.CACHE_DIR_ENV, raising=False)
    return root


def project_files() -> list[SourceFile]:
    return discover(["."]).files


def worker_sized_project(
    root: Path, sources: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> list[SourceFile]:
    """`sources` written under `root`, with enough plain modules beside them for the
    workers, and the files of the project from `root` as the working folder."""
    for name, text in sources.items():
        write(root / name, text)
    for index in range(2 * runner.MIN_FILES_PER_WORKER):  # enough files for the workers
        write(root / "plain" / f"module{index}.py", f"VALUE = {index}\n")
    monkeypatch.chdir(root)
    return project_files()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--format", "json", *args, "."])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def plain_findings(config: Config | None = None) -> list[Finding]:
    return checker.check_files(project_files(), config)


def test_the_project_is_big_enough_for_three_workers(project: Path) -> None:
    files = project_files()
    assert len(files) >= 3 * runner.MIN_FILES_PER_WORKER
    assert runner.check_files(files, jobs=3).stats.workers == 3


def test_same_output_whatever_the_jobs_and_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, reference, _ = cli(capsys, "--no-cache", "--jobs", "1")
    report = json.loads(reference)
    assert code == 1
    assert {finding["code"] for finding in report["findings"]} >= {"LG000", "LG001", "LG013"}
    runs = [
        ("--no-cache", "--jobs", "2"),
        ("--no-cache", "--jobs", "3"),
        ("--cache-dir", "c", "--jobs", "3"),  # cold: fills the cache
        ("--cache-dir", "c", "--jobs", "1"),  # warm
        ("--cache-dir", "c", "--jobs", "2"),  # warm
        ("--jobs", "2"),  # the default folder, cold
        ("--jobs", "3"),  # the default folder, warm
    ]
    for args in runs:
        assert cli(capsys, *args) == (code, reference, ""), args
    assert list((project / "c" / cache_module.ENTRIES_FOLDER).iterdir())
    assert list((project / cache_module.CACHE_DIR_NAME / cache_module.ENTRIES_FOLDER).iterdir())


def test_findings_of_the_runner_equal_the_plain_checker(project: Path, tmp_path: Path) -> None:
    files = project_files()
    expected = plain_findings()
    for jobs in (1, 2, 3):
        cache = Cache(tmp_path / f"cache{jobs}", Config())
        assert runner.check_files(files, jobs=jobs, cache=cache).findings == expected
        assert runner.check_files(files, jobs=jobs, cache=cache).findings == expected


def test_warm_run_analyses_nothing_and_a_change_rechecks_that_file_only(
    project: Path, tmp_path: Path
) -> None:
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    cold = runner.check_files(files, jobs=2, cache=cache)
    assert len(cold.stats.analysed) == len(files)
    warm = runner.check_files(files, jobs=2, cache=cache)
    assert warm.stats.analysed == [BROKEN]  # an LG000 result is never kept
    assert warm.stats.from_cache == len(files) - 1
    assert warm.findings == cold.findings

    flagged = next(f for f in files if Path(f.path).name.startswith("lg001_invalid"))
    assert any(f.location and f.location.path == flagged.path for f in cold.findings)
    write(Path(flagged.path), "VALUE = 1\n")
    after = runner.check_files(files, jobs=2, cache=cache)
    assert sorted(after.stats.analysed) == sorted([BROKEN, flagged.path])
    assert after.findings == plain_findings()
    assert not any(f.location and f.location.path == flagged.path for f in after.findings)


MODEL = """\
import keras
from keras import layers


def make_classifier(units=10):
    return keras.Sequential(
        [keras.Input(shape=(20,)), layers.Dense(16, activation="relu"), layers.Dense(units)]
    )
"""
TRAIN = """\
import keras

from model import make_classifier

model = make_classifier()
model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(), metrics=["accuracy"])
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_changed_imported_file_invalidates_the_importing_files_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """train.py trains the logits model that model.py builds with a loss expecting
    probabilities; once model.py adds a softmax, the warm run must clear train.py."""
    root = tmp_path / "two_files"
    files = worker_sized_project(root, {"model.py": MODEL, "train.py": TRAIN}, monkeypatch)
    cache = Cache(tmp_path / "cache", Config())
    cold = runner.check_files(files, jobs=jobs, cache=cache)
    assert cold.stats.workers == jobs
    assert [(f.code, f.location.path) for f in cold.findings if f.location] == [
        ("LG001", "train.py")
    ]
    assert runner.check_files(files, jobs=jobs, cache=cache).stats.analysed == []

    write(
        root / "model.py",
        MODEL.replace("layers.Dense(units)", 'layers.Dense(units, activation="softmax")'),
    )
    warm = runner.check_files(files, jobs=jobs, cache=cache)
    assert sorted(warm.stats.analysed) == ["model.py", "train.py"]
    assert warm.findings == [] == checker.check_files(files)

    (root / "model.py").unlink()
    files = project_files()
    assert runner.check_files(files, jobs=jobs, cache=cache).stats.analysed == ["train.py"]


NET = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(30, 1)

    def forward(self, x):
        return self.out(x)
"""
TRAIN_NET = """\
import torch.nn as nn
from model import Net

net = Net()
for x, y in loader:
    nn.BCEWithLogitsLoss()(net(x), y).backward()
"""
PREDICT_NET = """\
from model import Net

net = Net()
hits = net(x_new) > 0.5
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_changed_training_script_invalidates_the_entry_of_the_script_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """predict.py cuts at 0.5 the logits of a model that train.py, beside it, trains with
    BCEWithLogitsLoss; predict.py imports nothing of train.py, yet once train.py trains a
    regression, the warm run must clear predict.py."""
    root = tmp_path / "beside"
    sources = {"model.py": NET, "train.py": TRAIN_NET, "predict.py": PREDICT_NET}
    files = worker_sized_project(root, sources, monkeypatch)
    cache = Cache(tmp_path / "cache", Config())
    cold = runner.check_files(files, jobs=jobs, cache=cache)
    assert [(f.code, f.location.path) for f in cold.findings if f.location] == [
        ("LG009", "predict.py")
    ]
    assert runner.check_files(files, jobs=jobs, cache=cache).stats.analysed == []

    write(root / "train.py", TRAIN_NET.replace("BCEWithLogitsLoss", "MSELoss"))
    warm = runner.check_files(files, jobs=jobs, cache=cache)
    assert sorted(warm.stats.analysed) == ["predict.py", "train.py"]
    assert warm.findings == [] == checker.check_files(files)


def test_an_imported_file_that_did_not_parse_is_a_dependency_once_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """model.py cannot be read, so train.py's analysis sees no model; once model.py parses,
    the warm run must read it and find train.py's mismatch."""
    root = tmp_path / "broken_import"
    write(root / "model.py", MODEL.replace("def make_classifier(units=10):", "def make(:"))
    write(root / "train.py", TRAIN)
    monkeypatch.chdir(root)
    cache = Cache(tmp_path / "cache", Config())
    cold = runner.check_files(project_files(), cache=cache)
    assert [f.code for f in cold.findings] == ["LG000"]
    write(root / "model.py", MODEL)
    warm = runner.check_files(project_files(), cache=cache)
    assert sorted(warm.stats.analysed) == ["model.py", "train.py"]
    assert [f.code for f in warm.findings] == ["LG001"]


def test_a_new_file_that_an_import_now_finds_invalidates_the_importing_files_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scripts/train.py imports `model`, found at the checked root; a model.py created next to
    the script comes first on the import path and now holds the model: the entry is stale."""
    root = tmp_path / "shadowed"
    write(root / "model.py", MODEL)
    write(root / "scripts" / "train.py", TRAIN)
    monkeypatch.chdir(root)
    cache = Cache(tmp_path / "cache", Config())
    cold = runner.check_files(project_files(), cache=cache)
    assert [(f.code, f.location.path) for f in cold.findings if f.location] == [
        ("LG001", str(Path("scripts", "train.py")))
    ]
    assert runner.check_files(project_files(), cache=cache).stats.analysed == []

    shadow = MODEL.replace("layers.Dense(units)", 'layers.Dense(units, activation="softmax")')
    write(root / "scripts" / "model.py", shadow)
    files = project_files()
    warm = runner.check_files(files, cache=cache)
    # The entries of a run share one list of the files its imports missed: the new file makes
    # all of them stale, the importing file's among them.
    assert {str(Path("scripts", "model.py")), str(Path("scripts", "train.py"))} <= set(
        warm.stats.analysed
    )
    assert warm.findings == [] == checker.check_files(files)
    assert runner.check_files(files, cache=cache).stats.analysed == []


def test_the_files_imports_missed_are_kept_once_per_run(project: Path, tmp_path: Path) -> None:
    """Each import of an outside package is looked for in every search root: thousands of
    absent files per entry in a big project, kept once in a list the entries point to."""
    folder = tmp_path / "cache"
    runner.check_files(project_files(), cache=Cache(folder, Config()))
    [absent_list] = (folder / cache_module.ABSENT_FOLDER).iterdir()
    missed = json.loads(absent_list.read_text(encoding="utf-8"))["entry"]
    assert missed and all(not Path(path).exists() for path in missed)
    entries = [
        json.loads(entry.read_text(encoding="utf-8"))["entry"]
        for entry in (folder / cache_module.ENTRIES_FOLDER).iterdir()
    ]
    assert {entry["absent"] for entry in entries} == {absent_list.stem}
    assert not any(path in entry["dependencies"] for entry in entries for path in missed)

    absent_list.write_text(absent_list.read_text(encoding="utf-8")[:-9], encoding="utf-8")
    cache = Cache(folder, Config())
    rerun = runner.check_files(project_files(), cache=cache)
    assert sorted(rerun.stats.analysed) == sorted(f.path for f in project_files())
    assert cache.invalid_entries == 1  # the damaged list, once; its entries are then stale
    assert runner.check_files(project_files(), cache=cache).stats.analysed == [BROKEN]


def test_absent_lists_unused_for_a_month_go_when_a_run_writes_a_new_one(
    project: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    runner.check_files(project_files(), cache=Cache(folder, Config()))
    [in_use] = (folder / cache_module.ABSENT_FOLDER).iterdir()
    stale = in_use.with_name("0" * 64 + ".json")
    shutil.copy(in_use, stale)
    month_ago = time.time() - (cache_module.ABSENT_LIST_DAYS + 1) * 86400
    for path in (in_use, stale):
        os.utime(path, (month_ago, month_ago))
    assert runner.check_files(project_files(), cache=Cache(folder, Config())).stats.analysed == [
        BROKEN
    ]  # the lookup used `in_use`: it is fresh again
    write(project / "util" / "extra.py", "import numpy_like_helpers\n")  # a new list
    runner.check_files(project_files(), cache=Cache(folder, Config()))
    assert in_use.exists() and not stale.exists()


def test_an_entry_holds_only_while_its_dependencies_are_unchanged(tmp_path: Path) -> None:
    model = write(tmp_path / "model.py", "UNITS = 10\n")
    train = SourceFile(str(tmp_path / "train.py"), FileKind.PYTHON)
    invalid = next(ex for ex in ALL_RULES[0].examples if ex.invalid)
    write(Path(train.path), textwrap.dedent(invalid.source))
    [found] = checker.check_file(train).findings
    result = FileResult([found], frozenset({str(model)}))
    cache = Cache(tmp_path / "cache", Config())
    train_hash = content_hash(train.path)
    assert train_hash is not None
    dependency_hashes = {cache_module.absolute(str(model)): content_hash(str(model))}
    cache.store(train, train_hash, result, dependency_hashes)
    assert cache.lookup(train, FileHashes()) == [found]

    write(model, "UNITS = 2\n")
    assert cache.lookup(train, FileHashes()) is None
    write(model, "UNITS = 10\n")  # the very content the entry was made from
    assert cache.lookup(train, FileHashes()) == [found]
    model.unlink()
    assert cache.lookup(train, FileHashes()) is None


def test_select_and_ignore_apply_to_cached_results_without_rechecking(
    project: Path, tmp_path: Path
) -> None:
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    runner.check_files(files, cache=cache)
    for config in (Config(select=("LG001",)), Config(ignore=("LG00",)), Config(select=("LG01",))):
        run = runner.check_files(files, config, cache=Cache(tmp_path / "cache", config))
        assert run.stats.analysed == [BROKEN]
        assert run.findings == plain_findings(config)


def test_a_changed_configuration_through_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "pyproject.toml", '[tool.logitguard]\nignore = ["LG003"]\n')
    first = cli(capsys)
    assert first == cli(capsys, "--no-cache")
    assert (project / cache_module.CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()
    write(project / "pyproject.toml", '[tool.logitguard]\nselect = ["LG003"]\n')
    second = cli(capsys)
    assert second == cli(capsys, "--no-cache")
    assert second != first


@dataclasses.dataclass(frozen=True)
class ConfigWithAnalysisOption(Config):
    """A configuration with a setting the analysis would read (logitguard has none yet)."""

    max_depth: int = 10


def test_settings_that_reach_the_analysis_are_part_of_the_key(
    project: Path, tmp_path: Path
) -> None:
    files = project_files()
    folder = tmp_path / "cache"
    runner.check_files(files, cache=Cache(folder, ConfigWithAnalysisOption()))
    same = runner.check_files(files, cache=Cache(folder, ConfigWithAnalysisOption(ignore=("X",))))
    assert same.stats.analysed == [BROKEN]
    other = ConfigWithAnalysisOption(max_depth=3)
    assert len(runner.check_files(files, cache=Cache(folder, other)).stats.analysed) == len(files)


@pytest.fixture
def fresh_tool_fingerprint() -> object:
    tool_fingerprint.cache_clear()
    yield
    tool_fingerprint.cache_clear()


def test_a_new_logitguard_version_rechecks_everything(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_tool_fingerprint: object
) -> None:
    files = project_files()
    folder = tmp_path / "cache"
    runner.check_files(files, cache=Cache(folder, Config()))
    monkeypatch.setattr(logitguard, "__version__", "99.0.0")
    tool_fingerprint.cache_clear()
    assert tool_fingerprint() != Cache(folder, Config(), tool="0").tool
    upgraded = runner.check_files(files, cache=Cache(folder, Config()))
    assert len(upgraded.stats.analysed) == len(files)
    assert upgraded.findings == plain_findings()
    assert runner.check_files(files, cache=Cache(folder, Config())).stats.analysed == [BROKEN]


def corrupt(entry: Path, how: str, other_entry: Path) -> None:
    text = entry.read_text(encoding="utf-8")
    if how == "truncated":
        entry.write_text(text[: len(text) // 2], encoding="utf-8")
    elif how == "garbage":
        entry.write_bytes(os.urandom(300))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "foreign json":
        entry.write_text(json.dumps({"findings": [], "version": 1}), encoding="utf-8")
    elif how == "tampered":  # a finding removed, the checksum left as it was
        data = json.loads(text)
        assert data["entry"]["findings"]
        data["entry"]["findings"] = data["entry"]["findings"][1:]
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif how == "another file's":
        shutil.copy(other_entry, entry)


@pytest.mark.parametrize(
    "how", ["truncated", "garbage", "empty", "foreign json", "tampered", "another file's"]
)
def test_a_corrupt_entry_is_ignored_and_rewritten(project: Path, tmp_path: Path, how: str) -> None:
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    expected = runner.check_files(files, cache=cache).findings
    flagged_paths = {g.location.path for g in expected if g.location and g.code != "LG000"}
    flagged = next(f for f in files if f.path in flagged_paths)
    other = next(f for f in files if f is not flagged and f.path != BROKEN)
    corrupt(cache.entry_path(flagged), how, cache.entry_path(other))

    cache = Cache(tmp_path / "cache", Config())
    run = runner.check_files(files, cache=cache)
    assert run.findings == expected
    assert sorted(run.stats.analysed) == sorted([BROKEN, flagged.path])
    assert cache.invalid_entries == (0 if how == "another file's" else 1)
    assert runner.check_files(files, cache=cache).stats.analysed == [BROKEN]


def test_internal_errors_are_never_cached(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(module: ParsedModule) -> list[TrainingSetup]:
        raise KeyError("surprise")

    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    crashing = tuple(Frontend(f.framework, f.roots, crash) for f in sources.FRONTENDS)
    with monkeypatch.context() as patch:
        patch.setattr(sources, "FRONTENDS", crashing)
        crashed = runner.check_files(files, cache=cache)
    assert any("internal error" in f.message for f in crashed.findings)
    assert runner.check_files(files, cache=cache).findings == plain_findings()
    assert not cache.entry_path(SourceFile(BROKEN, FileKind.PYTHON)).exists()


def test_concurrent_runs_share_one_cache_and_leave_it_valid(project: Path, tmp_path: Path) -> None:
    """Four commands (two of them with two workers each) fill one cold cache at once."""
    folder = tmp_path / "shared-cache"
    check = [sys.executable, "-m", "logitguard", "check", "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    processes = [
        subprocess.Popen(
            [*check, "--jobs", jobs, "--cache-dir", str(folder), "."],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for jobs in ("1", "2", "1", "2")
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    reference = subprocess.run(
        [*check, "--jobs", "1", "--no-cache", "."], capture_output=True, text=True, env=env
    ).stdout
    assert [out for out, _ in outputs] == [reference] * 4, [err for _, err in outputs]
    assert not [path for path in folder.rglob("*") if path.name.startswith(".tmp")]

    # As the command made it: its results depend on where the project's imports are searched.
    cache = Cache(folder, load_config(["."]), search_roots=project_roots(["."]))
    warm = runner.check_files(project_files(), cache=cache, paths=["."])
    assert warm.stats.analysed == [BROKEN]
    assert cache.invalid_entries == 0


def test_workers_never_import_a_framework(project: Path) -> None:
    torch = pytest.importorskip("torch")  # loaded here: the workers must still not have it
    assert torch.__name__ in sys.modules
    framework_files = [f for f in project_files() if f.path.startswith("pkg")]
    probe = (
        "sorted(m for m in __import__('sys').modules if m.split('.')[0] in "
        + repr({"torch", "tensorflow", "keras", "jax", "flax", "optax", "lightning", "tf_keras"})
        + ")"
    )
    with runner.worker_pool(1) as pool:
        chunk = pool.submit(runner.analyse_chunk, framework_files).result()
        assert any(result.findings for result in chunk.results)
        assert pool.submit(eval, probe).result() == []


def test_the_cache_folder_is_marked_and_placed_at_the_project_root(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".git").mkdir()
    main(["check", "pkg0"])
    folder = project / cache_module.CACHE_DIR_NAME
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert not (project / "pkg0" / cache_module.CACHE_DIR_NAME).exists()

    monkeypatch.setenv(cache_module.CACHE_DIR_ENV, str(project / "from-env"))
    main(["check", "pkg1"])
    assert (project / "from-env" / "CACHEDIR.TAG").is_file()
    monkeypatch.setenv(cache_module.CACHE_DIR_ENV, str(project / "unused"))
    main(["check", "--no-cache", "pkg2"])
    assert not (project / "unused").exists()


def test_an_unwritable_cache_folder_warns_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "not-a-folder", "")
    code, out, err = cli(capsys, "--cache-dir", "not-a-folder/cache")
    assert (code, out) == cli(capsys, "--no-cache")[:2]
    assert err.startswith("logitguard: warning: results not cached")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(project: Path, jobs: str) -> None:
    assert main(["check", "--jobs", jobs, "."]) == 2


def test_an_unchanged_stamp_stands_for_the_content_and_a_racy_one_does_not(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "model.py", "UNITS = 10\n")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    hashes = FileHashes()
    assert hashes.of(str(path)) == content_hash(str(path))
    stamp = hashes.stamp(str(path))
    assert stamp is not None

    trusting = FileHashes()
    trusting.trust(str(path), "recorded", stamp)
    assert trusting.of(str(path)) == "recorded"  # not read again
    path.write_text("UNITS = 20\n", encoding="utf-8")  # same size, new time
    doubting = FileHashes()
    doubting.trust(str(path), "recorded", stamp)
    assert doubting.of(str(path)) == content_hash(str(path))

    just_now = FileHashes()  # modified within RACY_NS: its stamp must not be recorded
    just_now.of(str(path))
    assert just_now.stamp(str(path)) is None


def same_size_edit_keeping_the_time(path: str) -> None:
    before = os.stat(path)
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text.replace("Dense(10", "Dense(11", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size


def test_a_touched_file_is_not_analysed_again(project: Path, tmp_path: Path) -> None:
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    runner.check_files(files, cache=cache)
    flagged = next(f for f in files if Path(f.path).name.startswith("lg001_invalid"))
    os.utime(flagged.path)  # a new time, the same content
    assert runner.check_files(files, cache=cache).stats.analysed == [BROKEN]


@pytest.mark.parametrize("racy", [True, False])
def test_an_edit_that_keeps_size_and_time_is_seen_only_while_racy(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, racy: bool
) -> None:
    """Like git: a file hashed soon after it was modified (racy) is hashed again next time;
    otherwise its size, time and inode stand for its content (as in git, make and mypy)."""
    monkeypatch.setattr(cache_module, "RACY_NS", 10**18 if racy else 0)
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    runner.check_files(files, cache=cache)
    flagged = next(f for f in files if Path(f.path).name.startswith("lg001_invalid"))
    same_size_edit_keeping_the_time(flagged.path)
    assert (flagged.path in runner.check_files(files, cache=cache).stats.analysed) is racy


def test_an_entry_hashed_while_racy_gets_its_stamp_once_settled(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = project_files()
    cache = Cache(tmp_path / "cache", Config())
    flagged = next(f for f in files if Path(f.path).name.startswith("lg001_invalid"))

    def recorded_stamp() -> object:
        return json.loads(cache.entry_path(flagged).read_text(encoding="utf-8"))["entry"]["stamp"]

    monkeypatch.setattr(cache_module, "RACY_NS", 10**18)
    runner.check_files(files, cache=cache)
    assert recorded_stamp() is None
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    assert runner.check_files(files, cache=cache).stats.analysed == [BROKEN]
    status = os.stat(flagged.path)
    assert recorded_stamp() == [status.st_size, status.st_mtime_ns, status.st_ino]


def test_a_warm_run_logs_what_a_plain_run_logs(project: Path, tmp_path: Path) -> None:
    """The fingerprints a later --fix relies on, and the notes on skipped files (never
    cached: given every run), whatever the jobs and the cache."""
    r_notebook = new_notebook(cells=[new_code_cell("x <- 1")])
    r_notebook.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}
    nbformat.write(r_notebook, project / "analysis_in_r.ipynb")
    files = project_files()
    plain = CheckLog()
    checker.check_files(files, log=plain)
    assert len(plain.notes) == 1
    assert "R language" in plain.notes[0]
    cache = Cache(tmp_path / "cache", Config())
    for jobs in (2, 1):
        log = CheckLog()
        run = runner.check_files(files, jobs=jobs, cache=cache, log=log)
        assert (log.fingerprints, log.notes) == (plain.fingerprints, plain.notes)
    assert sorted(run.stats.analysed) == sorted([BROKEN, "analysis_in_r.ipynb"])


def test_a_run_pauses_the_collector_throughout_and_restores_it(project: Path) -> None:
    """Re-enabled between files, the collector would walk the project's growing heap again
    and again; paused for the run, it collects only young objects every so often."""
    import gc

    seen: list[bool] = []
    collections: list[int] = []
    check_file, collect = checker.check_file, gc.collect

    def recording(*args: object, **kwargs: object) -> FileResult:
        seen.append(gc.isenabled())
        return check_file(*args, **kwargs)  # type: ignore[arg-type]

    def counting(generation: int = 2) -> int:
        collections.append(generation)
        return collect(generation)

    files = project_files()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checker, "check_file", recording)
        patch.setattr(checker, "YOUNG_COLLECTION_EVERY", 10)
        patch.setattr(gc, "collect", counting)
        assert gc.isenabled()
        found = checker.check_files(files)
        assert gc.isenabled()
    assert len(seen) == len(files) and not any(seen)
    assert collections == [1] * (len(files) // 10)
    assert found == checker.check_files(files)


@pytest.mark.parametrize("for_cache", [False, True])
def test_a_worker_reads_the_imports_its_chunks_share_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, for_cache: bool
) -> None:
    """In a worker (its pool's initializer ran) the project outlives a chunk: the shared model
    module is parsed once for two chunks that import it. This process keeps no project."""
    (tmp_path / "shared.py").write_text(
        "import torch.nn as nn\n\n\n"
        "def Net():\n    return nn.Sequential(nn.Linear(4, 2), nn.Softmax(1))\n"
    )
    for name in ("a", "b"):
        (tmp_path / f"{name}.py").write_text(
            "import torch.nn as nn\nfrom shared import Net\n"
            "loss = nn.CrossEntropyLoss()(Net()(x), y)\n"
        )
    files = [
        found for found in discover([str(tmp_path)]).files if found.path.endswith(("a.py", "b.py"))
    ]
    roots = [str(tmp_path)]
    loaded: list[str] = []
    load_module = checker.load_module

    def counting(path: str):  # type: ignore[no-untyped-def]
        loaded.append(Path(path).name)
        return load_module(path)

    monkeypatch.setattr(checker, "load_module", counting)
    for kept in (None, "worker"):
        loaded.clear()
        monkeypatch.setattr(runner, "_kept_projects", None)
        if kept:
            runner._keep_projects_for_the_run()
        chunks = [runner.analyse_chunk([one], roots, for_cache) for one in files]
        assert [len(chunk.results) for chunk in chunks] == [1, 1]
        assert all(r.findings and r.findings[0].code == "LG002" for c in chunks for r in c.results)
        assert loaded.count("shared.py") == (1 if kept else 2)
