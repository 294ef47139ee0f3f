"""Which files `logitguard check PATH...` reads, and the configuration it uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from logitguard.config import Config, ConfigError, load_config, unknown_selectors
from logitguard.static.discovery import ExcludeGlobs, FileKind, discover


def touch(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def names(paths: list[str], root: Path) -> list[str]:
    return [Path(path).relative_to(root).as_posix() for path in paths]


def test_walk_is_recursive_sorted_and_skips_what_is_not_user_code(tmp_path: Path) -> None:
    for relative in (
        "b.py",
        "a.py",
        "notes.ipynb",
        "readme.md",
        "pkg/z.py",
        "pkg/sub/y.py",
        "pkg/model.keras",
        ".git/hooks/x.py",
        ".venv/lib/x.py",
        "venv/x.py",
        "pkg/__pycache__/z.py",
        "web/node_modules/x.py",
        "lib/site-packages/x.py",
        "envs/tools/x.py",
    ):
        touch(tmp_path / relative)
    touch(tmp_path / "envs" / "tools" / "pyvenv.cfg")
    found = discover([str(tmp_path)])
    assert names([f.path for f in found.files], tmp_path) == [
        "a.py",
        "b.py",
        "notes.ipynb",
        "pkg/sub/y.py",
        "pkg/z.py",
    ]
    assert [f.kind for f in found.files][2] is FileKind.NOTEBOOK
    assert found.missing == []


def test_explicit_files_are_taken_as_given_and_duplicates_dropped(tmp_path: Path) -> None:
    script = touch(tmp_path / "script")  # no suffix: read as Python
    model = touch(tmp_path / "model.h5")
    hidden = touch(tmp_path / ".hidden" / "a.py")
    found = discover([str(script), str(model), str(hidden), str(tmp_path / ".hidden"), "nope"])
    assert [(Path(f.path).name, f.kind) for f in found.files] == [
        ("script", FileKind.PYTHON),
        ("model.h5", FileKind.SAVED_MODEL),
        ("a.py", FileKind.PYTHON),
    ]
    assert found.missing == ["nope"]


def test_exclude_globs_match_relative_paths_and_names(tmp_path: Path) -> None:
    for relative in ("keep.py", "gen/a_pb2.py", "legacy/old.py", "src/m_pb2.py", "src/ok.py"):
        touch(tmp_path / relative)
    exclude = ExcludeGlobs(["legacy", "*_pb2.py"], tmp_path)
    found = discover([str(tmp_path)], exclude)
    assert names([f.path for f in found.files], tmp_path) == ["keep.py", "src/ok.py"]


def test_config_is_read_from_the_nearest_pyproject_with_a_logitguard_table(
    tmp_path: Path,
) -> None:
    touch(
        tmp_path / "pyproject.toml",
        '[tool.logitguard]\nselect = ["LG00"]\nignore = "LG009"\nexclude = ["build"]\n',
    )
    touch(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "inner"\n')
    touch(tmp_path / "inner" / "code.py")
    config = load_config([str(tmp_path / "inner" / "code.py")])
    assert config.select == ("LG00",)
    assert config.ignore == ("LG009",)
    assert config.exclude == ("build",)
    assert config.root == tmp_path.resolve()
    assert load_config([str(tmp_path.parent)]) == Config(root=load_config([]).root)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tool.logitguard\n", "cannot read it"),
        ("[tool.logitguard]\nformat = 'xml'\n", "format must be one of"),
        ("[tool.logitguard]\nignore = [1]\n", "ignore must be a list of strings"),
        ("[tool.logitguard]\nexcludes = []\n", "unknown key(s)"),
    ],
)
def test_bad_config_raises_config_error(tmp_path: Path, content: str, message: str) -> None:
    touch(tmp_path / "pyproject.toml", content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config([str(tmp_path)])


def test_selection_by_prefix_keeps_lg000_unless_ignored() -> None:
    config = Config(select=("LG00",), ignore=("LG003",))
    assert config.reports("LG001")
    assert not config.reports("LG003")
    assert not config.reports("LG010")
    assert config.reports("LG000")
    assert not Config(ignore=("LG000",)).reports("LG000")
    assert Config().reports("LG011")
    assert unknown_selectors(["LG00", "lg01", "XX"], ["LG000", "LG010"]) == ["XX"]
