"""The session report's plots, where staff would rather look than read: the one-on-ones per clinician against
the topics, planned against actual minutes per topic, and the cohort's rating and attendance over its sessions.

matplotlib draws them as SVG. They are black and white (fills, hatches, line styles and markers tell the series
apart, never colour alone), so they print as well as they show, and each comes with a text alternative: a
caption and a description read out in place of the picture (the page's tables hold the same numbers).
The SVG is inlined in the page under its strict Content-Security-Policy, which refuses style attributes and
style elements: `inline` turns matplotlib's styles into presentation attributes and writes the tree out again
with ElementTree, so any text in it (names, topic titles) is escaped as XML text, never markup.
"""

import io
import math
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from ..domain.history import SessionRecord
from ..program.clinic_time import local
from .report import SessionReport

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
# What matplotlib writes in its style attributes, and SVG takes as presentation attributes as well.
PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "stroke-opacity", "opacity", "font-size",
    "font-family", "font-style", "font-weight", "font-stretch", "text-anchor", "clip-path"})
RC: dict[RcKeyType, Any] = {"svg.fonttype": "none",  # text stays text: the browser draws it (any script, RTL, emoji) and finds it
      "text.parse_math": False,  # a "$" someone typed is a dollar sign, not TeX
      "svg.hashsalt": "groupvisit",  # the same picture for the same report
      "font.size": 10, "axes.edgecolor": "black", "hatch.linewidth": 0.8}
DARK, MID, LIGHT = "#303030", "#8c8c8c", "#e6e6e6"
TOPIC_FILLS = (("white", ""), (LIGHT, ""), ("white", "\\\\"))  # the topics' bands, in turn
QUARTER = 15 * 60
LABEL_LIMIT = 32  # characters of a name or title drawn in a plot (the tables have them whole)
DRAWING = threading.Lock()  # matplotlib's settings are global: one figure at a time


@dataclass(frozen=True)
class Plot:
    name: str  # its element ids start with this
    caption: str
    description: str  # read out in place of the picture
    svg: Markup  # ElementTree's serialization: text escaped, safe to inline


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def clock(at: float, zone: str) -> str:
    return f"{local(at, zone):%H:%M}"


def count(n: float, word: str) -> str:
    return f"{round(n)} {word}{'' if round(n) == 1 else 's'}"


def minutes(n: float) -> str:
    return count(n, "minute")


def report_plots(report: SessionReport, zone: str) -> list[Plot]:
    """The plots the report has something to show in."""
    drawn = [timeline_plot(report, zone), agenda_plot(report), trend_plot(report, zone)]
    return [plot for plot in drawn if plot is not None]


