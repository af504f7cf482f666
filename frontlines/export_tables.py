"""Events (and control, alerts) as files for GIS and spreadsheets: GeoPackage and Excel.

    write_gpkg("events.gpkg", events, snapshot=snap, alerts=report)   # layer -> rows
    write_xlsx("events.xlsx", events, layout="current")               # rows

GeoPackage (pyogrio; QGIS opens it): one layer per geometry type, all EPSG:4326 —
``events`` (points; an event without coordinates has no geometry), and with a control
snapshot ``control_points`` (points), ``control_areas`` (polygons) and ``front_lines``
(lines), and with an alert report ``alerts`` (points). Excel (openpyxl): one sheet
``events``. The attribute columns of both are the CSV's: ACLED's columns in the release
``layout`` (labels or codes; coordinates to 4 decimals), then provenance; dates are dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontlines.errors import ConfigError
from frontlines.export_acled import (
    COORD_DECIMALS,
    check_layout,
    inter_label,
    interaction_label,
)
from frontlines.model import Event

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from frontlines.control import AlertReport, Snapshot

__all__ = ["GPKG_LAYERS", "acled_frame", "write_gpkg", "write_xlsx"]

#: layer -> (geometry type, which ``kind`` of the control/alert features it holds)
GPKG_LAYERS: dict[str, tuple[str, str]] = {
    "events": ("Point", ""),
    "control_points": ("Point", "control_point"),
    "control_areas": ("MultiPolygon", "area"),
    "front_lines": ("MultiLineString", "front_line"),
    "alerts": ("Point", "alert"),
}


def acled_frame(events: Iterable[Event], layout: str = "current") -> pd.DataFrame:
    """Events as the CSV writes them, typed: dates as datetime64, counts as integers,
    coordinates rounded to ACLED's 4 decimals, actor types as the ``layout`` writes them."""
    from frontlines.frames import events_frame

    check_layout(layout)
    frame = events_frame(events)
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].round(COORD_DECIMALS)
    if layout == "current":
        for column in ("inter1", "inter2"):
            frame[column] = [inter_label(int(v)) for v in frame[column]]
        frame["interaction"] = [interaction_label(int(v)) for v in frame["interaction"]]
    return frame


def _unwritable(path: Path, exc: BaseException) -> ConfigError:
    return ConfigError(f"cannot write the file ({exc}); check the folder exists and is "
                       "writable", where=str(path))


def write_xlsx(path: str | Path, events: Iterable[Event], *, layout: str = "current") -> int:
    """One sheet ``events`` with the export's columns; returns the number of rows."""
    import pandas as pd

    path = Path(path)
    frame = acled_frame(events, layout)
    frame["event_date"] = frame["event_date"].dt.date
    try:
        with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
            frame.to_excel(writer, sheet_name="events", index=False)
            sheet = writer.sheets["events"]
            sheet.freeze_panes = "A2"
            for cell in sheet["B"][1:]:  # event_date: a real date, shown as ACLED writes it
                cell.number_format = "yyyy-mm-dd"
    except OSError as exc:
        raise _unwritable(path, exc) from None
    return len(frame)


def _write_layer(path: Path, frame: Any, layer: str, geometry_type: str) -> None:
    import pyogrio

    try:
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG",
                                geometry_type=geometry_type,
                                promote_to_multi=geometry_type.startswith("Multi"))
    except (OSError, pyogrio.errors.DataSourceError) as exc:
        raise _unwritable(path, exc) from None


def write_gpkg(path: str | Path, events: Iterable[Event], *, snapshot: Snapshot | None = None,
               alerts: AlertReport | None = None, layout: str = "current") -> dict[str, int]:
    """A GeoPackage with the layers above; returns {layer: rows} of the layers written."""
    from frontlines.frames import _points, alerts_frame, control_frame

    path = Path(path)
    if path.exists():
        path.unlink()  # a fresh file: no stale layers of an earlier export
    written: dict[str, int] = {}
    frame = acled_frame(events, layout)
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    layers: list[tuple[str, Any]] = [("events", _points(frame))]
    if snapshot is not None:
        control = control_frame(snapshot)
        for layer in ("control_points", "control_areas", "front_lines"):
            part = control[control["kind"] == GPKG_LAYERS[layer][1]].reset_index(drop=True)
            layers.append((layer, part))
    if alerts is not None:
        layers.append(("alerts", alerts_frame(alerts)))
    for layer, part in layers:
        part = part.copy()
        for column in part.columns:
            if part[column].dtype.kind == "M":  # dates as ISO text: GPKG has no date column
                part[column] = part[column].dt.strftime("%Y-%m-%d")
        _write_layer(path, part, layer, GPKG_LAYERS[layer][0])
        written[layer] = len(part)
    return written
