"""Calendar ticks for a time axis (UTC): pure, no Qt.

:func:`calendar_ticks` picks one step from a fixed ladder (seconds, minutes, hours, days, weeks,
months, years) so that the labels fit the width, puts a tick on every calendar boundary of
that step inside the range, and formats every label with the same format chosen for the step.
A label shows every field that varies across the ticks, down to the step's own unit, so two
ticks never carry the same label ("2021 2021 2022" cannot happen). Steps that are a fixed
number of seconds (up to weeks) are exactly evenly spaced; month and year steps are evenly
spaced in the calendar (every 3 months, every 5 years), as wide as those months and years are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_TIME = int((datetime(1, 1, 1, tzinfo=UTC) - _EPOCH).total_seconds())
MAX_TIME = int((datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC) - _EPOCH).total_seconds())
_MONDAY = 4 * 86400  # 1970-01-05 was a Monday: weeks start on Mondays (ISO 8601)

#: (unit, count) from the finest to the coarsest; years continue with 1-2-5 decades.
LADDER: tuple[tuple[str, int], ...] = (
    *(("second", n) for n in (1, 2, 5, 10, 15, 30)),
    *(("minute", n) for n in (1, 2, 5, 10, 15, 30)),
    *(("hour", n) for n in (1, 2, 3, 6, 12)),
    ("day", 1),
    ("day", 2),
    ("week", 1),
    ("week", 2),
    *(("month", n) for n in (1, 2, 3, 6)),
    *(("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)),
)
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}


@dataclass(frozen=True)
class Tick:
    time: int  # Unix seconds, UTC
    label: str


@dataclass(frozen=True)
class Ticks:
    unit: str  # second | minute | hour | day | week | month | year
    step: int  # how many units between two ticks
    format: str  # the strftime format of every label
    ticks: tuple[Tick, ...]


def utc(t: int) -> datetime:
    """``t`` as an aware UTC datetime (also before 1970, where ``fromtimestamp`` may fail)."""
    return _EPOCH + timedelta(seconds=int(t))


def _seconds(d: datetime) -> int:
    return int((d - _EPOCH).total_seconds())


def _count(unit: str, step: int, lo: int, hi: int) -> int:
    """How many ticks of this step fall in ``[lo, hi]`` (without building them)."""
    if unit in _SECONDS:
        size = _SECONDS[unit] * step
        offset = _MONDAY if unit == "week" else 0
        return (hi - offset) // size - (lo - offset - 1) // size
    a, b = utc(lo), utc(hi)
    if unit == "month":
        ma, mb = a.year * 12 + a.month - 1, b.year * 12 + b.month - 1
        first = ma if a.day == 1 and a.time() == datetime.min.time() else ma + 1
        return max(0, mb // step - (first - 1) // step)
    first = a.year if (a.month, a.day) == (1, 1) and a.time() == datetime.min.time() else a.year + 1
    return max(0, b.year // step - (first - 1) // step)


def _times(unit: str, step: int, lo: int, hi: int) -> Iterator[int]:
    if unit in _SECONDS:
        size = _SECONDS[unit] * step
        offset = _MONDAY if unit == "week" else 0
        t = -((-(lo - offset)) // size) * size + offset  # the first multiple at or after lo
        while t <= hi:
            yield t
            t += size
        return
    a = utc(lo)
    if unit == "month":
        m = a.year * 12 + a.month - 1
        m = -(-m // step) * step
        while True:
            d = datetime(m // 12, m % 12 + 1, 1, tzinfo=UTC)
            if _seconds(d) < lo:
                m += step
                continue
            if _seconds(d) > hi:
                return
            yield _seconds(d)
            m += step
            if m // 12 > 9999:
                return
    y = max(1, -(-a.year // step) * step)
    while y <= 9999:
        t = _seconds(datetime(y, 1, 1, tzinfo=UTC))
        if t > hi:
            return
        if t >= lo:
            yield t
        y += step


def label_format(unit: str, times: list[int]) -> str:
    """The strftime format for ticks of ``unit``: the unit's own resolution and every coarser
    field that differs between the ticks."""
    if unit == "year":
        return "%Y"
    if unit == "month":
        return "%Y-%m"
    if unit in ("day", "week"):
        return "%Y-%m-%d"
    clock = "%H:%M:%S" if unit == "second" else "%H:%M"
    days = {utc(t).date() for t in times}
    if len(days) <= 1:
        return clock
    if len({d.year for d in days}) == 1:
        return f"%m-%d {clock}"
    return f"%Y-%m-%d {clock}"


def calendar_ticks(lo: int, hi: int, width_px: float, char_px: float = 7.0, gap_px: float = 24.0) -> Ticks:
    """Ticks over ``[lo, hi]`` (Unix seconds) for an axis ``width_px`` wide whose label characters
    are about ``char_px`` wide, at least ``gap_px`` apart: the finest step of :data:`LADDER` whose
    labels fit. A range too narrow for even one year step gets the coarsest step."""
    lo, hi = max(MIN_TIME, int(lo)), min(MAX_TIME, int(hi))
    hi = max(hi, lo)
    chosen: tuple[str, int, str, list[int]] | None = None
    for unit, step in LADDER:
        n = _count(unit, step, lo, hi)
        # a rough bound first, so a fine step over a long range never builds its ticks
        if n * (4 * char_px + gap_px) > width_px and n > 1:
            continue
        times = list(_times(unit, step, lo, hi))
        fmt = label_format(unit, times)
        widest = max((len(utc(t).strftime(fmt)) for t in times), default=0)
        if len(times) <= 1 or len(times) * (widest * char_px + gap_px) <= width_px:
            chosen = (unit, step, fmt, times)
            break
    if chosen is None:
        unit, step = LADDER[-1]
        times = list(_times(unit, step, lo, hi))
        chosen = (unit, step, label_format(unit, times), times)
    unit, step, fmt, times = chosen
    return Ticks(unit, step, fmt, tuple(Tick(t, utc(t).strftime(fmt)) for t in times))
