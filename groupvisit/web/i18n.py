"""The participant's language: English or Spanish, chosen at join and changeable from their screen.

Participant-facing text is English in the source, marked for gettext: `_()` in the templates,
`_()` and `ngettext()` in the participant screen's modules (`participant_ui/static/*.js`), `N_()` here.
`babel.cfg` says where to look; Spanish lives in `participant_ui/locales/es/LC_MESSAGES/messages.po`,
read with Babel when first needed (no compiled `.mo` to keep in step). To bring the catalogue up to
date after changing a text:

    pybabel extract -F babel.cfg --add-location=file -o /tmp/messages.pot .
    pybabel update -i /tmp/messages.pot -d participant_ui/locales -N

then translate what is new or changed; `tests/test_i18n.py` fails until every message has Spanish.

The script gets its texts as JSON in the page (a strict CSP allows no inline script): only the
messages its modules ask for, found by the same extractor the catalogue is built with.
"""

import re
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request

import participant_ui

LANGUAGES = {"en": "English", "es": "Español"}  # each language named in itself, as its speakers look for it
DEFAULT_LANGUAGE = "en"  # the language the source text is written in
LANGUAGE_COOKIE = "gv_lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600  # not a secret: a shared tablet remembers the last choice
LOCALES = participant_ui.ROOT / "locales"
SCRIPTS = participant_ui.ROOT / "static"  # the participant screen's modules, every `*.js` in it
SCRIPT_KEYWORDS = {"_": None, "ngettext": (1, 2)}


def N_(message: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    """Marks a message for extraction; it is translated where it is shown."""
    return message


# What the error page may be given to say to a participant, as the server words it (pages, access).
ERROR_PAGE_MESSAGES = (
    N_("There is no such session."),
    N_("This device is not checked in to this session: join again."),
    N_("Join the session first."),
)


def pick(value: str | None) -> str | None:
    """A supported language code from a form field, cookie or query (`es`, `ES`, `es-MX`), or None."""
    code = (value or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in LANGUAGES else None


def from_accept_language(header: str) -> str | None:
    """The supported language the browser prefers most, if any."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        match = re.search(r"q=([0-9.]+)", params)
        try:
            quality = float(match.group(1)) if match else 1.0
        except ValueError:
            continue
        language = pick(tag)
        if language and quality > 0:
            ranked.append((-quality, index, language))
    return min(ranked)[2] if ranked else None


def language_of(request: Request) -> str:
    """This device's language: asked for in the address, then chosen before, then the browser's, then English."""
    return (pick(request.query_params.get("lang")) or pick(request.cookies.get(LANGUAGE_COOKIE))
            or from_accept_language(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE)


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue for `language`; the source language needs none."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    with po_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they show in English until reviewed
    compiled.seek(0)
    return Translations(compiled)


def gettext(language: str, message: str, **values: Any) -> str:
    """`message` in `language`, with `%(name)s` placeholders filled from `values`."""
    text = translations(language).gettext(message)
    return text % values if values else text


# ---- Templates -------------------------------------------------------------------------------------


def context_language(context: Context) -> str:
    """A template's language: set by the page (or a loop over languages), else the request's."""
    language = context.get("language")
    if language in LANGUAGES:
        return str(language)
    request = context.get("request")
    return language_of(request) if isinstance(request, Request) else DEFAULT_LANGUAGE


@pass_context
def template_gettext(context: Context, message: str) -> str:
    return translations(context_language(context)).gettext(message)


@pass_context
def template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context_language(context)).ngettext(singular, plural, n)


@pass_context
def page_language(context: Context) -> str:
    return context_language(context)


# ---- The script's messages -------------------------------------------------------------------------


@cache
def script_messages() -> tuple[str | tuple[str, ...], ...]:
    """Every message the participant screen's modules ask for, as the extractor finds them (babel.cfg
    names the same files)."""
    found = [message for script in sorted(SCRIPTS.glob("*.js"))
             for _, message, _, _ in extract_from_file("javascript", script, keywords=SCRIPT_KEYWORDS)]
    return tuple(dict.fromkeys(found))


@cache
def script_catalogue(language: str) -> dict[str, Any]:
    """What the participant screen's modules need to speak `language`: each message's text, a plural's
    two forms."""
    translated = translations(language)
    messages: dict[str, str | list[str]] = {}
    if language != DEFAULT_LANGUAGE:
        for message in script_messages():
            if isinstance(message, tuple):
                singular, plural = message[0], message[1]
                messages[singular] = [translated.ngettext(singular, plural, n) for n in (1, 2)]
            else:
                messages[message] = translated.gettext(message)
    return {"language": language, "messages": messages}
