"""The facts the demo extracts hold by construction: the numbers tests compare against.

Every value here is immutable. The generators in `ogd.demo` build these counts and
totals in exactly, whatever the seed (the seed changes the rows, never the facts); the
pipelines' tests can compare published figures with them.
"""

import datetime
from types import MappingProxyType

REFERENCE_DATE = datetime.date(2025, 12, 31)
"""The Stichtag of both extracts: ages and dates are counted up to this day."""

DEFAULT_SEED = 1061
"""The seed the demo extracts are generated with unless another is given."""

POPULATION = 83_000
"""Persons in `einwohnerregister.csv`."""

STAFF_ADMINISTRATION = 1_700
"""Staff rows with `bereich` = `Verwaltung` in `personalregister.xlsx`."""

STAFF_SCHOOL = 1_000
"""Staff rows with `bereich` = `Volksschule`."""

STAFF = STAFF_ADMINISTRATION + STAFF_SCHOOL
"""All staff rows."""

STAFF_NATIONALITIES = 49
"""Distinct `nationalitaet` values over all staff."""

JOB_TITLES = 112
"""Distinct `funktion` values over all staff (`Lernende/r` included)."""

APPRENTICE_TITLE = "Lernende/r"
"""The `funktion` of every apprentice."""

APPRENTICES = 64
"""Staff with a `lehrberuf`: all in Verwaltung, aged 15 to 22."""

APPRENTICE_PROFESSIONS = 13
"""Distinct `lehrberuf` values; each has at least `APPRENTICES_PER_PROFESSION_MIN`."""

APPRENTICES_PER_PROFESSION_MIN = 3
"""Fewest apprentices any profession has."""

ADMINISTRATION_OLDER_THAN_51 = 630
"""Verwaltung staff aged 52 or more in completed years at `REFERENCE_DATE`."""

STAFF_AGE_MIN = 15
"""Youngest staff age in completed years at `REFERENCE_DATE`."""

STAFF_AGE_MAX = 65
"""Oldest staff age in completed years at `REFERENCE_DATE`."""

SALARY_GRADES = 25
"""Distinct `lohnklasse` values: every grade from 1 to 25 is used."""

SALARY_GRADE_APPRENTICE = 1
"""The `lohnklasse` of every apprentice, and of nobody else."""

SALARY_MIN = 60_000
SALARY_MAX = 220_000
"""Bounds of `jahreslohn` (annual full-time salary, CHF) of everyone but apprentices."""

APPRENTICE_SALARY_MIN = 9_000
APPRENTICE_SALARY_MAX = 18_000
"""Bounds of the apprentices' `jahreslohn`."""

SALARY_MEDIAN = 108_800
"""Median `jahreslohn` over all staff (CHF)."""

QUARTERS = (
    "Altstadt",
    "Wey",
    "Hochwacht",
    "Zürichstrasse",
    "Maihof",
    "Rotsee",
    "Wesemlin",
    "Dreilinden",
    "Halde",
    "Würzenbach",
    "Schädrüti",
    "Matthof",
    "Tribschen",
    "Langensand",
    "Hirschmatt",
    "Neustadt",
    "Obergrund",
    "Säli",
    "Sternmatt",
    "Bruch",
    "Gütsch",
    "Basel-/Bernstrasse",
    "St. Karli",
    "Reussbühl",
    "Littau Dorf",
    "Ruopigen",
    "Fluhmühle",
    "Udelboden",
)
"""The Luzern quarters of the population register, in this order."""

# --- einwohnerbewegungen.csv (ogd.demo.movements) -----------------------------------

MOVEMENT_TYPES = ("Zuzug", "Wegzug", "Geburt", "Todesfall", "Umzug innerhalb der Stadt")
"""Every `ereignisart` of the movement register, in this order."""

MOVEMENTS = MappingProxyType(
    {
        2016: (6120, 5980, 842, 768, 7410),
        2017: (6245, 6010, 866, 742, 7385),
        2018: (6310, 6102, 831, 781, 7290),
        2019: (6402, 6150, 818, 759, 7350),
        2020: (5870, 5620, 847, 868, 7620),
        2021: (6188, 5934, 889, 806, 7488),
        2022: (6655, 6212, 823, 812, 7180),
        2023: (6803, 6305, 795, 775, 7025),
        2024: (6712, 6390, 781, 769, 7090),
        2025: (6590, 6344, 772, 788, 6980),
    }
)
"""Events per year (of `ereignisdatum`), counts in `MOVEMENT_TYPES` order."""

