"""Every form that changes something carries a token only this site's pages know.

The token lives in a cookie (SameSite=Strict, HttpOnly) and in a hidden field of each
form; a form is taken only when the two match and it was not sent from another site.
"""

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..domain.text import valid_unicode
from .origin import over_https, same_origin

COOKIE = "gv_csrf"
FIELD = "csrf"
COOKIE_SECONDS = 12 * 3600


def token_for(request: Request) -> str:
    """The token to put in this page's forms (a new one if the browser has none yet)."""
    token = request.cookies.get(COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return str(token)


def remember(request: Request, response: Response) -> Response:
    """Give the browser the token its page's forms were made with."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(COOKIE, token, max_age=COOKIE_SECONDS, path="/", httponly=True, samesite="strict",
                            secure=over_https(request))
    return response


async def checked_form(request: Request) -> FormData:
    """The submitted form, or 403 when it came from another site or without this browser's token,
    or 400 when a field holds text that is not valid Unicode."""
    # Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` with its forms: only the token can tell.
    if request.headers.get("origin") != "null" and not same_origin(request, request.state.settings):
        raise HTTPException(403, "This form was sent from another site, so it was not accepted.")
    form = await request.form()
    sent, expected = form.get(FIELD), request.cookies.get(COOKIE)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, "This form has expired. Go back, reload the page and send it again.")
    for name, value in form.multi_items():
        if not (readable_text(name) and (not isinstance(value, str) or readable_text(value))):
            raise HTTPException(400, f"The field {ascii(name)} holds a character that is not valid text (part of "
                                     "an emoji or a letter was lost on the way). Type it again and send the form.")
    return form


def readable_text(value: str) -> bool:
    """Valid Unicode with no U+FFFD: the form parser puts one where the bytes sent were not UTF-8."""
    return valid_unicode(value) and "\ufffd" not in value
