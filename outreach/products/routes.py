"""Product pages: everyone signed in sees the kit types; the platform administrator adds them.

Products are shared by every organisation on the deployment (reports compare them across
services), so only the platform administrator adds or withdraws one; an organisation
administrator asks them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from outreach.access import require
from outreach.audit.services import record as audit
from outreach.extensions import db
from outreach.forms_cycle import form_page, run_and_flash
from outreach.products import bp
from outreach.products.forms import ActiveForm, ProductForm
from outreach.products.models import Product
from outreach.products.services import add_product, all_products, set_product_active


@bp.get("/")
@login_required
def index():
    return render_template("products/index.html", products=all_products(), toggle=ActiveForm())


@bp.route("/new", methods=["GET", "POST"])
@require("administer_platform")
def new():
    def act(form):
        product = add_product(
            form.name.data, form.strength.data, form.route.data, form.doses_per_kit.data
        )
        audit(
            "create",
            "product",
            product.id,
            user=current_user,
            detail=product.name,
            remote_addr=request.remote_addr,
        )
        flash(_("Product %(name)s added.", name=product.name), "success")
        return url_for("products.index")

    return form_page("products/new.html", ProductForm(), act)


@bp.post("/<int:product_id>/active")
@require("administer_platform")
def active(product_id: int):
    product = db.session.get(Product, product_id) or abort(404)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)

    def act() -> None:
        set_product_active(product, form.active.data == "1")
        audit(
            "update",
            "product",
            product.id,
            user=current_user,
            detail=f"active={product.active}",
            remote_addr=request.remote_addr,
        )

    run_and_flash(act, _("Product %(name)s saved.", name=product.name))
    return redirect(url_for("products.index"))
