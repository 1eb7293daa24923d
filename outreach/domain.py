"""Domain errors that services raise and routes or the API turn into messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the change; `field` names the input at fault."""

    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


class NotTrained(DomainError):
    pass


class AlreadyRecorded(DomainError):
    """This form was saved before (its one-time key is taken): nothing was saved again."""
