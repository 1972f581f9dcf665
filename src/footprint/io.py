"""Writing outputs whole or not at all, and never over an input.

``OutputTransaction`` is how a command writes its outputs (``--json``, ``--xlsx``, ``--html``):

1. every output path is checked before anything is computed: not a folder, its folder is a
   folder, not a symbolic link or a special file (pipe, device, socket), not one of the
   command's inputs, no two outputs the same file (however they are spelled: real paths and
   ``os.path.samefile``).  All problems are raised together as one ``OutputError`` (exit 2);
2. a temporary file is reserved beside each target (the real test that its folder is
   writable), still before computing;
3. the command writes every output into its temporary file;
4. only when all of them are written are they renamed onto their targets.  If a rename fails,
   the targets already renamed get their previous content back (kept as a hard link), so no
   output is changed; on any failure before that the temporary files are removed.

Symbolic links and special files are refused, never written through and never replaced by a
regular file: a link may point at an input, a device or another user's file, and replacing
it would silently turn it into a copy.  ``-`` names standard output: its content is written
to a temporary file like the others and copied to standard output after the files are renamed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from footprint.errors import OutputError, Problem

STDOUT = "-"
PathLike = str | os.PathLike[str]


@dataclass
class _Target:
    name: str  # how the command names the output, e.g. "--json"
    path: Path  # as the user wrote it
    temporary: Path | None = None
    backup: Path | None = None  # the previous content, while renaming

    @property
    def is_stdout(self) -> bool:
        return str(self.path) == STDOUT


def output_problems(
    outputs: Mapping[str, PathLike | None], inputs: Iterable[PathLike] = ()
) -> list[Problem]:
    """Every reason the outputs cannot be written safely (empty: they can)."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, Path]] = {}  # real path → (output name, path)
    input_paths = [Path(p) for p in inputs]
    stdout_by: str | None = None
    for name, given in outputs.items():
        if given is None:
            continue
        path = Path(given)
        if str(given) == STDOUT:
            if stdout_by is not None:
                problems.append(
                    Problem(f"{stdout_by} and {name} both write to standard output (-)")
                )
            stdout_by = name
            continue
        problem = _path_problem(path, name)
        if problem is not None:
            problems.append(Problem(f"{_label(name, path)}: {problem}"))
            continue
        for source in input_paths:
            if _same_file(path, source):
                problems.append(
                    Problem(
                        f"{_label(name, path)} is an input ({source}); footprint never writes "
                        "over its inputs: name another file"
                    )
                )
                break
        else:
            real = os.path.realpath(path)
            earlier = seen.get(real) or next(
                (item for item in seen.values() if _same_file(path, item[1])), None
            )
            if earlier is not None:
                problems.append(
                    Problem(
                        f"{_label(*earlier)} and {_label(name, path)} are the same file; "
                        "name a different file for each output"
                    )
                )
            else:
                seen[real] = (name, path)
    return problems


def _label(name: str, path: Path) -> str:
    return f"{name} {path}" if name else str(path)


def _path_problem(path: Path, name: str = "") -> str | None:
    """Why ``path`` cannot be an output file (``name``: the option, e.g. ``--json``), or None."""
    text = str(path)
    example = Path(text) / f"footprint.{name.lstrip('-') or 'out'}"
    in_folder = f"is a folder; name a file inside it, e.g. {example}"
    if text.endswith((os.sep, "/")) or path.name in ("", ".", ".."):
        return in_folder
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        return f"cannot be checked ({error.strerror or error})"
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            return (
                f"is a symbolic link (to {os.readlink(path)}); footprint does not write through "
                "links: name the file itself"
            )
        if stat.S_ISDIR(info.st_mode):
            return in_folder
        if not stat.S_ISREG(info.st_mode):
            return (
                "is not a regular file (a pipe, socket or device); footprint writes only "
                "regular files"
            )
        if not os.access(path, os.W_OK):
            return "is read-only; make it writable or name another file"
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        return f"cannot be created: {folder} is a file, not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot be created: the folder {folder} is not writable"
    return None


def _nearest_existing(folder: Path) -> Path:
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass  # one of them does not exist (yet)
    return os.path.realpath(a) == os.path.realpath(b)


