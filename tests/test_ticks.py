"""Calendar ticks (triage.ticks): evenly spaced, on calendar boundaries, unique labels, UTC.

The oracle is the C library's UTC calendar (``calendar.timegm``/``time.gmtime``), not the
module's own datetime arithmetic."""

from __future__ import annotations

import calendar
import random
import time

import pytest

from triage.ticks import LADDER, calendar_ticks

DAY = 86400


def ts(*fields: int) -> int:
    """Unix seconds of a UTC calendar time (year, month, day, hour, minute, second)."""
    y, mo, d, h, mi, s = (*fields, 0, 0, 0, 0, 0)[:6]
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


def check(lo: int, hi: int, width: float = 1000.0) -> None:
    """Every invariant, for one range: in range, increasing, evenly spaced, on boundaries of the
    step, labels unique and what gmtime says, and no boundary of the step in range skipped."""
    t = calendar_ticks(lo, hi, width)
    times = [k.time for k in t.ticks]
    labels = [k.label for k in t.ticks]
    assert all(lo <= x <= hi for x in times), (lo, hi, t)
    assert times == sorted(set(times))
    assert len(set(labels)) == len(labels), labels
    for x, label in zip(times, labels, strict=True):
        assert label == time.strftime(t.format, time.gmtime(x))
        g = time.gmtime(x)
        if t.unit in ("second", "minute", "hour", "day"):
            size = {"second": 1, "minute": 60, "hour": 3600, "day": DAY}[t.unit] * t.step
            assert x % size == 0
        elif t.unit == "week":
            assert g.tm_wday == 0 and g.tm_hour == g.tm_min == g.tm_sec == 0  # Monday midnight
        elif t.unit == "month":
            assert (g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec) == (1, 0, 0, 0)
            assert (g.tm_year * 12 + g.tm_mon - 1) % t.step == 0
        else:
            assert (g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec) == (1, 1, 0, 0, 0)
            assert g.tm_year % t.step == 0
    gaps = {b - a for a, b in zip(times, times[1:], strict=False)}
    if t.unit in ("second", "minute", "hour", "day", "week"):
        assert len(gaps) <= 1  # exactly evenly spaced
    elif t.unit == "month":
        months = {
            (time.gmtime(b).tm_year * 12 + time.gmtime(b).tm_mon)
            - (time.gmtime(a).tm_year * 12 + time.gmtime(a).tm_mon)
            for a, b in zip(times, times[1:], strict=False)
        }
        assert months <= {t.step}
    else:
        years = {
            time.gmtime(b).tm_year - time.gmtime(a).tm_year for a, b in zip(times, times[1:], strict=False)
        }
        assert years <= {t.step}
    # the labels fit the width with the default character width
    assert len(times) <= 1 or len(times) * (max(map(len, labels)) * 7.0 + 24.0) <= width


@pytest.mark.parametrize(
    ("lo", "hi", "unit"),
    [
        (ts(2019, 3, 7), ts(2023, 11, 14), "month"),  # four years
        (ts(1990, 1, 1), ts(2030, 1, 1), "year"),
        (ts(2021, 6, 6), ts(2021, 7, 20), "week"),
        (ts(2021, 6, 6), ts(2021, 6, 12), "day"),
        (ts(2021, 6, 6, 9), ts(2021, 6, 6, 17), "hour"),
        (ts(2021, 6, 6, 9, 10), ts(2021, 6, 6, 9, 50), "minute"),
        (ts(2021, 6, 6, 9, 10, 5), ts(2021, 6, 6, 9, 10, 50), "second"),
    ],
)
def test_each_zoom_level_picks_its_unit(lo: int, hi: int, unit: str) -> None:
    t = calendar_ticks(lo, hi, 1000)
    assert t.unit == unit and len(t.ticks) >= 2
    check(lo, hi)


def test_years_never_repeat() -> None:
    """The old axis printed ``2021 2021 2022 2022``: a year label is only ever on 1 January."""
    t = calendar_ticks(ts(2020, 7, 1), ts(2023, 2, 1), 300)
    assert [k.label for k in t.ticks] == ["2021", "2022", "2023"]
    assert [k.time for k in t.ticks] == [ts(2021, 1, 1), ts(2022, 1, 1), ts(2023, 1, 1)]


