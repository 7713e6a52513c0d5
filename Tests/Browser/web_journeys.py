#!/usr/bin/env python3
"""The co-ordinator's six journeys in a real browser (Debian's chromium and chromium-driver,
driven by Selenium), clicking and typing as a person would and asserting on what the page shows.

    web_journeys.py --peermatch .build/debug/peermatch --examples instances/examples/scheme \
                    --work /tmp/pm-ui [--samples DIR] [--modes mouse,keyboard,nojs]

Each mode starts from an empty scheme (`peermatch scheme init`), runs `peermatch serve` on a free
port, opens the one-time link and does every journey:

  mouse     clicks and typing, with the page's script running;
  keyboard  the keyboard only: every control is reached with Tab (and arrow keys in a radio
            group) and used with Enter or Space; the one exception is picking a file, which the
            browser hands to the system's file dialog (the path is given to the file input);
  nojs      clicks and typing with JavaScript switched off: every page must work without it.

On every page it checks that each control has a label, that nothing is fetched from anywhere but
the page's own origin, that the browser logged no error (a Content-Security-Policy violation would
be one), and that the page has one h1. With --samples it keeps a full-page PNG of every page and
the A4 PDFs of the printable pages (and PNGs of their pages when pdftoppm is installed).
Test-only: PeerMatch never needs Python. Exits 0 when every journey passed.
"""
import argparse
import base64
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CLOCK = "2026-10-08T10:00:00Z"   # a Thursday in the example's autumn term: "this week" is week 5
TERM = "2026-autumn"


class JourneyFailure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise JourneyFailure(message)


# MARK: - The browser, as a person uses it

