"""Creating products and seeding the standard kits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.products.models import Product
from outreach.vocab import ROUTES


class ProductError(DomainError):
    pass


STANDARD_PRODUCTS = (
    ("Prenoxad 2 mg/2 ml pre-filled syringe", "2 mg/2 ml", "intramuscular", 5),
    ("Nyxoid 1.8 mg nasal spray", "1.8 mg", "intranasal", 2),
    ("Naloxone 0.4 mg/ml ampoule kit", "0.4 mg/ml", "intramuscular", 5),
)


def create_product(name: str, strength: str, route: str, doses_per_kit: int) -> Product:
    product = Product(
        name=name.strip(), strength=strength.strip(), route=route, doses_per_kit=doses_per_kit
    )
    db.session.add(product)
    db.session.flush()
    return product


def add_product(name: str, strength: str, route: str, doses_per_kit: int) -> Product:
    """Add a kit type for the whole deployment, checking what the database would refuse."""
    name, strength = (name or "").strip(), (strength or "").strip()
    if not name or len(name) > 120:
        raise ProductError("name", _l("A name has 1 to 120 characters."))
    if not strength or len(strength) > 60:
        raise ProductError("strength", _l("A strength has 1 to 60 characters."))
    if route not in ROUTES:
        raise ProductError("route", _l("Choose how the naloxone is given."))
    if doses_per_kit is None or doses_per_kit < 1:
        raise ProductError("doses_per_kit", _l("A kit holds at least one dose."))
    if db.session.scalar(select(Product.id).where(Product.name == name)):
        raise ProductError("name", _l("A product with this name exists."))
    return create_product(name, strength, route, doses_per_kit)


def set_product_active(product: Product, active: bool) -> None:
    """Withdraw a product from new records (or bring it back); old records keep it."""
    product.active = active
    db.session.flush()


def all_products() -> list[Product]:
    return list(db.session.scalars(select(Product).order_by(Product.active.desc(), Product.name)))


def ensure_standard_products() -> list[Product]:
    """Add the three standard kits if they are missing; return all of them."""
    existing = {p.name: p for p in db.session.scalars(select(Product))}
    out = []
    for name, strength, route, doses in STANDARD_PRODUCTS:
        out.append(existing.get(name) or create_product(name, strength, route, doses))
    return out


def active_products() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.active).order_by(Product.name)))
