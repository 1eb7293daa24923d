"""The counter behind every rate limit (outreach.throttle)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base

KEY_MAX = 200


class ThrottleCount(Base):
    """Hits of one key in its current window (`window_start` .. + the limit's window)."""

    __tablename__ = "throttle_counts"

    key: Mapped[str] = mapped_column(String(KEY_MAX), primary_key=True)
    window_start: Mapped[datetime]
    hits: Mapped[int] = mapped_column(default=0)