class Person:
    """A browser and the way this person uses it (mouse or keyboard)."""

    def __init__(self, driver, mode, samples, downloads, label):
        self.d = driver
        self.mode = mode
        self.label = label
        self.samples = samples
        self.downloads = downloads
        self.shots = 0
        self.pages = 0
        self.base = None

    # Finding things

    def q(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def qs(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self, css="main"):
        return self.q(css).text

    def button(self, label, within="main"):
        for b in self.d.find_elements(By.CSS_SELECTOR, f"{within} button"):
            if b.text.strip() == label and b.is_displayed():
                return b
        raise JourneyFailure(f"no button {label!r} on {self.d.current_url}")

    def link(self, label, within="body"):
        for a in self.d.find_elements(By.CSS_SELECTOR, f"{within} a"):
            if a.text.strip() == label and a.is_displayed():
                return a
        raise JourneyFailure(f"no link {label!r} on {self.d.current_url}")

    def field(self, label):
        """The control whose <label> reads `label`."""
        for lab in self.d.find_elements(By.CSS_SELECTOR, "label"):
            if lab.text.strip() == label and lab.get_attribute("for"):
                return self.d.find_element(By.ID, lab.get_attribute("for"))
        raise JourneyFailure(f"no control labelled {label!r} on {self.d.current_url}")

    # Keyboard movement

    def tab_to(self, el, limit=900):
        """Presses Tab (from wherever the focus is) until `el` has the focus."""
        if self.d.switch_to.active_element == el:
            return
        for _ in range(limit):
            ActionChains(self.d).send_keys(Keys.TAB).perform()
            if self.d.switch_to.active_element == el:
                self.check_focus_visible(el)
                return
        raise JourneyFailure(f"Tab never reached {describe(el)} on {self.d.current_url}")

    def check_focus_visible(self, el):
        style = self.d.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor];", el)
        # An outline, a shadow, or the yellow focus background (links in the navigation bar).
        visible = (style[0] != "none" and style[1] not in ("0px", "")) or style[2] not in ("none", "") or style[3] == "rgb(255, 191, 71)"
        check(visible, f"{describe(el)} shows no focus ring when focused ({style})")

    # Acting

    def click(self, el):
        tag = el.tag_name.lower()
        if self.mode == "keyboard":
            if tag == "summary" or (tag == "a") or tag == "button":
                self.tab_to(el)
                ActionChains(self.d).send_keys(Keys.ENTER).perform()
            elif el.get_attribute("type") == "radio":
                self.choose_radio(el)
            else:   # checkbox
                self.tab_to(el)
                ActionChains(self.d).send_keys(Keys.SPACE).perform()
        else:
            self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
            el.click()

    def choose_radio(self, el):
        """Keyboard: Tab into the radio group, then arrow keys to the wanted choice."""
        name = el.get_attribute("name")
        for _ in range(900):
            a = self.d.switch_to.active_element
            if a.get_attribute("type") == "radio" and a.get_attribute("name") == name:
                break
            ActionChains(self.d).send_keys(Keys.TAB).perform()
        else:
            raise JourneyFailure(f"Tab never reached the radio group {name}")
        for _ in range(12):
            if self.d.switch_to.active_element == el:
                ActionChains(self.d).send_keys(Keys.SPACE).perform()
                return
            ActionChains(self.d).send_keys(Keys.ARROW_RIGHT).perform()
        raise JourneyFailure(f"arrow keys never reached {describe(el)}")

    def type(self, el, text):
        if self.mode == "keyboard":
            self.tab_to(el)
            ActionChains(self.d).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
            ActionChains(self.d).send_keys(text).perform()
        else:
            el.clear()
            el.send_keys(text)
        check(el.get_attribute("value") == text.replace("\n", "\n") or el.tag_name == "textarea",
              f"typed {text!r} into {describe(el)}, it holds {el.get_attribute('value')!r}")

    def date(self, el, iso):
        """Types a date into a date box in the order its locale shows (day/month/year in the UK,
        month/day/year in a US build): the order of the browser's default date format first."""
        first = self.d.execute_script(
            "return new Intl.DateTimeFormat().formatToParts(new Date(2026, 8, 7)).filter(p => p.type !== 'literal').map(p => p.type)")
        y, m, d = iso.split("-")
        orders = [first] + [o for o in (["day", "month", "year"], ["month", "day", "year"], ["year", "month", "day"]) if o != first]
        for order in orders:
            digits = "".join({"year": y, "month": m, "day": d}[p] for p in order)
            if self.mode == "keyboard":
                self.tab_to(el)
                ActionChains(self.d).send_keys(digits).perform()
            else:
                el.send_keys(digits)
            if el.get_attribute("value") == iso:
                return
            if self.mode == "keyboard":   # back to the first part of the box
                ActionChains(self.d).send_keys(Keys.SHIFT + Keys.TAB).send_keys(Keys.TAB).perform()
            else:
                el.clear()
        raise JourneyFailure(f"date box holds {el.get_attribute('value')!r}, not {iso}")

    def choose(self, el, label):
        """Picks the option whose text is `label` from a <select>."""
        if self.mode == "keyboard":
            self.tab_to(el)
            options = [o.text for o in Select(el).options]
            check(label in options, f"{label!r} is not among {options}")
            # Type-ahead picks by the first letters; arrows finish the job when labels share them.
            ActionChains(self.d).send_keys(label[:12]).perform()
            target = options.index(label)
            for _ in range(len(options) + 1):
                current = int(self.d.execute_script("return arguments[0].selectedIndex", el))
                if current == target:
                    break
                ActionChains(self.d).send_keys(Keys.ARROW_DOWN if current < target else Keys.ARROW_UP).perform()
        else:
            Select(el).select_by_visible_text(label)
        check(Select(el).first_selected_option.text == label, f"{describe(el)} shows {Select(el).first_selected_option.text!r}")

    def upload(self, el, path):
        # The system's file dialog is outside the page, for a keyboard user too: the path goes
        # straight to the file input (after Tab has reached it).
        if self.mode == "keyboard":
            self.tab_to(el)
        el.send_keys(path)

    def submit(self, label, within="main"):
        before = self.d.current_url
        self.click(self.button(label, within))
        return before

    # Pages

    def open(self, path):
        self.d.get(self.base + path)
        self.loaded()

    def wait_for(self, predicate, what, timeout=20):
        try:
            # A predicate that reads the page while it is being replaced (a form's answer, a
            # progress page refreshing itself) meets stale elements: that is "not yet", so ask again.
            # Chromium's driver reports the same race as an "unknown error" when the node it was
            # asked about belongs to the page just replaced.
            def attempt():
                try:
                    return predicate()
                except WebDriverException as e:
                    if "does not belong to the document" in str(e):
                        return False
                    raise
            WebDriverWait(self.d, timeout, poll_frequency=0.05,
                          ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: attempt())
        except TimeoutException:
            raise JourneyFailure(f"timed out waiting for {what} (at {self.d.current_url})")

    def progress(self):
        """The progress page's stage and heading, read in one script: the page replaces itself
        with the answer when the work is done, which can fall between two reads (a stage found,
        then no h1). None when it is no longer the progress page."""
        try:
            return self.d.execute_script(
                "const s = document.querySelector('#match-stage'), h = document.querySelector('h1');"
                " return s && h ? [s.innerText, h.innerText] : null")
        except WebDriverException:
            return None   # the page was being replaced

    def wait_flash(self, text, timeout=60):
        """Waits for the next page's message (after a form), fully loaded."""
        self.wait_for(lambda: self.d.execute_script("return document.readyState") == "complete" and self.qs(".flash")
                      and text in self.text(".flash"), f"the message {text!r}", timeout)
        self.loaded()

    def wait_path(self, fragment, timeout=20):
        self.wait_for(lambda: fragment in self.d.current_url and self.d.execute_script("return document.readyState") == "complete",
                      f"a page at {fragment}", timeout)
        self.loaded()

    def loaded(self):
        """Checks every page: labels, one h1, nothing fetched from elsewhere, no browser errors."""
        self.pages += 1
        unlabelled = self.d.execute_script(r"""
            const out = [];
            for (const el of document.querySelectorAll('input, select, textarea, button')) {
              if (el.type === 'hidden') continue;
              let name = el.getAttribute('aria-label') || '';
              if (!name && el.getAttribute('aria-labelledby'))
                name = el.getAttribute('aria-labelledby').split(' ').map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
              if (!name && el.id) { const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]'); if (l) name = l.textContent; }
              if (!name && el.closest('label')) name = el.closest('label').textContent;
              if (!name && el.tagName === 'BUTTON') name = el.textContent;
              if (!name.trim()) out.push(el.outerHTML.slice(0, 120));
            }
            return out;""")
        check(not unlabelled, f"controls without a label on {self.d.current_url}: {unlabelled}")
        h1 = len(self.qs("h1"))
        check(h1 == 1, f"{self.d.current_url} has {h1} h1 elements")
        foreign = self.d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))")
        check(not foreign, f"{self.d.current_url} fetched from elsewhere: {foreign}")
        errors = [e for e in self.d.get_log("browser") if e.get("level") == "SEVERE"]
        check(not errors, f"the browser logged errors on {self.d.current_url}: {errors}")

    def shot(self, name, width=None, height=None):
        if not self.samples:
            return
        self.shots += 1
        w = width or 1280
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": w, "height": 900, "deviceScaleFactor": 1, "mobile": w < 600})
        height = min(int(self.d.execute_script("return document.documentElement.scrollHeight")), height or 8000)
        data = self.d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": height, "scale": 1}})
        with open(os.path.join(self.samples, f"{self.label}-{self.shots:02d}-{name}.png"), "wb") as f:
            f.write(base64.b64decode(data["data"]))
        self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def pdf(self, name):
        """Prints the page on A4 as the browser's print dialog would; returns the PDF's bytes."""
        data = base64.b64decode(self.d.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True, "preferCSSPageSize": True})["data"])
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        check(boxes, f"{name}: the PDF has no pages")
        for w, h in boxes:
            w, h = float(w), float(h)
            portrait, landscape = abs(w - 595) < 3 and abs(h - 842) < 3, abs(w - 842) < 3 and abs(h - 595) < 3
            check(portrait or landscape, f"{name}: a printed page is {w}x{h} pt, not A4")
        if self.samples:
            path = os.path.join(self.samples, f"{self.label}-print-{name}.pdf")
            with open(path, "wb") as f:
                f.write(data)
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-png", "-r", "50", path, path[:-4]], check=False)
        return data

    def download(self, link_label, name_part, timeout=20):
        before = set(os.listdir(self.downloads))
        self.click(self.link(link_label, "main"))
        deadline = time.time() + timeout
        while time.time() < deadline:
            new = [f for f in set(os.listdir(self.downloads)) - before if name_part in f and not f.endswith(".crdownload")]
            if new:
                path = os.path.join(self.downloads, new[0])
                time.sleep(0.1)
                with open(path, "rb") as f:
                    return f.read()
            time.sleep(0.05)
        raise JourneyFailure(f"no download named *{name_part}* after clicking {link_label!r}")


