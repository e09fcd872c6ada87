"""Test support: a real uvicorn server on a free port and real websocket clients."""
