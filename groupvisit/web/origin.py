"""Only this server's own pages may open its websockets or send its forms; cookies go only over HTTPS when it is."""

from starlette.requests import HTTPConnection

from ..settings import Settings


def same_origin(connection: HTTPConnection, settings: Settings) -> bool:
    """A browser says where a page came from; a request with no Origin is not from another site's page."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    host = connection.headers.get("host", "")
    allowed = {f"http://{host}", f"https://{host}"}
    if settings.public_url:
        allowed.add(settings.public_url.rstrip("/"))
    return origin.rstrip("/") in allowed


def over_https(connection: HTTPConnection) -> bool:
    """Whether cookies must be `Secure`: the request came over HTTPS (directly or through a trusted proxy),
    or the clinic's public address is HTTPS even if the proxy in front does not say so."""
    settings: Settings = connection.state.settings
    return connection.url.scheme == "https" or settings.public_url.startswith("https://")