def describe(el):
    return f"<{el.tag_name} id={el.get_attribute('id')!r} name={el.get_attribute('name')!r}>"


# MARK: - The journeys

def journey_new_term(p, examples, work):
    """1. New term: a term with its timetable, the two spreadsheets, the column mapping with the
    tool's guesses and the ignored headers, a problem fixed in its cell, saved into the term."""
    p.open("/")
    check("Northfield Academy peer mentoring" in p.text("h1"), "the home page names the scheme")
    check("No terms yet" in p.text(), "a new scheme says it has no terms")
    p.shot("home-empty")
    p.type(p.field("Short id"), TERM)
    p.type(p.field("Name"), "Autumn 2026")
    p.date(p.field("First day"), "2026-09-07")
    p.date(p.field("Last day"), "2026-12-18")
    p.type(p.field("Weeks without sessions"), "2026-10-26")
    p.click(p.q("details.timetable-setup summary"))
    p.type(p.field("Slots, one a line"), "Tue 12:30-13:00 Lunch\nThu 12:30-13:00 Lunch\nFri 08:40-09:05 Tutor time")
    p.type(p.field("Rooms, one a line"), "Library, 3, quiet\nRoom 12, 2")
    p.choose(p.field("How sessions are held"), "Pairs in a room: several pairs share a room")
    p.shot("home-new-term")
    p.submit("Add term")
    p.wait_path(f"/terms/{TERM}/import")
    check("Term Autumn 2026 added." in p.text(".flash"), "adding the term says so")

    # The mentees' sheet has a header the tool cannot name for sure, and a bad year group.
    with open(os.path.join(examples, "mentees.csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[0][rows[0].index("Interests")] = "Hobbies"
    year = rows[0].index("Year group")
    rows[3][year] = "seven"                   # Grace Lee, line 4
    messy = os.path.join(work, "Year 7 intake.csv")
    with open(messy, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    p.upload(p.field("Mentors"), os.path.join(examples, "mentors.csv"))
    p.upload(p.field("Mentees"), messy)
    p.click(p.q("main details summary"))
    p.upload(p.field("Never pair (columns a, b, reason)"), os.path.join(examples, "exclusions.csv"))
    p.shot("import-upload")
    p.submit("Upload and check")
    p.wait_path(f"/terms/{TERM}/import/")
    page = p.text()
    # The year group's cell, and the row's missing age that follows from it.
    check("2 problems to fix" in p.text("#problems-title"), f"the problems are counted: {p.text('#problems-title')}")
    problem = p.q(".cellproblem.problem")
    check("Year 7 intake.csv, line 4, column " in problem.text, f"the problem names its file, line and column: {problem.text}")
    check("seven" in p.q(".cellproblem.problem td.cell-error").text, "the bad cell is marked in its row")
    check("column" in page and "(Hobbies) is not used; it looks like interests" in page, "the ignored header is named with its guess")
    hobbies = p.field("Field for Hobbies")
    check(Select(hobbies).first_selected_option.text == "(not used)", "Hobbies starts unused")
    check(Select(p.field("Field for Year group")).first_selected_option.text == "year group", "Year group is guessed")
    check(p.q("#commit-button").get_attribute("disabled") is not None, "Save is off while a problem remains")
    p.shot("import-draft-problems")

    # Fix the cell in the page.
    p.type(p.field("New value for Year group"), "7")
    p.click(problem.find_element(By.XPATH, ".//button[normalize-space()='Change the cell']"))
    p.wait_flash("Changed Year 7 intake.csv")
    check("No problems" in p.text("#problems-title"), f"the problem is gone: {p.text('#problems-title')}")
    # Choose the field for the ignored column.
    p.choose(p.field("Field for Hobbies"), "interests (list)")
    p.submit("Use these columns")
    p.wait_flash("Column choices saved")
    check("your choice" in p.q("#columns-form").text, "the column shows it was chosen")
    check("16 mentees" in p.text("#preview-line") and "10 mentors" in p.text("#preview-line"), f"the preview says what saving does: {p.text('#preview-line')}")
    p.shot("import-draft-clean")
    p.submit("Save into the term")
    p.wait_path(f"/terms/{TERM}/matches")
    check("Saved into the term" in p.text(".flash"), "saving says what it did")


def journey_match(p):
    """2. Match: one button; progress while it solves; then the pairs with scores and reasons, the
    unmatched with reasons, shortfalls on top."""
    check("16 mentees and 10 mentors." in p.text(), "before matching, the page says who is in the term")
    p.shot("match-before")
    p.click(p.q("#match-button"))
    # Progress (or, for a term this small, already the pairs) after the press. How soon is a
    # benchmark figure (Benchmarks/web-bench.py: "progress readable after the press", target 1 s),
    # not a test's: a timed assertion fails on a loaded machine whatever the page does.
    p.wait_for(lambda: p.qs("#match-stage") or "Matched" in p.d.page_source, "the match's progress", timeout=30)
    progress = p.progress()
    if progress:
        check(progress[0].strip() != "", "the stage is named")
        p.shot("match-progress")
    p.wait_for(lambda: "/matches" in p.d.current_url and p.qs("#run-summary"), "the pairs after the match", timeout=120)
    p.loaded()
    check("Matched " in p.text(".flash") and "mentees" in p.text(".flash"), "the run says what it did")
    check("12 of 16 mentees matched" in p.text("#run-summary"), f"the run summary: {p.text('#run-summary')}")
    check("at least 2 cannot be matched" in p.text("#shortfalls"), "shortfalls come first")
    shortfall_y = p.q("#shortfalls").location["y"]
    check(shortfall_y < p.q("#pairs-title").location["y"], "shortfalls are above the pairs")
    rows = p.qs("table.pairs tbody tr")
    check(len(rows) == 12, f"12 pairs listed, found {len(rows)}")
    for r in rows:
        cells = r.find_elements(By.TAG_NAME, "td")
        check(re.fullmatch(r"\d+\.\d\d", cells[3].text), f"every pair has a score: {cells[3].text!r}")
        check(cells[4].find_elements(By.TAG_NAME, "li"), "every pair has its reasons")
    check("Unmatched (4)" in p.text("#unmatched-title"), "four people are unmatched")
    unmatched = p.qs("table[aria-labelledby=unmatched-title] tbody tr")
    check(all(r.find_elements(By.CSS_SELECTOR, "ul.reasons li") for r in unmatched), "each unmatched person has a reason")
    p.shot("match-pairs")


def pair_row(p, mentor, mentee):
    for r in p.qs("table.pairs tbody tr"):
        cells = r.find_elements(By.TAG_NAME, "td")
        if cells[1].text.startswith(mentor) and cells[2].text.startswith(mentee):
            return r
    raise JourneyFailure(f"no pair row for {mentor} and {mentee}")


def journey_review(p):
    """3. Review: approve, decline, lock per pair and in bulk; why not these two; a swap and
    its cost before saving; re-match keeping approved and locked pairs."""
    rows = p.qs("table.pairs tbody tr")
    first = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")[1:3]]
    mentor0, mentee0 = first[0].split(" m")[0], first[1].split(" e")[0]
    p.click(pair_row(p, mentor0, mentee0).find_element(By.XPATH, ".//button[normalize-space()='Approve']"))
    p.wait_flash("Approved 1 pair.")
    check("approved" in pair_row(p, mentor0, mentee0).text, "the pair shows approved")
    # Tick two more and lock them in one go.
    second, third = p.qs("table.pairs tbody tr")[1:3]
    locked_names = [[c.text.split(" ")[0] for c in r.find_elements(By.TAG_NAME, "td")[1:3]] for r in (second, third)]
    p.click(second.find_element(By.CSS_SELECTOR, "input[name=pair]"))
    p.click(third.find_element(By.CSS_SELECTOR, "input[name=pair]"))
    p.click(p.q("#pairs-form fieldset.bulk button[value=lock]"))
    p.wait_flash("Locked 2 pairs")
    check(len(p.qs("table.pairs .state-locked")) == 2, "two pairs show locked")
    # Decline one: the page says it is for good and takes a note.
    rows = p.qs("table.pairs tbody tr")
    last = rows[-1]
    declined = [c.text.split(" ")[0] for c in last.find_elements(By.TAG_NAME, "td")[1:3]]
    p.click(last.find_element(By.XPATH, ".//button[normalize-space()='Decline…']"))
    p.wait_path(f"/terms/{TERM}/decline")
    check("never suggested again" in p.text(), "declining warns it is for good")
    p.type(p.field("Why (kept in the audit trail; optional)"), "They asked not to be paired")
    p.shot("review-decline")
    p.submit("Decline, never suggest again")
    p.wait_path(f"/terms/{TERM}/matches")
    check("Declined 1 pair" in p.text(".flash"), "declining says so")

    # Why not these two? Hamza Ali and Leo Martins are brothers.
    p.choose(p.field("Mentor"), "Hamza Ali (m08)")
    p.choose(p.field("Mentee"), "Leo Martins (e08)")
    p.submit("Explain")
    p.wait_path(f"/terms/{TERM}/why-not")
    check("excluded (brothers)" in p.text("#breaches"), f"the rule that rules them out: {p.text()}")
    check(p.qs("#breakdown tbody tr"), "the score is broken down even so")
    p.shot("review-why-not")
    p.d.back()
    p.wait_path(f"/terms/{TERM}/matches")

    # A swap: see the cost before saving. First a refused one (it says why), then one the rules
    # allow, picked by looking the pairs up first (not the approved pair: the re-match below
    # checks that it stays).
    select = p.field("Second mentee")
    options = [(o.text, o.get_attribute("value")) for o in Select(select).options][1:]
    options = [o for o in options if not o[0].startswith(mentee0) and f"(with {mentor0})" not in o[0]]
    candidates = [(a, b) for i, a in enumerate(options) for b in options[i + 1:] if a[0].split("(with ")[1] != b[0].split("(with ")[1]]
    here = p.d.current_url
    allowed = None
    for a, b in candidates:
        p.d.get(f"{p.base}/terms/{TERM}/swap?a={a[1]}&b={b[1]}")
        if not p.qs("#swap-problems"):
            allowed = (a[0], b[0])
            break
    p.d.get(here)
    p.loaded()
    a, b = candidates[0][0][0], candidates[0][1][0]
    p.choose(p.field("First mentee"), a)
    p.choose(p.field("Second mentee"), b)
    p.submit("See what it costs")
    p.wait_path(f"/terms/{TERM}/swap")
    check("Change in total score:" in p.text("#swap-cost"), "the swap says what it costs")
    p.shot("review-swap-first")
    saved = False
    if p.qs("#swap-problems"):
        check(p.qs("#swap-problems li"), "a refused swap says why")
        p.click(p.link("Back to the pairs", "main"))
        p.wait_path(f"/terms/{TERM}/matches")
        if allowed:
            p.choose(p.field("First mentee"), allowed[0])
            p.choose(p.field("Second mentee"), allowed[1])
            p.submit("See what it costs")
            p.wait_path(f"/terms/{TERM}/swap")
            p.shot("review-swap")
    if not p.qs("#swap-problems"):
        p.type(p.field("Why (kept in the audit trail; optional)"), "They get on better this way")
        p.submit("Save the swap")
        p.wait_flash("Swapped the mentors")
        saved = True
    check(saved or not allowed, "an allowed swap could be saved")

    # Re-match: the approved pair and the locked pairs stay; the declined pair does not come back.
    p.click(p.q("#match-button"))
    p.wait_flash("Matched", timeout=120)
    check("approved" in pair_row(p, mentor0, mentee0).text, "the approved pair is kept")
    check(len(p.qs("table.pairs .state-locked")) == 2, "the locked pairs are kept")
    page = p.text("table.pairs")
    for r in p.qs("table.pairs tbody tr"):
        cells = [c.text for c in r.find_elements(By.TAG_NAME, "td")[1:3]]
        check(not (cells[0].startswith(declined[0]) and cells[1].startswith(declined[1])), "the declined pair is not suggested again")
    # Approve every proposed pair shown by the filter.
    p.choose(p.field("Which pairs"), "Every pair shown by this filter (" + p.q("#pairs-title").text.split("(")[1].split(" ")[0] + ")")
    p.click(p.q("#pairs-form fieldset.bulk button[value=approve]"))
    p.wait_flash("Approved")
    check("0 proposed" in p.text(), "every pair is approved")
    p.shot("review-approved")


def journey_timetable(p, work):
    """4. Timetable: the week grid; move a session to a slot and room that fits; the timetable
    CSV, the calendars (a zip), the printable page; slips without needs or reasons."""
    p.click(p.link("3 Timetable"))
    p.wait_path(f"/terms/{TERM}/timetable")
    heads = [th.text.split("\n")[0] for th in p.qs("#week-grid thead th")]
    check(heads == ["Slot", "Library", "Room 12"], f"rooms across: {heads}")
    days = [th.text for th in p.qs("#week-grid tr.day th")]
    check(days == ["Tuesday", "Thursday", "Friday"], f"slots down, by day: {days}")
    check("no sessions: week of Mon 26 Oct 2026" in p.text(".lead"), "the half term is said once")
    p.shot("timetable-grid")
    p.pdf("timetable-grid")
    # Move the first session that can move: open each Move link from the grid until one offers another place.
    count = len(p.qs("#week-grid a.small"))
    check(count, "sessions have a Move link")
    moved = False
    for k in range(count):
        p.click(p.qs("#week-grid a.small")[k])
        p.wait_path(f"/terms/{TERM}/timetable/move")
        radios = p.qs("input[name=to]")
        others = [r for r in radios if not r.is_selected()]
        if others:
            label = p.d.find_element(By.CSS_SELECTOR, f"label[for='{others[0].get_attribute('id')}']").text.strip()
            check(any(r.is_selected() for r in radios), "the current place is marked")
            p.shot("timetable-move")
            p.click(others[0])
            p.submit("Move the session")
            p.wait_flash("Moved to " + label)
            moved = True
            break
        p.click(p.link("Back to the timetable", "main"))
        p.wait_path(f"/terms/{TERM}/timetable")
    check(moved, "some session could move")
    # Downloads.
    data = p.download("Timetable (CSV)", "timetable.csv").decode("utf-8")
    table = list(csv.reader(io.StringIO(data)))
    check(len(table) > 10 and "date" in [h.lower() for h in table[0]], f"the timetable CSV has a header and rows: {table[:2]}")
    z = zipfile.ZipFile(io.BytesIO(p.download("Calendars (zip of .ics)", "calendars.zip")))
    names = z.namelist()
    check(names and all(n.endswith(".ics") for n in names), f"the zip holds calendars: {names[:5]}")
    check(z.read(names[0]).startswith(b"BEGIN:VCALENDAR"), "each is an iCalendar file")
    html = p.download("Printable page (HTML)", "timetable.html")
    check(b"<h1>Autumn 2026</h1>" in html, "the printable page is the term's")
    # The moved session's reason names its new place (not the old room), and the unmatched rows
    # give the reasons the pairs page gives, not a bare "not matched".
    text = html.decode("utf-8")
    check(f"meets {label} (moved from " in text.replace("&ndash;", "–"), f"the moved pair's reason names {label}")
    check(not re.search(r">\s*not matched\s*<", text), "the unmatched rows say why")
    printable = os.path.join(work, "printable-timetable.html")
    with open(printable, "wb") as f:
        f.write(html)
    here = p.d.current_url
    p.d.get("file://" + printable)
    check("Week at a glance" in p.d.find_element(By.TAG_NAME, "body").text, "the printable page opens on its own")
    p.shot("timetable-printable")
    p.pdf("timetable-printable")
    p.d.get(here)
    p.loaded()
    # Slips.
    p.click(p.link("Slips for pupils and mentors", "main"))
    p.wait_path(f"/terms/{TERM}/slips")
    slips = p.qs("section.slip")
    check(len(slips) == 26 - 4 or len(slips) >= 20, f"a slip for each paired person: {len(slips)}")
    text = p.text("#slips")
    for word in ("Needs", "needs", "transition", "confidence", "score", "Score", "because"):
        check(word not in text, f"slips leave out sensitive fields ({word!r} found)")
    for s in slips[:3]:
        check(all(k in s.text for k in ("With", "When", "Where")), "each slip says who, when, where")
    p.shot("timetable-slips")
    p.pdf("slips")


def journey_during_term(p):
    """5. During the term: the weekly register (quick on a phone), the review list, and a
    withdrawal with the changes shown as a diff before confirming."""
    p.click(p.link("4 During term"))
    p.wait_path(f"/terms/{TERM}/register")
    check("Register: week of Mon 5 Oct 2026" in p.text("h1"), f"this week's register: {p.text('h1')}")
    rows = p.qs("fieldset.register-row")
    check(len(rows) >= 10, f"one row a session: {len(rows)}")
    # The first mentee missed; the others held (the quick button marks the unmarked ones).
    first = rows[0]
    who = first.find_element(By.TAG_NAME, "legend").text.split("\n")[0]
    p.click(first.find_element(By.CSS_SELECTOR, "input[type=radio][value=missed-by-mentee]"))
    p.click(rows[1].find_element(By.CSS_SELECTOR, "input[type=radio][value=held]"))
    p.shot("register-week")
    p.submit("Save, with the unmarked ones held")
    p.wait_flash("Saved")
    check(f"Saved {len(rows)} sessions" in p.text(".flash"), f"every session saved: {p.text('.flash')}")
    rows = p.qs("fieldset.register-row")
    state = [(r.find_element(By.TAG_NAME, "legend").text.split("\n")[0], [i.get_attribute("value") for i in r.find_elements(By.CSS_SELECTOR, "input[type=radio]") if i.is_selected()]) for r in rows[:3]]
    check(rows[0].find_element(By.CSS_SELECTOR, "input[type=radio][value=missed-by-mentee]").is_selected(), f"the miss is kept: {state} {p.d.current_url}")
    check(all(r.find_element(By.CSS_SELECTOR, "input[type=radio][value=held]").is_selected() for r in rows[1:]), "the rest are held")
    # On a phone: nothing wider than the screen, and the choices big enough to tap.
    p.d.set_window_size(390, 844)
    p.d.refresh()
    p.loaded()
    wide = p.d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(wide <= 1, f"the register fits a phone's width ({wide}px too wide)")
    heights = p.d.execute_script("return [...document.querySelectorAll('.choices label')].map(l => l.getBoundingClientRect().height)")
    check(min(heights) >= 44, f"the choices are big enough to tap: {min(heights)}px")
    p.shot("register-phone", width=390, height=1100)
    p.d.set_window_size(1280, 900)
    # Two more weeks missed: the review list flags it.
    for week in ("2026-10-12", "2026-10-19"):
        p.open(f"/terms/{TERM}/register?week={week}")
        row = next(r for r in p.qs("fieldset.register-row") if r.find_element(By.TAG_NAME, "legend").text.startswith(who))
        p.click(row.find_element(By.CSS_SELECTOR, "input[type=radio][value=missed-by-mentee]"))
        p.submit("Save the register")
        p.wait_flash("Saved")
    p.open(f"/terms/{TERM}/review?asOf=2026-10-23")
    check("Missed sessions in a row" in p.text(), f"the review list flags the misses: {p.text()}")
    check(who.split(" and ")[1] in p.text("#rv-missed-in-a-row").split("\n")[0] or who.split(" and ")[1] in p.text(), "it names the mentee")
    p.shot("review-list")
    # Someone leaves.
    p.click(p.link("Someone is leaving", "main"))
    p.wait_path(f"/terms/{TERM}/withdraw")
    p.choose(p.field("Who"), "Chloe Evans (m03)")
    p.date(p.field("From"), "2026-11-02")
    p.choose(p.field("Why"), "moved away")
    p.type(p.field("Other pairs' sessions that may change"), "1")
    p.submit("Show the changes")
    # The plan is a re-match of the term, worked out in the background: its progress (or, for a
    # term this small, already the changes), then the diff at the same address. How soon is
    # web-bench's figure, not this test's.
    p.wait_for(lambda: "/withdraw/plan" in p.d.current_url and (p.qs("#match-stage") or p.qs("#withdraw-diff")),
               "the withdrawal plan's progress", timeout=30)
    progress = p.progress()
    if progress:
        check(progress[0].strip() != "", "the stage is named")
        check("Working out the changes" in progress[1], f"the progress says what it works on: {progress[1]}")
        p.shot("withdraw-progress")
    p.wait_for(lambda: p.qs("#withdraw-diff") and p.d.execute_script("return document.readyState") == "complete",
               "the withdrawal's changes", timeout=120)
    p.loaded()
    diff = p.text("#withdraw-diff")
    check("Chloe Evans and" in diff and "ends on Mon 2 Nov 2026 (moved away)" in diff, f"the diff shows the ending: {diff}")
    check(p.qs("#withdraw-diff li.removed"), "the diff marks what goes")
    p.shot("withdraw-plan")
    p.open(f"/terms/{TERM}/matches")
    check("Chloe Evans" in p.text("table.pairs"), "nothing changed before confirming")
    p.d.back()
    p.loaded()
    p.submit("Confirm the withdrawal")
    p.wait_path(f"/terms/{TERM}/matches")
    check("Chloe Evans has withdrawn" in p.text(".flash"), "the withdrawal is saved")
    live = [r for r in p.qs("table.pairs tbody tr") if r.find_elements(By.TAG_NAME, "td")[1].text.startswith("Chloe Evans")]
    check(not live, "Chloe Evans has no live pair")


def journey_report(p):
    """6. Report: the term report with its SVG plots and its exports."""
    p.click(p.link("5 Report"))
    p.wait_path(f"/terms/{TERM}/report")
    plots = p.qs("figure.plot svg[role=img]")
    check(len(plots) == 3, f"three plots: {len(plots)}")
    titles = [s.find_element(By.TAG_NAME, "title").get_attribute("textContent") for s in plots]
    check(titles == ["Attendance by week", "Matched share", "Endings by reason"], f"plot titles: {titles}")
    held = p.qs("#plot-attendance rect[fill='#00703c']:not([width='12'])")      # not the legend's swatch
    missed = p.qs("#plot-attendance rect[fill='#b35c00']:not([width='12'])")
    check(len(held) >= 1 and len(missed) == 3, f"the three recorded weeks are drawn: {len(held)} held, {len(missed)} missed bars")
    notes = [t.get_attribute("textContent") for t in p.qs("#plot-attendance text")]
    check("0%" in notes and any(n.endswith("%") and n not in ("0%", "100%", "25%", "50%", "75%") for n in notes), f"each week's share is written: {notes}")
    check("moved away" in plots[2].get_attribute("textContent") and ">1<" in plots[2].get_attribute("innerHTML"), "the ending is counted by reason")
    cards = p.text("ul.cards")
    check("mentees matched" in cards and "sessions held" in cards, "the headline figures")
    p.shot("report")
    p.pdf("report")
    data = p.download("Figures (CSV)", "report.csv").decode("utf-8")
    check(data.startswith("section,key,value"), f"the figures as CSV: {data[:60]!r}")
    z = zipfile.ZipFile(io.BytesIO(p.download("Everything, without names and notes", "redacted.zip")))
    text = b"".join(z.read(n) for n in z.namelist())
    check(b"Asha Patel" not in text, "the redacted export leaves names out")


def journey_security(p):
    """The printed link works once; the page sets no external resource (checked on every page)."""
    p.open("/audit")
    check("Who changed what" in p.text("h1"), "the audit trail is there")
    check("import" in p.text("table"), "the audit trail lists the import")
    p.shot("audit")


# MARK: - Running

def start_server(peermatch, scheme, log):
    env = dict(os.environ, PEERMATCH_CLOCK=CLOCK)
    proc = subprocess.Popen([peermatch, "serve", scheme, "--port", "0"], stdout=subprocess.PIPE, stderr=log,
                            stdin=subprocess.PIPE, text=True, env=env)
    url = None
    deadline = time.time() + 60
    for line in proc.stdout:
        m = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+)", line)
        if m:
            url = m.group(1)
            break
        if time.time() > deadline:
            break
    if not url:
        proc.kill()
        raise JourneyFailure("peermatch serve printed no link")
    return proc, url


def browser(js, downloads):
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB",
              "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        o.add_argument(a)
    prefs = {"download.default_directory": downloads, "download.prompt_for_download": False, "intl.accept_languages": "en-GB"}
    if not js:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    o.add_experimental_option("prefs", prefs)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        o.binary_location = binary
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    d = webdriver.Chrome(service=Service(driver_path), options=o)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return d


def run_mode(mode, args):
    work = os.path.join(args.work, mode)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    scheme = os.path.join(work, "scheme.peermatch")
    subprocess.run([args.peermatch, "scheme", "init", scheme, "--name", "Northfield Academy peer mentoring", "--by", "browser-test"],
                   check=True, capture_output=True)
    log = open(os.path.join(work, "server.log"), "w")
    proc, url = start_server(args.peermatch, scheme, log)
    d = browser(js=(mode != "nojs"), downloads=downloads)
    p = Person(d, "keyboard" if mode == "keyboard" else "mouse", args.samples, downloads, label=mode)
    try:
        p.base = url.split("/?")[0]
        # The one-time link signs in; the same link a second time opens nothing.
        d.get(url)
        check(d.current_url.rstrip("/") == p.base, f"the link leaves the address bar clean: {d.current_url}")
        steps = [("new term", lambda: journey_new_term(p, args.examples, work)), ("match", lambda: journey_match(p)),
                 ("review", lambda: journey_review(p)), ("timetable", lambda: journey_timetable(p, work)),
                 ("during the term", lambda: journey_during_term(p)), ("report", lambda: journey_report(p)),
                 ("audit", lambda: journey_security(p))]
        results = []
        for name, step in steps:
            t = time.time()
            try:
                step()
                results.append((name, True, time.time() - t, ""))
            except Exception as e:   # report the journey, keep the picture, stop this mode
                results.append((name, False, time.time() - t, f"{type(e).__name__}: {e}"))
                if args.samples:
                    p.shot(f"FAILED-{name.replace(' ', '-')}")
                break
        # A second browser without the cookie is refused, and the used link opens nothing.
        other = browser(js=True, downloads=downloads)
        try:
            other.get(url)
            body = other.find_element(By.TAG_NAME, "body").text
            ok = "This link has been used" in body
            results.append(("used link refused", ok, 0, "" if ok else body[:200]))
        finally:
            other.quit()
        return results
    finally:
        d.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peermatch", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--work", default=tempfile.mkdtemp(prefix="pm-ui-"))
    ap.add_argument("--samples", default=os.environ.get("PEERMATCH_UI_SAMPLES"))
    ap.add_argument("--modes", default="mouse,keyboard,nojs")
    args = ap.parse_args()
    args.peermatch = os.path.abspath(args.peermatch)
    args.examples = os.path.abspath(args.examples)
    if args.samples:
        os.makedirs(args.samples, exist_ok=True)
        args.samples = os.path.abspath(args.samples)
    passed = failed = 0
    for mode in args.modes.split(","):
        for name, ok, seconds, why in run_mode(mode, args):
            print(f"{'ok  ' if ok else 'FAIL'} {mode:8} {name:18} {seconds:6.1f} s {why}", flush=True)
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
