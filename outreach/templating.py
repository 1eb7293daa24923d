"""Names every template can use: the coded lists, their labels, product names."""

from __future__ import annotations

from flask import Flask, g

from outreach import vocab


class _ProductNames:
    """Loaded once per request, on first use."""

    def get(self, product_id, default=""):
        if "product_names" not in g:
            from outreach.products.services import product_name_map

            g.product_names = product_name_map()
        return g.product_names.get(product_id, default)


def init_templating(app: Flask) -> None:
    @app.context_processor
    def globals_():
        return {"vocab": vocab, "label": vocab.label, "product_names": _ProductNames()}
