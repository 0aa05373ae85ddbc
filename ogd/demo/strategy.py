"""The synthetic action portfolio of the digital strategy, `digitalstrategie.xlsx`.

One sheet `Massnahmen` as the strategy office keeps it in Excel: a title row, a
"Stand" row, a two-row header with merged cells (`Zeitraum` over `Start` / `Ende`,
`Budget (CHF)` over `bewilligt` / `beansprucht`; the single-row columns merged
vertically), the measures from row 5, and below them a blank row, a total row and a
note, which is why a pipeline reads the range `facts.STRATEGY_RANGE`.

The measures' titles, fields of action and lead departments are fixed; their status
(exact counts of `facts.STRATEGY_STATUS`), dates and budgets are drawn. The approved
budgets add up to `facts.STRATEGY_BUDGET_APPROVED`.
"""

import datetime
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ogd.demo.draws import apportion
from ogd.demo.facts import (
    DEFAULT_SEED,
    REFERENCE_DATE,
    STRATEGY_BUDGET_APPROVED,
    STRATEGY_SHEET,
    STRATEGY_STATUS,
)
from ogd.demo.xlsx import repack

TITLE = "Digitalstrategie Stadt Luzern – Massnahmenportfolio"
TOP_HEADER = ("ID", "Handlungsfeld", "Massnahme", "Federführung", "Status")
"""Row 3, columns A-E (each merged with the cell below); F3 and H3 follow."""

GROUP_HEADERS = (
    ("F", "G", "Zeitraum", ("Start", "Ende")),
    ("H", "I", "Budget (CHF)", ("bewilligt", "beansprucht")),
)
"""Row-3 cells merged over two row-4 cells: first and last column, label, sub-labels."""

FIRST_DATA_ROW = 5
_EXPORTED_AT = datetime.datetime(2026, 1, 7, 16, 45)
_BUDGET_STEP = 5_000

_FIELDS = MappingProxyType(
    {
        "Digitale Services": (
            ("Online-Schalter der Einwohnerdienste ausbauen", "Sozial- und Sicherheitsdirektion"),
            (
                "Umzug und Wohnsitzbestätigung durchgehend digital",
                "Sozial- und Sicherheitsdirektion",
            ),
            ("Elektronisches Baubewilligungsverfahren (eBaugesuch)", "Baudirektion"),
            ("Städtische App mit Push-Mitteilungen", "Stadtkanzlei"),
            ("Digitale Anmeldung für Volksschule und Betreuung", "Bildungsdirektion"),
            ("Online-Bezahlung von Gebühren und Bewilligungen", "Finanzdirektion"),
        ),
        "Daten und Transparenz": (
            ("Open-Government-Data-Portal aufbauen", "Stadtkanzlei"),
            ("Datenstrategie und Datenkatalog der Verwaltung", "Stadtkanzlei"),
            ("Stammdatenmanagement für Personen und Objekte", "Finanzdirektion"),
            ("Statistik-Dashboards für die Quartiere", "Stadtkanzlei"),
            ("Geodaten-Infrastruktur erneuern", "Baudirektion"),
            ("Datenschutz-Folgenabschätzungen standardisieren", "Stadtkanzlei"),
        ),
        "Digitale Verwaltung": (
            ("Elektronische Geschäftsverwaltung (GEVER) einführen", "Stadtkanzlei"),
            ("Digitale Langzeitarchivierung", "Stadtkanzlei"),
            ("E-Rechnung und digitaler Kreditorenprozess", "Finanzdirektion"),
            ("Digitales Personaldossier", "Finanzdirektion"),
            ("Fallführungssystem der Sozialdienste ablösen", "Sozial- und Sicherheitsdirektion"),
            ("Digitale Sitzungsvorbereitung für Parlament und Stadtrat", "Stadtkanzlei"),
        ),
        "Infrastruktur und Sicherheit": (
            ("Cloud-Strategie und Migration der Fachanwendungen", "Finanzdirektion"),
            ("Informationssicherheits-Managementsystem (ISMS)", "Finanzdirektion"),
            ("Netzwerk und WLAN der Schulhäuser erneuern", "Bildungsdirektion"),
            ("Moderner Arbeitsplatz für die Verwaltung", "Finanzdirektion"),
            ("Glasfaseranschluss der städtischen Liegenschaften", "Finanzdirektion"),
            ("Digitale Notfall- und Krisenkommunikation", "Sozial- und Sicherheitsdirektion"),
        ),
        "Kompetenzen und Kultur": (
            ("Weiterbildungsprogramm digitale Kompetenzen", "Finanzdirektion"),
            ("Medien und Informatik in der Volksschule", "Bildungsdirektion"),
            (
                "Digitale Inklusion: Beratung für Seniorinnen und Senioren",
                "Sozial- und Sicherheitsdirektion",
            ),
            ("Innovationsfonds für Pilotprojekte", "Stadtkanzlei"),
            ("Barrierefreie Webangebote (WCAG 2.1 AA)", "Stadtkanzlei"),
            ("Netzwerk der Digitalverantwortlichen der Direktionen", "Stadtkanzlei"),
        ),
        "Smart City und Partizipation": (
            ("Sensornetz für Luftqualität und Stadtklima", "Umwelt- und Mobilitätsdirektion"),
            ("Parkleitsystem mit offenen Echtzeitdaten", "Umwelt- und Mobilitätsdirektion"),
            ("Digitale Mitwirkungsplattform", "Stadtkanzlei"),
            ("Abfallsammlung mit Füllstandsensoren", "Umwelt- und Mobilitätsdirektion"),
            ("Digitaler Zwilling der Stadt (3D-Stadtmodell)", "Baudirektion"),
            ("Energiemonitoring der städtischen Gebäude", "Umwelt- und Mobilitätsdirektion"),
        ),
    }
)
# Start window (first, last month as (year, month)) and share of the budget used.
_STATUS_PLAN = MappingProxyType(
    {
        "abgeschlossen": ((2021, 1), (2023, 12), (0.8, 1.08)),
        "in Umsetzung": ((2022, 1), (2025, 9), (0.1, 0.8)),
        "geplant": ((2026, 1), (2027, 6), (0.0, 0.0)),
        "sistiert": ((2022, 1), (2024, 6), (0.05, 0.3)),
    }
)


