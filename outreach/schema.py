"""Every table, imported in one place so Alembic and create_all see the whole schema."""

from outreach.api.models import ApiReceipt, ApiToken  # noqa: F401
from outreach.areas.models import Area
from outreach.audit.models import AuditChainHead, AuditEvent
from outreach.auth.models import User
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.handouts.models import Handout
from outreach.maps.models import HotSpot, SpikeAlert  # noqa: F401
from outreach.orgs.models import Organisation, Partnership, Site
from outreach.overdoses.models import OverdoseReport
from outreach.products.models import Product
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockBalance, StockMovement
from outreach.tallies.models import OverdoseMonth, SupplyKitMonth, SupplyMonth
from outreach.throttle.models import ThrottleCount
from outreach.trainings.models import TrainingAttendance, TrainingSession

__all__ = [
    "Area",
    "AuditChainHead",
    "AuditEvent",
    "Batch",
    "ContactReferral",
    "ContactService",
    "Handout",
    "Holding",
    "Organisation",
    "OutreachContact",
    "OverdoseMonth",
    "OverdoseReport",
    "Partnership",
    "Product",
    "ResupplyRequest",
    "Site",
    "StockBalance",
    "StockMovement",
    "SupplyKitMonth",
    "SupplyMonth",
    "ThrottleCount",
    "TrainingAttendance",
    "TrainingSession",
    "User",
]
