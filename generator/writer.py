"""The only code that writes the site: recorded paths, stable order, atomic swap.

Files are collected first (a path can be added once), then written in sorted
order into a fresh folder. The finished site is built next to the target
and swapped in at the end, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.errors import BuildError
from generator.i18n import _, system_reason
from generator.locking import folder_lock
from generator.parallel import fork_context, yield_priority

Made = bytes | Callable[[], bytes]  # a file's bytes, or what makes them when it is written


class FileSet:
    """Every file of a generated tree, by relative POSIX path."""

    def __init__(self) -> None:
        self._files: dict[str, Made | None] = {}  # None: the file there is current

    def add(self, path: str, data: Made) -> None:
        self._add(path, data)

    def keep(self, path: str) -> None:
        """A file the folder already holds as it should be: it is neither read nor written."""
        self._add(path, None)

    def _add(self, path: str, data: Made | None) -> None:
        if path in self._files:
            raise BuildError(_("two outputs would be written to {path}; this is a bug in report-archive").format(path=path))
        if path.startswith("/") or posixpath.normpath(path) != path or path.startswith(".."):
            raise BuildError(_("refusing to write outside the build folder: {path!r}").format(path=path))
        self._files[path] = data

    def part(self, keep: Callable[[str], bool]) -> FileSet:
        """The files whose paths `keep` accepts."""
        part = FileSet()
        part._files = {path: data for path, data in self._files.items() if keep(path)}
        return part

    def update(self, files: dict[str, Made]) -> None:
        """Files made in their order here (makers may share what they read in that order)."""
        for path, data in files.items():
            self.add(path, data)

    def paths(self) -> list[str]:
        return sorted(self._files)

    def contents(self) -> dict[str, bytes]:
        return {path: _bytes(data) for path, data in sorted(self._files.items()) if data is not None}

    def write(self, root: Path) -> None:
        """Make `root` hold exactly these files (stale files disappear).

        A file whose bytes are already there is left alone, so its modification time
        says when it last changed; anything else there is replaced, never followed.
        """
        existing = _tree(root) if root.is_dir() and not root.is_symlink() else None
        if existing is None:
            remove(root)
        for path, data in self._files.items():
            kind = existing.pop(path, None) if existing is not None else None
            if data is None:
                if kind != "file":
                    raise BuildError(
                        _("{path} was to be kept as it is, but it is not there; delete the .build folder and build again").format(
                            path=root / path
                        )
                    )
                continue  # most files, after an edit: no Path made for them
            target = root / path
            data = _bytes(data)  # made now, and let go once written
            if kind == "file" and _same(target, data):
                continue
            remove(target)  # a new file, never one rewritten in place: the site may link to it
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for path, kind in sorted((existing or {}).items(), reverse=True):
            stale = root / path
            if kind == "dir":
                with contextlib.suppress(OSError):
                    stale.rmdir()  # only once empty
            else:
                remove(stale)


def _bytes(data: Made) -> bytes:
    return data() if callable(data) else data


def _tree(root: Path) -> dict[str, str]:
    """Relative path -> "file" | "dir" | "other" of everything under `root`, links not followed.
    The folder listings say what each entry is: no call per file (tens of thousands of them)."""
    found: dict[str, str] = {}
    folders = [(str(root), "")]
    while folders:
        folder, base = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                path = f"{base}{entry.name}"
                if entry.is_symlink():
                    found[path] = "other"
                elif entry.is_dir():
                    found[path] = "dir"
                    folders.append((entry.path, f"{path}/"))
                else:
                    found[path] = "file" if entry.is_file() else "other"
    return found


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def remove(path: Path) -> None:
    """A file, link or folder tree, whichever it is (a link is removed, never followed)."""
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold a lock on `out_dir` so that two builds cannot interleave (released even if killed)."""
    with folder_lock(out_dir.parent, f"build-{out_dir.name}"):
        recover(out_dir)
        yield


