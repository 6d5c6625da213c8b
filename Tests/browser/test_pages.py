"""Custodian's pages in a real browser: headless Chromium driven by Selenium against a running
`custodian serve` on a fresh register of synthetic demo data.

Run by scripts/test twice: once with JavaScript and once without (CUSTODIAN_BROWSER_JS=0), so
every workflow is shown to work on plain HTML forms. Screenshots of each main page go under
CUSTODIAN_SCREENSHOTS (printed at the start).

    python3 Tests/browser/test_pages.py .build/debug/custodian
"""

import http.cookiejar
import json
import datetime
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BINARY = None
JS = os.environ.get("CUSTODIAN_BROWSER_JS", "1") != "0"
MODE = "js" if JS else "no-js"
SHOTS = os.path.join(os.environ.get("CUSTODIAN_SCREENSHOTS", os.path.abspath("build-artifacts/screenshots")), MODE)
PASSWORD = "custodian-demo-2026"
RUN = str(int(time.time()))[-6:]
# Synthetic people only: names made up for the test, never real.
VICTIM_AND_SUSPECT = ("Tobiah", "Quenneville" + RUN[-3:])
NEWHAM_PERSON = ("Ysolde", "Marchbanks" + RUN[-3:])
JUSTIFICATION = "Browser test working period " + RUN


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `custodian serve` on a fresh SQLite register with demo data and demo users."""

    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="custodian-browser-")
        self.binary = binary
        self.db = os.path.join(self.dir, "custodian.sqlite")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.demo_output = subprocess.run([binary, "demo", "--database", self.db, "--subjects", "800"], check=True,
                                          stdout=subprocess.PIPE, text=True).stdout
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        self.process = subprocess.Popen([binary, "serve", "--database", self.db, "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError("custodian serve did not start; see " + self.log.name)

    def snapshot(self):
        """A consistent copy of the register, its key store and keys, taken while it serves."""
        folder = tempfile.mkdtemp(prefix="custodian-copy-")
        for name in ["custodian.sqlite", "keys.sqlite"]:
            source, target = sqlite3.connect(os.path.join(self.dir, name)), sqlite3.connect(os.path.join(folder, name))
            source.backup(target)
            source.close()
            target.close()
        for name in ["master.key", "audit-signing.key"]:
            shutil.copyfile(os.path.join(self.dir, name), os.path.join(folder, name))
        for name in os.listdir(folder):
            os.chmod(os.path.join(folder, name), 0o600)
        return os.path.join(folder, "custodian.sqlite")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--force-device-scale-factor=1", "--lang=en-GB"]:
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not JS:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(0)
    return driver


class PageStructure(HTMLParser):
    """What the accessibility checks read from a page's HTML: fields and their labels, headings."""

    def __init__(self):
        super().__init__()
        self.fields, self.labels, self.headings, self.lang, self.images = [], set(), [], None, []
        self.scripts_inline = 0
        self._in_script = False
        self._banner = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.fields.append(a)
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])
        if tag == "div" and "notification-banner" in (a.get("class") or "").split():
            self._banner = 1
        elif tag == "div" and self._banner:
            self._banner += 1
        # The GOV.UK banner's own h2 and h3 sit above the page's h1 by design.
        if re.fullmatch(r"h[1-6]", tag) and not self._banner:
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self._in_script = "src" not in a

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.scripts_inline += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "div" and self._banner:
            self._banner -= 1


# Contrast of every visible text node against the background it sits on (WCAG 2.2, 1.4.3).
CONTRAST_SCRIPT = """
function lum(c){ var m=c.match(/[\\d.]+/g).map(Number); var a=m.length>3?m[3]:1;
  return {rgb:m.slice(0,3).map(function(v){v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4);}), a:a}; }
function rel(c){ return 0.2126*c[0]+0.7152*c[1]+0.0722*c[2]; }
function bg(el){ while(el){ var c=getComputedStyle(el).backgroundColor; var l=lum(c); if(l.a>0.5) return l.rgb; el=el.parentElement; } return [1,1,1]; }
var bad=[]; var walker=document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while(walker.nextNode()){ var n=walker.currentNode; if(!n.textContent.trim()) continue; var el=n.parentElement;
  if(el.closest('[aria-hidden=true]')||el.closest('.visually-hidden')||el.closest('.skip')) continue;
  var r=el.getBoundingClientRect(); if(r.width===0||r.height===0) continue;
  var s=getComputedStyle(el); if(s.visibility==='hidden') continue;
  var fg=lum(s.color).rgb; var b=bg(el); var L1=rel(fg), L2=rel(b);
  var ratio=(Math.max(L1,L2)+0.05)/(Math.min(L1,L2)+0.05);
  var size=parseFloat(s.fontSize); var bold=parseInt(s.fontWeight)>=700;
  var need=(size>=24||(bold&&size>=18.66))?3:4.5;
  if(ratio<need) bad.push(n.textContent.trim().slice(0,40)+' ('+ratio.toFixed(2)+')'); }
return bad;
"""


