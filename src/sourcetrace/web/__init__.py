"""The web app (``sourcetrace serve``): needs the ``web`` extra, ``pip install sourcetrace[web]``.

``create_app(settings)`` builds the ASGI app; docs/web.md describes its pages, its JSON API
and its error envelope.
"""

from __future__ import annotations

try:
    import fastapi  # noqa: F401
    import python_multipart  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised by tests/web/test_api.py
    raise ImportError(
        f"the web app needs packages that are not installed ({exc.name}): "
        "pip install sourcetrace[web]"
    ) from exc

from .app import create_app, serve

__all__ = ["create_app", "serve"]