def recover(out_dir: Path) -> None:
    """Tidy up after a build that was killed (the caller holds the lock, so none is running).

    Killed between the two renames of `swap_in`, a build leaves no `out_dir` but
    the previous site under its `.old-` name: it is put back. Unfinished staging
    folders, old sites left behind and trees still being removed are renamed as
    trash and removed in the background: the build need not wait for a site's worth
    of files (the removal `swap_in` started may simply not have finished yet).
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out_dir.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out_dir.exists() and olds:
        os.rename(olds.pop(), out_dir)
    trash = [tree for tree in parent.glob(f".{out_dir.name}.trash-*") if tree.is_dir() and not tree.is_symlink()]
    for leftover in [*olds, *parent.glob(f".{out_dir.name}.new-*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            trash.append(_as_trash(leftover, out_dir))
    for tree in trash:
        remove_in_background(tree)


def _as_trash(tree: Path, out_dir: Path) -> Path:
    """`tree` renamed so that it is never taken for a site or a staging folder again."""
    trash = _free_name(out_dir, "trash")
    os.rename(tree, trash)
    return trash


def _free_name(out_dir: Path, kind: str) -> Path:
    """A name beside `out_dir` that nothing has, `.<site>.<kind>-…`: ours to take (we hold the lock)."""
    name = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-", dir=out_dir.parent))
    os.rmdir(name)
    return name


def staging_dir(out_dir: Path) -> Path:
    """An empty folder next to `out_dir` (same file system, so the swap is a rename)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))


def linked_copy(site: Path, copy: Path, skip: tuple[str, ...] = ()) -> int:
    """`copy` (an empty folder) holds every file of `site` as a hard link; returns the count.
    A link shares its file with the live site: the copy's files are replaced, never written."""
    count = 0
    for folder, dirs, names in os.walk(site):
        relative = os.path.relpath(folder, site)
        if relative == ".":
            dirs[:] = [name for name in dirs if name not in skip]
            names = [name for name in names if name not in skip]
        target = copy if relative == "." else copy / relative
        for name in dirs:
            (target / name).mkdir()
        for name in names:
            os.link(os.path.join(folder, name), target / name)
        count += len(names)
    return count


def mirror_links(source: Path, target: Path) -> None:
    """Make `target` hold exactly the files of `source` (a flat folder), each as a hard link
    to it, or a copy where linking fails. A file already linked (an update's copy of the
    published site) is left as it is; one folder listing each tells which, not a call per file."""
    wanted = {name: inode for name, inode in _inodes(source).items() if inode is not None}
    present = _inodes(target) if target.is_dir() and not target.is_symlink() else None
    if present is None:
        remove(target)
        if not wanted:
            return
        target.mkdir(parents=True)
        present = {}
    same_device = bool(wanted) and os.stat(source).st_dev == os.stat(target).st_dev
    linked = {name for name, inode in wanted.items() if same_device and present.get(name) == inode}
    for name in present.keys() - linked:
        remove(target / name)
    for name in sorted(wanted.keys() - linked):
        try:
            os.link(source / name, target / name)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(source / name, target / name)
    if not wanted:
        target.rmdir()


def _inodes(folder: Path) -> dict[str, int | None]:
    """Everything in `folder` by name: a regular file's inode number, None for anything else
    (links, folders)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry.inode() if entry.is_file(follow_symlinks=False) else None for entry in entries}
    except FileNotFoundError:
        return {}


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def swap_in(new: Path, out_dir: Path) -> None:
    """Put the finished `new` tree at `out_dir`; the old tree is removed only afterwards."""
    old = None
    if out_dir.exists():
        old = _free_name(out_dir, "old")
        os.rename(out_dir, old)
    try:
        os.rename(new, out_dir)
    except OSError as error:
        if old is not None:
            os.rename(old, out_dir)
        raise BuildError(
            _("cannot move the new site into {folder}: {problem}; check that you may write to it").format(
                folder=out_dir, problem=system_reason(error)
            )
        ) from None
    os.chmod(out_dir, 0o755)  # mkdtemp creates 0700 folders; the site is public
    if old is not None:
        # Renamed first: a tree half removed must never be taken for the previous site (recover).
        remove_in_background(_as_trash(old, out_dir))


def remove_in_background(tree: Path) -> None:
    """Remove `tree` without waiting for it: the new site is in place already, and removing a
    large site's files takes seconds (five at 100,000 reports).

    In a process of its own, which closes every file it inherited first, so that it holds no
    lock of this build. Where forking is unsafe (the live preview builds beside its server's
    threads), in a thread: the preview's next build need not wait either."""
    try:
        child = os.fork() if fork_context() is not None else None
    except OSError:
        child = None
    if child is None:
        threading.Thread(target=shutil.rmtree, args=(tree,), kwargs={"ignore_errors": True}, name="remove-old-site").start()
        return
    if child:
        os.waitpid(child, 0)  # its own child does the work: nothing is left to reap
        return
    try:
        if os.fork() == 0:
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            yield_priority()  # the next build, if one starts meanwhile, comes first
            shutil.rmtree(tree, ignore_errors=True)
    finally:
        os._exit(0)
