"""site_config.yml: defaults, every error names its key, unknown keys are warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from site_fixtures import REPO, write_config


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [f"{p.field}: {p.message}" for p in caught.value.problems]


def test_project_config_is_valid():
    config = load_config(REPO / "site_config.yml")
    assert config.site.site_name == "工会工作报告档案馆"
    assert config.warnings == ()
    assert config.theme_path == (REPO / "theme").resolve()


def test_defaults(tmp_path):
    config = load_config(write_config(tmp_path))
    assert config.site.site_url == ""
    assert config.site.show.latest == 10 and config.site.show.coverage is True


def test_site_url_gets_one_trailing_slash(tmp_path):
    path = write_config(
        tmp_path,
        text=f"site_name: x\nsite_url: https://example.org/a\ntheme_dir: {REPO / 'theme'}\n",
    )
    assert load_config(path).site.site_url == "https://example.org/a/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("site_description: 无名\n", "site_name: is missing; add a line `site_name: …` with its value"),
        ("site_name: ''\n", "site_name: is empty; write a value"),
        (
            "site_name: x\nsite_url: example.org\n",
            "site_url: must be empty or start with http:// or https://",
        ),
        (
            "site_name: x\nshow:\n  latest: many\n",
            "show.latest: 'many' is not a whole number; write digits only, such as 12",
        ),
        (
            "site_name: x\nshow:\n  related: -1\n",
            "show.related: '-1' is too small; write 0 or more",
        ),
        ('site_name: x\ncopyright: "a\\nb"\n', "copyright: must be a single line"),
    ],
)
def test_every_error_names_its_key(tmp_path, text, expected):
    assert expected in problems_of(
        write_config(tmp_path, text=text + f"theme_dir: {REPO / 'theme'}\n")
    )


def test_all_errors_are_reported_at_once(tmp_path):
    text = f"site_url: nope\nshow:\n  coverage: maybe\ntheme_dir: {REPO / 'theme'}\n"
    fields = [line.split(":")[0] for line in problems_of(write_config(tmp_path, text=text))]
    assert fields == ["site_name", "site_url", "show.coverage"]


def test_unknown_keys_are_warnings(tmp_path):
    text = f"site_name: x\ncolour: red\nshow:\n  everything: true\ntheme_dir: {REPO / 'theme'}\n"
    warnings = load_config(write_config(tmp_path, text=text)).warnings
    assert [(w.field, w.severity) for w in warnings] == [
        ("colour", "warning"),
        ("show.everything", "warning"),
    ]


def test_theme_without_main_html_is_an_error(tmp_path):
    assert problems_of(write_config(tmp_path, text="site_name: x\ntheme_dir: nowhere\n")) == [
        "theme_dir: 'nowhere' has no main.html"
    ]


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="absent.yml: not found; run report-archive from the archive's folder"):
        load_config(tmp_path / "absent.yml")
    assert problems_of(write_config(tmp_path, text="site_name: [unclosed\n")) == [
        ": not valid YAML"
    ]
    assert problems_of(write_config(tmp_path, text="- a list\n")) == [": must be a mapping of keys"]
