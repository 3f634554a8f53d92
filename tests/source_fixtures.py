"""A small archive of hostile and legacy-encoded sources, imported and built as a curator would:
a scraped web page full of scripts, a GB18030 text file that names its page's address, and a
text file whose lines are HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.build import build_site
from generator.importer.pipeline import import_paths
from generator.yamlio import load
from site_fixtures import write_config

CANONICAL = "https://www.example.org/news/2019/jiedao-zongjie.html"
OG_URL = "https://www.example.org/share/ignored.html"
PAGE_NAME = "街道工会总结页面.html"  # not ASCII: published under a hash, shown by this name
TITLE_SET_BY_SCRIPT = "SCRIPT-RAN"

HOSTILE_PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8">
<title>和平街道工会2019年工作总结</title>
<link rel="canonical" href="{CANONICAL}">
<meta property="og:url" content="{OG_URL}">
<script>document.title = "{TITLE_SET_BY_SCRIPT}"; localStorage.setItem("script", "ran");</script>
</head><body>
<img src="x" onerror="document.title='IMG-ONERROR'; localStorage.setItem('onerror', 'ran')">
<svg onload="localStorage.setItem('svg', 'ran')"><circle r="3"></circle></svg>
<article>
<h1>和平街道工会2019年工作总结</h1>
<p>2019年，和平街道工会在街道党工委和区总工会的领导下，围绕中心工作，扎实推进各项工会工作。</p>
<h2>一、夯实基层组织</h2>
<p>全年新建非公企业工会九个，新发展会员四百三十人，基层工会组织覆盖面进一步扩大。</p>
<p>辖区内的小微企业采取联合建会的办法，做到应建尽建。&lt;script&gt;alert("text")&lt;/script&gt;</p>
<h2>二、维护职工权益</h2>
<p>推进工资集体协商，签订区域性工资专项集体合同六份，覆盖职工一千二百余人。</p>
<p>元旦春节期间走访慰问困难职工五十六户，送去慰问金和生活用品。</p>
<script>localStorage.setItem("inline", "ran")</script>
<p>和平街道工会 2019年12月25日</p>
</article>
</body></html>
"""

GB_URL = "http://www.example.cn/gonghui/2020/plan-18.html"
# The lines of the GB18030 file; the report is lines 3 to 9 (a breadcrumb and the address above it).
GB_LINES = [
    "当前位置：首页 > 工作计划 > 正文",
    f"来源：{GB_URL}",
    "新华镇总工会2020年工作计划",
    "2020年，镇总工会将坚持以职工为中心，认真履行维权服务基本职责，重点做好以下工作。",
    "一、深化建会入会",
    "以新就业形态劳动者为重点，集中开展入会服务活动，力争全年新发展会员三百人。",
    "二、办好职工实事",
    "继续开展金秋助学、夏季送清凉和困难职工帮扶活动，让职工真切感受到工会组织的温暖。",
    "新华镇总工会 2020年1月10日",
]
GB_NAME = "新华镇2020计划.txt"

# A text file whose lines look like markup: published as text, shown as text.
MARKUP_TEXT = """东风社区工会2021年上半年工作总结
<script>localStorage.setItem("txt", "ran"); document.title = "TXT-RAN"</script>
上半年，社区工会组织辖区职工开展健步走、读书分享会等活动十余次，参与职工五百余人次。
<img src=x onerror="localStorage.setItem('txt-img', 'ran')">
社区工会还为快递小哥、外卖骑手设立了爱心驿站，提供饮水、充电和休息服务。
东风社区工会 2021年7月2日
"""


@dataclass(frozen=True)
class HostileArchive:
    content: Path
    site: Path
    entries: dict[str, dict]  # by the arrival name of the entry's first source


def build_hostile_archive(root: Path) -> HostileArchive:
    raw = root / "raw"
    raw.mkdir(parents=True)
    (raw / PAGE_NAME).write_text(HOSTILE_PAGE, encoding="utf-8")
    (raw / GB_NAME).write_bytes(("\r\n".join(GB_LINES) + "\r\n").encode("gb18030"))
    (raw / "markup-lines.txt").write_text(MARKUP_TEXT, encoding="utf-8")
    content = root / "content"
    summary = import_paths([raw], content, progress=False)
    assert not summary.skipped and not summary.conflicts, summary.render()
    entries = {}
    for path in sorted((content / "reports").glob("*.yml")):
        entry = load(path.read_text(encoding="utf-8"))
        entries[entry["sources"][0]["file"].split("/")[-1]] = entry
    site = root / "site"
    build_site(content_dir=content, config_path=write_config(root), out_dir=site)
    return HostileArchive(content, site, entries)


def published_sources(site: Path) -> list[Path]:
    """Every file the site publishes under its source and source-view folders."""
    return sorted(p for folder in ("sources", "source-views") for p in (site / folder).rglob("*") if p.is_file())
