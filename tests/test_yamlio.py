"""The archive's YAML writer: the quick path writes what libyaml writes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlio
from site_fixtures import REPO

# Characters that decide how a scalar is written: indicators, quotes, spaces of every kind,
# line breaks, controls, a BOM, characters beyond the BMP, and ordinary Chinese and ASCII.
_TRICKY = list("-?:,[]{}#&*!|>'\"%@`.~=< \t\n\r\\/0123456789eEyYnNtTfFoO_") + [
    "\x00", "\x07", "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "\ufeff", "\ue000", "\U0001f600", "\U00020000",
]
_WORDS = ["工会", "職工", "2019年", "2007-08-02", "null", "true", "yes", "1.5", "0x1F", "1_000", ": ", " #", "...", "---"]
text = st.lists(st.sampled_from(_TRICKY) | st.sampled_from(_WORDS) | st.text(max_size=3), max_size=8).map("".join)
key = st.sampled_from(["id", "title", "lines", "sources", "2019", "null", "a: b", "工会"]) | text
scalar = text | st.integers(-(10**12), 10**12) | st.booleans() | st.none()
data = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(key, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(key, data, min_size=1, max_size=6) | st.lists(data, min_size=1, max_size=5))
def test_written_as_libyaml_writes_it(value):
    written = yamlio.dump(value)
    assert written == yamlio._libyaml_dump(value)
    assert yamlio.load(written) == value


def test_imported_entries_take_the_quick_path():
    paths = sorted((REPO / "content" / "reports").glob("*.yml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert yamlio._Fast().document(yamlio.load(text)) == text, path


@pytest.mark.parametrize("value", [{"a": "x\ty"}, {"a": "😀"}, {"a": [[1, "b"]]}, {"a": 1.5}, {"a": "x" * 200_000}])
def test_what_the_quick_path_is_unsure_of_goes_to_libyaml(value):
    with pytest.raises(yamlio._Unusual):
        yamlio._Fast().document(value)
    assert yamlio.dump(value) == yamlio._libyaml_dump(value)
