"""Broadcast of "session S has a new event" between the processes serving it."""

from .base import Hub, Notice, Overflowed, Subscription, hub_for

__all__ = ["Hub", "Notice", "Overflowed", "Subscription", "hub_for"]