MOVEMENT_EVENTS = 213_892
"""Rows of `einwohnerbewegungen.csv`: every event of 2016-2025."""

MOVEMENTS_2025_FOREIGN = MappingProxyType(
    {
        "Zuzug": 2768,
        "Wegzug": 2538,
        "Geburt": 208,
        "Todesfall": 55,
        "Umzug innerhalb der Stadt": 2303,
    }
)
"""Events of 2025 by persons without Swiss citizenship (`nationalitaet` != Schweiz)."""

# --- baugesuche.sqlite (ogd.demo.permits) -------------------------------------------

BUILDING_PERMITS_BY_YEAR = MappingProxyType(
    {2018: 561, 2019: 548, 2020: 517, 2021: 583, 2022: 596, 2023: 552, 2024: 571, 2025: 564}
)
"""Applications per year of `eingangsdatum` (submission)."""

BUILDING_PERMITS = 4_492
"""Rows of table `baugesuche`: every application submitted 2018-2025."""

BUILDING_PERMITS_PENDING = 96
"""Applications with `entscheid` = `hängig` (no `entscheiddatum`) on 31.12.2025."""

BUILDING_PERMITS_REJECTED = 152
"""Applications with `entscheid` = `abgelehnt`."""

BUILDING_PERMITS_WITHDRAWN = 247
"""Applications with `entscheid` = `zurückgezogen`."""

BUILDING_PERMITS_APPROVED = (
    BUILDING_PERMITS
    - BUILDING_PERMITS_PENDING
    - BUILDING_PERMITS_REJECTED
    - BUILDING_PERMITS_WITHDRAWN
)
"""Applications with `entscheid` = `bewilligt`."""

PERMIT_DECISIONS = ("bewilligt", "abgelehnt", "zurückgezogen", "hängig")
"""Every `entscheid` value."""

# --- parkleitsystem/seite-N.json (ogd.demo.parking) ---------------------------------

CAR_PARKS = (
    ("AP01", "Parkhaus Sportgebäude", 280),
    ("AP02", "Parkplatz Sportgebäude", 97),
    ("NP07", "Schweizerhof", 250),
    ("NP08", "Casino-Palace", 250),
    ("NP11", "City-Parking", 450),
    ("NP12", "Löwencenter", 345),
    ("NP13", "Nationalhof", 220),
    ("PKF", "Parkhaus Flora", 65),
    ("SP01", "am Gütsch", 100),
    ("SP02", "Altstadt", 456),
    ("SP03", "Kesselturm", 340),
    ("SP04", "Kantonalbank", 280),
    ("SP05", "Bahnhofparking P1+P2", 453),
    ("SP06", "Bahnhofparking P3", 447),
    ("SP09", "Hirzenmatt", 53),
)
"""The 15 car parks of Luzern's parking guidance system: id, name, capacity (real)."""

PARKING_CAPACITY = 4_086
"""Spaces in all car parks together."""

PARKING_FIRST_DAY = datetime.date(2026, 1, 5)
"""First day of the recorded sample (a Monday); the sample covers `PARKING_DAYS` days."""

PARKING_DAYS = 14
PARKING_INTERVAL_MINUTES = 15
"""One reading per car park every 15 minutes, 00:00 to 23:45 local time (+01:00)."""

PARKING_READINGS = 20_160
"""Records over all pages: 15 car parks x 14 days x 96 readings."""

PARKING_PAGE_SIZE = 1_000
PARKING_PAGES = 21
"""`seite-1.json` … `seite-21.json`; the last holds 160 records and no `next`."""

PARKING_HOURS = 336
"""Hours in the sample (14 x 24): each car park has 4 readings in each of them."""

# --- abfallmengen.csv (ogd.demo.waste) ----------------------------------------------

WASTE_TYPES = ("Kehricht", "Papier", "Karton", "Grüngut", "Glas", "Metall")
"""Every `abfallart` of the waste logistics export, in this order."""

WASTE_TONNES = MappingProxyType(
    {
        2024: MappingProxyType(
            {
                "Kehricht": 14_180,
                "Papier": 4_060,
                "Karton": 2_120,
                "Grüngut": 5_240,
                "Glas": 2_890,
                "Metall": 262,
            }
        ),
        2025: MappingProxyType(
            {
                "Kehricht": 14_020,
                "Papier": 3_940,
                "Karton": 2_180,
                "Grüngut": 5_310,
                "Glas": 2_850,
                "Metall": 255,
            }
        ),
    }
)
"""Tonnes collected per year and waste type: the `gewicht_kg` of the tours (whole
multiples of 10 kg) add up to exactly 1000 times these."""

