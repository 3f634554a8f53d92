"""YAML as the archive writes it: stable, readable Chinese, byte-identical round trips."""

from __future__ import annotations

import io
import os
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


def load(text: str) -> Any:
    return yaml.load(text, Loader=Loader)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so readers never see half a file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    fd, tmp = temporary_beside(path)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
