"""Round trip on ACLED's own files: an ACLED CSV from ../shared/data/dev, read as
'frontlines eval events' reads it and as events, written back by the export, compared column
by column on layout (names and order, date format, number formats, empty vs 0)."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from conftest import shared_file

from frontlines.events.eval_gold import read_gold
from frontlines.export import read_events_csv, write_events
from frontlines.export_acled import parse_inter, parse_interaction
from frontlines.model import ACLED_COLUMNS

pytestmark = pytest.mark.shared

FILES = ["dev/acled_middle_east_2022h1/acled.csv", "dev/acled_syria_battles_2017_2023/acled.csv"]
ROWS = 3000  # the first rows of the larger file are enough to cover its formats


def _rows(path, limit=None):
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(itertools.islice(reader, limit))


def _export(events, layout):
    buffer = io.StringIO(newline="")
    write_events(events, "csv", buffer, layout=layout)
    reader = csv.DictReader(io.StringIO(buffer.getvalue(), newline=""))
    return reader.fieldnames, list(reader)


@pytest.mark.parametrize("relative", FILES)
def test_acled_file_written_back_cell_for_cell(relative, tmp_path):
    path = shared_file(relative)
    header, original = _rows(path, ROWS)
    assert tuple(header) == ACLED_COLUMNS  # the dev files are ACLED's 31 columns, in order
    part = tmp_path / "acled.csv"  # the first rows (notes may span lines: cut by the reader)
    with part.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(original)
    with part.open(encoding="utf-8", newline="") as fh:
        events = list(read_events_csv(fh))
    assert len(events) == len(original)

    # the reader 'frontlines eval events' uses sees the same rows, dates, places and dead
    gold = read_gold(part)
    assert len(gold) == len(events)
    for g, e in zip(gold, events, strict=True):
        assert (g.event_date, g.actor1, g.latitude, g.longitude, g.fatalities) == \
            (e.event_date, e.actor1, e.latitude, e.longitude, e.fatalities)

    out_header, written = _export(events, "legacy")  # the dev files are a legacy release
    assert tuple(out_header[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    differences = {}
    for row, (a, b) in enumerate(zip(original, written, strict=True), start=2):
        for column in ACLED_COLUMNS:
            if a[column] != b[column]:
                differences.setdefault(column, (row, a[column], b[column]))
    assert differences == {}, f"first difference per column (row, ACLED, ours): {differences}"


def test_current_layout_writes_labels_that_read_back_to_the_codes():
    path = shared_file(FILES[0])
    _header, original = _rows(path)
    text = path.read_text(encoding="utf-8")
    events = list(read_events_csv(io.StringIO(text, newline="")))
    _out, written = _export(events, "current")
    for a, b in zip(original, written, strict=True):
        assert parse_inter(b["inter1"]) == int(a["inter1"])
        assert parse_inter(b["inter2"]) == int(a["inter2"])
        assert parse_interaction(b["interaction"]) == int(a["interaction"])
        assert not b["interaction"].isdigit() and (b["inter2"] == "") == (a["inter2"] == "0")
        unchanged = [c for c in ACLED_COLUMNS if c not in ("inter1", "inter2", "interaction")]
        assert [a[c] for c in unchanged] == [b[c] for c in unchanged]