def test_months_start_on_the_first_and_quarter_steps() -> None:
    t = calendar_ticks(ts(2021, 1, 15), ts(2022, 1, 15), 400)
    assert t.unit == "month" and t.step == 3
    assert [k.label for k in t.ticks] == ["2021-04", "2021-07", "2021-10", "2022-01"]


def test_leap_years() -> None:
    """Day ticks across February 2020 include the 29th, each exactly 86,400 s apart, and 2021
    (not a leap year) goes from 28 February to 1 March."""
    t = calendar_ticks(ts(2020, 2, 26), ts(2020, 3, 3), 1000)
    assert t.unit == "day" and t.step == 1
    assert [k.label for k in t.ticks] == [f"2020-02-{d}" for d in (26, 27, 28, 29)] + [
        f"2020-03-0{d}" for d in (1, 2, 3)
    ]
    t = calendar_ticks(ts(2021, 2, 27), ts(2021, 3, 2), 500)
    assert [k.label for k in t.ticks][:3] == ["2021-02-27", "2021-02-28", "2021-03-01"]
    # month ticks over a leap February are 29 days apart
    t = calendar_ticks(ts(2020, 1, 20), ts(2020, 4, 10), 300)
    assert t.unit == "month" and t.step == 1
    times = [k.time for k in t.ticks]
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == [29 * DAY, 31 * DAY]
    # year ticks: 2020-01-01 is exactly 366 days before 2021-01-01
    t = calendar_ticks(ts(2019, 6, 1), ts(2022, 6, 1), 300)
    assert ts(2021, 1, 1) - ts(2020, 1, 1) == 366 * DAY
    assert [k.time for k in t.ticks] == [ts(2020, 1, 1), ts(2021, 1, 1), ts(2022, 1, 1)]


def test_hours_across_midnight_carry_the_date_and_ignore_dst() -> None:
    """Labels are UTC: 2021-03-28 (the European DST change) has 24 evenly spaced hours; ticks on
    two days name the day, so 00:00 of one day never looks like 00:00 of the next."""
    t = calendar_ticks(ts(2021, 3, 27, 20), ts(2021, 3, 29, 4), 1000)
    assert t.unit == "hour"
    labels = [k.label for k in t.ticks]
    assert "03-28 00:00" in labels and "03-29 00:00" in labels
    t = calendar_ticks(ts(2021, 3, 28, 0), ts(2021, 3, 28, 6), 500)
    assert t.unit == "hour" and t.step == 1 and len(t.ticks) == 7
    assert [k.label for k in t.ticks] == [f"{h:02d}:00" for h in range(7)]
    # over a year boundary the year is shown too
    t = calendar_ticks(ts(2021, 12, 31, 18), ts(2022, 1, 1, 6), 1400)
    assert t.unit == "hour" and {k.label[:4] for k in t.ticks} == {"2021", "2022"}


def test_before_1970_and_far_future() -> None:
    check(ts(1901, 12, 13), ts(1969, 12, 31))  # 32-bit signed minimum and pre-epoch
    check(ts(1965, 3, 1), ts(1965, 3, 2))
    check(ts(2106, 1, 1), ts(2107, 12, 31))  # the end of FAT's range
    check(0, 2**36)  # ext4's far future
    assert calendar_ticks(5, 5, 1000).ticks[0].label == "00:00:05"


def test_random_spans_and_widths() -> None:
    """A few thousand random ranges at every scale and width: every invariant holds."""
    rng = random.Random(17)
    for _ in range(3000):
        span = int(10 ** rng.uniform(0, 9.7))
        lo = rng.randint(ts(1980, 1, 1), ts(2040, 1, 1))
        check(lo, lo + span, rng.choice([200.0, 480.0, 900.0, 1600.0]))


def test_ladder_is_coarser_each_step() -> None:
    sizes = {"second": 1, "minute": 60, "hour": 3600, "day": DAY, "week": 7 * DAY, "month": 30 * DAY}
    approx = [sizes.get(u, 365 * DAY) * n for u, n in LADDER]
    assert approx == sorted(approx) and len(set(approx)) == len(approx)
