"""Staff screens: the projector, the facilitator console and the clinician queue."""

from pathlib import Path

ROOT = Path(__file__).parent
