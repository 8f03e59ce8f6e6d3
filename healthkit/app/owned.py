"""What a command owns in its output folder: the files it wrote, with their digests.

``healthkit build`` records its outputs in its cache (:mod:`.cache`), ``healthkit workshop``
in the pack's ``.healthkit-workshop.json``, ``healthkit lite`` in the site's
``healthkit-lite.json``. All three decide what they may replace or delete here, by one rule:

* a file that still holds exactly what healthkit wrote there is healthkit's: a later run may
  replace it, or delete it when it no longer makes that file;
* a file someone changed since, or put there, is theirs: it is never deleted, and replaced
  only with ``force``; otherwise the run keeps it and warns (:attr:`Placement.warnings`);
* only regular files are replaced, and never through a folder that leads out of the output
  folder (a symbolic link): such a target stops the run before anything is moved.

:func:`place` publishes a folder assembled in a staging folder by moving its files in one by
one. While it moves them the manifest names both the old and the new digest of each file, so
a run that is killed half way still knows every file it wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Collection, Literal, Mapping

from ..errors import OutputError
from ..io import write_text_atomic
from .outputs import inside

#: Name -> the digests a file of that name may hold and still be healthkit's.
Owned = dict[str, tuple[str, ...]]
State = Literal["absent", "ours", "theirs"]
#: A manifest (or cache) much larger than this is not one healthkit wrote.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_HEX = frozenset("0123456789abcdef")


class ManifestError(ValueError):
    """Why a manifest was not trusted."""


def digest_bytes(*parts: bytes) -> str:
    """SHA-256 of ``parts``, each prefixed with its length (so the parts cannot run together)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def digest_file(path: Path) -> str:
    """:func:`digest_bytes` of a file's content."""
    return digest_bytes(path.read_bytes())


def check_name(name: object) -> str:
    """A recorded name: a plain relative POSIX path (no ``..``, no absolute path)."""
    if not isinstance(name, str) or not name:
        raise ManifestError("a recorded output is not a file name")
    if PurePosixPath(name).is_absolute() or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        raise ManifestError(f"the output {name[:80]!r} is not a plain path inside the output folder")
    return name


def check_digest(value: object) -> str:
    if not isinstance(value, str) or len(value) != 64 or not set(value) <= _HEX:
        raise ManifestError("a recorded output has no valid digest")
    return value


def resolve(root: Path, name: str) -> Path | None:
    """``root / name``, only if it stays inside ``root`` once every link is followed."""
    path = root / name
    return path if inside(path, root) else None


def holds(root: Path, name: str, digests: Collection[str]) -> Path | None:
    """The file ``name`` if it is a regular file inside ``root`` holding one of ``digests``."""
    path = resolve(root, name)
    try:
        if path is None or not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return path if digest_file(path) in digests else None
    except OSError:
        return None


# -- manifests -------------------------------------------------------------------------------
def parse_files(value: object) -> Owned:
    """A manifest's ``files``: ``{name: digest}``, or ``{name: [digest, ...]}`` mid-run."""
    if not isinstance(value, dict):
        raise ManifestError("'files' is not a mapping")
    owned: Owned = {}
    for name, digests in value.items():
        listed = digests if isinstance(digests, list) else [digests]
        owned[check_name(name)] = tuple(check_digest(d) for d in listed)
    return owned