def timeline_plot(report: SessionReport, zone: str) -> Plot | None:
    """Each clinician's one-on-ones as bars on a lane, over the topics as bands, on the clinic's clock."""
    if not report.lanes:
        return None
    start = report.starts_at

    def x(at: float) -> float:
        return (at - start) / 60

    visits = [v for lane in report.lanes for v in lane.one_on_ones]
    closed = report.closed_at if report.closed_at is not None else report.ends_at
    end = math.ceil(max([closed, *(v.out_until for v in visits)]) / QUARTER) * QUARTER
    lines = [f"{lane.clinician_name}: " + "; ".join(
        f"{v.name} {clock(v.out_from, zone)}–{clock(v.out_until, zone)}"
        + (f", during {', '.join(v.topics)}" if v.topics else "") + ("" if v.completed else ", never completed")
        for v in lane.one_on_ones) for lane in report.lanes]
    description = (f"{count(len(visits), 'one-on-one')} with {count(len(report.lanes), 'clinician')}. "
                   + ". ".join(lines) + ".")
    with drawing():
        fig = Figure(figsize=(9, 1.9 + 0.75 * len(report.lanes)), layout="constrained")
        ax = fig.subplots()
        bands = []
        for n, topic in enumerate(t for t in report.agenda if t.started_at is not None):
            assert topic.started_at is not None and topic.minutes is not None
            face, hatch = TOPIC_FILLS[n % len(TOPIC_FILLS)]
            ax.axvspan(x(topic.started_at), x(topic.started_at) + topic.minutes, facecolor=face, hatch=hatch,
                       edgecolor=MID, linewidth=0.6, zorder=0)
            ax.text(x(topic.started_at) + topic.minutes / 2, len(report.lanes) - 0.45, str(n + 1), ha="center",
                    va="center", fontsize=9, fontweight="bold", zorder=3)
            bands.append(Patch(facecolor=face, hatch=hatch, edgecolor=MID, label=f"{n + 1}. {short(topic.title)}"))
        for row, lane in enumerate(reversed(report.lanes)):
            for visit in lane.one_on_ones:
                # Completed: solid; never completed: white with a dashed edge, up to the end so far.
                ax.broken_barh([(x(visit.out_from), visit.minutes)], (row - 0.3, 0.6),
                               facecolors=DARK if visit.completed else "white", edgecolors="black",
                               linestyles="solid" if visit.completed else "dashed", linewidth=1, zorder=2)
                ax.text(x(visit.out_from) + visit.minutes / 2, row, short(visit.name, 14), ha="center", va="center",
                        fontsize=8, color="white" if visit.completed else "black", clip_on=True, zorder=4)
        ax.set_yticks(range(len(report.lanes)), [short(lane.clinician_name) for lane in reversed(report.lanes)])
        ax.set_ylim(-0.6, len(report.lanes) - 0.1)
        quarters = range(math.ceil(start / QUARTER) * QUARTER, int(end) + 1, QUARTER)  # on every clock's quarters
        ax.set_xticks([x(at) for at in quarters], [clock(at, zone) for at in quarters])
        ax.set_xlim(0, x(end))
        ax.set_xlabel("Clinic time")
        handles = [*bands, Patch(facecolor=DARK, edgecolor="black", label="One-on-one")]
        if not all(v.completed for v in visits):
            handles.append(Patch(facecolor="white", edgecolor="black", linestyle="dashed", label="Never completed"))
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
        svg = inline(fig, "plot-timeline", description)
    return Plot("plot-timeline", "One-on-ones per clinician, against the topics", description, svg)


def agenda_plot(report: SessionReport) -> Plot | None:
    """Each topic's planned minutes (hatched, outlined) beside the minutes it ran (solid)."""
    if not report.agenda:
        return None
    topics = list(reversed(report.agenda))  # the first topic at the top
    lines = [f"{t.title}: planned {minutes(t.planned_minutes)}, "
             + ("not reached" if t.minutes is None else f"ran {minutes(t.minutes)}")
             + (f", extended {count(t.extensions, 'time')}" if t.extensions else "") for t in report.agenda]
    description = f"{count(len(report.agenda), 'topic')}. " + ". ".join(lines) + "."
    with drawing():
        fig = Figure(figsize=(9, 1.4 + 0.55 * len(topics)), layout="constrained")
        ax = fig.subplots()
        rows = range(len(topics))
        ax.barh([r + 0.2 for r in rows], [t.planned_minutes for t in topics], height=0.38, facecolor="white",
                edgecolor="black", hatch="///", label="Planned")
        ax.barh([r - 0.2 for r in rows], [t.minutes or 0 for t in topics], height=0.38, facecolor=DARK,
                edgecolor="black", label="As run")
        for r, topic in zip(rows, topics, strict=True):
            said = "not reached" if topic.minutes is None else minutes(topic.minutes)
            if topic.extensions:
                said += f", extended {topic.extensions}×"
            ax.text((topic.minutes or 0) + 0.3, r - 0.2, said, va="center", fontsize=8)
        ax.set_yticks(rows, [f"{len(topics) - r}. {short(t.title)}" for r, t in zip(rows, topics, strict=True)])
        longest = max(max(t.planned_minutes, t.minutes or 0) for t in topics)
        ax.set_xlim(0, longest * 1.3 + 2)
        ax.set_xlabel("Minutes")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower right", fontsize=8)
        svg = inline(fig, "plot-agenda", description)
    return Plot("plot-agenda", "Minutes per topic, planned and as run", description, svg)


