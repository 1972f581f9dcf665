"""The web app: an upload page for engineers and a JSON API for pipelines (``footprint serve``)."""

from footprint.web.app import create_app
from footprint.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
