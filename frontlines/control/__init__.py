"""Territorial control over time, areas and front lines, civilian exposure and alerts.

Pure core: :class:`ControlMap` (initial marks + ``Event`` records -> timeline, snapshots,
changes) and :func:`alerts` / :func:`exposure` (places + control + events -> records).
Shell: :func:`control_snapshot`, :func:`control_changes`, :func:`exposure_alerts` read a
``Store`` and a ``Gazetteer``.
"""

from frontlines.control.api import (
                                    build_control_map,
                                    control_changes,
                                    control_snapshot,
                                    exposure_alerts,
                                    places_near,
                                    plot_control,
                                    report_claims,
)
from frontlines.control.claims import HolderClaim, HolderPatterns, holder_claims
from frontlines.control.config import ControlConfig
from frontlines.control.exposure import AlertRule, ExposureConfig, alerts, exposure
from frontlines.control.geo import EqualArea, area_km2, haversine_km, load_outline
from frontlines.control.initial import InitialMark, load_initial
from frontlines.control.plot import plot_snapshot
from frontlines.control.records import (
                                    Alert,
                                    AlertReport,
                                    Change,
                                    ChangeReport,
                                    ControlPoint,
                                    Evidence,
                                    Exposure,
                                    FrontLine,
                                    PointState,
                                    SideArea,
                                    Skipped,
                                    Snapshot,
                                    Transfer,
)
from frontlines.control.sides import SideMap
from frontlines.control.timeline import ControlMap

__all__ = [
    "Alert",
    "AlertReport",
    "AlertRule",
    "Change",
    "ChangeReport",
    "ControlConfig",
    "ControlMap",
    "ControlPoint",
    "EqualArea",
    "Evidence",
    "Exposure",
    "ExposureConfig",
    "FrontLine",
    "HolderClaim",
    "HolderPatterns",
    "InitialMark",
    "PointState",
    "SideArea",
    "SideMap",
    "Skipped",
    "Snapshot",
    "Transfer",
    "alerts",
    "area_km2",
    "build_control_map",
    "control_changes",
    "control_snapshot",
    "exposure",
    "exposure_alerts",
    "haversine_km",
    "holder_claims",
    "load_initial",
    "load_outline",
    "places_near",
    "plot_control",
    "plot_snapshot",
    "report_claims",
]
