"""Golden queries protect the search index without blocking curators: new reports never fail
a build, a pinned report that disappears does, with its reason; search works before a build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from generator.errors import BuildError
from generator.search.golden import load_golden
from generator.yamlio import dump, load
from site_fixtures import REPO, write_config

# Three reports a clerk might import after the default archive, written for this test.
NEW_REPORTS = {
    "机械厂工会2021年工作总结.txt": (
        "红星机械厂工会2021年工作总结\n"
        "2021年，厂工会围绕生产经营中心，认真履行维权服务职能，现将全年工作总结如下：\n"
        "一、开展劳动竞赛\n"
        "在铸造、装配两个车间组织技能比武，一百二十名职工参赛，评出操作能手十名。\n"
        "二、关心困难职工\n"
        "春节前走访慰问困难职工三十六户，发放慰问金四万二千元。\n"
        "红星机械厂工会\n"
        "2021年12月28日\n"
    ),
    "实验小学工会2020年工作计划.txt": (
        "实验小学工会2020年工作计划\n"
        "新的一年，学校工会将继续建设教工之家，团结全体教职工做好以下工作：\n"
        "一、加强师德建设\n"
        "要组织教职工学习师德规范，开展读书沙龙活动，每月至少一次。\n"
        "二、办好教职工文体活动\n"
        "要举办教职工趣味运动会和合唱比赛，丰富业余文化生活。\n"
    ),
    "桥西社区工会上半年工作总结.txt": (
        "桥西社区工会2019年上半年工作总结\n"
        "上半年，社区工会在街道总工会的指导下，扎实推进各项工作，现总结如下：\n"
        "一、组建快递员工会小组\n"
        "走访辖区快递网点七个，吸收快递小哥入会四十五人，建立暖心驿站一处。\n"
        "二、开展法律宣传\n"
        "举办劳动合同法讲座两场，为十二名职工提供法律咨询。\n"
    ),
}


@pytest.fixture(scope="module")
def grown_archive(tmp_path_factory) -> Path:
    """A copy of the default archive (content/ and its site_config.yml) with three new reports imported."""
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
    raw = tmp_path_factory.mktemp("raw")
    for name, text in NEW_REPORTS.items():
        (raw / name).write_text(text, encoding="utf-8")
    result = run_cli("import", "--quiet", *(str(raw / name) for name in NEW_REPORTS), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "import-output.txt").write_text(result.stdout, encoding="utf-8")
    return root


def archive_copy(grown: Path, tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(grown, root, ignore=shutil.ignore_patterns("site", ".build"))
    return root


def new_ids(root: Path) -> set[str]:
    return {p.stem for p in (root / "content" / "reports").glob("*.yml")} - {
        p.stem for p in (REPO / "content" / "reports").glob("*.yml")
    }


def test_pins_survive_an_import_of_three_new_reports(grown_archive, tmp_path):
    root = archive_copy(grown_archive, tmp_path)
    assert len(new_ids(root)) == 3
    pinned = load_golden(root / "content" / "search-queries.yml")
    assert any(golden.must_find for golden in pinned)
    check = run_cli("check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_cli("build", cwd=root)
    assert build.returncode == 0, build.stderr
    assert f"{len(pinned)} golden queries passed" in build.stdout and "queries sampled from the reports passed" in build.stdout
    # The new reports are found by the golden query '工会', and by what only they say.
    found = run_cli("search", "工会", cwd=root)
    assert new_ids(root) <= {line.split("\t")[0] for line in found.stdout.splitlines()}
    found = run_cli("search", "快递小哥", cwd=root)
    assert len(found.stdout.splitlines()) == 1 and "桥西社区工会" in found.stdout


def test_the_import_lists_the_entries_it_wrote(grown_archive):
    output = (grown_archive / "import-output.txt").read_text(encoding="utf-8").splitlines()
    assert "entries written: 3 (3 new, 0 changed), unchanged: 0" in output
    listed = {line for line in output if line.startswith("  new: reports/")}
    for report_id in new_ids(grown_archive):
        title = load((grown_archive / "content" / "reports" / f"{report_id}.yml").read_text(encoding="utf-8"))["title"]
        assert f"  new: reports/{report_id}.yml  {title}" in listed
    assert "红星机械厂工会2021年工作总结" in "\n".join(listed)


def test_search_before_the_first_build_answers_from_the_entries(grown_archive, tmp_path):
    root = archive_copy(grown_archive, tmp_path)
    before = run_cli("search", "困难职工", cwd=root)
    assert before.returncode == 0, before.stderr
    assert "no search index in site/ yet: answered from the entries in content/" in before.stderr
    assert run_cli("build", cwd=root).returncode == 0
    after = run_cli("search", "困难职工", cwd=root)
    assert "no search index" not in after.stderr
    assert sorted(before.stdout.splitlines()) == sorted(after.stdout.splitlines())
    from_entries = run_cli("search", "困难职工", "--entries", cwd=root)
    assert sorted(from_entries.stdout.splitlines()) == sorted(after.stdout.splitlines())


def build_fails(root: Path) -> BuildError:
    from generator.build import build_site

    with pytest.raises(BuildError) as failed:
        build_site(content_dir=root / "content", config_path=write_config(root / "cfg"), out_dir=root / "site")
    assert not (root / "site").exists()
    return failed.value


def test_a_pinned_report_deleted_fails_the_build_naming_it(grown_archive, tmp_path):
    root = archive_copy(grown_archive, tmp_path)
    (content := root / "content").joinpath("search-queries.yml").write_text(
        "- query: 职代会\n  must_find: [r-187eda21e0]\n", encoding="utf-8"
    )
    (content / "reports" / "r-187eda21e0.yml").unlink()
    check = run_cli("check", cwd=root)  # check tells it before a build does
    assert check.returncode == 1
    assert "search-queries.yml:1: query '职代会': must find r-187eda21e0, but that entry is gone" in check.stderr
    error = build_fails(root)
    assert "a golden query no longer finds a report it must find" in str(error)
    assert [str(p) for p in error.problems] == [
        "search-queries.yml:1: query '职代会': must find r-187eda21e0, but that entry is gone "
        "(reports/r-187eda21e0.yml no longer exists); restore the entry, or remove r-187eda21e0 from must_find"
    ]


def test_a_pinned_report_whose_text_changed_fails_the_build_saying_why(grown_archive, tmp_path):
    root = archive_copy(grown_archive, tmp_path)
    content = root / "content"
    (content / "search-queries.yml").write_text(
        "# pins\n- query: 快递小哥 暖心驿站\n  must_find:\n    - {}\n".format(
            *(i for i in new_ids(root) if "快递小哥" in (content / "reports" / f"{i}.yml").read_text(encoding="utf-8"))
        ),
        encoding="utf-8",
    )
    pinned = load_golden(content / "search-queries.yml")[0].must_find[0]
    entry = content / "reports" / f"{pinned}.yml"
    data = load(entry.read_text(encoding="utf-8"))
    entry.write_text(dump(data).replace("快递小哥", "快递员"), encoding="utf-8")
    (problem,) = build_fails(root).problems
    assert str(problem) == (
        f"search-queries.yml:2: query '快递小哥 暖心驿站': must find {pinned}, but its text no longer contains "
        f"'快递小哥'; restore those words in reports/{pinned}.yml, or remove {pinned} from must_find"
    )


def test_search_with_neither_index_nor_entries_says_where_to_run(tmp_path):
    result = run_cli("search", "工会", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "error: no search index in site/ and no content folder content/ here; run report-archive from the "
        "archive's folder (the one holding content/), or pass --site or --content"
    ) in result.stderr


def test_a_golden_file_with_mistakes_names_each_line(tmp_path):
    path = tmp_path / "search-queries.yml"
    path.write_text(
        "- query: 工会\n  must_find: r-0123456789\n- must_find: []\n- query: 职工\n  report: [r-1]\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as failed:
        load_golden(path)
    assert [str(p) for p in failed.value.problems] == [
        "search-queries.yml:2: must_find: should be a list of report ids, such as [r-0123456789]",
        "search-queries.yml:3: query: a query needs its words: write `query: words to find`",
        "search-queries.yml:5: report: is not a field of a golden query; use query and must_find",
    ]


def test_the_older_file_form_reads_as_pins(tmp_path):
    path = tmp_path / "search-queries.yml"
    path.write_text("- query: 工会\n  reports: [r-0123456789]\n- query: 职工\n", encoding="utf-8")
    first, second = load_golden(path)
    assert first.must_find == ("r-0123456789",) and second.must_find == ()
