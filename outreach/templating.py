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


def org_today():
    """The signed-in user's organisation's local day (once per request), e.g. to tell an expired
    batch from one that still expires."""
    if "org_today" not in g:
        from flask_login import current_user

        from outreach.orgs.services import org_today as today_of
        from outreach.timezones import local_today, zone

        user_org = getattr(current_user, "organisation", None)
        g.org_today = today_of(user_org) if user_org is not None else local_today(zone(None))
    return g.org_today


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["org_today"] = org_today

    @app.context_processor
    def globals_():
        return {"vocab": vocab, "label": vocab.label, "product_names": _ProductNames()}
