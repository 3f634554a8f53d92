"""Digests of what a build's output is made from: the code, the libraries, the theme.

Every cache key and page fingerprint of the build folder is made of these (state.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# Libraries whose version can change what a build makes.
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "markupsafe",
    "minify-html",
    "pydantic",
    "pyyaml",
    "jieba",
    "jieba-fast-dat",
    "opencc",
    "opencc-python-reimplemented",
    "numpy",
    "scipy",
    # The readers, which the source views read the original files with again.
    "charset-normalizer",
    "trafilatura",
    "lxml",
    "python-docx",
    "pdfminer.six",
)


def digest(data: bytes) -> str:
    """The digest every fingerprint of the build is made of."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def joined_digest(*parts: str) -> str:
    return digest("\0".join(parts).encode("utf-8"))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Our own code and data, and the versions of the libraries that shape the output."""
    digest = _files_digest(Path(__file__).parent, (".py", ".j2", ".txt"))
    digest.update(f"python={sys.version}\0".encode())  # marshal's format is the interpreter's
    for name in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\0".encode())
    return digest.hexdigest()


def tree_fingerprint(folder: Path) -> str:
    return _files_digest(folder).hexdigest()


def _files_digest(folder: Path, suffixes: tuple[str, ...] | None = None):
    """Names and bytes of the files under `folder` (those with `suffixes`, if given)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and (suffixes is None or path.suffix in suffixes):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest
