"""Properties (hypothesis) of the importer and the renderer on arbitrary and hostile text:
the importer never crashes and never loses text (every input line is in an entry or in the
import log), and rendered pages never contain a tag, attribute or link taken from the input.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.config import load_config
from generator.importer.dedup import fingerprint_text
from generator.importer.pipeline import IMPORT_LOG, import_paths
from generator.model import Organization, Report
from generator.render.mkdocs_config import mkdocs_config
from generator.render.pages import Context, render_pages
from generator.taxonomy import build_taxonomy
from site_fixtures import write_config

INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Lines as union reports and the sites they come from have them, hostile ones included.
REPORT_LINES = [
    "东城街道工会2013年工作总结",
    "2013年，街道工会在区总工会的正确领导下，认真开展各项工作，现总结如下：",
    "一、加强组织建设",
    "（一）规范化建设",
    "1.建立健全制度",
    "① 新建工会组织十三家",
    "全年新建工会组织十三家，发展会员八百七十三人。",
    "二、维护职工权益",
    "签订工资集体协议，帮扶困难职工一百二十人。",
    "下半年工作计划",
    "第一篇：社区工会工作计划",
    "【篇2】",
    "当前位置：首页 > 范文 > 工作总结",
    "来源：www.example.com/fanwen/123.html",
    "本文由范文网收集整理",
    "区(qū)总工会",
    "二〇一三年十二月二十日",
    "20xx年xx社区工会工作总结",
    "同志们：",
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
    '--8<-- "/etc/passwd"',
    "２０１３年，东城\u200b街道工会\u202e",
    "",
    "   ",
]
ANY_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",))
PUNCTUATION = st.sampled_from(list("<>/=\"'&;#{}%![]()`*_|-:，。、：（）"))
LINE = st.one_of(
    st.sampled_from(REPORT_LINES),
    st.text(alphabet=st.one_of(ANY_CHAR, PUNCTUATION), max_size=60).map(lambda s: s.replace("\n", "")),
)
DOCUMENT = st.lists(LINE, min_size=1, max_size=25)
IMPORT_SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _import(data: bytes):
    """Import one raw file into a fresh content folder: (summary, entries, import log)."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw.txt"
        raw.write_bytes(data)
        content = Path(folder) / "content"
        summary = import_paths([raw], content, progress=False)
        entries = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "reports").glob("*.yml"))]
        log_path = content / IMPORT_LOG
        log = yaml.safe_load(log_path.read_text(encoding="utf-8")) if log_path.is_file() else {}
    return summary, entries, log


@IMPORT_SETTINGS
@given(
    lines=DOCUMENT,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    noise=st.binary(max_size=12),
)
def test_importer_never_crashes_on_arbitrary_text(lines, encoding, newline, noise):
    data = newline.join(lines).encode(encoding, errors="replace")
    summary, _, _ = _import(noise + data if noise and encoding.startswith("utf-8") else data)
    # Either it is read, or it is skipped with a reason the clerk can act on.
    assert summary.files_read + len(summary.skipped) == 1
    for _, reason in summary.skipped:
        assert reason.startswith(("the file is empty", "this is not a text file"))


def _fingerprint(text: str) -> str:
    return fingerprint_text(unicodedata.normalize("NFC", INVISIBLE.sub("", text)))


def _blocks(blocks: list) -> list[str]:
    return ["".join(map("".join, b["rows"])) if isinstance(b, dict) else b for b in blocks]


def _entry_text(entry: dict) -> str:
    """The entry's text in reading order (a wrapped line may run on into the next block)."""
    parts = [entry["title"], *_blocks(entry["lead"])]
    stack = list(reversed(entry["sections"]))
    while stack:
        section = stack.pop()
        parts += [section["heading"], *_blocks(section["paragraphs"])]
        stack += reversed(section["sections"])
    return "".join(parts)


@IMPORT_SETTINGS
@given(lines=DOCUMENT, newline=st.sampled_from(["\n", "\r\n"]))
# A page's title run on from the line above it, then the report's own title: the page's is
# logged with both its lines.
@example(lines=["本文由范文网收集整理", "东城街道工会2013年工作总结", "20xx年xx社区工会工作总结", "2013年，街道工会在区总工会的正确领导下，认真开展各项工作，现总结如下："], newline="\n")
@example(lines=["\x1f\x1f\x08", "\x1f\x1f\x08", "\x1f\x1f\x08"], newline="\n")  # no text at all
def test_importer_never_loses_text(lines, newline):
    """Every input line with letters or digits is in an entry, or its line is in the import log."""
    text = newline.join(lines)
    summary, entries, log = _import(text.encode("utf-8"))
    if summary.skipped:  # refused as a whole, and said so: empty, or control characters only
        reason = summary.skipped[0][1]
        assert reason.startswith(("the file is empty", "this is not a text file"))
        assert not _fingerprint(text) or reason.startswith("this is not a text file")
        return
    kept = "".join(_fingerprint(_entry_text(e)) for e in entries)
    (source,) = log.values()
    logged = {n for item in source["left_out"] for n in range(item["lines"][0], item["lines"][1] + 1)}
    lost = [
        (number, line)
        for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1)
        if _fingerprint(line) and _fingerprint(line) not in kept and number not in logged
    ]
    assert lost == []


# -- the renderer ------------------------------------------------------------------

# Marker tags: a tag named zq... in the output can only have come from the input.
MARKER = st.builds(
    lambda name, event, inner: f'<zq{name} on{event}="zq()" href="javascript:zq()">{inner}</zq{name}>',
    st.text(alphabet="abcdefgh", min_size=1, max_size=4),
    st.sampled_from(["click", "error", "load"]),
    st.text(alphabet=st.one_of(ANY_CHAR, PUNCTUATION), max_size=10),
)
PAYLOAD = st.sampled_from(
    [
        "<script>zq()</script>",
        "<img src=x onerror=zq()>",
        "[zq](javascript:zq())",
        "![zq](data:text/html;base64,zq)",
        "<https://zq.example>",
        "{{ 7*191 }}",
        "{% raw %}",
        '--8<-- "/etc/passwd"',
        "!!! note zq",
        "{: #ZQ .ZQ onclick=zq() }",  # upper case: the slugs of headings are lower case
        '<div markdown="1">**zq**</div>',
        "<!-- zq -->",
        "&lt;zq&gt;",
        "\x02wzxhzdk:0\x03",
        "| zq | zq |\n|---|---|",
        "    indented zq",
        "# zq",
        "*zq* _zq_ `zq`",
    ]
)
FIELD = st.lists(st.one_of(st.text(alphabet=st.one_of(ANY_CHAR, PUNCTUATION), max_size=30), MARKER, PAYLOAD), min_size=1, max_size=4).map("".join)
SOURCE = {"file": "sources/a.txt", "lines": [1, 2], "sha256": "0" * 64}


def _site(fields: dict[str, str]):
    """A unit and one report whose every text field is hostile; the same shape every time."""
    org = Organization(id="zq-unit", name="单位" + fields["unit"], kind="street", place=fields["place"])
    report = Report(
        id="zq-report",
        title="报告" + fields["title"],
        organization=fields["organization"],
        unit="zq-unit",
        org_kind="street",
        place=fields["place"],
        year=2019,
        year_placeholder=fields["placeholder"],
        lead=[fields["lead"]],
        sections=[
            {
                "heading": "一、" + fields["heading"],
                "paragraphs": [fields["paragraph"], {"rows": [[fields["cell"], "表"], ["格", fields["cell"]]]}],
                "sections": [{"heading": "（一）" + fields["heading"], "paragraphs": [fields["lead"]]}],
            }
        ],
        sources=[SOURCE],
        needs_review=["title"],
        import_notes=[fields["paragraph"]],
    )
    return build_taxonomy([report], [org], latest=10, related_count=5)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.injected: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if "zq" in tag or "zq" in name or name.startswith("on") or (
                name in ("href", "src") and re.match(r"\s*(javascript|data):", value or "", re.I)
            ) or (name == "id" and value == "ZQ") or (name == "class" and "ZQ" in (value or "").split()):
                self.injected.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if "zq" in tag:
            self.injected.append(f"</{tag}>")

    def handle_comment(self, data):
        self.injected.append(f"<!--{data}-->")


PAGES = ("reports/zq-report.md", "units/zq-unit.md", "units/index.md", "index.md", "years/2019.md", "types/other.md")


def _render(tax, site, extensions) -> dict[str, _Tags]:
    parsed = {}
    for path, page in render_pages(Context(tax, site)):
        if path in PAGES:
            body, meta = get_data(page)
            assert "<" not in meta.get("title", "")  # MkDocs writes the title into <title> unescaped
            parser = _Tags()
            parser.feed(markdown.markdown(body, extensions=extensions))
            parsed[path] = parser
    return parsed


def _markdown_setup(folder: Path):
    config = load_config(write_config(folder))
    extensions = []
    for item in mkdocs_config(config, folder / "docs")["markdown_extensions"]:
        extensions.append(next(iter(item)) if isinstance(item, dict) else item)
    return config.site, extensions


_SETUP = _markdown_setup(Path(tempfile.mkdtemp(prefix="render-properties-")))
_BENIGN = _render(_site(dict.fromkeys(("unit", "place", "title", "organization", "placeholder", "lead", "heading", "paragraph", "cell"), "文字")), *_SETUP)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({key: FIELD for key in ("unit", "place", "title", "organization", "placeholder", "lead", "heading", "paragraph", "cell")}))
def test_rendered_pages_never_contain_an_unescaped_tag_from_the_input(fields):
    for path, parsed in _render(_site(fields), *_SETUP).items():
        assert parsed.injected == [], path
        assert parsed.tags <= _BENIGN[path].tags, (path, parsed.tags - _BENIGN[path].tags)
