"""The organisations, sites, towns and demo people that the seed data is built around."""

from __future__ import annotations

from dataclasses import dataclass

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
    lat: float
    lon: float
    weight: float
    sites: tuple[tuple[str, float, float], ...]
    users: tuple[DemoUser, ...]
    prison_site: int | None = None  # index into sites


U = DemoUser
DEMO_ORGS = (
    DemoOrg(
        "Swansea Peer Network",
        "Swansea Bay University Health Board",
        "GB-WLS",
        "Swansea",
        51.62,
        -3.94,
        1.4,
        (
            ("Swansea city centre hub", 51.6195, -3.9430),
            ("HMP Swansea gate", 51.6166, -3.9573),
            ("Morriston Hospital in-reach", 51.6743, -3.9339),
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
        prison_site=1,
    ),
    DemoOrg(
        "Cardiff Harm Reduction Collective",
        "Cardiff and Vale University Health Board",
        "GB-WLS",
        "Cardiff",
        51.48,
        -3.18,
        1.1,
        (
            ("Cardiff Central hub", 51.4760, -3.1790),
            ("Adamsdown hostel", 51.4832, -3.1605),
            ("University Hospital of Wales in-reach", 51.5071, -3.1903),
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
        51.58,
        -2.99,
        0.8,
        (
            ("Newport city centre hub", 51.5880, -2.9977),
            ("Commercial Street hostel", 51.5831, -2.9951),
            ("Royal Gwent Hospital in-reach", 51.5807, -2.9985),
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
        52.48,
        -1.90,
        1.0,
        (
            ("New Street hub", 52.4778, -1.8990),
            ("HMP Birmingham gate", 52.4972, -1.9339),
            ("Digbeth hostel", 52.4757, -1.8836),
        ),
        (
            U("peer.birmingham", "peer", "Jordan Ahmed", CURRENT),
            U("peer2.birmingham", "peer", "Kelly Walsh", NEW),
            U("coordinator.birmingham", "coordinator", "Priya Shah"),
        ),
        prison_site=1,
    ),
    DemoOrg(
        "Göteborgs Stads uppsökarenhet",
        "Västra Götalandsregionen",
        "SE",
        "Göteborg",
        57.71,
        11.97,
        0.7,
        (
            ("Centralstationen", 57.7089, 11.9730),
            ("Härbärget Nordstan", 57.7081, 11.9670),
            ("Sahlgrenska universitetssjukhuset", 57.6830, 11.9607),
        ),
        (
            U("peer.goteborg", "peer", "Johan Lindqvist", CURRENT),
            U("peer2.goteborg", "peer", "Sara Nilsson", NEW),
            U("coordinator.goteborg", "coordinator", "Anna Berg"),
        ),
    ),
)

# Towns of the national-scale set: (town, country, area, lat, lon, weight, prison gate or None).
TOWNS = (
    (
        "Swansea",
        "GB-WLS",
        "Swansea Bay University Health Board",
        51.62,
        -3.94,
        2.0,
        (51.6166, -3.9573),
    ),
    ("Neath", "GB-WLS", "Swansea Bay University Health Board", 51.663, -3.804, 0.6, None),
    ("Port Talbot", "GB-WLS", "Swansea Bay University Health Board", 51.592, -3.780, 0.6, None),
    (
        "Cardiff",
        "GB-WLS",
        "Cardiff and Vale University Health Board",
        51.48,
        -3.18,
        2.5,
        (51.4801, -3.1687),
    ),
    ("Barry", "GB-WLS", "Cardiff and Vale University Health Board", 51.399, -3.283, 0.5, None),
    ("Newport", "GB-WLS", "Aneurin Bevan University Health Board", 51.58, -2.99, 1.2, None),
    ("Pontypool", "GB-WLS", "Aneurin Bevan University Health Board", 51.701, -3.044, 0.4, None),
    (
        "Merthyr Tydfil",
        "GB-WLS",
        "Cwm Taf Morgannwg University Health Board",
        51.748,
        -3.378,
        0.7,
        None,
    ),
    (
        "Bridgend",
        "GB-WLS",
        "Cwm Taf Morgannwg University Health Board",
        51.504,
        -3.577,
        0.7,
        (51.5212, -3.5787),
    ),
    (
        "Pontypridd",
        "GB-WLS",
        "Cwm Taf Morgannwg University Health Board",
        51.602,
        -3.342,
        0.5,
        None,
    ),
    ("Llanelli", "GB-WLS", "Hywel Dda University Health Board", 51.680, -4.162, 0.6, None),
    ("Carmarthen", "GB-WLS", "Hywel Dda University Health Board", 51.857, -4.312, 0.4, None),
    ("Aberystwyth", "GB-WLS", "Hywel Dda University Health Board", 52.414, -4.082, 0.3, None),
    (
        "Wrexham",
        "GB-WLS",
        "Betsi Cadwaladr University Health Board",
        53.046,
        -2.993,
        0.9,
        (53.0365, -2.9410),
    ),
    ("Rhyl", "GB-WLS", "Betsi Cadwaladr University Health Board", 53.319, -3.491, 0.6, None),
    ("Bangor", "GB-WLS", "Betsi Cadwaladr University Health Board", 53.227, -4.129, 0.4, None),
    ("Newtown", "GB-WLS", "Powys Teaching Health Board", 52.513, -3.313, 0.2, None),
    ("Birmingham", "GB-ENG", "Birmingham City Council", 52.48, -1.90, 3.0, (52.4972, -1.9339)),
    ("Wolverhampton", "GB-ENG", "City of Wolverhampton Council", 52.586, -2.129, 1.0, None),
    ("Coventry", "GB-ENG", "Coventry City Council", 52.407, -1.520, 1.0, None),
    ("Bristol", "GB-ENG", "Bristol City Council", 51.455, -2.588, 1.5, (51.4760, -2.5950)),
    ("Manchester", "GB-ENG", "Manchester City Council", 53.481, -2.243, 2.0, (53.4924, -2.2456)),
    ("Liverpool", "GB-ENG", "Liverpool City Council", 53.408, -2.992, 1.8, (53.4545, -2.9712)),
    ("Leeds", "GB-ENG", "Leeds City Council", 53.801, -1.549, 1.5, (53.7966, -1.5977)),
    ("Sheffield", "GB-ENG", "Sheffield City Council", 53.381, -1.470, 1.2, None),
    ("Nottingham", "GB-ENG", "Nottingham City Council", 52.955, -1.158, 1.2, (52.9785, -1.1640)),
    ("Göteborg", "SE", "Västra Götalandsregionen", 57.71, 11.97, 1.5, (57.7116, 11.9872)),
    ("Borås", "SE", "Västra Götalandsregionen", 57.721, 12.940, 0.4, None),
    ("Stockholm", "SE", "Region Stockholm", 59.329, 18.069, 2.0, None),
    ("Malmö", "SE", "Region Skåne", 55.605, 13.004, 1.2, None),
    ("Sundsvall", "SE", "Region Västernorrland", 62.391, 17.307, 0.5, None),
    ("Härnösand", "SE", "Region Västernorrland", 62.632, 17.938, 0.3, None),
)

# The other sites of a national organisation: (English name, Swedish name, lat/lon offset).
SITE_KINDS = (
    ("hub", "mottagning", 0.0, 0.0),
    ("hostel", "härbärge", 0.008, 0.010),
    ("hospital in-reach", "sjukhus", -0.010, -0.012),
    ("pharmacy", "apotek", 0.004, -0.006),
    ("drop-in", "dagverksamhet", -0.005, 0.007),
)


def national_org_name(town: str, country: str) -> str:
    if country == "SE":
        return f"Uppsökarenheten {town}"
    if country == "GB-WLS":
        return f"{town} Peer Naloxone Network"
    return f"{town} Outreach Partnership"


def national_site_names(town: str, country: str) -> list[str]:
    i = 1 if country == "SE" else 0
    gate = "häkte" if country == "SE" else "prison gate"
    return [f"{town} {kind[i]}" for kind in SITE_KINDS] + [f"{town} {gate}"]
