"""Edits of YAML files that keep everything not edited byte for byte.

A curator's correction changes a few fields of an entry, or a few units of the registry; the
rest of the file (its layout, comments, fields the tool does not know) stays exactly as it
was, so the diff shows only the correction. Each edited value is written as `yamlio.dump`
writes it, so a file the importer wrote reads as if the importer had written the new values.
A file in a layout these edits cannot address (flow style, several documents) is written
whole by `yamlio.dump` instead: still valid, only its layout is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from generator import yamlio


def _root(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yamlio.Loader)
    except yaml.YAMLError:
        return None


def _line_end(text: str, index: int) -> int:
    """Past the end of the line holding `index`, when only blanks follow; else `index`."""
    newline = text.find("\n", index)
    stop = len(text) if newline < 0 else newline + 1
    return stop if not text[index:stop].strip() else index


def _block_mapping(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.MappingNode) and not node.flow_style


def set_fields(text: str, changes: dict[str, Any], order: Iterable[str] = ()) -> str:
    """`text` (a mapping of fields) with the fields in `changes` set; a field it lacks is added
    after the nearest field before it in `order` (the model's field order), else at the end."""
    root = _root(text)
    if not _block_mapping(root) or any(k.start_mark.column for k, _ in root.value):
        data = yamlio.load(text)
        data.update(changes)
        return yamlio.dump(data)
    spans = {k.value: _value_span(text, k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    edits = []  # (start, end, replacement), applied from the end so indexes stay right
    for key, value in changes.items():
        written = yamlio.dump({key: value})
        if key in spans:
            start, end = spans[key]
            if not written.endswith("\n") or text[end - 1 : end] == "\n":
                edits.append((start, end, written))
            else:  # a comment follows the value on its line: keep it
                edits.append((start, end, written.rstrip("\n")))
        else:
            at = _insertion_point(text, spans, key, list(order))
            edits.append((at, at, written if text[at - 1 : at] in ("", "\n") else "\n" + written))
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _value_span(text: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
    end = value.end_mark.index
    if isinstance(value, yaml.ScalarNode) or getattr(value, "flow_style", False):
        end = _line_end(text, end)
    return key.start_mark.index, end


def _insertion_point(text: str, spans: dict[str, tuple[int, int]], key: str, order: list[str]) -> int:
    before = order[: order.index(key)] if key in order else []
    for name in reversed(before):
        if name in spans:
            end = spans[name][1]
            newline = text.find("\n", end - 1)  # past a comment that ends its line
            return len(text) if newline < 0 else newline + 1
    return len(text)


def edit_items(text: str, replace: dict[int, dict | None], append: list[dict] = ()) -> str:
    """`text` (a list of mappings, like the unit registry) with item i replaced by `replace[i]`
    (removed where None) and `append` added at the end; other items stay byte for byte."""
    root = _root(text)
    items = root.value if isinstance(root, yaml.SequenceNode) and not root.flow_style else None
    if items is None or not all(_block_mapping(item) for item in items):
        return yamlio.dump(_merged(yamlio.load(text) or [], replace) + list(append))
    for number in sorted(replace, reverse=True):
        start = text.rfind("\n", 0, items[number].start_mark.index) + 1
        end = items[number + 1].start_mark.index if number + 1 < len(items) else len(text)
        end = text.rfind("\n", 0, end) + 1 if number + 1 < len(items) else end
        new = replace[number]
        text = text[:start] + (yamlio.dump([new]) if new is not None else "") + text[end:]
    if append:
        text = (text if not text or text.endswith("\n") else text + "\n") + yamlio.dump(list(append))
    return text


def _merged(data: list, replace: dict[int, dict | None]) -> list:
    out = []
    for number, item in enumerate(data):
        new = replace.get(number, item)
        if new is not None:
            out.append(new)
    return out
