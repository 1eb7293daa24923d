"""Users, their roles, and their second factor."""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.access import can
from outreach.models.base import Base, TimestampMixin, sql_in
from outreach.orgs.models import Organisation
from outreach.vocab import ROLES


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(sql_in("role", ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Bumped at logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    usual_product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    # The site a person works from: their bag counts in that site's stock (reports). A site of
    # their own organisation (admin.services.base_site keeps that rule).
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)

    # Two-step verification (outreach/auth/mfa.py): the TOTP secret, sealed with a key derived
    # from SECRET_KEY; the last time step accepted (a code is never accepted twice); the
    # salted, keyed hashes of the unused recovery codes, space-separated.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    recovery_codes: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active and self.organisation.active

    def can(self, capability: str) -> bool:
        """Whether this user's role has `capability` (outreach.access: the one table)."""
        return can(self, capability)

    def __repr__(self) -> str:
        return f"<User {self.username!r} {self.role}>"
