"""Writes the benchmark's feed with icalendar, as Yighin writes it:
python feed.py EVENTS.json RUNS. Prints the median time of one feed, in ms."""
import json
import statistics
import sys
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

feed = json.load(open(sys.argv[1], encoding="utf-8"))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20


def write():
    calendar = Calendar()
    calendar.add("prodid", "-//Yighin bench//feed//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed["name"])
    for e in feed["events"]:
        zone = ZoneInfo(e["tz"])
        event = Event()
        event.add("uid", e["uid"])
        event.add("sequence", e["sequence"])
        event.add("dtstamp", datetime.fromtimestamp(e["stamp"], timezone.utc))
        event.add("last-modified", datetime.fromtimestamp(e["last_modified"], timezone.utc))
        event.add("dtstart", datetime.fromtimestamp(e["start"], zone))
        event.add("dtend", datetime.fromtimestamp(e["end"], zone))
        event.add("summary", e["summary"])
        event.add("description", e["description"])
        event.add("location", e["location"])
        event.add("url", e["url"])
        event.add("status", e["status"])
        event.add("categories", [e["kind"]])
        calendar.add_component(event)
    return calendar.to_ical()


write()
times = []
for _ in range(runs):
    started = time.perf_counter()
    write()
    times.append((time.perf_counter() - started) * 1000)
print(f"{statistics.median(times):.2f}")
