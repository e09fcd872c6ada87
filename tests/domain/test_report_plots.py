"""The report's plots: SVG a strict Content-Security-Policy lets through (no style attributes or elements, no
script), typed text in it only as text, black and white only, and a text alternative naming what it shows."""

import re
import xml.etree.ElementTree as ET

from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.outputs.plots import Plot, report_plots
from groupvisit.outputs.report import session_report
from sessionkit import MONTH, ROSTER, T0, clinician, cohort_session

SVG = "{http://www.w3.org/2000/svg}"
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TOPIC = f"{MARKUP} $\\frac{{1}}{{0}}$ & eating out 🍽️"  # and a "$" matplotlib must not read as TeX
RTL_TOPIC = "שינה ועייפות"  # Hebrew: sleep and tiredness
NAME = "</svg><b>Ann</b> 😀"
RTL_NAME = "دانة"
DOCTOR = "Dr <i>Who</i> & co"


def hostile_plots() -> list[Plot]:
    """A session of the cohort whose names and titles are markup, TeX, right-to-left text and emoji."""
    one = cohort_session()
    one.match(one.join("Ann"), "pat1")
    one.run(c.CloseSession())
    s = cohort_session([one])
    ann, dana = s.join_all(NAME, RTL_NAME)
    s.match(ann, "pat1")
    s.match(dana, "")
    visit, dana_visit = s.request_visit(ann, MARKUP), s.request_visit(dana, RTL_TOPIC)
    s.open(Phase.AGENDA)
    food, sleep = s.propose(TOPIC), s.propose(RTL_TOPIC)
    s.vote(ann, food)
    s.vote(dana, sleep)
    s.open(Phase.DISCUSSION)
    doctor = Actor(Role.CLINICIAN, "c1", DOCTOR)
    s.run(c.CallParticipant(visit, "<b>Room</b> 1"), doctor)
    s.run(c.StartEncounter(visit), doctor)
    s.tick(9)
    s.run(c.RoomVote("keep_going"), dana)
    s.run(c.ExtendTopic())
    s.tick(5)
    s.run(c.CompleteEncounter(visit), doctor)
    s.run(c.NextTopic())
    s.run(c.CallParticipant(dana_visit, "Room 2"), clinician(2))
    s.run(c.StartEncounter(dana_visit), clinician(2))
    s.tick(3)
    s.run(c.CompleteEncounter(dana_visit), clinician(2))
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(4, MARKUP), ann)
    s.run(c.CloseSession())
    report = session_report(s.held(), s.log, ROSTER, [one.held(), s.held()], T0 + MONTH + 4 * 3600)
    return report_plots(report, "Europe/Madrid")


def test_every_plot_is_svg_a_strict_policy_lets_through() -> None:
    plots = hostile_plots()
    assert [p.name for p in plots] == ["plot-timeline", "plot-agenda", "plot-trend"]
    ids: list[str] = []
    for plot in plots:
        root = ET.fromstring(str(plot.svg))
        assert root.tag == f"{SVG}svg"
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert not tags & {"script", "style", "foreignObject", "metadata", "a", "image"}, plot.name
        assert all("style" not in element.attrib for element in root.iter()), f"{plot.name}: a style attribute"
        assert all(not name.startswith("on") for element in root.iter() for name in element.attrib), plot.name
        mine = [element.attrib["id"] for element in root.iter() if "id" in element.attrib]
        assert mine and all(i.startswith(plot.name + "-") for i in mine), "ids carry the plot's name"
        referenced = {a or b for a, b in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', str(plot.svg))}
        assert referenced and referenced <= set(mine), f"{plot.name}: a reference to nothing"
        ids += mine
        assert (root.attrib["role"], root.attrib["aria-label"]) == ("img", plot.description)
    assert len(ids) == len(set(ids)), "three plots on one page: no id twice"


def test_typed_text_is_only_ever_text_in_a_plot() -> None:
    timeline, agenda, trend = hostile_plots()
    texts = ["".join(t.itertext()) for plot in (timeline, agenda) for t in ET.fromstring(str(plot.svg)).iter(f"{SVG}text")]
    assert any(t.startswith("</svg><b>Ann") for t in texts), "the name (cut short), its markup as characters"
    assert any(t.startswith("1. <script>alert(1)</script>") for t in texts), "the title, cut short, as characters"
    assert any(RTL_TOPIC in t for t in texts) and any(RTL_NAME in t for t in texts)
    assert any(DOCTOR in t for t in texts)
    for plot in (timeline, agenda, trend):
        assert "<script" not in str(plot.svg) and "<b>" not in str(plot.svg) and "<img" not in str(plot.svg)
    assert TOPIC in agenda.description and "$\\frac{1}{0}$" in agenda.description
    assert f"{NAME} " in timeline.description and DOCTOR in timeline.description


def test_plots_are_black_and_white_so_they_print_as_they_show() -> None:
    for plot in hostile_plots():
        for element in ET.fromstring(str(plot.svg)).iter():
            for name in ("fill", "stroke"):
                value = element.attrib.get(name, "none").lower()
                if value in ("none", "white", "black") or value.startswith("url(#"):
                    continue
                shade = re.fullmatch(r"#([0-9a-f]{2})\1\1", value)
                assert shade, f"{plot.name}: {name}={value} is a colour, not a grey"


def test_each_plot_says_in_words_what_it_shows() -> None:
    timeline, agenda, trend = hostile_plots()
    assert timeline.description.startswith("2 one-on-ones with 2 clinicians.")
    assert f"during {TOPIC}" in timeline.description
    assert f"{RTL_TOPIC}: planned 8 minutes, ran 3 minutes" in agenda.description
    assert "extended 1 time" in agenda.description
    assert trend.description.startswith("2 sessions, 4 enrolled.")
    assert "rated 4.0 by 1, 1 enrolled patient came, 1 guest" in trend.description