def read_json(path: Path) -> dict[str, Any]:
    """A manifest's JSON object; :class:`ManifestError` says why it cannot be used."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ManifestError("it is not a regular file")
        if info.st_size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"it is over {MAX_MANIFEST_BYTES:,} bytes")
        data = json.loads(path.read_bytes())
    except ManifestError:
        raise
    except (OSError, ValueError, RecursionError) as exc:
        raise ManifestError(f"it is not readable JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise ManifestError("it is not a mapping")
    return data


def read_owned(path: Path) -> Owned:
    """What the manifest at ``path`` says the last run wrote; {} if there is none.

    A manifest that cannot be trusted makes every file count as someone else's: nothing is
    then deleted, and nothing replaced without ``force``.
    """
    if not os.path.lexists(path):
        return {}
    try:
        return parse_files(read_json(path).get("files", {}))
    except ManifestError:
        return {}


def manifest_text(files: Mapping[str, str | Collection[str]], **extra: Any) -> str:
    """The JSON of a manifest: ``extra`` keys, and ``files`` sorted by name."""
    def value(digests: str | Collection[str]) -> str | list[str]:
        return digests if isinstance(digests, str) else (next(iter(digests)) if len(digests) == 1 else sorted(digests))

    return json.dumps({**extra, "files": {name: value(files[name]) for name in sorted(files)}}, indent=1)


# -- placing a staged folder -----------------------------------------------------------------
def state(root: Path, name: str, owned: Owned) -> State:
    """Whether ``root/name`` is absent, healthkit's, or someone else's.

    Raises :class:`OutputError` for a target no run may write: something that is not a regular
    file, or a path whose folders lead out of ``root``.
    """
    path = root / name
    parent = path.parent
    while parent != root and not os.path.lexists(parent):
        parent = parent.parent
    if not inside(parent, root) or (os.path.lexists(parent) and not parent.is_dir()):
        raise OutputError(f"cannot write {path}: {parent} is not a folder inside {root}", str(path))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", str(path)) from None
    if not stat.S_ISREG(mode):
        raise OutputError(f"cannot write {path}: it is {'a folder' if stat.S_ISDIR(mode) else 'not a regular file'}; healthkit only replaces regular files, so move it away", str(path))
    return "ours" if holds(root, name, owned.get(name, ())) is not None else "theirs"


def check_targets(root: Path, names: Collection[str], owned: Owned) -> dict[str, State]:
    """:func:`state` of every name: everything that would stop :func:`place`, before any work."""
    return {name: state(root, name, owned) for name in names}


def _kept(path: Path, recorded: bool, force_hint: bool) -> str:
    why = "it changed since healthkit wrote it" if recorded else "healthkit did not write it"
    return f"kept {path}: {why}" + ("; pass --force to replace it" if force_hint else ", so it is yours now")


@dataclass
class Placement:
    """What :func:`place` did: the files it wrote (name -> digest) and what it left alone."""

    written: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _remove(root: Path, path: Path) -> None:
    """Delete ``path``, then every folder above it (inside ``root``) that is left empty."""
    path.unlink()
    parent = path.parent
    while parent != root and inside(parent, root):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def digests(staged: Path, names: Collection[str]) -> dict[str, str]:
    """``{name: digest}`` of the files ``names`` in ``staged``, in order."""
    return {name: digest_file(staged / name) for name in names}


def place(staged: Path, new: Mapping[str, str], root: Path, owned: Owned, force: bool, record: Callable[[Mapping[str, Collection[str]]], None]) -> Placement:
    """Move the staged files ``new`` (name relative to ``staged`` -> digest, see
    :func:`digests`) into ``root``, then delete what the last run (``owned``) wrote and this
    one did not, while it still holds what was written.

    ``record(files)`` writes the manifest (see :func:`manifest_text`): once with the old and
    new digests before anything moves, and once with what was finally written.
    """
    root.mkdir(parents=True, exist_ok=True)
    states = check_targets(root, new, owned)
    during: dict[str, set[str]] = {name: set(digests) for name, digests in owned.items()}
    for name, digest in new.items():
        during.setdefault(name, set()).add(digest)
    record(during)
    done = Placement()
    for name, digest in new.items():
        target = root / name
        if states[name] == "theirs" and not force:
            done.warnings.append(_kept(target, name in owned, force_hint=True))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / name, target)
        done.written[name] = digest
    for name, recorded in owned.items():
        if name in new:
            continue
        path = holds(root, name, recorded)
        if path is not None:
            _remove(root, path)
        elif (where := resolve(root, name)) is not None and os.path.lexists(where):
            done.warnings.append(_kept(where, True, force_hint=False))
    record({name: (digest,) for name, digest in done.written.items()})
    return done


def foreign(root: Path, owned: Collection[str], skip: Collection[str] = ()) -> list[str]:
    """Files under ``root`` (not following links) that are not in ``owned`` nor ``skip``."""
    found = []
    for folder, dirs, files in os.walk(root):
        for file in files:
            name = (Path(folder) / file).relative_to(root).as_posix()
            if name not in owned and name not in skip:
                found.append(name)
    return sorted(found)


def foreign_warning(root: Path, names: list[str]) -> list[str]:
    if not names:
        return []
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return [f"left alone in {root} (not made by healthkit): {shown}"]
