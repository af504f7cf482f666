"""What a batch read came to: articles yielded, records skipped and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontlines.errors import InputError

__all__ = ["IngestReport"]


@dataclass(slots=True)
class IngestReport:
    """Counts for one ``read_articles`` run; mutated as the iterator is consumed.

    ``articles``: articles yielded. ``skipped``: records or files skipped because of a
    problem (one per entry in ``problems``). ``ignored``: files in directories passed over
    because they are obviously not articles (images, media, archives). ``duplicates``:
    articles passed over because one with the same id was already yielded. ``sources``:
    files, URLs and streams opened.
    """

    articles: int = 0
    skipped: int = 0
    ignored: int = 0
    duplicates: int = 0
    sources: int = 0
    problems: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_problem(self, error: InputError) -> None:
        self.problems.append(error)
        self.skipped += 1

    def summary(self) -> str:
        """One line for a CLI, e.g. ``12 articles from 3 sources; 1 skipped``."""
        parts = [f"{self.articles} article{'s' * (self.articles != 1)} from {self.sources} "
                 f"source{'s' * (self.sources != 1)}"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate{'s' * (self.duplicates != 1)}")
        if self.ignored:
            parts.append(f"{self.ignored} non-article file{'s' * (self.ignored != 1)} ignored")
        return "; ".join(parts)
