"""The write phase's folders: the docs folder MkDocs reads, the files published as they are
(links.published_as_is), and the fingerprint each file was written with (render/reuse.py,
kept by the build state): a file whose fingerprint is unchanged is neither made nor written."""

from __future__ import annotations

import os
from pathlib import Path

from generator import links, writer
from generator.config import LoadedConfig
from generator.content import Archive
from generator.fingerprint import code_fingerprint, joined_digest
from generator.render.reuse import PageReuse, file_identity
from generator.render.site import render_site
from generator.state import BuildState, Stored
from generator.taxonomy import Taxonomy


class DocsFolder:
    """The docs and as-is folders of one build, rendered and written."""

    def __init__(self, state: BuildState, config: LoadedConfig, archive: Archive) -> None:
        self.state = state
        self._docs, self._as_is = str(state.docs), str(state.as_is)  # joined with a path per file
        self.config = config
        units = "\0".join(org.model_dump_json() for org in archive.organizations)
        self.registry = joined_digest(code_fingerprint(), config.site.model_dump_json(), units)
        self.stored: Stored | None = None  # the fingerprints, once the pages' shared inputs are known
        self.digests = archive.digests
        self.listed = archive.listed
        self.fingerprints: dict[str, str] = {}
        self.rendered = 0  # files rendered (the others were current)

    def render(self, tax: Taxonomy, content_dir: Path) -> writer.FileSet:
        # A unit's label depends on the reports of other units of its name: shared like the registry.
        labels = "\0".join(f"{slug}\1{label}" for slug, label in sorted(tax.unit_labels.items()))
        shared = joined_digest(self.registry, labels)
        self.stored = self.state.pages(shared)
        previous = self.stored.load() or {}
        reuse = PageReuse(located=self.located, previous=previous, digests=self.digests, listed=self.listed, shared=shared)
        rendered = render_site(tax, self.config.site, content_dir, reuse)
        self.fingerprints = rendered.fingerprints
        self.rendered = len(rendered.files)
        files = writer.FileSet()
        files.update(rendered.files)
        for path in rendered.kept:
            files.keep(path)
        return files

    def located(self, path: str) -> str:
        return os.path.join(self._as_is if links.published_as_is(path) else self._docs, path)

    def write(self, files: writer.FileSet) -> None:
        # The fingerprints describe the folders: never left behind while they change.
        self.stored.forget()
        files.part(lambda path: not links.published_as_is(path)).write(self.state.docs)
        files.part(links.published_as_is).write(self.state.as_is)
        written = {
            path: [fingerprint, *file_identity(self.located(path))] for path, fingerprint in self.fingerprints.items()
        }
        self.stored.save(written)
