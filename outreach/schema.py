"""Every table, imported in one place so Alembic and create_all see the whole schema."""

from outreach.audit.models import AuditEvent
from outreach.auth.models import LoginFailure, User
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.handouts.models import Handout
from outreach.orgs.models import Organisation, Site
from outreach.overdoses.models import OverdoseReport
from outreach.products.models import Product
from outreach.trainings.models import TrainingAttendance, TrainingSession

__all__ = [
    "AuditEvent",
    "ContactReferral",
    "ContactService",
    "Handout",
    "LoginFailure",
    "Organisation",
    "OutreachContact",
    "OverdoseReport",
    "Product",
    "Site",
    "TrainingAttendance",
    "TrainingSession",
    "User",
]
