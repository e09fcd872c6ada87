"""Only this server's own pages may open its websockets or send its forms."""

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
