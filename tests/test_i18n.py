"""Two languages: every participant-facing text has its Spanish, and each page speaks the language chosen.

The catalogue is checked against what Babel extracts with the project's own `babel.cfg` (templates,
the participant screen's modules, the server's marked messages): a message without Spanish, a fuzzy
one, a stale one or a translation that lost a placeholder fails here. Two sweeps catch text that was never marked at all.
"""

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from conftest import Clinic
from groupvisit.domain.state import Goal
from groupvisit.outputs.take_home import NextSession, TakeHome, TakeHomeStrategy
from groupvisit.web import i18n
from groupvisit.web.templating import make_templates
from support.clients import send_form

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = "participant_ui/static/"  # the participant screen's modules
Message = str | tuple[str, ...]


def extracted() -> dict[Message, set[str]]:
    """Every marked message in the project, as `pybabel extract -F babel.cfg` finds it, with its files."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found: dict[Message, set[str]] = {}
    for filename, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map):
        found.setdefault(message, set()).add(filename)
    return found


def spanish() -> Catalog:
    with i18n.po_path("es").open("rb") as po:
        return read_po(po, locale="es")


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)s", text))


def catalogue_problems(messages: dict[Message, set[str]], catalog: Catalog) -> list[str]:
    """Everything that keeps `catalog` from being the whole, current translation of `messages`."""
    problems = []
    for message, files in messages.items():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        where = ", ".join(sorted(files))
        if entry is None:
            problems.append(f"no Spanish for {message!r} ({where}): update the catalogue")
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else [entry.string]
        forms = [str(form or "") for form in strings]
        if not all(forms):
            problems.append(f"no Spanish for {message!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"the Spanish for {message!r} is marked fuzzy: review it ({where})")
        elif isinstance(message, tuple) != entry.pluralizable:
            problems.append(f"{message!r} changed between singular and plural: update the catalogue")
        else:
            wanted = placeholders(" ".join(message) if isinstance(message, tuple) else message)
            for form in forms:
                if placeholders(form) - wanted or (placeholders(form) != wanted and not isinstance(message, tuple)):
                    problems.append(f"the Spanish for {message!r} changes its placeholders: {form!r}")
    ids = {message[0] if isinstance(message, tuple) else message for message in messages}
    problems += [f"stale: {entry.id!r} is no longer in the code" for entry in catalog
                 if entry.id and (entry.id[0] if isinstance(entry.id, tuple) else entry.id) not in ids]
    problems += [f"obsolete: {msgid!r}" for msgid in catalog.obsolete]
    return problems


def test_every_participant_message_has_its_spanish() -> None:
    messages = extracted()
    assert len(messages) > 200, "the extraction found far too little: is babel.cfg right?"
    sources = {file for files in messages.values() for file in files}
    assert {"participant_ui/templates/participant.html", "participant_ui/templates/join.html",
            "groupvisit/web/pages.py"} <= sources
    # Every module of the participant screen that shows text is extracted.
    assert {SCRIPTS + name for name in ("participant.js", "refusals.js", "forms.js", "session.js", "checkin.js",
                                        "agenda.js", "discussion.js", "strategies.js", "goals.js", "wrapup.js",
                                        "call.js", "tablet.js")} <= sources
    assert catalogue_problems(messages, spanish()) == []


def test_the_check_fails_on_a_missing_a_fuzzy_and_a_stale_translation() -> None:
    messages = extracted()
    catalog = spanish()
    catalog["Save my goal"].string = ""
    catalog["Keep going"].flags.add("fuzzy")
    catalog.add("A message nobody uses any more", "Un mensaje que ya nadie usa")
    messages["A brand-new text"] = {SCRIPTS + "agenda.js"}
    problems = catalogue_problems(messages, catalog)
    assert any("'Save my goal'" in p and "no Spanish" in p for p in problems)
    assert any("'Keep going'" in p and "fuzzy" in p for p in problems)
    assert any("A message nobody uses" in p and "stale" in p for p in problems)
    assert any("'A brand-new text'" in p for p in problems)
    catalog["Step %(step)s of %(steps)s: %(phase)s"].string = "Paso %(step)s: %(phase)s"
    assert any("placeholders" in p for p in catalogue_problems(extracted(), catalog))


def test_the_script_gets_exactly_the_messages_it_asks_for() -> None:
    wanted = {m[0] if isinstance(m, tuple) else m
              for m, files in extracted().items() if any(file.startswith(SCRIPTS) for file in files)}
    catalogue = i18n.script_catalogue("es")
    assert set(catalogue["messages"]) == wanted
    assert catalogue["messages"]["Connecting…"] == "Conectando…"
    assert catalogue["messages"]["%(count)s vote"] == ["%(count)s voto", "%(count)s votos"]
    assert i18n.script_catalogue("en") == {"language": "en", "messages": {}}  # the source text is English


# ---- Text nobody marked -------------------------------------------------------------------------------


class Texts(HTMLParser):
    """The words a page shows or names (text, alt, labels, titles), script and style left out."""

    NAMED_BY = ("alt", "aria-label", "title", "placeholder", "data-word")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        self.texts += [value.strip() for name, value in attrs if name in self.NAMED_BY and value and value.strip()]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = Texts()
    parser.feed(html)
    return parser.texts


# A summary with every part filled, and its author names, texts and dates as data (the same in both languages).
TAKE_HOME = TakeHome("p1", "Maria", "en", "1", "2", Goal("Maria", "Maria", "Maria", "Maria", 8,
                     False, 0.0), (TakeHomeStrategy("Maria", "Maria"), TakeHomeStrategy("Maria", ""),
                                   TakeHomeStrategy("Maria", None)), ("Maria",), None, None, "3",
                     NextSession(0.0, "4", "10:00", "Maria"))

# The same in both languages on purpose: units, symbols, names of languages, data.
SAME_IN_BOTH = {"kg", "lb", "English", "Español", "▸", "▾", "/", "Diabetes group visit", "Maria", "Error 404"}


def render_in(language: str, template: str, **context: Any) -> str:
    env = make_templates().env
    config = {"viewer": {"name": "Maria"}, "done_url": "/p/s1/done"}
    session = {"title": "Diabetes group visit", "join_code": "ABC123"}
    return env.get_template(template).render(language=language, config=config, session=session,
                                             title="Diabetes group visit",
                                             messages=i18n.script_catalogue(language), **context)


@pytest.mark.parametrize(("template", "context"), [
    ("participant/join.html", {"code": "", "display_name": "", "error": None}),
    ("participant/participant.html", {}),
    ("participant/error.html", {"status": 404, "message": "There is no such session."}),
    ("participant/take_home.html", {"summary": TAKE_HOME, "numbers": [("bp", "128/82", ""), ("weight", "", "80")],
                                    "back_url": "/p/s1"}),
    ("participant/take_home.html", {"summary": replace(TAKE_HOME, goal=None, strategies=(), instructions=(),
                                                       next_session=None, last_day=""), "numbers": [],
                                    "back_url": "/p/s1"}),
])
def test_no_participant_page_has_text_left_in_english(template: str, context: dict[str, Any]) -> None:
    english = texts_of(render_in("en", template, **context))
    spanish_texts = texts_of(render_in("es", template, **context))
    assert len(english) == len(spanish_texts)
    untranslated = [text for text in spanish_texts
                    if text in english and re.search(r"[A-Za-z]{2}", text) and text not in SAME_IN_BOTH
                    and not re.fullmatch(r"[\d\s–-]+", text)]
    assert untranslated == [], f"{template}: mark these for translation: {untranslated}"


def script_strings() -> list[str]:
    """Double-quoted literals in the participant screen's modules that are not inside `_()` or `ngettext()`."""
    source = "\n".join(path.read_text() for path in sorted((ROOT / SCRIPTS).glob("*.js")))
    source = re.sub(r"(^|\s)//.*$", "", source, flags=re.MULTILINE)  # comments
    source = re.sub(r'\b(?:_|ngettext)\(\s*"(?:[^"\\]|\\.)*"(?:\s*,\s*"(?:[^"\\]|\\.)*")?', "", source)
    return re.findall(r'"((?:[^"\\]|\\.)*)"', source) + re.findall(r"`((?:[^`\\]|\\.)*)`", source)


