"""Map pages (being written)."""

from outreach.maps import bp  # noqa: F401
