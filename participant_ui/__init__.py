"""The participant's tablet and phone screens: join, then the live session."""

from pathlib import Path

ROOT = Path(__file__).parent
