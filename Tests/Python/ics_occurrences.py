"""Independent reading of PeerMatch's .ics files for the Swift tests (never used at run time).

Usage: ics_occurrences.py DIR...
Parses every DIR/*.ics with the `icalendar` package (a parse error fails loudly) and expands each
VEVENT's RRULE/EXDATE with `recurring-ical-events`, as a calendar program would. Prints JSON:
{dir: {file: {"name": calendar name, "tzids": [...], "events": {uid: {"summary", "location", "description",
"occurrences": ["YYYY-MM-DDTHH:MM/HH:MM" in the event's own zone]}}}}}
"""
import json
import pathlib
import re
import sys
from datetime import datetime

import icalendar
import recurring_ical_events


def unescape_text(value):
    """RFC 5545 §3.3.11 TEXT unescaping."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def read_folder(folder):
    out = {}
    for path in sorted(pathlib.Path(folder).glob("*.ics")):
        raw = path.read_bytes()
        cal = icalendar.Calendar.from_ical(raw)
        for line in raw.split(b"\r\n"):
            assert len(line) <= 75, f"{path.name}: line over 75 octets: {line!r}"
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), f"{path.name}: not CRLF"
        events = {}
        for ev in cal.walk("VEVENT"):
            uid = str(ev["UID"])
            assert uid not in events, f"{path.name}: UID {uid} twice"
            events[uid] = {
                "summary": str(ev["SUMMARY"]),
                "location": str(ev["LOCATION"]),
                "description": str(ev["DESCRIPTION"]),
                "occurrences": [],
            }
        for occ in recurring_ical_events.of(cal).between(datetime(1970, 1, 1), datetime(2200, 1, 1)):
            start, end = occ["DTSTART"].dt, occ["DTEND"].dt
            assert start.tzinfo is not None and end.tzinfo is not None, "expected zoned times"
            events[str(occ["UID"])]["occurrences"].append(
                start.strftime("%Y-%m-%dT%H:%M") + "/" + end.strftime("%H:%M"))
        out[path.name] = {
            # icalendar 7 does not know RFC 7986 NAME and leaves its TEXT escapes in: unescape here.
            "name": unescape_text(cal.get("NAME").to_ical().decode()),
            "tzids": sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")),
            "events": events,
        }
    return out


if __name__ == "__main__":
    result = {folder: read_folder(folder) for folder in sys.argv[1:]}
    json.dump(result, sys.stdout, sort_keys=True, ensure_ascii=False)
