"""Product pages: everyone signed in sees the kit types; the platform administrator adds them.

Products are shared by every organisation on the deployment (reports compare them across
services), so only the platform administrator adds or withdraws one; an organisation
administrator asks them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from outreach.audit.services import record as audit
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import show_domain_error
from outreach.products import bp
from outreach.products.forms import ActiveForm, ProductForm
from outreach.products.models import Product
from outreach.products.services import add_product, all_products, set_product_active
from outreach.tenancy import require_platform_admin


@bp.get("/")
@login_required
def index():
    return render_template("products/index.html", products=all_products(), toggle=ActiveForm())


@bp.route("/new", methods=["GET", "POST"])
@require_platform_admin
def new():
    form = ProductForm()
    if form.validate_on_submit():
        try:
            product = add_product(
                form.name.data, form.strength.data, form.route.data, form.doses_per_kit.data
            )
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            audit(
                "create",
                "product",
                product.id,
                user=current_user,
                detail=product.name,
                remote_addr=request.remote_addr,
            )
            db.session.commit()
            flash(_("Product %(name)s added.", name=product.name), "success")
            return redirect(url_for("products.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("products/new.html", form=form), status


@bp.post("/<int:product_id>/active")
@require_platform_admin
def active(product_id: int):
    product = db.session.get(Product, product_id) or abort(404)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    set_product_active(product, form.active.data == "1")
    audit(
        "update",
        "product",
        product.id,
        user=current_user,
        detail=f"active={product.active}",
        remote_addr=request.remote_addr,
    )
    db.session.commit()
    flash(_("Product %(name)s saved.", name=product.name), "success")
    return redirect(url_for("products.index"))
