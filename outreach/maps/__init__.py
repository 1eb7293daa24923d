"""Maps: aggregated layers, named and computed hot spots, spike alerts, coverage gaps."""

from flask import Blueprint

from outreach.overdoses.services import overdose_recorded

bp = Blueprint("maps", __name__, url_prefix="")


def _check_spikes(report, **_extra) -> None:
    from outreach.maps.spikes import check_after_report

    check_after_report(report)


# Every overdose report saved (page or API) runs a cheap spike check in its own transaction.
overdose_recorded.connect(_check_spikes, weak=False)

from outreach.maps import geojson  # noqa: E402,F401,I001
from outreach.maps import routes  # noqa