def trend_plot(report: SessionReport, zone: str) -> Plot | None:
    """The mean rating (solid line, round markers) above the attendance (solid bars for roster patients,
    cross-hatched for guests, a dashed line for the roster's size), session by session."""
    if not report.trend:
        return None
    sessions = report.trend
    labels = [f"{local(s.starts_at, zone):%d %b}" + (" (this)" if s.session_id == report.session_id else "")
              for s in sessions]
    at = range(len(sessions))
    lines = [f"{label}: " + (f"rated {s.rating_mean:.1f} by {s.rating_count}" if s.rating_mean is not None
                             else "no ratings") + f", {count(s.came, 'enrolled patient')} came, {count(s.guests, 'guest')}"
             for label, s in zip(labels, sessions, strict=True)]
    description = (count(len(sessions), "session") + (f", {report.enrolled} enrolled" if report.enrolled else "")
                   + ". " + ". ".join(lines) + ".")
    with drawing():
        fig = Figure(figsize=(9, 4.6), layout="constrained")
        rating, people = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1.3))
        rated = [(n, s.rating_mean) for n, s in zip(at, sessions, strict=True) if s.rating_mean is not None]
        rating.plot([n for n, _ in rated], [m for _, m in rated], color="black", linestyle="solid", marker="o",
                    markerfacecolor="white", label="Mean rating")
        for n, mean in rated:
            rating.annotate(f"{mean:.1f}", (n, mean), textcoords="offset points", xytext=(0, 7), ha="center",
                            fontsize=8)
        rating.set_ylim(0.5, 5.9)
        rating.set_yticks([1, 2, 3, 4, 5])
        rating.set_ylabel("Rating (1–5)")
        rating.grid(axis="y", linestyle="dotted", color=MID)
        came = [s.came for s in sessions]
        people.bar(at, came, width=0.55, facecolor=DARK, edgecolor="black", label="Enrolled patients who came")
        people.bar(at, [s.guests for s in sessions], bottom=came, width=0.55, facecolor="white", edgecolor="black",
                   hatch="xx", label="Guests")
        if report.enrolled:
            people.axhline(report.enrolled, color="black", linestyle="dashed", linewidth=1,
                           label=f"Enrolled ({report.enrolled})")
        people.set_ylim(0, max([report.enrolled, *(s.came + s.guests for s in sessions)]) + 1.5)
        people.set_ylabel("People")
        people.yaxis.set_major_locator(MaxNLocator(integer=True))
        people.set_xticks(list(at), labels)
        mark_this(people, sessions, report.session_id)
        people.legend(loc="upper left", fontsize=8, ncols=3, frameon=False)
        svg = inline(fig, "plot-trend", description)
    return Plot("plot-trend", "The cohort's rating and attendance, session by session", description, svg)


def mark_this(ax: Axes, sessions: Sequence[SessionRecord], session_id: str) -> None:
    """This session's date in bold, so it stands out without colour."""
    for label, session in zip(ax.get_xticklabels(), sessions, strict=True):
        if session.session_id == session_id:
            label.set_fontweight("bold")


@contextmanager
def drawing() -> Iterator[None]:
    """matplotlib's settings for these plots, one figure at a time."""
    with DRAWING, matplotlib.rc_context(RC):
        yield


def inline(fig: Figure, prefix: str, description: str) -> Markup:
    """`fig` as an <svg> element for a page whose policy refuses inline styles: styles become presentation
    attributes, ids start with `prefix` (several plots share the page), the size follows the page, and a
    screen reader reads `description` in place of the picture."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    root = ET.fromstring(out.getvalue())
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}metadata", f"{{{SVG}}}style"):
                parent.remove(child)
    for element in root.iter():
        for declaration in element.attrib.pop("style", "").split(";"):
            if declaration.strip():
                name, value = (part.strip() for part in declaration.split(":", 1))
                if name not in PRESENTATION:
                    raise ValueError(f"matplotlib wrote the style {name!r}, which has no presentation attribute")
                element.set(name, value)
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{prefix}-{value}")
            elif name == f"{{{XLINK}}}href":
                del element.attrib[name]
                element.set("href", value.replace("#", f"#{prefix}-", 1))
            elif "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{prefix}-"))
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    # What matplotlib's style element said for every element: inherited, so each one's own attribute still wins.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("class", "plot-svg")
    root.set("role", "img")
    root.set("aria-label", description)
    root.set("focusable", "false")
    ET.register_namespace("", SVG)
    return Markup(ET.tostring(root, encoding="unicode"))
