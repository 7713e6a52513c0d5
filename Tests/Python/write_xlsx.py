#!/usr/bin/env python3
"""Writes CSV files into one .xlsx workbook with openpyxl, a sheet per file, the way a person
would type the data into a spreadsheet: numbers as numbers, the rest as text, empty cells empty.

    write_xlsx.py OUT.xlsx SHEET=FILE.csv [SHEET=FILE.csv ...]
"""
import csv
import sys

import openpyxl


def typed(cell):
    if cell == "":
        return None
    try:
        x = float(cell)
    except ValueError:
        return cell
    if cell.strip() != cell or cell.lower() in ("nan", "inf", "-inf", "infinity"):
        return cell
    return int(x) if x.is_integer() and "." not in cell else x


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in specs:
        name, path = spec.split("=", 1)
        ws = wb.create_sheet(name)
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                ws.append([typed(c) for c in row])
    wb.save(out)


if __name__ == "__main__":
    main()
