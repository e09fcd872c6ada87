"""groupvisit: live software for group medical visits (shared medical appointments)."""

__version__ = "0.1.0"
