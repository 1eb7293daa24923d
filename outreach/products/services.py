"""Creating products and seeding the standard kits."""

from __future__ import annotations

from sqlalchemy import select

from outreach.extensions import db
from outreach.products.models import Product

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


def ensure_standard_products() -> list[Product]:
    """Add the three standard kits if they are missing; return all of them."""
    existing = {p.name: p for p in db.session.scalars(select(Product))}
    out = []
    for name, strength, route, doses in STANDARD_PRODUCTS:
        out.append(existing.get(name) or create_product(name, strength, route, doses))
    return out


def active_products() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.active).order_by(Product.name)))


def product_name_map() -> dict[int, str]:
    return dict(db.session.execute(select(Product.id, Product.name)).all())