def test_the_script_has_no_unmarked_sentence() -> None:
    # Prose: a capital letter then a small one (a word), or several words ending in punctuation.
    prose = [s for s in script_strings()
             if re.search(r"\b[A-Z][a-z]+\b", s) or re.search(r"[a-z]{2,} [a-z]{2,}.*[.!?:]$", s)]
    assert prose == [], f"{SCRIPTS}*.js: mark these with _(): {prose}"


# ---- Pages in the language chosen ---------------------------------------------------------------------


def html_language(page: str) -> str:
    match = re.search(r'<html lang="(\w+)"', page)
    assert match
    return match.group(1)


@pytest.mark.asyncio
async def test_the_join_page_speaks_the_language_asked_for_and_remembers_it(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        english = await client.get("/join")
        assert html_language(english.text) == "en" and "Join the group visit" in english.text
        by_browser = await client.get("/join", headers={"Accept-Language": "fr;q=0.9, es-MX;q=0.8, en;q=0.5"})
        assert html_language(by_browser.text) == "es"
        chosen = await client.get(f"/join/{clinic.join_code}?lang=es")
        assert html_language(chosen.text) == "es" and "Únase a la consulta en grupo" in chosen.text
        assert chosen.cookies[i18n.LANGUAGE_COOKIE] == "es"
        assert 'aria-current="true">Español' in chosen.text and 'name="language" value="es"' in chosen.text
        remembered = await client.get("/join")  # the client keeps the cookie
        assert html_language(remembered.text) == "es"


@pytest.mark.asyncio
async def test_joining_in_spanish_gives_a_spanish_screen_that_can_switch_to_english(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        joined = await send_form(client, "/join", {"code": clinic.join_code, "display_name": "Rosa", "language": "es"})
        assert joined.status_code == 303 and joined.cookies[i18n.LANGUAGE_COOKIE] == "es"
        screen = await client.get(joined.headers["location"])
        assert html_language(screen.text) == "es" and "Bienvenido/a, Rosa" in screen.text
        match = re.search(r'<script type="application/json" id="gv-messages">(.*?)</script>', screen.text)
        assert match
        messages = json.loads(match.group(1))
        assert messages["language"] == "es" and messages["messages"]["Connected"] == "Conectado"

        switched = await client.get(f"{joined.headers['location']}?lang=en")
        assert switched.status_code == 303 and switched.headers["location"] == joined.headers["location"]
        assert switched.cookies[i18n.LANGUAGE_COOKIE] == "en"
        screen = await client.get(joined.headers["location"])
        assert html_language(screen.text) == "en" and "Welcome, Rosa" in screen.text


@pytest.mark.asyncio
async def test_a_join_refused_in_spanish_says_why_in_spanish(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        await send_form(client, "/join", {"code": clinic.join_code, "display_name": "Rosa"})
        cases = [({"code": "", "display_name": "Ana"}, 400, "Escriba el código que aparece en la pantalla."),
                 ({"code": "ZZZZZZ", "display_name": "Ana"}, 404, "Ninguna sesión tiene el código ZZZZZZ."),
                 ({"code": clinic.join_code, "display_name": "  "}, 400, "Escriba su nombre."),
                 ({"code": clinic.join_code, "display_name": "x" * 41}, 400, "como máximo 40 caracteres"),
                 ({"code": clinic.join_code, "display_name": "ROSA"}, 400, "Alguien ya se registró como ROSA")]
        for form, status, message in cases:
            response = await send_form(client, "/join", {**form, "language": "es"})
            assert response.status_code == status and message in response.text, message
            assert html_language(response.text) == "es"
        missing = await client.get("/p/nosuchsession", headers={"Cookie": "gv_participant=x; gv_lang=es"})
        assert missing.status_code == 404 and "Esta sesión no existe." in missing.text
