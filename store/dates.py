"""Dates as pages write them: `Jul 16, 2023`, `May 28` (year left out), `2026`."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
)}
MONTH_PATTERN = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "May 28", "May 28, 2025", "May 28 2025"
DATE_PATTERN = rf"(?P<month>{MONTH_PATTERN})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_DATE = re.compile(rf"^{DATE_PATTERN}$", re.IGNORECASE)


def month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def resolve(month: int, day: int, year: int | None, captured: date) -> tuple[str, bool] | None:
    """ISO date and whether its year was inferred; None for an impossible day.

    A date without a year is the most recent such day not after the capture date.
    """
    if year is not None:
        try:
            return date(year, month, day).isoformat(), False
        except ValueError:
            return None
    for candidate_year in range(captured.year, captured.year - 8, -1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue  # Feb 29 outside a leap year, or no such day at all
        if candidate <= captured:
            return candidate.isoformat(), True
    return None


def parse_date(text: str, captured: date) -> tuple[str, bool] | None:
    """`Jul 16, 2023` -> ("2023-07-16", False); `May 28` -> inferred year; else None."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year = int(match["year"]) if match["year"] else None
    return resolve(month_number(match["month"]), int(match["day"]), year, captured)