class OutputTransaction:
    """Several outputs written all or none; see the module docstring.

    >>> with OutputTransaction({"--json": "a.json"}, inputs=["bom.csv"]) as out:  # doctest: +SKIP
    ...     assessment.to_json(out.path("--json"))

    The constructor checks the paths (``OutputError`` listing every problem); entering
    reserves the temporary files; leaving without an exception renames them onto the targets.
    """

    def __init__(
        self, outputs: Mapping[str, PathLike | None], inputs: Iterable[PathLike] = ()
    ) -> None:
        problems = output_problems(outputs, inputs)
        if problems:
            raise OutputError(problems)
        self._targets = {
            name: _Target(name, Path(path)) for name, path in outputs.items() if path is not None
        }
        self._created_folders: list[Path] = []

    def __contains__(self, name: str) -> bool:
        return name in self._targets

    @property
    def names(self) -> list[str]:
        return list(self._targets)

    @property
    def writes_stdout(self) -> bool:
        return any(target.is_stdout for target in self._targets.values())

    def path(self, name: str) -> Path:
        """Where to write output ``name`` (its temporary file)."""
        temporary = self._targets[name].temporary
        if temporary is None:
            raise RuntimeError("OutputTransaction.path() is only valid inside the with block")
        return temporary

    def __enter__(self) -> OutputTransaction:
        try:
            for target in self._targets.values():
                target.temporary = self._reserve(target)
        except BaseException:
            self._discard()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self._discard()
            return
        self._commit()

    # -- steps -------------------------------------------------------------------------------

    def _reserve(self, target: _Target) -> Path:
        if target.is_stdout:
            fd, name = tempfile.mkstemp(prefix="footprint-stdout-", suffix=".tmp")
        else:
            folder = target.path.parent
            try:
                self._make_folders(folder)
                fd, name = tempfile.mkstemp(
                    prefix=f".{target.path.name}.", suffix=".tmp", dir=folder
                )
            except OSError as error:
                raise OutputError(
                    Problem(
                        f"{_label(target.name, target.path)}: cannot write in {folder} "
                        f"({error.strerror or error}); nothing was written"
                    )
                ) from None
        os.close(fd)
        return Path(name)

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not os.path.lexists(folder) and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for item in reversed(missing):
            item.mkdir()
            self._created_folders.append(item)

    def _commit(self) -> None:
        done: list[_Target] = []
        files = [t for t in self._targets.values() if not t.is_stdout]
        try:
            for target in files:
                assert target.temporary is not None
                # mkstemp makes the file private (0600); an output gets the usual permissions
                target.temporary.chmod(0o666 & ~_current_umask())
                problem = _path_problem(target.path, target.name)  # changed since the check?
                if problem is not None:
                    raise OutputError(Problem(f"{_label(target.name, target.path)}: {problem}"))
                target.backup = _keep_previous(target.path)
                os.replace(target.temporary, target.path)
                target.temporary = None
                done.append(target)
        except BaseException as error:
            for target in reversed(done):
                _restore(target)
            self._discard()
            if isinstance(error, OSError):
                failed = files[len(done)] if len(done) < len(files) else files[-1]
                raise OutputError(
                    Problem(
                        f"{_label(failed.name, failed.path)}: cannot be written "
                        f"({error.strerror or error}); no output was changed"
                    )
                ) from None
            raise
        for target in done:
            if target.backup is not None:
                target.backup.unlink(missing_ok=True)
        for target in self._targets.values():
            if target.is_stdout and target.temporary is not None:
                _copy_to_stdout(target.temporary)
                target.temporary.unlink(missing_ok=True)
                target.temporary = None

    def _discard(self) -> None:
        for target in self._targets.values():
            if target.temporary is not None:
                target.temporary.unlink(missing_ok=True)
                target.temporary = None
            if target.backup is not None:
                target.backup.unlink(missing_ok=True)
                target.backup = None
        for folder in reversed(self._created_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty
        self._created_folders.clear()


def _keep_previous(path: Path) -> Path | None:
    """A hard link to the target's present content (to restore it), or None when it is new."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}.{os.getpid()}.previous")
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links: keep a copy instead
        shutil.copy2(path, backup)
    return backup


def _restore(target: _Target) -> None:
    with contextlib.suppress(OSError):
        if target.backup is not None:
            os.replace(target.backup, target.path)
            target.backup = None
        else:
            target.path.unlink()


def _copy_to_stdout(path: Path) -> None:
    sys.stdout.flush()
    with path.open("rb") as source:
        shutil.copyfileobj(source, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: PathLike) -> Iterator[Path]:
    """One output written whole or not at all: yield a temporary path beside ``target``; on
    success it is renamed onto the target.  The target is checked as ``OutputTransaction``
    checks it (``OutputError`` for a folder, a link, a special file …)."""
    with OutputTransaction({"": target}) as transaction:
        yield transaction.path("")


def write_text_atomic(target: PathLike, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes_atomic(target: PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)
