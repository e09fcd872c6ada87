"""The web edge: pages, the live websocket, the wire protocol and who may see what."""
