"""The area hierarchy that sites, and through them every supply, belong to."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base, TimestampMixin, sql_in

# country → board (health board, ICB, Swedish region) → local_authority (local authority,
# council area, kommun); a local authority may also belong to a partnership (Area Planning
# Board in Wales, Alcohol and Drug Partnership in Scotland), whose parent is its country.
LEVELS = ("country", "board", "local_authority", "partnership")
MAX_AT_RISK = 10_000_000


class Area(TimestampMixin, Base):
    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint(sql_in("level", LEVELS), name="level_known"),
        CheckConstraint(
            f"at_risk_estimate IS NULL OR at_risk_estimate BETWEEN 1 AND {MAX_AT_RISK}",
            name="at_risk_estimate_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The official code where one exists (GSS for the UK, SCB's for Sweden: SE-1480).
    code: Mapped[str] = mapped_column(String(24), unique=True)
    level: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_cy: Mapped[str | None] = mapped_column(String(120))
    name_sv: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    # People at risk in the area, as its administrator estimates it (for reach), with the
    # estimate's source and year in words.
    at_risk_estimate: Mapped[int | None]
    at_risk_source: Mapped[str | None] = mapped_column(String(200))

    def label(self, language: str = "en") -> str:
        """The area's name in `language` where the list has one, else its English name."""
        return {"cy": self.name_cy, "sv": self.name_sv}.get(language) or self.name

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name!r}>"
