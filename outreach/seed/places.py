"""The organisations, sites, towns and demo people that the seed data is built around."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# Known demo passwords, one per role (printed at the end of `seed-demo`).
PASSWORDS = {
    "peer": "demo-peer-2026",
    "trainer": "demo-trainer-2026",
    "coordinator": "demo-coordinator-2026",
    "stock_manager": "demo-stock-2026",
    "org_admin": "demo-admin-2026",
    "platform_admin": "demo-platform-2026",
}
# The Swansea demo user of each role (README's demo logins; the scan and the form fuzzing log in
# as them).
DEMO_USERS = {
    "peer": "peer",
    "trainer": "trainer",
    "coordinator": "coordinator",
    "stock_manager": "stock",
    "org_admin": "orgadmin",
    "platform_admin": "platform",
}
NATIONAL_PASSWORD = "national-demo-2026"  # noqa: S105 - a published demo password, shared by all

# Training states of demo peers: months since their course, and what that shows.
CURRENT, NEW, LAPSING, LAPSED = "current", "new", "lapsing", "lapsed"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    name: str
    training: str | None = None  # CURRENT, NEW, LAPSING, LAPSED or None (not a distributor)


@dataclass(frozen=True)
class DemoOrg:
    name: str
    area: str
    country: str  # GB-WLS, GB-ENG or SE
    city: str
    area_code: str  # its local authority or kommun in outreach/areas/data/areas.csv
    lat: float
    lon: float
    weight: float
    # (name, lat, lon, outlet type or None): every site lies in the organisation's area.
    sites: tuple[tuple[str, float, float, str | None], ...]
    users: tuple[DemoUser, ...]

    @property
    def prison_site(self) -> int | None:
        """The index of its prison gate, where prison-release handouts are made."""
        return next((i for i, site in enumerate(self.sites) if site[3] == "prison"), None)


U = DemoUser
DEMO_ORGS = (
    DemoOrg(
        "Swansea Peer Network",
        "Swansea Bay University Health Board",
        "GB-WLS",
        "Swansea",
        "W06000011",
        51.62,
        -3.94,
        1.4,
        (
            ("Swansea city centre hub", 51.6195, -3.9430, None),
            ("HMP Swansea gate", 51.6166, -3.9573, "prison"),
            ("Morriston Hospital in-reach", 51.6743, -3.9339, "hospital"),
        ),
        (
            U("peer", "peer", "Rhian Davies", CURRENT),
            U("peer2", "peer", "Gareth Lewis", LAPSING),
            U("peer3", "peer", "Siân Hughes", LAPSED),
            U("trainer", "trainer", "Owen Jenkins", CURRENT),
            U("coordinator", "coordinator", "Megan Price"),
            U("stock", "stock_manager", "Huw Roberts"),
            U("orgadmin", "org_admin", "Eleri Thomas"),
            U("platform", "platform_admin", "Platform administrator"),
        ),
    ),
    DemoOrg(
        "Cardiff Harm Reduction Collective",
        "Cardiff and Vale University Health Board",
        "GB-WLS",
        "Cardiff",
        "W06000015",
        51.48,
        -3.18,
        1.1,
        (
            ("Cardiff Central hub", 51.4760, -3.1790, None),
            ("Adamsdown hostel", 51.4832, -3.1605, None),
            ("University Hospital of Wales in-reach", 51.5071, -3.1903, "hospital"),
        ),
        (
            U("peer.cardiff", "peer", "Tomos Evans", CURRENT),
            U("peer2.cardiff", "peer", "Nia Williams", NEW),
            U("coordinator.cardiff", "coordinator", "Ffion Morgan"),
        ),
    ),
    DemoOrg(
        "Newport Outreach Trust",
        "Aneurin Bevan University Health Board",
        "GB-WLS",
        "Newport",
        "W06000022",
        51.58,
        -2.99,
        0.8,
        (
            ("Newport city centre hub", 51.5880, -2.9977, None),
            ("Commercial Street hostel", 51.5831, -2.9951, None),
            ("Royal Gwent Hospital in-reach", 51.5807, -2.9985, "hospital"),
        ),
        (
            U("peer.newport", "peer", "Dylan Powell", CURRENT),
            U("coordinator.newport", "coordinator", "Carys Edwards"),
        ),
    ),
    DemoOrg(
        "Birmingham Hostel Outreach",
        "Birmingham City Council",
        "GB-ENG",
        "Birmingham",
        "E08000025",
        52.48,
        -1.90,
        1.0,
        (
            ("New Street hub", 52.4778, -1.8990, None),
            ("HMP Birmingham gate", 52.4972, -1.9339, "prison"),
            ("Digbeth hostel", 52.4757, -1.8836, None),
        ),
        (
            U("peer.birmingham", "peer", "Jordan Ahmed", CURRENT),
            U("peer2.birmingham", "peer", "Kelly Walsh", NEW),
            U("coordinator.birmingham", "coordinator", "Priya Shah"),
        ),
    ),
    DemoOrg(
        "Göteborgs Stads uppsökarenhet",
        "Västra Götalandsregionen",
        "SE",
        "Göteborg",
        "SE-1480",
        57.71,
        11.97,
        0.7,
        (
            ("Centralstationen", 57.7089, 11.9730, None),
            ("Härbärget Nordstan", 57.7081, 11.9670, None),
            ("Sahlgrenska universitetssjukhuset", 57.6830, 11.9607, "hospital"),
        ),
        (
            U("peer.goteborg", "peer", "Johan Lindqvist", CURRENT),
            U("peer2.goteborg", "peer", "Sara Nilsson", NEW),
            U("coordinator.goteborg", "coordinator", "Anna Berg"),
        ),
    ),
)


class Town(NamedTuple):
    """A town of the national-scale set: one organisation, its sites and its people."""

    name: str
    country: str  # GB-WLS, GB-SCT, GB-ENG or SE
    area: str  # the health board, council or region it names as its area
    area_code: str  # its local authority or kommun in outreach/areas/data/areas.csv
    lat: float
    lon: float
    weight: float
    gate: tuple[float, float] | None  # the prison gate, if it has one


T = Town
TOWNS = (
    T("Swansea", "GB-WLS", "Swansea Bay University Health Board", "W06000011", 51.62, -3.94, 2.0,
      (51.6166, -3.9573)),
    T("Neath", "GB-WLS", "Swansea Bay University Health Board", "W06000012", 51.663, -3.804, 0.6,
      None),
    T("Port Talbot", "GB-WLS", "Swansea Bay University Health Board", "W06000012", 51.592, -3.780,
      0.6, None),
    T("Cardiff", "GB-WLS", "Cardiff and Vale University Health Board", "W06000015", 51.48, -3.18,
      2.5, (51.4801, -3.1687)),
    T("Barry", "GB-WLS", "Cardiff and Vale University Health Board", "W06000014", 51.399, -3.283,
      0.5, None),
    T("Newport", "GB-WLS", "Aneurin Bevan University Health Board", "W06000022", 51.58, -2.99, 1.2,
      None),
    T("Pontypool", "GB-WLS", "Aneurin Bevan University Health Board", "W06000020", 51.701, -3.044,
      0.4, None),
    T("Merthyr Tydfil", "GB-WLS", "Cwm Taf Morgannwg University Health Board", "W06000024",
      51.748, -3.378, 0.7, None),
    T("Bridgend", "GB-WLS", "Cwm Taf Morgannwg University Health Board", "W06000013", 51.504,
      -3.577, 0.7, (51.5212, -3.5787)),
    T("Pontypridd", "GB-WLS", "Cwm Taf Morgannwg University Health Board", "W06000016", 51.602,
      -3.342, 0.5, None),
    T("Llanelli", "GB-WLS", "Hywel Dda University Health Board", "W06000010", 51.680, -4.162, 0.6,
      None),
    T("Carmarthen", "GB-WLS", "Hywel Dda University Health Board", "W06000010", 51.857, -4.312,
      0.4, None),
    T("Aberystwyth", "GB-WLS", "Hywel Dda University Health Board", "W06000008", 52.414, -4.082,
      0.3, None),
    T("Wrexham", "GB-WLS", "Betsi Cadwaladr University Health Board", "W06000006", 53.046,
      -2.993, 0.9, (53.0365, -2.9410)),
    T("Rhyl", "GB-WLS", "Betsi Cadwaladr University Health Board", "W06000004", 53.319, -3.491,
      0.6, None),
    T("Bangor", "GB-WLS", "Betsi Cadwaladr University Health Board", "W06000002", 53.227, -4.129,
      0.4, None),
    T("Newtown", "GB-WLS", "Powys Teaching Health Board", "W06000023", 52.513, -3.313, 0.2, None),
    T("Glasgow", "GB-SCT", "NHS Greater Glasgow and Clyde", "S12000049", 55.861, -4.251, 2.0,
      (55.8717, -4.1977)),
    T("Dundee", "GB-SCT", "NHS Tayside", "S12000042", 56.462, -2.971, 0.8, None),
    T("Birmingham", "GB-ENG", "Birmingham City Council", "E08000025", 52.48, -1.90, 3.0,
      (52.4972, -1.9339)),
    T("Wolverhampton", "GB-ENG", "City of Wolverhampton Council", "E08000031", 52.586, -2.129,
      1.0, None),
    T("Coventry", "GB-ENG", "Coventry City Council", "E08000026", 52.407, -1.520, 1.0, None),
    T("Bristol", "GB-ENG", "Bristol City Council", "E06000023", 51.455, -2.588, 1.5,
      (51.4760, -2.5950)),
    T("Manchester", "GB-ENG", "Manchester City Council", "E08000003", 53.481, -2.243, 2.0,
      (53.4924, -2.2456)),
    T("Liverpool", "GB-ENG", "Liverpool City Council", "E08000012", 53.408, -2.992, 1.8,
      (53.4545, -2.9712)),
    T("Leeds", "GB-ENG", "Leeds City Council", "E08000035", 53.801, -1.549, 1.5,
      (53.7966, -1.5977)),
    T("Sheffield", "GB-ENG", "Sheffield City Council", "E08000039", 53.381, -1.470, 1.2, None),
    T("Nottingham", "GB-ENG", "Nottingham City Council", "E06000018", 52.955, -1.158, 1.2,
      (52.9785, -1.1640)),
    T("Göteborg", "SE", "Västra Götalandsregionen", "SE-1480", 57.71, 11.97, 1.5,
      (57.7116, 11.9872)),
    T("Borås", "SE", "Västra Götalandsregionen", "SE-1490", 57.721, 12.940, 0.4, None),
    T("Stockholm", "SE", "Region Stockholm", "SE-0180", 59.329, 18.069, 2.0, None),
    T("Malmö", "SE", "Region Skåne", "SE-1280", 55.605, 13.004, 1.2, None),
    T("Sundsvall", "SE", "Region Västernorrland", "SE-2281", 62.391, 17.307, 0.5, None),
    T("Härnösand", "SE", "Region Västernorrland", "SE-2280", 62.632, 17.938, 0.3, None),
)  # fmt: skip

# The sites of a national organisation: (English name, Swedish name, lat/lon offset, outlet
# type or None), then its prison gate (GATE) where the town has one.
SITE_KINDS = (
    ("hub", "mottagning", 0.0, 0.0, None),
    ("hostel", "härbärge", 0.008, 0.010, None),
    ("hospital in-reach", "sjukhus", -0.010, -0.012, "hospital"),
    ("pharmacy", "apotek", 0.004, -0.006, "pharmacy"),
    ("drop-in", "dagverksamhet", -0.005, 0.007, None),
)
GATE = ("prison gate", "häkte", "prison")


def national_org_name(town: str, country: str) -> str:
    if country == "SE":
        return f"Uppsökarenheten {town}"
    if country == "GB-WLS":
        return f"{town} Peer Naloxone Network"
    if country == "GB-SCT":
        return f"{town} Naloxone Peer Project"
    return f"{town} Outreach Partnership"


def national_sites(town: Town) -> list[tuple[str, float, float, str | None]]:
    """(name, lat, lon, outlet type) of each site of the town's organisation, the hub first."""
    i = 1 if town.country == "SE" else 0
    sites = [
        (f"{town.name} {kind[i]}", round(town.lat + dy, 6), round(town.lon + dx, 6), outlet)
        for *kind, dy, dx, outlet in SITE_KINDS
    ]
    if town.gate:
        sites.append((f"{town.name} {GATE[i]}", *town.gate, GATE[2]))
    return sites
