"""site_config.yml: the only place the site's settings are read and validated.

Every error names its key; unknown keys are returned as warnings.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.errors import ConfigError, Problem
from generator.i18n import N_, Messages, _, system_reason
from generator.validation import validation_problems


class _Section(BaseModel):
    # Unknown keys are kept so they can be reported as warnings.
    model_config = ConfigDict(extra="allow", frozen=True)


class ShowConfig(_Section):
    """What the pages show."""

    latest: int = Field(default=10, ge=0, le=100)
    related: int = Field(default=5, ge=0, le=20)
    feed_entries: int = Field(default=20, ge=1, le=500)
    coverage: bool = True
    source_downloads: bool = True
    review_notice: bool = True


class SiteConfig(_Section):
    site_name: str = Field(min_length=1, max_length=100)
    site_url: str = ""
    site_description: str = Field(default="", max_length=500)
    copyright: str = Field(default="", max_length=300)
    theme_dir: str = "theme"
    show: ShowConfig = Field(default_factory=ShowConfig)

    @field_validator("site_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(_("must be empty or start with http:// or https://"))
        if any(c.isspace() or c in "<>\"'" for c in value):
            raise ValueError(_("must not contain spaces, quotes or angle brackets"))
        return value.rstrip("/") + "/" if value else ""

    @field_validator("site_name", "site_description", "copyright")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError(_("must be a single line"))
        return value.strip()


class LoadedConfig(BaseModel):
    """A validated config, where it came from, and its warnings."""

    model_config = ConfigDict(frozen=True)

    site: SiteConfig
    path: Path
    theme_path: Path
    warnings: tuple[Problem, ...] = ()


INVALID = N_("{path}: invalid site configuration; fix the lines below")
MESSAGES = Messages({
    "not_found": N_("{path}: not found; run report-archive from the archive's folder (the one holding "
    "site_config.yml and content/), or pass --config FILE"),
    "unreadable": N_("{path}: cannot read site configuration ({reason})"),
})


def load_config(path: Path) -> LoadedConfig:
    raw, lines = _read_yaml(path)
    try:
        site = SiteConfig.model_validate(raw)
    except ValidationError as error:
        problems = validation_problems(error, str(path), lines)
        raise ConfigError(_(INVALID).format(path=path), problems) from None
    theme_path = (path.parent / site.theme_dir).resolve()
    if not (theme_path / "main.html").is_file():
        problem = Problem(str(path), "theme_dir", _("{folder!r} has no main.html").format(folder=site.theme_dir))
        raise ConfigError(_(INVALID).format(path=path), [problem])
    warnings = tuple(_unknown_keys(path, site, lines))
    return LoadedConfig(site=site, path=path, theme_path=theme_path, warnings=warnings)


def _read_yaml(path: Path) -> tuple[dict, dict[str, int]]:
    """The settings, and the line of each key (`show.latest` for a nested one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(MESSAGES["not_found"].format(path=path)) from None
    except OSError as error:
        raise ConfigError(MESSAGES["unreadable"].format(path=path, reason=system_reason(error))) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        problem = Problem(str(path), "", _("not valid YAML"), line=None if line is None else line + 1)
        raise ConfigError(_(INVALID).format(path=path), [problem]) from None
    if not isinstance(raw, dict):
        raise ConfigError(
            _(INVALID).format(path=path),
            [Problem(str(path), "", _("must be a mapping of keys"))],
        )
    return raw, _key_lines(yaml.compose(text, Loader=yaml.SafeLoader))


def _key_lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[prefix + key.value] = key.start_mark.line + 1
                lines.update(_key_lines(value, f"{prefix}{key.value}."))
    return lines


def _unknown_keys(path: Path, site: SiteConfig, lines: dict[str, int]) -> list[Problem]:
    names = [(key, "") for key in (site.model_extra or {})]
    names += [(key, "show.") for key in (site.show.model_extra or {})]
    return [
        Problem(
            str(path), prefix + key, _("unknown key (ignored); check its spelling"), lines.get(prefix + key), severity="warning"
        )
        for key, prefix in sorted(names, key=lambda item: item[1] + item[0])
    ]