class CustodianPages(unittest.TestCase):
    server = None
    driver = None
    newham_subject_url = None
    hackney_subject_url = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        cls.server = Server(BINARY)
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.stop()

    # -- helpers -----------------------------------------------------------------------------

    def go(self, path):
        self.driver.get(self.server.base + path)

    def here(self):
        """The page's address without its query: a confirmation's ?done= is not part of the record's address."""
        return self.driver.current_url.split("?")[0]

    def banner(self):
        """The success banner's words, or "" when the page has none."""
        found = self.driver.find_elements(By.CSS_SELECTOR, ".notification-banner")
        return found[0].text if found else ""

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def field(self, name):
        return self.driver.find_element(By.NAME, name)

    def fill(self, values):
        for name, value in values.items():
            if not self.driver.find_elements(By.NAME, name) and self.driver.find_elements(By.NAME, name + "-day"):
                # The GOV.UK date input: typed as a person would, day, month and year in their boxes.
                parts = value.split("/") if "/" in value else list(reversed(value.split("-")))
                self.fill(dict(zip([name + "-day", name + "-month", name + "-year"], parts)))
                continue
            element = self.field(name)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, label):
        buttons = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main button[type=submit]") if b.text == label]
        self.assertTrue(buttons, f"no button '{label}' on {self.driver.current_url}")
        page = self.driver.find_element(By.TAG_NAME, "html")
        buttons[0].click()
        self.wait_for_new_page(page)

    def wait_for_new_page(self, old):
        """Waits until the browser shows a new document (a form was sent, a link followed)."""
        def changed(driver):
            try:
                return driver.find_element(By.TAG_NAME, "html").id != old.id
            except WebDriverException:
                return False
        WebDriverWait(self.driver, 20).until(changed)

    def finish_job(self, expect, timeout=300):
        """Waits for the job the last form started, as a person would: with script the page
        checks by itself and loads again when the job ends; without, they press Check progress.
        Returns the progress texts seen while it ran. With no `expect`, only watches it run
        until `timeout`."""
        seen = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            running = self.driver.find_elements(By.CSS_SELECTOR, '#job[data-job-state="running"]')
            if not running:
                break
            try:
                seen.append(self.driver.find_element(By.ID, "job-progress").text)
                check = self.driver.find_element(By.LINK_TEXT, "Check progress") if not JS else None
            except WebDriverException:
                continue  # the page was loaded again while it was read
            if JS:
                time.sleep(0.25)
            else:
                time.sleep(0.5)
                page = self.driver.find_element(By.TAG_NAME, "html")
                check.click()
                self.wait_for_new_page(page)
        if expect is not None:
            self.assertIn(expect, self.text())
        return seen

    def screenshot(self, name):
        height = 1000
        if JS:
            height = min(max(self.driver.execute_script("return document.documentElement.scrollHeight"), 800), 4000)
        self.driver.set_window_size(1280, height)
        path = os.path.join(SHOTS, name + ".png")
        self.driver.save_screenshot(path)
        self.driver.set_window_size(1280, 1000)
        self.check_accessibility(name)

    def check_accessibility(self, name):
        """Labels on every field, headings in order, a language, no inline script; contrast with JS."""
        page = PageStructure()
        page.feed(self.driver.page_source)
        self.assertEqual(page.lang, "en-GB", name)
        for f in page.fields:
            self.assertIn(f.get("id"), page.labels, f"{name}: field {f.get('name')} has no label")
        self.assertEqual(page.headings[:1], [1], f"{name}: the first heading is not h1")
        self.assertEqual(page.headings.count(1), 1, f"{name}: more than one h1")
        for before, after in zip(page.headings, page.headings[1:]):
            self.assertLessEqual(after, before + 1, f"{name}: heading level jumps from h{before} to h{after}")
        self.assertEqual(page.scripts_inline, 0, f"{name}: inline script")
        if JS:
            low = self.driver.execute_script(CONTRAST_SCRIPT)
            self.assertEqual(low, [], f"{name}: text below WCAG AA contrast: {low}")

    def assert_refused(self, rule, inside=None):
        """The page refuses under `rule` in words a person reads; the rule's code is only in a
        data-rule attribute, never in the text. Returns the refusal's words."""
        scope = self.driver.find_element(By.ID, inside) if inside else self.driver
        found = scope.find_elements(By.CSS_SELECTOR, f'[data-rule="{rule}"]')
        if inside and not found and scope.get_dom_attribute("data-rule") == rule:
            found = [scope]
        self.assertTrue(found, f"no refusal under {rule} on {self.driver.current_url}: {self.text()[:400]}")
        if "." in rule:
            self.assertNotIn(rule, self.text(), f"the rule's code {rule} is shown to the reader")
        words = found[0].text
        self.assertTrue(words.strip(), f"the refusal under {rule} has no words")
        return words

    def sign_in(self, username, keyboard_only=False, password=PASSWORD):
        self.driver.delete_all_cookies()
        self.go("/signin")
        if keyboard_only:
            body = self.driver.find_element(By.TAG_NAME, "body")
            body.send_keys(Keys.TAB)
            for _ in range(6):
                if self.driver.switch_to.active_element.get_attribute("name") == "username":
                    break
                self.driver.switch_to.active_element.send_keys(Keys.TAB)
            active = self.driver.switch_to.active_element
            self.assertEqual(active.get_attribute("name"), "username", "Tab does not reach the username field")
            active.send_keys(username, Keys.TAB)
            page = self.driver.find_element(By.TAG_NAME, "html")
            self.driver.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
            self.wait_for_new_page(page)
        else:
            self.fill({"username": username, "password": password})
            self.submit("Sign in")
        self.assertNotIn("/signin", self.driver.current_url, self.text())

    def state_purpose(self, purpose="investigation"):
        if "/purpose" not in self.driver.current_url:
            self.go("/purpose")
        self.fill({"purpose": purpose, "justification": JUSTIFICATION})
        self.submit("Start working period")
        self.assertIn("until", self.driver.find_element(By.CLASS_NAME, "purpose-bar").text)

    def cookie_header(self):
        return "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())

    def raw(self, method, path, body=None, cookies=""):
        request = urllib.request.Request(self.server.base + path, method=method, data=body,
                                         headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request)
            return response.status, dict(response.headers), response.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode(errors="replace")

    # -- the workflows -----------------------------------------------------------------------

    def test_01_sign_in_page_and_refusal(self):
        self.go("/subjects")
        self.assertIn("/signin", self.driver.current_url)
        self.screenshot("01-sign-in")
        self.fill({"username": "officer.hackney", "password": "not the password"})
        self.submit("Sign in")
        self.assertIn("the username or password is not right", self.text())
        self.assertEqual(self.field("username").get_attribute("value"), "officer.hackney", "typed username not kept")

    def test_02_officer_records_subject_with_victim_and_suspect_links(self):
        self.sign_in("officer.hackney", keyboard_only=True)
        session = [c for c in self.driver.get_cookies() if c["name"] == "custodian_session"][0]
        self.assertTrue(session["httpOnly"])
        self.assertEqual(session["sameSite"], "Strict")
        self.go("/subjects/new")
        self.assertIn("/purpose", self.driver.current_url, "register content shown before a purpose was stated")
        self.screenshot("02-purpose")
        self.state_purpose()
        self.assertIn("/subjects/new", self.driver.current_url)
        # A bad date first: refused next to the field, with what was typed kept.
        self.fill({"names[0].given": VICTIM_AND_SUSPECT[0], "names[0].family": VICTIM_AND_SUSPECT[1],
                   "dateOfBirth": "31/02/2004", "sex": "male"})
        self.submit("Record subject")
        error = self.assert_refused("date.format", "f-dateOfBirth-error")
        self.assertIn("Date of birth must be a real date", error)
        self.assertEqual(self.field("names[0].given").get_attribute("value"), VICTIM_AND_SUSPECT[0])
        self.screenshot("03-record-subject-refused")
        self.fill({"dateOfBirth": "2004-02-11"})
        self.submit("Record subject")
        self.assertRegex(self.here(), r"/subjects/[0-9a-f-]{36}$")
        CustodianPages.hackney_subject_url = self.here()
        self.assertIn("Subject recorded", self.banner())
        # Victim of one matter, suspect in another: each recorded on its link.
        # The suspect's matter first: a person held only as a victim is opened by id for
        # safeguarding alone, and this officer works under an enforcement purpose.
        for category, kind, reference, offence in [("suspect", "offence", "CRIS-S-" + RUN, "bladed-article-possession"),
                                                   ("victim", "offence", "CRIS-V-" + RUN, "robbery")]:
            self.driver.find_element(By.LINK_TEXT, "Record a matter for this person").click()
            self.fill({"category": category, "kind": kind, "reference": reference, "offence": offence,
                       "occurredOn": "2026-03-14", "basis": "fact", "sourceType": "police"})
            self.submit("Record matter")
            self.assertEqual(self.here(), CustodianPages.hackney_subject_url, self.text())
        victim = self.driver.find_element(By.CSS_SELECTOR, ".standing-protected")
        enforcement = self.driver.find_element(By.CSS_SELECTOR, ".standing-enforcement")
        self.assertIn("Victim or potential victim", victim.text)
        self.assertNotIn("Suspect", victim.text)
        self.assertIn("Suspect", enforcement.text)
        self.assertNotIn("Victim", enforcement.text)
        self.assertTrue(victim.find_elements(By.CSS_SELECTOR, ".tag-victim"), "victim not in its own colour")
        groups = {g.find_element(By.TAG_NAME, "h3").text: g.text for g in self.driver.find_elements(By.CSS_SELECTOR, ".matter-group")}
        self.assertIn("CRIS-V-" + RUN, groups["As victim or potential victim"])
        self.assertNotIn("CRIS-S-" + RUN, groups["As victim or potential victim"])
        self.assertIn("CRIS-S-" + RUN, groups["As suspect or convicted"])
        # Linking to an existing matter by its reference, as officers know matters.
        self.driver.find_element(By.LINK_TEXT, "Link to a recorded matter").click()
        self.fill({"matterReference": "NO-SUCH-REF", "category": "witness", "basis": "fact"})
        self.submit("Link")
        self.assert_refused("matter.known", "f-matterReference-error")
        self.driver.get(CustodianPages.hackney_subject_url)
        self.screenshot("04-subject-victim-and-suspect")

    def test_03_officer_grades_intelligence_and_places_flag(self):
        # The borough's intelligence officer records the partner's report: evidence the proposer
        # entered alone would corroborate nothing.
        self.sign_in("intel.hackney")
        self.driver.get(CustodianPages.hackney_subject_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.driver.find_element(By.LINK_TEXT, "Record intelligence").click()
        self.screenshot("05-record-intelligence")
        self.fill({"text": "Seen carrying a bladed article near the estate on two evenings.", "basis": "assessment",
                   "sourceType": "partner", "grade.source": "2", "grade.assessment": "B", "grade.handling": "P"})
        Select(self.field("sourceId")).select_by_visible_text(
            "Youth Offending Team (partner organisation, handled by Central team)")
        self.submit("Record intelligence")
        self.assertEqual(self.here(), CustodianPages.hackney_subject_url, self.text())
        item = self.driver.find_element(By.CSS_SELECTOR, "article.intel")
        self.assertIn("2B P", item.find_element(By.CLASS_NAME, "grade").text)
        self.assertIn("Assessment", item.text)
        self.assertIn("2 – Untested", item.text)
        self.driver.find_element(By.LINK_TEXT, "Place a flag").click()
        self.fill({"kind": "knife-carrier"})
        self.submit("Place flag")
        self.assert_refused("flag.evidence")
        for box in self.driver.find_elements(By.CSS_SELECTOR, "input[name=intelligenceIds]"):
            box.click()
        self.submit("Place flag")
        self.assertEqual(self.here(), CustodianPages.hackney_subject_url, self.text())
        flag = self.driver.find_element(By.CSS_SELECTOR, ".flag")
        self.assertIn("Knife carrier", flag.text)
        self.assertIn("Seen carrying a bladed article", flag.text)
        self.screenshot("06-subject-graded-and-flagged")

    def test_04_social_media_without_provenance_is_refused(self):
        self.driver.get(CustodianPages.hackney_subject_url)
        self.driver.find_element(By.LINK_TEXT, "Record intelligence").click()
        box = self.driver.find_element(By.ID, "social-media")
        if JS:
            self.assertFalse(box.is_displayed(), "social-media fields shown for a non-social source")
        self.fill({"text": "Posted a drill video naming a rival group.", "sourceType": "social-media",
                   "grade.source": "2", "grade.assessment": "C", "grade.handling": "P"})
        self.assertTrue(box.is_displayed(), "social-media fields not shown when social media is chosen")
        self.submit("Record intelligence")
        self.assertIn("Nothing was saved", self.text())
        for field in ["locator", "capturedAt", "captureMethod", "contentSHA256", "attributionBasis", "authorisationReference"]:
            self.assertTrue(self.assert_refused("required", f"f-socialMedia-{field}-error").startswith("Enter "), field)
        self.assertEqual(self.field("text").get_attribute("value"), "Posted a drill video naming a rival group.")
        self.assertEqual(Select(self.field("sourceType")).first_selected_option.get_attribute("value"), "social-media")
        self.screenshot("07-social-media-refused")

    def test_04b_inclusion_is_decided_by_a_second_person_and_the_score_explains_itself(self):
        self.sign_in("officer.hackney")
        self.driver.get(CustodianPages.hackney_subject_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.driver.find_element(By.LINK_TEXT, "Propose for inclusion").click()
        self.fill({"rationale": "Knife carrying seen by a partner; suspect in a bladed-article offence"})
        self.submit("Propose")
        self.assert_refused("inclusion.evidence")
        for box in self.driver.find_elements(By.CSS_SELECTOR, "input[name=intelligenceIds]"):
            box.click()
        self.submit("Propose")
        self.assert_refused("inclusion.corroboration")
        for box in self.driver.find_elements(By.CSS_SELECTOR, "input[name=matterIds]"):
            box.click()
        self.submit("Propose")
        self.assertEqual(self.here(), CustodianPages.hackney_subject_url, self.text())
        self.assertIn("Inclusion proposed", self.banner())
        self.assertIn("A second person decides", self.banner(), "the banner does not say who decides next")
        self.screenshot("05a-inclusion-proposed-banner")
        self.assertIn("Proposed", self.driver.find_element(By.ID, "h-register").find_element(By.XPATH, "..").text)
        self.assertFalse(self.driver.find_elements(By.LINK_TEXT, "Decide this inclusion"), "the proposer was offered the decision")
        self.sign_in("spoc.hackney")
        # The decisions waiting for the SPOC lead to the proposals, which show each one whole:
        # who, why, each item's line of reporting and whether it counts, and the threshold today;
        # the decision is taken from there.
        self.go("/decisions")
        if "State a purpose to see them" in self.text():
            self.go("/purpose")
            self.state_purpose("register-review")
            self.go("/decisions")
        waiting = self.text()
        self.assertIn("Decisions waiting for you", waiting)
        self.assertIn("An inclusion proposed in Hackney, asked by", waiting)
        self.screenshot("07-decisions-waiting")
        self.driver.find_element(By.PARTIAL_LINK_TEXT, "An inclusion proposed in Hackney").click()
        self.assertIn("/inclusions", self.driver.current_url)
        subject_id = CustodianPages.hackney_subject_url.rstrip("/").split("/")[-1]
        decide = self.driver.find_element(By.CSS_SELECTOR, f"a[href='/subjects/{subject_id}/inclusion-decision/new']")
        proposal = decide.find_element(By.XPATH, "ancestor::section")
        for shown in ["Knife carrying seen by a partner", "Youth Offending Team (partner organisation, handled by Central team)",
                      "own records", "by the proposer", "Met by the evidence"]:
            self.assertIn(shown, proposal.text)
        self.screenshot("07a-spoc-queue")
        decide.click()
        self.fill({"decision": "approve", "reason": "Two independent sources, recent and graded 2B"})
        self.submit("Record decision")
        register = self.driver.find_element(By.ID, "h-register").find_element(By.XPATH, "..").text
        self.assertIn("Included", register)
        self.assertIn("Next review", register)
        self.submit("Assess harm now")
        harm = self.driver.find_element(By.ID, "h-register").find_element(By.XPATH, "..").text
        self.assertIn("Advisory only", harm)
        self.assertIn("bladed-article-possession", harm)
        self.screenshot("07b-subject-included-with-harm")
        self.go("/reviews")
        self.screenshot("07c-review-queue")
        self.go("/dashboard")
        self.assertIn("All London", self.driver.find_element(By.CSS_SELECTOR, "table.figures").text)
        self.screenshot("07d-dashboard")
        self.sign_in("officer.hackney")

    def test_04c_a_share_is_approved_by_a_second_person_and_the_partner_sees_it(self):
        self.sign_in("officer.hackney")
        self.driver.get(CustodianPages.hackney_subject_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.driver.find_element(By.LINK_TEXT, "Request a share with a partner").click()
        options = [o.get_attribute("value") for o in self.driver.find_elements(By.CSS_SELECTOR, "select[name=agreement] option") if o.get_attribute("value")]
        self.assertTrue(options, "no agreement in force offered")
        self.fill({"agreement": options[0]})
        self.submit("Request share")
        self.assertIn("/shares", self.driver.current_url)
        self.assertIn("Nothing leaves until a second person approves it", self.banner())
        request = self.driver.find_elements(By.CSS_SELECTOR, "article.intel")[0]
        self.assertIn("pending", request.text, request.text)
        self.assertNotIn("Record decision", request.text, "the requester was offered the decision")
        self.screenshot("07e-share-requested")
        self.sign_in("spoc.hackney")
        self.go("/shares")
        if "/purpose" in self.driver.current_url:
            self.state_purpose("violence-prevention")
        request = self.driver.find_elements(By.CSS_SELECTOR, "article.intel")[0]
        # The decision view: who asked, under which agreement, and what the rules say.
        self.assertIn("Requested by", request.text, request.text)
        self.assertIn(VICTIM_AND_SUSPECT[1], request.text, "the share does not name its people")
        self.assertIn("Under the agreement", request.text, request.text)
        self.assertIn("What the rules say", request.text, request.text)
        request.find_element(By.NAME, "reason").send_keys("Proportionate: amber band, review up to date")
        page = self.driver.find_element(By.TAG_NAME, "html")
        request.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for_new_page(page)
        first = self.driver.find_elements(By.CSS_SELECTOR, "article.intel")[0].text
        self.assertIn("approved", first)
        self.assertIn("Download the encrypted package", first)
        self.sign_in("partner.hackney-council")
        # A recipient reads with a stated purpose and justification like anyone else.
        self.assertIn("/purpose", self.driver.current_url, "the portal opened without a purpose")
        self.state_purpose("safeguarding")
        self.assertIn("/portal", self.driver.current_url)
        portal = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn(VICTIM_AND_SUSPECT[1], portal)
        self.assertIn("CUSTODIAN-", portal)
        self.assertIn("How to open and check this package", portal)
        self.driver.find_element(By.CSS_SELECTOR, "details.steps summary").click()
        self.assertIn("age --decrypt -i your-organisation.key", self.driver.find_element(By.CSS_SELECTOR, "details.steps").text)
        self.assertNotIn("Seen carrying a bladed article", portal, "intelligence text left under an agreement that does not list it")
        self.screenshot("07f-partner-portal")
        # The recipient fetches its own package, as its link offers.
        link = self.driver.find_elements(By.LINK_TEXT, "Download the encrypted package")[0].get_attribute("href")
        CustodianPages.shared_package = link.replace(self.server.base, "")
        status, headers, body = self.raw("GET", CustodianPages.shared_package, cookies=self.cookie_header())
        self.assertEqual(status, 200, body[:300])
        self.assertTrue(body.startswith("age-encryption.org/v1"), body[:40])
        self.go("/subjects")
        self.assert_refused("role.partner")
        self.sign_in("officer.hackney")

    def test_04d_governance_recalls_an_unlawful_disclosure_and_the_partner_loses_it_at_once(self):
        self.sign_in("dpo")
        self.go("/recalls")
        if "/purpose" in self.driver.current_url:
            self.state_purpose("register-review")
            self.go("/recalls")
        self.screenshot("07g-disclosures-to-recall")
        self.submit("Recall as unlawful")
        # Check your answers: nothing is recalled until it is confirmed.
        self.assertIn("Check before you recall this disclosure", self.text())
        self.assertIn("cannot be withdrawn", self.text())
        self.screenshot("07h-check-before-recall")
        self.submit("Recall the disclosure")
        self.assertIn("Disclosure recalled", self.banner())
        self.assertIn("Recalled", self.text())
        self.sign_in("partner.hackney-council")
        if "/purpose" in self.driver.current_url:
            self.state_purpose("safeguarding")
        self.go("/portal")
        portal = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn("Recalled: delete these records", portal)
        self.assertNotIn(VICTIM_AND_SUSPECT[1], portal, "a recalled record is still served")
        self.assertIn("Record R-", portal, "the demo's own share should still carry people")
        self.screenshot("07h-portal-after-recall")
        status, _, body = self.raw("GET", CustodianPages.shared_package, cookies=self.cookie_header())
        self.assertEqual(status, 403, "a recalled disclosure's package was still built")
        self.assertIn("share.withdrawn", body)
        self.submit("Acknowledge")
        self.submit("Confirm deleted")
        self.assertNotIn(VICTIM_AND_SUSPECT[1], self.driver.find_element(By.TAG_NAME, "main").text)
        self.sign_in("officer.hackney")

    def test_05_other_borough_subject_not_reachable_by_url(self):
        self.sign_in("officer.newham")
        self.go("/subjects/new")
        self.state_purpose("violence-prevention")
        self.fill({"names[0].given": NEWHAM_PERSON[0], "names[0].family": NEWHAM_PERSON[1], "sex": "female"})
        self.submit("Record subject")
        CustodianPages.newham_subject_url = self.here()
        self.sign_in("officer.hackney")
        self.driver.get(CustodianPages.newham_subject_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        # Another borough's record looks exactly like one that does not exist.
        self.assertIn("There is no such subject", self.text())
        self.assertNotIn("Newham", self.driver.find_element(By.TAG_NAME, "main").text)
        self.assertNotIn(NEWHAM_PERSON[1], self.text())
        self.screenshot("08-other-borough-refused")
        self.go("/subjects?name=" + NEWHAM_PERSON[1])
        self.assertNotIn(NEWHAM_PERSON[1], self.driver.find_element(By.TAG_NAME, "main").text.replace("name=", ""))
        self.go("/subjects")
        self.assertIn("Hackney", self.driver.find_element(By.TAG_NAME, "h1").text)
        enforcement_rows = len(self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"))
        # Under an enforcement purpose people held only as victims or witnesses are in no list;
        # safeguarding lists everyone the borough holds, 25 to a page.
        self.state_purpose("safeguarding")
        self.go("/subjects")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
        self.assertEqual(len(rows), 25, "the subject list is not paginated at 25")
        self.assertIn("Victim or potential victim", self.driver.find_element(By.TAG_NAME, "main").text)
        self.assertLessEqual(enforcement_rows, 25)
        self.screenshot("09-borough-subjects")
        self.driver.find_element(By.LINK_TEXT, "Older subjects").click()
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"))
        # Every page showing personal data carries the watermark.
        self.assertIn("Officer Hackney", self.driver.find_element(By.CLASS_NAME, "viewed-by").text)

    def test_06_analyst_searches_across_london(self):
        self.sign_in("analyst")
        self.go("/subjects")
        self.state_purpose("violence-prevention")
        self.fill({"name": NEWHAM_PERSON[1]})
        self.submit("Search")
        table = self.driver.find_element(By.CSS_SELECTOR, "table.list")
        self.assertIn(NEWHAM_PERSON[1], table.text)
        self.assertIn("Newham", table.text)
        self.screenshot("10-analyst-search")
        self.go("/subjects/new")
        self.assert_refused("role.analyst-read-only")

    def test_07_auditor_sees_the_consultations_just_made(self):
        self.sign_in("auditor")
        self.go("/audit")
        self.state_purpose("audit")
        self.fill({"actor": "officer.hackney"})
        self.submit("Filter")
        table = self.driver.find_element(By.CSS_SELECTOR, "table.audit").text
        self.assertIn("subject.read", table)
        self.assertIn(JUSTIFICATION, table)
        self.assertIn("refusal", table, "the refused cross-borough read is not in the log")
        self.assertIn("subject.create", table)
        self.screenshot("11-audit-log")
        self.submit("Verify the whole log now")
        self.finish_job("The log verifies.")
        self.screenshot("12-audit-verified")
        self.fill({"from": "2026-13-01"})
        self.submit("Filter")
        self.assertIn("Start date must be a real date", self.assert_refused("date.format", "f-from-error"))

    def test_08_administrator_manages_users_and_sees_no_register_content(self):
        self.sign_in("admin")
        self.assertIn("/admin/users", self.driver.current_url)
        self.screenshot("13-admin-users")
        # The demo holds over a hundred users, a page at a time.
        for _ in range(10):
            if "officer.hackney" in self.driver.find_element(By.CSS_SELECTOR, "table.list").text:
                break
            self.driver.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
        self.assertIn("officer.hackney", self.driver.find_element(By.CSS_SELECTOR, "table.list").text)
        self.go("/subjects")
        self.assert_refused("role.no-register-content")
        self.go("/subjects/" + CustodianPages.hackney_subject_url.rsplit("/", 1)[1])
        self.assertNotIn(VICTIM_AND_SUSPECT[1], self.text())
        self.go("/admin/users/new")
        username = "officer.browser" + RUN
        self.fill({"username": username, "displayName": "Browser Test Officer", "role": "borough-officer",
                   "unit": "central", "trainingCompletedOn": "2099-01-01"})
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "main input[type=password]"),
                         "the administrator was asked to set a password")
        self.submit("Create user")
        self.assert_refused("unit.borough-role", "f-unit-error")
        self.assert_refused("date.not-future", "f-trainingCompletedOn-error")
        self.assertEqual(self.field("displayName").get_attribute("value"), "Browser Test Officer")
        self.screenshot("14-admin-create-user-refused")
        trained = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
        self.fill({"unit": "lambeth", "trainingCompletedOn": trained})
        self.submit("Create user")
        self.assertIn(username, self.driver.find_element(By.TAG_NAME, "h1").text)
        # The person sets their own password through a single-use link the administrator hands on.
        user_path = self.here().replace(self.server.base, "")
        self.submit("Issue an enrolment link")
        link = self.driver.find_element(By.ID, "enrolment-link").text
        self.assertTrue(link.startswith("/enrol/enr_"), link)
        self.screenshot("15a-enrolment-link")
        self.driver.delete_all_cookies()
        self.go(link)
        self.fill({"password": "a long enough passphrase", "confirm": "a long enough passphrase"})
        self.submit("Set my password")
        self.assertIn("Your password is set", self.text())
        self.go(link)
        self.assertIn("This link does not work", self.text())
        self.sign_in("admin")
        self.go(user_path)
        # The administrator alone grants nothing, and never holds the user's credentials.
        self.assertIn("Awaiting governance approval", self.text())
        self.assertFalse([b for b in self.driver.find_elements(By.CSS_SELECTOR, "main button") if b.text == "Issue token"],
                         "the administrator was offered another user's token")
        self.screenshot("15-admin-user-awaiting-grant")
        self.go("/grants")
        self.assertIn("Borough officer, Lambeth", self.text())
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "main form"), "the administrator was offered the approval")
        # Until governance approves, the new account can do nothing.
        self.sign_in(username, password="a long enough passphrase")
        self.go("/subjects")
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.assert_refused("grant.pending")
        # A governance user approves, with a reason.
        self.sign_in("dpo")
        self.go("/grants")
        self.screenshot("15b-grants")
        self.fill({"reason": "Vetted; posted to Lambeth gangs unit"})
        self.submit("Record decision")
        self.assertIn("Nothing is waiting", self.text())
        # Now the user works, and issues their own token.
        self.sign_in(username, password="a long enough passphrase")
        self.go("/subjects")
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.assertNotIn("grant.pending", self.text())
        self.go("/account")
        self.fill({"label": "browser test"})
        self.submit("Issue token")
        self.assertTrue(self.driver.find_element(By.ID, "new-token").text.startswith("cus_"))
        self.screenshot("15c-own-token")

    def test_09_forms_need_the_session_csrf_token(self):
        self.sign_in("officer.hackney")
        self.go("/purpose")
        self.state_purpose()
        status, _, body = self.raw("POST", "/subjects/new", b"names%5B0%5D.given=A&names%5B0%5D.family=B&sex=male",
                                   cookies=self.cookie_header())
        self.assertEqual(status, 403)
        self.assertIn("csrf.token", body)
        status, headers, _ = self.raw("GET", "/signin")
        self.assertIn("frame-ancestors 'none'", headers["Content-Security-Policy"])
        self.assertNotIn("unsafe-inline", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["Referrer-Policy"], "no-referrer")

    def test_09b_governance_reads_agreements_and_recalls(self):
        self.sign_in("dpo")
        self.assertIn("/dashboard", self.driver.current_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose("register-review")
        self.go("/agreements")
        self.assertIn("Hackney YOT", self.text())
        self.assertIn("active", self.text())
        # Who drafted and who approved each agreement, by name.
        self.assertIn("Drafted by", self.text())
        self.assertRegex(self.text(), r"2 of 2, by \S.* and \S")
        self.screenshot("15b-agreements")
        self.go("/recalls")
        self.assertIn("Recalls outstanding", self.text())

    def test_09d_a_rights_request_from_receipt_to_answer(self):
        """The rights team records an access request, confirms identity, finds the person across
        London, confirms them, compiles the printable answer and closes the request in writing."""
        self.sign_in("dpo")
        self.state_purpose("subject-rights")
        self.go("/rights")
        today = datetime.date.today().isoformat()
        self.fill({"kind": "access", "receivedOn": today, "requester.name": "Requesting Person " + RUN,
                   "requester.reference": "REF-" + RUN, "requester.contact": "1 Example Street, London E8 1AA"})
        self.submit("Record the request")
        self.assertRegex(self.here(), r"/rights/[0-9a-f-]{36}$")
        request_url = self.here()
        self.assertIn("clock not started", self.text())
        self.fill({"evidence": "Passport and a utility bill seen at the front counter", "confirmedOn": today})
        self.submit("Confirm identity")
        self.assertIn("Status: open", self.text())
        self.fill({"name": VICTIM_AND_SUSPECT[1]})
        self.submit("Search")
        candidates = self.driver.find_elements(By.CSS_SELECTOR, "input[name=subjectId]")
        self.assertEqual(len(candidates), 1, self.text())
        candidates[0].click()
        self.screenshot("16a-rights-request-candidates")
        self.submit("Confirm these people")
        self.assertEqual(self.here(), request_url)
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.LINK_TEXT, "Compile the answer (printable)").click()
        self.wait_for_new_page(page)
        answer = self.text()
        self.assertIn("Custodian holds personal data about you", answer)
        self.assertIn(VICTIM_AND_SUSPECT[0] + " " + VICTIM_AND_SUSPECT[1], answer)
        self.assertIn("CRIS-S-" + RUN, answer)
        self.assertIn("An assessment (an opinion, not a fact)", answer)
        self.assertNotIn("Youth Offending Team case 4471", answer, "the registered source was disclosed")
        self.assertIn("Information Commissioner", answer)
        self.screenshot("16b-rights-answer")
        # The letter to the person: no staff header, purpose bar or watermark; the receipts' check
        # as an appendix whose program, run here as the person would, accepts their receipt.
        self.driver.get(request_url + "/letter")
        letter = self.text()
        self.assertIn("Dear Requesting Person " + RUN, letter)
        self.assertIn("Your reference: REF-" + RUN, letter)
        for staff in ["header.bar", ".purpose-bar", ".watermark", "nav"]:
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, staff), f"the letter shows {staff}")
        receipts = self.driver.find_elements(By.CSS_SELECTOR, "pre.receipt")
        self.assertTrue(receipts, "the shared person's letter carries no receipt")
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "check_receipt.py"), "w") as f:
                f.write(self.driver.find_element(By.CSS_SELECTOR, "pre.verifier").text)
            with open(os.path.join(folder, "receipt.json"), "w") as f:
                f.write(receipts[0].text)
            checked = subprocess.run(["python3", "check_receipt.py"], cwd=folder, stdout=subprocess.PIPE, text=True, timeout=30)
            self.assertEqual(checked.stdout.strip(), "receipt verifies: the entry names you", checked.stdout)
        self.screenshot("16c-rights-letter")
        self.driver.get(request_url)
        self.fill({"refused": "no", "outcome": "Answer sent by recorded delivery with every item and its origin"})
        self.submit("Close the request")
        self.assertIn("Status: answered", self.text())
        self.assertIn("Answer sent by recorded delivery", self.text())

    def test_09e_a_partner_reports_a_breach_and_governance_sees_the_clock_and_the_scope(self):
        self.sign_in("partner.hackney-council")
        if "/purpose" in self.driver.current_url:
            self.state_purpose("safeguarding")
        self.go("/portal")
        packages = self.driver.find_elements(By.PARTIAL_LINK_TEXT, "Download the encrypted package")
        self.assertTrue(packages, self.text())
        disclosure = re.search(r"/disclosures/([0-9a-f-]{36})/package", packages[0].get_attribute("href")).group(1)
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.LINK_TEXT, "Report a breach").click()
        self.wait_for_new_page(page)
        self.fill({"description": "Our caseworker forwarded the shared list to a personal email account " + RUN,
                   "disclosureIds": disclosure})
        self.submit("Report the breach")
        self.assertIn("72-hour clock", self.text())
        self.screenshot("17a-breach-reported")

        self.sign_in("dpo")
        self.state_purpose("register-review")
        self.go("/dashboard")
        self.assertRegex(self.text(), r"Breach: 7[12] hour\(s\) left to decide on telling the ICO")
        self.go("/breaches")
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_elements(By.CSS_SELECTOR, "table.list a")[0].click()
        self.wait_for_new_page(page)
        self.assertIn(RUN, self.text())
        self.submit("Contain now")
        self.assertIn("Check before you contain this breach", self.text())
        self.submit("Contain now")
        self.assertIn("1 disclosure(s) recalled", self.text())
        steps = self.driver.find_element(By.CSS_SELECTOR, ".task-list").text
        self.assertRegex(steps, r"Contain\s+Completed", steps)
        self.assertRegex(steps, r"Scope from the audit log\s+Not yet started", steps)
        self.assertRegex(steps, r"Decide about the people affected\s+Cannot start yet", steps)
        self.submit("Compute the scope")
        people = int(re.search(r"(\d+) people", self.driver.find_element(By.CLASS_NAME, "scope").text).group(1))
        self.assertGreater(people, 0, "the scope found no one in the disclosure")
        self.assertIn("Hackney Council Youth Offending Team", self.text())
        self.screenshot("17b-breach-scope")

    def test_09f_the_equality_report_for_governance_and_the_independent_reviewer(self):
        self.sign_in("dpo")
        self.go("/equality?area=hackney")
        self.assertIn("Full figures, for governance only", self.text())
        charts = self.driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        self.assertGreaterEqual(len(charts), 9, "one chart per stage")
        self.assertIn("SYNTHETIC", self.text(), "the demo baseline says what it is")
        tables = self.driver.find_elements(By.CSS_SELECTOR, "section.equality-stage table")
        self.assertEqual(len(tables), len(charts), "every chart has its numbers beside it")
        self.assertIn("Black", tables[0].text)
        self.screenshot("18a-equality-report-governance")
        # The independent reviewer reads the published version and nothing else.
        self.sign_in("reviewer")
        self.assertIn("/equality", self.driver.current_url)
        self.assertIn("Published version", self.text())
        for cell in self.driver.find_elements(By.CSS_SELECTOR, "section.equality-stage td"):
            self.assertNotRegex(cell.text, r"^[1-9]$", "a count under 10 in the published report")
        self.screenshot("18b-equality-report-published")
        self.go("/subjects")
        self.assertRegex(self.text(), r"role\.aggregates-only|reads aggregate equality reports")

    def test_09g_the_same_person_in_two_boroughs_is_found_judged_and_linked(self):
        planted = re.search(r"Duplicates: (\d+) people planted.*?queued (\d+), (\d+) of the (\d+) planted pairs",
                            self.server.demo_output)
        self.assertIsNotNone(planted, "the demo says nothing about duplicates")
        self.assertGreaterEqual(int(planted.group(1)), 6, "the demo planted too few duplicates")
        self.assertEqual(planted.group(3), planted.group(1), "the scan missed a planted duplicate")
        self.sign_in("analyst")
        self.state_purpose("data-quality")
        self.go("/duplicates")
        waiting = int(re.search(r"(\d+) pairs waiting", self.text()).group(1))
        self.assertGreaterEqual(waiting, int(planted.group(1)))
        self.assertIn("Why they were paired", self.text())
        self.screenshot("19a-duplicates-queue")
        first = self.driver.find_element(By.CSS_SELECTOR, "article.intel")
        record = first.find_element(By.CSS_SELECTOR, "thead a").get_attribute("href")
        first.find_element(By.CSS_SELECTOR, "input[value=same]").click()
        first.find_element(By.NAME, "reason").send_keys("Same date of birth and PNC id; the family name differs by a vowel")
        page = self.driver.find_element(By.TAG_NAME, "html")
        first.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for_new_page(page)
        self.assertIn(f"{waiting - 1} pairs waiting", self.text())
        self.driver.get(record)
        self.assertIn("The same person in other boroughs", self.text())
        self.screenshot("19b-duplicates-linked-record")
        # A borough officer is refused the queue, by the policy's rule.
        self.sign_in("officer.hackney")
        self.state_purpose("data-quality")
        self.go("/duplicates")
        self.assertIn("duplicates.resolvers", self.driver.page_source)
        # One process at a time opens a register: while the server holds it, a command is refused
        # and told which process holds it, so two appenders never fork its audit log.
        live = subprocess.run([self.server.binary, "duplicates", "list", "--database", self.server.db, "--as", "analyst"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertNotEqual(live.returncode, 0, "a command opened the register the server holds")
        self.assertIn(f"process {self.server.process.pid} (serve)", live.stdout + live.stderr)
        # The command line is another door to the same queue, under the same rule: tried on a
        # consistent copy of the register (SQLite's online backup), as an operator would.
        copy = self.server.snapshot()
        def cli(user):
            return subprocess.run([self.server.binary, "duplicates", "list", "--database", copy, "--as", user],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        listed = cli("analyst")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(f"{waiting - 1} pairs waiting.", listed.stdout)
        self.assertRegex(listed.stdout, r"score \d+")
        refused = cli("officer.hackney")
        self.assertNotEqual(refused.returncode, 0, "an officer read the queue from the command line")
        self.assertIn("duplicates.resolvers", refused.stdout + refused.stderr)

    def test_09h_the_source_unit_keeps_the_source_register(self):
        self.sign_in("sources")
        self.go("/sources")
        self.assertIn("Youth Offending Team", self.text(), "the demo's sources are not listed")
        label = "HS-" + RUN
        self.fill({"kind": "human-source", "label": label, "owner": "Hackney source unit controller",
                   "handlerUnit": "hackney", "reliability": "2", "rationale": "short"})
        self.submit("Register the source")
        self.assert_refused("source.rationale")
        self.assertEqual(self.field("label").get_attribute("value"), label, "what was typed was lost")
        self.fill({"rationale": "Newly recruited; nothing yet to judge reliability by"})
        self.submit("Register the source")
        section = self.driver.find_element(By.XPATH, f"//section[h2[contains(., '{label}')]]")
        self.assertIn("2 – Untested", section.text)
        self.screenshot("09h-source-register")
        # Officers cite it by choosing it, and never see its owner.
        self.sign_in("officer.hackney")
        self.driver.get(CustodianPages.hackney_subject_url)
        if "/purpose" in self.driver.current_url:
            self.state_purpose()
        self.driver.find_element(By.LINK_TEXT, "Record intelligence").click()
        options = [o.text for o in Select(self.field("sourceId")).options]
        self.assertIn(f"{label} (registered human source, handled by Hackney)", options)
        self.assertNotIn("controller", self.text())
        self.go("/sources")
        self.assertNotIn(label, self.text(), "an officer read the source register")

    def test_09i_a_long_import_is_a_job_whose_progress_shows_and_survives_leaving(self):
        # Written, not only checked: a check of this many rows is over before the page comes back.
        rows = int(os.environ.get("CUSTODIAN_BROWSER_JOB_ROWS", "15000"))
        path = os.path.join(tempfile.mkdtemp(), "long-feed.csv")
        with open(path, "w", newline="") as feed:
            feed.write("kind,ref,given_name,family_name,date_of_birth,sex\r\n")
            for i in range(rows):
                feed.write(f"subject,job{i},Jobfeed,Person{i:05d},{1980 + i % 20}-0{1 + i % 9}-1{i % 10},"
                           f"{'male' if i % 2 else 'female'}\r\n")
        self.sign_in("officer.hackney")
        self.state_purpose("data-quality")
        self.go("/import")
        self.driver.find_element(By.ID, "i-file").send_keys(path)
        self.submit("Import")
        self.assertRegex(self.driver.current_url, r"/jobs/[0-9a-f-]{36}$")
        job = self.driver.current_url
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, '#job[data-job-state="running"]'),
                        f"{rows} rows were checked before the page came back: make the file longer ({self.driver.find_element(By.TAG_NAME, 'main').text[:1500]})")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "[data-job-check]").is_displayed(), not JS,
                         "the button is for a browser with no script; with script the page checks by itself")
        self.screenshot("20a-job-running")
        # Watched for a few seconds: with script the progress moves on the same page; without,
        # each press of the button shows it further on.
        if JS:
            # On the same page: it is loaded again only once the job has ended.
            page, seen = self.driver.find_element(By.TAG_NAME, "html"), []
            deadline = time.time() + 5
            while time.time() < deadline and self.driver.find_element(By.TAG_NAME, "html").id == page.id:
                try:
                    if not self.driver.find_elements(By.CSS_SELECTOR, '#job[data-job-state="running"]'):
                        break
                    seen.append(self.driver.find_element(By.ID, "job-progress").text)
                except WebDriverException:
                    break  # loaded again as the job ended, while it was read
                time.sleep(0.25)
            self.assertGreater(len(set(seen)), 1, f"the progress never moved on the page while the job ran: {seen}")
        else:
            seen = self.finish_job(None, timeout=5)
            self.assertGreater(len(set(seen)), 1, f"the progress never moved while the job ran: {seen}")
        # Leaving and coming back: the job ran on, and the list of jobs leads to it.
        self.go("/jobs")
        self.assertIn("Import a borough feed", self.text())
        self.driver.find_element(By.CSS_SELECTOR, f'a[href="{job[len(self.server.base):]}"]').click()
        self.finish_job(f"Imported {rows:,} rows: {rows:,} subjects")
        self.assertEqual(self.driver.current_url, job)
        self.screenshot("20b-job-finished")
        self.go("/jobs")
        self.assertIn(f"Imported {rows:,} rows", self.text())

    def test_09c_a_malformed_body_is_a_bad_request_not_a_failure(self):
        """A chunked body with a bad chunk size, on the unauthenticated sign-in and on the API."""
        for path in ["/signin", "/api/subjects"]:
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
                s.sendall(("POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                           "Content-Type: application/x-www-form-urlencoded\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n").encode())
                status = s.recv(200).decode(errors="replace").split("\r\n", 1)[0]
            self.assertNotIn(" 500 ", status, path)
            self.assertRegex(status, r" 4\d\d ", path)
        self.assertEqual(self.raw("GET", "/health")[0], 200, "the server is still up")

    def test_10_repeated_failures_lock_the_username(self):
        for attempt in range(5):
            self.driver.delete_all_cookies()
            self.go("/signin")
            self.fill({"username": "dpo", "password": f"wrong guess {attempt}"})
            self.submit("Sign in")
        self.driver.delete_all_cookies()
        self.go("/signin")
        self.fill({"username": "dpo", "password": PASSWORD})
        self.submit("Sign in")
        self.assertIn("too many failed sign-ins", self.text(), "the right password was accepted during a lock-out")
        self.screenshot("16-sign-in-locked")

    def test_10b_a_warning_comes_before_the_idle_sign_out(self):
        self.sign_in("analyst")
        if "/purpose" in self.driver.current_url:
            self.state_purpose("violence-prevention")
        self.go("/subjects")
        self.assertIn("signed out after 15 minutes without activity", self.text())
        if not JS:
            return  # the warning is drawn by script; without it the footer above says when
        # A browser of its own whose clock can be run forward: thirteen minutes pass in a moment.
        driver = browser()
        try:
            driver.get(self.server.base + "/signin")
            driver.find_element(By.NAME, "username").send_keys("analyst")
            driver.find_element(By.NAME, "password").send_keys(PASSWORD, Keys.ENTER)
            WebDriverWait(driver, 20).until(lambda d: "/signin" not in d.current_url)
            driver.get(self.server.base + "/account")
            warning = driver.find_element(By.CSS_SELECTOR, ".timeout-warning")
            self.assertFalse(warning.is_displayed(), "warned at once")
            driver.execute_cdp_cmd("Emulation.setVirtualTimePolicy", {"policy": "advance", "budget": 13.5 * 60 * 1000})
            WebDriverWait(driver, 30).until(lambda d: warning.is_displayed())
            self.assertIn("You will be signed out soon", warning.text)
            self.assertEqual(driver.switch_to.active_element.get_attribute("class"), "timeout-warning", "focus is not on the warning")
            driver.set_window_size(1280, 1000)
            driver.save_screenshot(os.path.join(SHOTS, "13-timeout-warning.png"))
        finally:
            driver.quit()

    def test_11_sign_out_ends_the_session(self):
        self.sign_in("spoc.hackney")
        cookies = self.cookie_header()
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, ".who button").click()
        self.wait_for_new_page(page)
        self.assertIn("You have signed out", self.text())
        status, headers, _ = self.raw("GET", "/subjects", cookies=cookies)
        self.assertEqual(status, 303)
        self.assertIn("/signin", headers["Location"])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else os.path.abspath(".build/debug/custodian")
    print(f"Browser suite ({MODE}): screenshots in {SHOTS}", flush=True)
    unittest.main(verbosity=2)
