"""Outputs are checked before computing and written all or none, never over an input.

The command-line cases are the ones reported in issue 14; each asserts the exit code, the one
line, and that every file present before (inputs, earlier outputs, a link's target, a pipe)
has the same bytes after (SHA-256 of the whole tree).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.cli import main
from footprint.errors import OutputError
from footprint.io import OutputTransaction, atomic_path

REPO = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: file → sha256, link → its target, other → its kind."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[name] = "link → " + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISFIFO(info.st_mode):
            found[name] = "fifo"
        else:
            found[name] = "folder" if stat.S_ISDIR(info.st_mode) else "other"
    return found


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("office-chair.csv", "office-chair.products.csv"):
        shutil.copy(REPO / "examples" / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (tmp_path / "DIR").mkdir()
    (tmp_path / "old.json").write_text('{"old": true}', encoding="utf-8")
    return tmp_path


def assess(work: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    cwd = Path.cwd()
    os.chdir(work)
    try:
        with pytest.raises(SystemExit) as done:
            main(["assess", "office-chair.csv", *args])
    finally:
        os.chdir(cwd)
    errors = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    return int(done.value.code or 0), errors


REFUSED = [
    (["--json", "DIR"], "--json DIR: is a folder; name a file inside it, e.g. DIR/footprint.json"),
    (
        ["--xlsx", "notes.txt/o.xlsx"],
        "--xlsx notes.txt/o.xlsx: cannot be created: notes.txt is a file, not a folder",
    ),
    (
        ["--json", "good.json", "--xlsx", "notes.txt/o.xlsx"],
        "--xlsx notes.txt/o.xlsx: cannot be created: notes.txt is a file, not a folder",
    ),
    (
        ["--json", "a.json", "--xlsx", "./DIR/../a.json"],
        "--json a.json and --xlsx DIR/../a.json are the same file; name a different file for "
        "each output",
    ),
    (
        ["--json", "office-chair.csv"],
        "--json office-chair.csv is an input (office-chair.csv); footprint never writes over "
        "its inputs: name another file",
    ),
    (
        ["--html", "office-chair.products.csv"],
        "--html office-chair.products.csv is an input (office-chair.products.csv); footprint "
        "never writes over its inputs: name another file",
    ),
    (
        ["--json", "old.json", "--html", "/proc/footprint-no-such/r.html"],
        "--html /proc/footprint-no-such/r.html: cannot write in /proc/footprint-no-such",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_refused_outputs_exit_2_with_one_line_and_change_nothing(
    work: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(work)
    code, errors = assess(work, *args, capsys=capsys)
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith(f"error: {message}"), errors
    assert tree(work) == before


def test_a_hard_link_to_the_input_is_the_input(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.link(work / "office-chair.csv", work / "same.csv")
    before = tree(work)
    code, errors = assess(work, "--json", "same.csv", capsys=capsys)
    assert code == 2 and "is an input (office-chair.csv)" in errors[0]
    assert tree(work) == before


def test_a_symlink_output_is_refused_and_its_target_untouched(
    work: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "target.json"
    elsewhere.write_text("someone else's file", encoding="utf-8")
    (work / "link.json").symlink_to(elsewhere)
    before = tree(work)
    code, errors = assess(work, "--json", "link.json", capsys=capsys)
    assert code == 2
    assert errors == [
        f"error: --json link.json: is a symbolic link (to {elsewhere}); footprint does not "
        "write through links: name the file itself"
    ]
    assert tree(work) == before
    assert (work / "link.json").is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == "someone else's file"


def test_a_fifo_output_is_refused_and_stays_a_fifo(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(work / "pipe.json")
    before = tree(work)
    code, errors = assess(work, "--json", "pipe.json", "--xlsx", "ok.xlsx", capsys=capsys)
    assert code == 2
    assert errors == [
        "error: --json pipe.json: is not a regular file (a pipe, socket or device); footprint "
        "writes only regular files"
    ]
    assert tree(work) == before
    assert stat.S_ISFIFO((work / "pipe.json").lstat().st_mode)


def test_all_outputs_written_into_new_folders_and_over_an_old_output(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, errors = assess(
        work, "--json", "old.json", "--xlsx", "new/sub/r.xlsx", "--html", "r.html", capsys=capsys
    )
    assert code == 0, errors
    assert json.loads((work / "old.json").read_text(encoding="utf-8"))["products"][0]["id"] == (
        "office-chair"
    )
    assert (work / "new" / "sub" / "r.xlsx").read_bytes()[:4] == b"PK\x03\x04"
    assert "<html" in (work / "r.html").read_text(encoding="utf-8")[:500].lower()
    leftovers = [p.name for p in work.rglob("*") if p.name.endswith((".tmp", ".previous"))]
    assert leftovers == []


def test_json_to_standard_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = Path.cwd()
    os.chdir(work)
    try:
        with pytest.raises(SystemExit) as done:
            main(["assess", "office-chair.csv", "--json", "-"])
    finally:
        os.chdir(cwd)
    assert done.value.code == 0
    out = capsys.readouterr()
    # stdout is the JSON alone; the summary table went to stderr
    assert json.loads(out.out)["products"][0]["id"] == "office-chair"
    assert "Climate change" in out.err


def test_json_is_streamed_into_its_file_all_or_none(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--json`` is streamed (``Assessment.write_json``, the text never held whole): the
    file holds pydantic's bytes of the document it holds; a failure in the middle of the
    stream leaves every earlier file as it was and no temporary file behind."""
    from footprint import json_writer
    from footprint.model import Assessment

    held: list[str] = []
    monkeypatch.setattr(json_writer, "document", lambda *a: held.append("text") or "")
    code, errors = assess(work, "--json", "new.json", capsys=capsys)
    assert code == 0, errors
    text = (work / "new.json").read_text(encoding="utf-8")
    assert text == Assessment.model_validate_json(text).model_dump_json(indent=2)
    assert held == []  # the whole text was never built

    pieces = json_writer.json_pieces

    def failing(*args: object, **kwargs: object) -> object:
        first = next(pieces(*args, **kwargs))  # type: ignore[arg-type]
        yield first
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json_writer, "json_pieces", failing)
    before = tree(work)
    code, errors = assess(work, "--json", "old.json", "--html", "r.html", capsys=capsys)
    assert code == 1 and len(errors) == 1 and "No space left on device" in errors[0]
    assert tree(work) == before  # old.json as it was, no r.html, no temporary file


