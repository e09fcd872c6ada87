"""Jinja2 for every screen, with autoescaping on for every template whatever its name."""

from jinja2 import Environment, FileSystemLoader, PrefixLoader
from starlette.templating import Jinja2Templates

import facilitator_ui
import participant_ui


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=PrefixLoader({
            "staff": FileSystemLoader(facilitator_ui.ROOT / "templates"),
            "participant": FileSystemLoader(participant_ui.ROOT / "templates"),
        }),
        autoescape=True,
    )
    return Jinja2Templates(env=env)
