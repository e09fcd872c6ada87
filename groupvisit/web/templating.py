"""Jinja2 for every screen, with autoescaping on for every template whatever its name.

Participant templates mark their text with `_()`; it is translated into the page's language (see `i18n`).
"""

from jinja2 import Environment, FileSystemLoader, PrefixLoader
from starlette.templating import Jinja2Templates

import facilitator_ui
import participant_ui

from . import i18n


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=PrefixLoader({
            "staff": FileSystemLoader(facilitator_ui.ROOT / "templates"),
            "participant": FileSystemLoader(participant_ui.ROOT / "templates"),
        }),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension adds it
        i18n.template_gettext, i18n.template_ngettext, newstyle=True)
    env.globals["page_language"] = i18n.page_language
    env.globals["translate"] = i18n.template_gettext  # a message from the server, no placeholders
    env.globals["languages"] = i18n.LANGUAGES
    return Jinja2Templates(env=env)
