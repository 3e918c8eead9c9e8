"""The demo's calendar: stories of steps dated over the past months, played in time order.

A story is a generator that yields the moment of its next step and then, when resumed, takes
that step through the services. ``play`` resumes the stories one step at a time, earliest step
first, with the clock set to the step's moment (``sta_tracker.clock``), so every event, history
row, decision and audit link is dated when the step happened and the audit chain runs forward
in time as it would have been written.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Iterator

from django.utils import timezone

from sta_tracker.clock import SetClock

Story = Iterator[dt.datetime]
# Steps happen in office hours; a story's steps on one day an hour apart, in the order given.
WORKDAY_START = dt.time(9, 0)


def days_ago(days: float, *, today: dt.date, hour: float = 0) -> dt.datetime:
    """The moment ``days`` before ``today``, ``hour`` hours into the working day (UTC).

    Stories take the real today when they are made: once the clock is set, "today" is the day
    of the step being taken.
    """
    start = dt.datetime.combine(today, WORKDAY_START, tzinfo=dt.UTC)
    return start - dt.timedelta(days=days) + dt.timedelta(hours=hour)


def play(stories: Iterable[Story]) -> None:
    """Take every step of every story, earliest first (ties in the order the stories come).

    A step may not be dated before the one taken just before it, nor after now: demo data
    records the past only.
    """
    now = timezone.now()
    queue: list[tuple[dt.datetime, int, Story]] = []
    for order, story in enumerate(stories):
        first = next(story, None)
        if first is not None:
            heapq.heappush(queue, (first, order, story))
    if not queue:
        return
    with SetClock(queue[0][0]) as clock:
        while queue:
            moment, order, story = heapq.heappop(queue)
            if moment > now:
                raise ValueError(f"A demo step is dated {moment.isoformat()}, after now.")
            clock.set(moment)
            following = next(story, None)
            if following is not None:
                heapq.heappush(queue, (following, order, story))
