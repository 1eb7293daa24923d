"""Training sessions and who attended, passed, and until when they are current."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.models.base import Base, TimestampMixin, sql_in
from outreach.models.mixins import new_client_id
from outreach.vocab import TRAINING_KINDS


class TrainingSession(TimestampMixin, Base):
    __tablename__ = "training_sessions"
    __owner_column__ = "recorded_by_id"
    __table_args__ = (
        CheckConstraint(sql_in("kind", TRAINING_KINDS), name="kind_known"),
        CheckConstraint("community_count >= 0", name="community_not_negative"),
        CheckConstraint("valid_months BETWEEN 1 AND 60", name="valid_months_range"),
        Index("ix_training_sessions_org_held", "org_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_client_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    topics: Mapped[str] = mapped_column(String(255), default="")  # comma-separated codes
    community_count: Mapped[int] = mapped_column(default=0)
    valid_months: Mapped[int] = mapped_column(default=12)
    notes: Mapped[str | None] = mapped_column(Text)

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="joined")
    attendees: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def topic_codes(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]

    @property
    def passed_count(self) -> int:
        return sum(1 for a in self.attendees if a.passed)


class TrainingAttendance(Base):
    __tablename__ = "training_attendances"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR client_hash IS NOT NULL", name="someone_attended"),
        UniqueConstraint("session_id", "user_id", name="uq_training_attendances_session_user"),
        Index("ix_training_attendances_user_valid", "user_id", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    passed: Mapped[bool] = mapped_column(default=True)
    valid_until: Mapped[date | None]

    session: Mapped[TrainingSession] = relationship(back_populates="attendees")
    user: Mapped[User | None] = relationship(lazy="joined")
