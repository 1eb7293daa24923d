"""Outreach: peer-led naloxone distribution and outreach logistics."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, errors, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    register_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    from outreach.config import check_config, engine_options, load_config

    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    check_config(app.config)
    if app.config.get("PROXY_FIX_X_FOR"):
        # Behind that many proxies, the client's address is taken from X-Forwarded-For (and
        # the scheme from X-Forwarded-Proto); never without a proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from outreach import schema  # noqa: F401  (every table known to the metadata)
    from outreach.areas import services as _areas  # noqa: F401  (each record's area, on flush)
    from outreach.bodylimit import ChunkedBodyLimit
    from outreach.extensions import csrf, db, login_manager, migrate
    from outreach.headers import init_headers
    from outreach.i18n import init_i18n
    from outreach.security import init_security
    from outreach.tallies import keep as _tallies  # noqa: F401  (new people, tallies, on flush)
    from outreach.templating import init_templating

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)
    init_security(app)
    init_headers(app)
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config)  # MAX_CONTENT_LENGTH, chunked too
    init_templating(app)


def register_blueprints(app: Flask) -> None:
    from outreach.tenancy import register_converters

    register_converters(app)  # ids beyond the database's integer range are a 404, not a 500
    from outreach.admin import bp as admin_bp
    from outreach.api import bp as api_bp
    from outreach.auditlog import bp as audit_bp
    from outreach.auth import bp as auth_bp
    from outreach.contacts import bp as contacts_bp
    from outreach.handouts import bp as handouts_bp
    from outreach.home import bp as home_bp
    from outreach.maps import bp as maps_bp
    from outreach.offline import bp as offline_bp
    from outreach.overdoses import bp as overdoses_bp
    from outreach.products import bp as products_bp
    from outreach.public import bp as public_bp
    from outreach.reports import bp as reports_bp
    from outreach.stock import bp as stock_bp
    from outreach.trainings import bp as trainings_bp

    for bp in (
        auth_bp,
        home_bp,
        handouts_bp,
        contacts_bp,
        overdoses_bp,
        trainings_bp,
        products_bp,
        admin_bp,
        audit_bp,
        stock_bp,
        reports_bp,
        api_bp,
        offline_bp,
        maps_bp,
        public_bp,
    ):
        app.register_blueprint(bp)


def register_errors(app: Flask) -> None:
    from outreach.errors import init_errors

    init_errors(app)


def register_cli(app: Flask) -> None:
    from outreach.cli import register

    register(app)