# -- the transaction itself -------------------------------------------------------------------


def test_a_failed_rename_restores_the_outputs_already_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text("old a", encoding="utf-8")
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == second:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    outputs = OutputTransaction({"--json": first, "--other": second})
    with pytest.raises(OutputError) as refused, outputs as out:
        out.path("--json").write_text("new a", encoding="utf-8")
        out.path("--other").write_text("new b", encoding="utf-8")
    assert str(refused.value) == (
        f"--other {second}: cannot be written (No space left on device); no output was changed"
    )
    assert first.read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_failing_writer_leaves_no_output_and_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old", encoding="utf-8")
    outputs = OutputTransaction({"a": tmp_path / "a.json", "b": tmp_path / "n/b.json"})
    with pytest.raises(RuntimeError), outputs as out:
        out.path("a").write_text("new", encoding="utf-8")
        raise RuntimeError("the workbook writer failed")
    assert tree(tmp_path) == {"a.json": hashlib.sha256(b"old").hexdigest()}


def test_atomic_path_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError), atomic_path(tmp_path):
        pass


# -- the property: all written whole, or nothing changed --------------------------------------

KINDS = ("new", "existing", "directory", "input", "duplicate", "unwritable parent")


def _place(folder: Path, kind: str, index: int, earlier: list[Path]) -> Path:
    if kind == "new":
        return folder / f"new{index}.out"
    if kind == "existing":
        path = folder / f"existing{index}.out"
        path.write_text(f"previous {index}", encoding="utf-8")
        return path
    if kind == "directory":
        path = folder / f"dir{index}"
        path.mkdir()
        return path
    if kind == "input":
        return folder / "input.csv"
    if kind == "duplicate":
        if not earlier:
            return folder / f"new{index}.out"
        return folder / "." / earlier[0].name  # the same file spelled another way
    # unwritable: a read-only folder for a normal user; as root (which may write anywhere)
    # a folder of /proc, where nobody can create a file
    if IS_ROOT:
        return Path("/proc/footprint-no-such-folder") / f"out{index}"
    locked = folder / f"locked{index}"
    locked.mkdir()
    locked.chmod(0o555)
    return locked / "out"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
def test_outputs_are_written_whole_or_none_changes(
    tmp_path_factory: pytest.TempPathFactory, kinds: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("outputs")
    (folder / "input.csv").write_text("id,quantity,dataset\n", encoding="utf-8")
    paths: list[Path] = []
    for index, kind in enumerate(kinds):
        paths.append(_place(folder, kind, index, paths))
    before = tree(folder)
    must_fail = bool({"directory", "input", "unwritable parent"} & set(kinds)) or (
        "duplicate" in kinds[1:]
    )
    contents = {f"--out{i}": f"content {i} " * 1000 for i in range(len(paths))}
    try:
        with OutputTransaction(
            {f"--out{i}": p for i, p in enumerate(paths)}, inputs=[folder / "input.csv"]
        ) as out:
            for name, text in contents.items():
                out.path(name).write_text(text, encoding="utf-8")
    except OutputError as error:
        assert error.problems  # every refusal says why
        assert tree(folder) == before
        assert must_fail
    else:
        assert not must_fail
        for i, path in enumerate(paths):
            assert path.read_text(encoding="utf-8") == contents[f"--out{i}"]
        assert not [p for p in folder.rglob("*") if p.name.endswith((".tmp", ".previous"))]
    finally:
        for locked in folder.glob("locked*"):
            locked.chmod(0o755)
