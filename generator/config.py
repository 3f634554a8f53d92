"""site_config.yml: the only place the site's settings are read and validated.

Every error names its key; unknown keys are returned as warnings.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.errors import ConfigError, Problem


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
            raise ValueError("must be empty or start with http:// or https://")
        if any(c.isspace() or c in "<>\"'" for c in value):
            raise ValueError("must not contain spaces, quotes or angle brackets")
        return value.rstrip("/") + "/" if value else ""

    @field_validator("site_name", "site_description", "copyright")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("must be a single line")
        return value.strip()


class LoadedConfig(BaseModel):
    """A validated config, where it came from, and its warnings."""

    model_config = ConfigDict(frozen=True)

    site: SiteConfig
    path: Path
    theme_path: Path
    warnings: tuple[Problem, ...] = ()


def load_config(path: Path) -> LoadedConfig:
    raw = _read_yaml(path)
    try:
        site = SiteConfig.model_validate(raw)
    except ValidationError as error:
        problems = [_problem(path, err) for err in error.errors()]
        raise ConfigError(f"{path}: invalid site configuration", problems) from None
    theme_path = (path.parent / site.theme_dir).resolve()
    if not (theme_path / "main.html").is_file():
        problem = Problem(str(path), "theme_dir", f"{site.theme_dir!r} has no main.html")
        raise ConfigError(f"{path}: invalid site configuration", [problem])
    warnings = tuple(_unknown_keys(path, site))
    return LoadedConfig(site=site, path=path, theme_path=theme_path, warnings=warnings)


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read site configuration ({error.strerror})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        problem = Problem(str(path), "", "not valid YAML", line=None if line is None else line + 1)
        raise ConfigError(f"{path}: invalid site configuration", [problem]) from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: invalid site configuration",
            [Problem(str(path), "", "must be a mapping of keys")],
        )
    return raw


def _problem(path: Path, err: dict) -> Problem:
    key = ".".join(str(part) for part in err["loc"]) or "(top level)"
    message = err["msg"].removeprefix("Value error, ")
    return Problem(str(path), key, message)


def _unknown_keys(path: Path, site: SiteConfig) -> list[Problem]:
    names = [(key, "") for key in (site.model_extra or {})]
    names += [(key, "show.") for key in (site.show.model_extra or {})]
    return [
        Problem(str(path), prefix + key, "unknown key (ignored)", severity="warning")
        for key, prefix in sorted(names, key=lambda item: item[1] + item[0])
    ]
