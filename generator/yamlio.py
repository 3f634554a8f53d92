"""YAML as the archive writes it: stable, readable Chinese, byte-identical round trips."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when present: ten times faster on a large archive, same results.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when present
    pass


def _flow(items: list | tuple) -> bool:
    # Short lists of numbers (line ranges) read best on one line.
    return bool(items) and len(items) <= 4 and all(isinstance(x, int) for x in items)


def _style(text: str) -> str | None:
    return "|" if "\n" in text else None


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_flow(data))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=_style(data))


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """`data` as YAML, byte for byte what libyaml writes (see _Fast for the usual case)."""
    try:
        return _Fast().document(data)
    except _Unusual:
        return _libyaml_dump(data)


def _libyaml_dump(data: Any) -> str:
    stream = io.StringIO()
    dumper = _Dumper(stream, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    try:
        dumper.open()
        dumper.serialize(_node(dumper, data))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))


def _node(dumper: yaml.SafeDumper, data: Any) -> yaml.Node:
    """The node the representers above make, built directly for the plain data entries are
    (dicts, lists, strings, numbers): the generic representer's bookkeeping costs a large
    import seconds. Anything else goes to the representer."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data, style=_style(data))
    if kind is dict:
        pairs = [(_node(dumper, key), _node(dumper, value)) for key, value in data.items()]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
    if kind is list or kind is tuple:
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(dumper, x) for x in data], flow_style=_flow(data))
    if kind is int:
        return yaml.ScalarNode(_INT, str(data))
    if kind is bool:
        return yaml.ScalarNode(_BOOL, "true" if data else "false")
    if data is None:
        return yaml.ScalarNode(_NULL, "null")
    return dumper.represent_data(data)


class _Unusual(Exception):
    """A value _Fast leaves to libyaml."""


# Characters libyaml writes as they are, plain or in single quotes: no line breaks, tabs, BOM
# or characters beyond the BMP (it escapes those in double quotes).
_PRINTABLE = re.compile("[\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
# Plain, these would start an indicator ("?", ":" and "-" only before a space).
_INDICATOR_START = frozenset("#,[]{}&*!|>'\"%@` ")
# A longer scalar might be folded at a space past libyaml's line width.
_PLAIN_MAX = 100_000
# libyaml writes a longer mapping key as a "? " complex key.
_SIMPLE_KEY_MAX = 100
_KEYS: dict[str, str] = {}  # mapping keys as written
_RESOLVER = yaml.resolver.Resolver()  # the dumper's: it tells plain scalars' types
# Only a plain scalar starting with one of these can read back as other than a string.
_RESOLVED_STARTS = frozenset(_RESOLVER.yaml_implicit_resolvers)


class _Fast:
    """The YAML of plain data (dicts, lists, strings, ints, bools, None) written directly,
    as libyaml writes it with dump's settings, in a third of the time (building libyaml's
    nodes costs more than writing): an import of thousands of entries feels it. Anything it
    is not sure of raises _Unusual."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def document(self, data: Any) -> str:
        if type(data) is dict and data:
            self.mapping(data, "", "")
        elif type(data) is list and data and not _flow(data):
            self.sequence(data, "")
        else:
            raise _Unusual
        return "".join(self.lines)

    def mapping(self, data: dict, indent: str, first: str) -> None:
        """Block mapping at `indent`; its first key follows `first` ("- " in a sequence)."""
        lead = first
        for key, value in data.items():
            if type(key) is not str or len(key) > _SIMPLE_KEY_MAX:
                raise _Unusual
            written = _KEYS.get(key)
            if written is None:
                written = self.scalar(key)
                if len(_KEYS) < 4096:  # field names: the same few in every entry
                    _KEYS[key] = written
            self.value(f"{lead}{written}:", value, indent)
            lead = indent

    def value(self, head: str, value: Any, indent: str) -> None:
        kind = type(value)
        if kind is dict and value:
            self.lines.append(head + "\n")
            self.mapping(value, indent + "  ", indent + "  ")
        elif kind is list and value and not _flow(value):
            self.lines.append(head + "\n")
            self.sequence(value, indent)  # libyaml does not indent a sequence in a mapping
        else:
            self.lines.append(f"{head} {self.inline(value)}\n")

    def sequence(self, items: list, indent: str) -> None:
        for item in items:
            if type(item) is dict and item:
                self.mapping(item, indent + "  ", indent + "- ")
            elif type(item) is list and item and not _flow(item):
                raise _Unusual
            else:
                self.lines.append(f"{indent}- {self.inline(item)}\n")

    def inline(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return self.scalar(value)
        if kind is int:
            return str(value)
        if kind is bool:
            return "true" if value else "false"
        if value is None:
            return "null"
        if kind is list and all(type(x) is int for x in value):  # empty, or a short list of numbers
            return "[" + ", ".join(map(str, value)) + "]"
        if kind is dict:  # empty
            return "{}"
        raise _Unusual

    def scalar(self, text: str) -> str:
        if not text:
            return "''"
        if len(text) > _PLAIN_MAX or not _PRINTABLE.fullmatch(text):
            raise _Unusual
        if _plain_allowed(text) and (
            text[0] not in _RESOLVED_STARTS or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
        ):
            return text
        return "'" + text.replace("'", "''") + "'"


def _plain_allowed(text: str) -> bool:
    """Whether libyaml writes this printable, one-line, non-empty text plain in a block."""
    first, second = text[0], text[1:2]
    return not (
        first in _INDICATOR_START
        or (first in "?:-" and second in ("", " "))
        or text.startswith(("---", "..."))
        or text[-1] in " :"
        or ": " in text
        or " #" in text
    )


def load(text: str) -> Any:
    return yaml.load(text, Loader=Loader)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so readers never see half a file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = write_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_beside(path: Path, data: bytes) -> str:
    """`data` in a new temporary file beside `path` (temporary_beside), to be renamed onto it
    now or later; its name. Nothing is left behind if writing fails."""
    fd, tmp = temporary_beside(path)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new hidden file beside `path` (an open descriptor and its name), to be renamed onto it;
    the folder is made if it is missing (asked only then: thousands of files go to one folder).

    Named after this process (a quarter of the cost of random names, which an import of
    thousands of entries feels); a name taken already, say by a killed run, gets a random one.
    """
    tmp = f"{path.parent}/.{path.name[:40]}.{os.getpid()}.tmp"
    try:
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        pass
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
