#!/usr/bin/env python3
"""Writes the messy spreadsheets the import tests read, the way real programs write them.

Run from the repository root with the test virtualenv (openpyxl and XlsxWriter, pinned in
Tests/requirements.txt):

    .venv-test/bin/python Tests/PeerMatchTests/Fixtures/import/make_fixtures.py

The files are committed, so the tests need no Python; this script is how they were made.
- Excel's plain "CSV (Comma delimited)" on Windows: Windows-1252, CRLF, quotes only where needed
  (Python's csv module with the "excel" dialect writes exactly that).
- Excel's "Unicode Text": UTF-16 little-endian with a byte-order mark, tab separated, CRLF.
- A Google Forms response sheet downloaded as CSV: UTF-8 without a BOM, question headers,
  checkbox answers joined with ", ".
- Workbooks by openpyxl (shared strings, numbers, booleans, dates, several sheets, a 1904 date
  system) and by XlsxWriter in constant-memory mode (inline strings), as schools' systems write them.
"""
import csv
import datetime
import io
import os

import openpyxl
import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


MENTOR_HEADER = ["id", "name", "age", "gender", "interests", "offers", "qualifications", "capacity", "group"]
MENTORS = [
    ["m1", "Zoë Brontë", "15", "female", "football; art", "maths", "safeguarding-trained", "2", "10A"],
    ["m2", "José Núñez", "14", "male", "music; gaming", "reading", "", "1", "10B"],
    ["m3", "Siân O’Neill", "15", "female", "art; drama", "transition support", "safeguarding-trained", "2", "10A"],
    ["m4", "Chloé Lefèvre", "16", "female", "chess, board games", "maths; science", "safeguarding-trained", "1", "11C"],
    ["m5", "Renée Åberg", "15", "male", "football", "", "", "1", "10B"],
    ["m6", "Dáithí Ó Sé", "14", "male", "gaming; music", "transition support", "", "1", "9D"],
]
MENTEE_HEADER = ["id", "name", "year group", "gender", "gender preference", "interests", "needs", "requires"]
MENTEES = [
    ["e1", "Amélie", "7", "female", "female", "art; music", "transition support", ""],
    ["e2", "Bo", "7", "male", "", "football", "maths", ""],
    ["e3", "Ciarán", "7", "male", "same", "gaming", "reading", ""],
    ["e4", "Daniëlle", "7", "female", "", "drama", "transition support", "safeguarding-trained"],
]


def excel_1252():
    # Excel (Windows, "CSV (Comma delimited)"): Windows-1252 bytes, CRLF, minimal quoting.
    for name, header, rows in [("excel-1252-mentors.csv", MENTOR_HEADER, MENTORS),
                               ("excel-1252-mentees.csv", MENTEE_HEADER, MENTEES)]:
        with open(path(name), "w", encoding="cp1252", newline="") as f:
            csv.writer(f, dialect="excel").writerows([header] + rows)


def excel_unicode_text():
    # Excel "Unicode Text (*.txt)": UTF-16LE with BOM, tab separated, CRLF.
    buf = io.StringIO()
    csv.writer(buf, dialect="excel-tab").writerows([MENTOR_HEADER] + MENTORS)
    with open(path("excel-unicode-mentors.txt"), "wb") as f:
        f.write(b"\xff\xfe" + buf.getvalue().encode("utf-16-le"))


def google_forms():
    # A Google Forms response sheet, File > Download > CSV: UTF-8, no BOM, question headers,
    # checkbox answers joined with ", ", every field quoted only when needed.
    header = ["Timestamp", "Email address", "What is your name?", "Which year are you in?",
              "What gender are you?", "What gender would you like your mentor to be?",
              "Which of these do you enjoy?", "What would you like help with?"]
    rows = [
        ["2026/09/01 10:15:32 am GMT+1", "amelie@school.example", "Amélie", "7", "female", "female", "Art, Music", "Transition support"],
        ["2026/09/01 10:17:02 am GMT+1", "bo@school.example", "Bo", "7", "male", "any", "Football", "Maths, Reading"],
        ["2026/09/01 10:20:45 am GMT+1", "ciaran@school.example", "Ciarán", "7", "male", "same", "Gaming, Football, Music", ""],
    ]
    with open(path("google-forms-mentees.csv"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header] + rows)


def workbooks():
    # openpyxl: shared strings, numbers, booleans, a date, empty cells, three sheets.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["Intake for the transition scheme, autumn 2026"])
    ws = wb.create_sheet("Mentors")
    ws.append(["id", "name", "age", "gender", "interests", "capacity", "staff supported", "DBS checked on"])
    ws.append(["m1", "Zoë Brontë", 15, "female", "football; art", 2, True, datetime.date(2026, 7, 14)])
    ws.append(["m2", "José Núñez", 14.5, "male", "music", 1, False, None])
    ws.append([1003, "Siân", 15, "female", None, 1, False, datetime.date(2025, 11, 3)])
    ws = wb.create_sheet("Mentees")
    ws.append(["id", "name", "year group", "gender", "interests"])
    ws.append(["e1", "Amélie", 7, "female", "art"])
    ws.append(["e2", "Bo", 7, "male", "football"])
    ws.append([])
    ws.append(["e3", "Ciarán", 7, "male", "music"])
    wb.save(path("openpyxl-intake.xlsx"))

    # The 1904 date system (old Mac Excel workbooks), and a formula that openpyxl cannot calculate.
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mentees"
    ws.append(["id", "name", "age", "unavailable dates"])
    ws.append(["e1", "Amélie", 11, datetime.date(2026, 10, 7)])
    wb.save(path("openpyxl-1904.xlsx"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "age"])
    ws.append(["e1", "Amélie", "=10+1"])
    wb.save(path("openpyxl-formula.xlsx"))

    # The Excel CSVs' people typed into a workbook (numbers as numbers): imports to the same cohort.
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, header, rows in [("Mentors", MENTOR_HEADER, MENTORS), ("Mentees", MENTEE_HEADER, MENTEES)]:
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append([int(v) if v.isdigit() else (v or None) for v in row])
    wb.save(path("openpyxl-same-people.xlsx"))

    # XlsxWriter in constant-memory mode writes inline strings (no sharedStrings part).
    wb = xlsxwriter.Workbook(path("xlsxwriter-inline-mentors.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("Mentors")
    for r, row in enumerate([MENTOR_HEADER] + MENTORS):
        for c, value in enumerate(row):
            if r > 0 and MENTOR_HEADER[c] in ("age", "capacity"):
                ws.write_number(r, c, float(value))
            elif value != "":
                ws.write_string(r, c, value)
    wb.close()


if __name__ == "__main__":
    excel_1252()
    excel_unicode_text()
    google_forms()
    workbooks()
