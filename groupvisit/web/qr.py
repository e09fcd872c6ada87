"""The join QR code, drawn as SVG on the server (no script, no external service)."""

import io

import segno


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, dark="#000", light="#fff",
                                    title="QR code to join the session")
    return buffer.getvalue()