@dataclass(frozen=True)
class Measure:
    """One data row of the sheet."""

    id: str
    field: str
    title: str
    lead: str
    status: str
    start: datetime.date
    end: datetime.date | None
    approved: int
    used: int


def _month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_end(year: int, month: int) -> datetime.date:
    return _month_start(year, month + 1) - datetime.timedelta(days=1)


def _dates(rng: random.Random, status: str) -> tuple[datetime.date, datetime.date | None]:
    """Start (first of a month) and end (last of a month; none when suspended)."""
    (y0, m0), (y1, m1), _ = _STATUS_PLAN[status]
    offset = rng.randint(0, (y1 - y0) * 12 + m1 - m0)
    start = _month_start(y0, m0 + offset)
    months = rng.randint(6, 36)
    end = _month_end(start.year, start.month + months - 1)
    if status == "abgeschlossen" and end > REFERENCE_DATE:
        end = _month_end(2025, rng.randint(1, 12))
    if status == "in Umsetzung" and end <= REFERENCE_DATE:
        end = _month_end(2026, rng.randint(3, 12))
    return start, None if status == "sistiert" else end


def build_measures(seed: int = DEFAULT_SEED) -> list[Measure]:
    """Draw the portfolio: fixed titles, drawn status, dates and budgets.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        `facts.STRATEGY_MEASURES` measures, in id order.
    """
    rng = random.Random(seed)
    statuses = [status for status, n in STRATEGY_STATUS.items() for _ in range(n)]
    rng.shuffle(statuses)
    weights = [math.exp(rng.gauss(0, 0.8)) for _ in statuses]
    budgets = apportion(STRATEGY_BUDGET_APPROVED // _BUDGET_STEP, weights)
    items = [
        (f"DS-{f}.{m}", field, title, lead)
        for f, (field, measures) in enumerate(_FIELDS.items(), 1)
        for m, (title, lead) in enumerate(measures, 1)
    ]
    measures = []
    for (ident, field, title, lead), status, units in zip(items, statuses, budgets, strict=True):
        start, end = _dates(rng, status)
        approved = units * _BUDGET_STEP
        used = round(approved * rng.uniform(*_STATUS_PLAN[status][2]), -2)
        measures.append(Measure(ident, field, title, lead, status, start, end, approved, int(used)))
    return measures


def _write_header(sheet: Worksheet) -> None:
    """Title, Stand, and the two merged header rows."""
    last = "I"
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = f"Stand: {REFERENCE_DATE:%d.%m.%Y}"
    sheet.merge_cells(f"A2:{last}2")
    for column, label in zip("ABCDE", TOP_HEADER, strict=True):
        sheet[f"{column}3"] = label
        sheet.merge_cells(f"{column}3:{column}4")
    for first, second, label, (left, right) in GROUP_HEADERS:
        sheet[f"{first}3"] = label
        sheet.merge_cells(f"{first}3:{second}3")
        sheet[f"{first}4"], sheet[f"{second}4"] = left, right
    for row in sheet.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_measures(sheet: Worksheet, measures: list[Measure]) -> None:
    """The data rows, a blank row, the total row and a note."""
    for row, m in enumerate(measures, FIRST_DATA_ROW):
        values = (m.id, m.field, m.title, m.lead, m.status, m.start, m.end, m.approved, m.used)
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column in (6, 7):
                cell.number_format = "DD.MM.YYYY"
            elif column in (8, 9):
                cell.number_format = "#,##0"
    total = FIRST_DATA_ROW + len(measures) + 1
    sheet.cell(row=total, column=1, value="Total").font = Font(bold=True)
    for column, amount in (
        (8, sum(m.approved for m in measures)),
        (9, sum(m.used for m in measures)),
    ):
        cell = sheet.cell(row=total, column=column, value=amount)
        cell.number_format = "#,##0"
        cell.font = Font(bold=True)
    note = "Beträge in CHF inkl. MWST; beansprucht = verbuchte Kosten bis zum Stichtag."
    sheet.cell(row=total + 1, column=1, value=note)


def write_strategy(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `digitalstrategie.xlsx` as the strategy office keeps it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives the same cells (and bytes).

    Returns:
        `path`.
    """
    workbook = Workbook()
    workbook.properties.creator = "Stadtkanzlei Stadt Luzern, Digitalstrategie (synthetisch)"
    workbook.properties.created = _EXPORTED_AT
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = STRATEGY_SHEET
    _write_header(sheet)
    _write_measures(sheet, build_measures(seed))
    widths = {"A": 9, "B": 26, "C": 52, "D": 32, "E": 14, "F": 12, "G": 12, "H": 14, "I": 14}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    repack(buffer.getvalue(), path, _EXPORTED_AT)
    return path