WASTE_TONNES_2025 = 28_555
"""Tonnes collected in 2025, all waste types."""

# --- online-dienste.csv (ogd.demo.eservices) ----------------------------------------

ONLINE_SERVICES = 12
"""Distinct `dienst_code` values (every one is in `pipelines/lookups/online-dienste.csv`)."""

ONLINE_FIRST_DAY = datetime.date(2024, 1, 1)
ONLINE_LAST_DAY = datetime.date(2025, 12, 31)

ONLINE_APP_LAUNCH = datetime.date(2024, 9, 2)
"""First day with `kanal` = `app` rows (five services are offered in the app)."""

ONLINE_ROWS = 11_202
"""Rows: 12 services x 731 days on the web plus 5 services x 486 days in the app."""

ONLINE_OUTAGE_DAYS_PER_YEAR = 3
"""Days per year without web analytics: every row of those days has `-` for both counts."""

ONLINE_TRANSACTIONS = MappingProxyType({2024: 42_480, 2025: 46_020})
"""Completed transactions per year, all services and channels (the `-` cells excluded)."""

# --- digitalstrategie.xlsx (ogd.demo.strategy) --------------------------------------

STRATEGY_SHEET = "Massnahmen"
STRATEGY_RANGE = "A3:I40"
"""Cells of the measures table: the two header rows 3-4 and the data rows 5-40."""

STRATEGY_MEASURES = 36
"""Measures (data rows) of the digital strategy's portfolio."""

STRATEGY_FIELDS = 6
"""Distinct `Handlungsfeld` values; each has six measures."""

STRATEGY_STATUS = MappingProxyType(
    {"geplant": 8, "in Umsetzung": 16, "abgeschlossen": 9, "sistiert": 3}
)
"""Measures per status."""

STRATEGY_BUDGET_APPROVED = 14_850_000
"""Sum of the approved budgets (CHF) over all measures."""

# --- luftqualitaet.parquet (ogd.demo.airquality) ------------------------------------

AIR_STATIONS = ("Luzern Hirschmatt", "Luzern Maihof", "Luzern Tribschen", "Luzern Littau")
"""The measuring stations (invented), in file order."""

AIR_POLLUTANTS = ("NO2", "PM10", "O3")
"""Every `schadstoff`; all in µg/m³, daily means."""

AIR_FIRST_DAY = datetime.date(2024, 1, 1)
AIR_LAST_DAY = datetime.date(2025, 12, 31)

AIR_OUTAGE_DAYS = 6
"""Days per station (over both years) without any value: those rows are absent."""

AIR_ROWS = 8_700
"""Rows: 4 stations x 3 pollutants x (731 - 6) days."""

# --- baustellen.json (ogd.demo.roadworks) -------------------------------------------

ROADWORKS_EXPORTED = datetime.date(2026, 1, 5)
"""The day of the GIS export (`meta.exportiert`): "current" road works are as of this day."""

ROADWORKS = 150
"""Features (road works) in `baustellen.json`."""

ROADWORKS_PLANNED = 42
"""Road works starting after the export day; all others are under way on it."""

ROADWORKS_OPEN_ENDED = 6
"""Road works without an end date (`end` is null)."""

# --- gemeinden.txt (ogd.demo.municipalities; real BFS data, copied) -----------------

BFS_COLUMNS = (
    "HistoricalCode",
    "DistrictHistId",
    "CantonAbbreviation",
    "MunicipalityId",
    "MunicipalityLongName",
    "MunicipalityShortName",
    "MunicipalityEntryMode",
    "MunicipalityStatus",
    "MunicipalityAdmissionNumber",
    "MunicipalityAdmissionMode",
    "MunicipalityAdmissionDate",
    "MunicipalityAbolitionNumber",
    "MunicipalityAbolitionMode",
    "MunicipalityAbolitionDate",
    "MunicipalityDateOfChange",
)
"""The 15 columns of the BFS municipality register (the file has no header)."""

BFS_LU_VERSIONS = 212
"""Rows of canton LU in the register of 1 January 2023: every version since 1960."""

BFS_LU_VALID_VERSIONS = 85
"""LU versions valid on 1 January 2023 (no abolition date): 80 municipalities and
5 cantonal lake parts (`MunicipalityEntryMode` 13)."""

BFS_LU_MUNICIPALITIES = 114
"""Distinct BFS municipality numbers of canton LU over all versions since 1960."""

LUZERN_BFS_NUMBER = 1061
LUZERN_VERSIONS = 3
"""Versions of Luzern: 1960, 2010 (merger with Littau), 2013 (new district)."""
