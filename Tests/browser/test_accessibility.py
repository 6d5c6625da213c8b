"""axe-core over every page each role can reach, at desktop width and at 375 px.

Signs in as each demo user, states the first purpose the role may state, then follows every link
on every page it reaches (same site, GET only, pages rather than downloads), one page per kind of
address (ids are folded together). Each page is checked by axe-core (bundled by PyPI's
axe-selenium-python) and fails the run on any serious or critical violation. At 375 px the page
must also fit: nothing may make the whole page scroll sideways (a wide table scrolls in its own box).

Without JavaScript (CUSTODIAN_BROWSER_JS=0) the browser still runs axe, but the page's own script
is blocked, so what is checked is the page as a visitor with no script sees it.

    python3 Tests/browser/test_accessibility.py .build/debug/custodian
"""

import os
import re
import sys
import unittest
import urllib.parse

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import test_pages
from test_pages import JUSTIFICATION, PASSWORD, Server

JS = test_pages.JS
ROLES = ["officer.hackney", "spoc.hackney", "analyst", "dpo", "auditor", "partner.hackney-council", "admin",
         "reviewer", "sources"]
# Links that change state or leave the page's HTML: never followed.
SKIP = re.compile(r"^/(signout|api/|assets/|metrics|health)|\.(csv|json|age|tar|txt|pem)$|/(export|download|letter\.)")
PAGES_PER_ROLE = 60
PHONE = 375


def kind(path):
    """One address per kind of page: ids and numbers folded, the query's keys kept."""
    parts = urllib.parse.urlsplit(path)
    folded = re.sub(r"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", ":id", parts.path)
    folded = re.sub(r"/\d+(?=/|$)", "/:n", folded)
    keys = sorted(k for k, _ in urllib.parse.parse_qsl(parts.query))
    return folded + ("?" + "&".join(keys) if keys else "")


class EveryPageForEveryRole(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/custodian"))
        test_pages.JS = True  # axe needs the browser's script engine; the page's own script is blocked below
        cls.driver = test_pages.browser()
        if not JS:
            cls.driver.execute_cdp_cmd("Network.enable", {})
            cls.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*.js"]})
        cls.axe = Axe(cls.driver)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.stop()

    def sign_in(self, username):
        d = self.driver
        d.delete_all_cookies()
        d.get(self.server.base + "/signin")
        d.find_element(By.NAME, "username").send_keys(username)
        d.find_element(By.NAME, "password").send_keys(PASSWORD)
        self.click_submit()
        if "/purpose" in d.current_url and d.find_elements(By.NAME, "purpose"):
            chooser = d.find_element(By.NAME, "purpose")
            if chooser.tag_name == "select":
                options = [o for o in chooser.find_elements(By.TAG_NAME, "option") if o.get_attribute("value")]
                options[0].click()
            else:
                chooser.click()
            d.find_element(By.NAME, "justification").send_keys(JUSTIFICATION)
            self.click_submit()
        self.assertNotIn("/signin", d.current_url, f"{username} could not sign in")

    def click_submit(self):
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
        WebDriverWait(self.driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "html").id != page.id)

    def links(self):
        found = []
        for a in self.driver.find_elements(By.CSS_SELECTOR, "a[href]"):
            if a.get_dom_attribute("download") is not None:
                continue
            url = urllib.parse.urlsplit(a.get_attribute("href"))
            if url.netloc != urllib.parse.urlsplit(self.server.base).netloc:
                continue
            path = url.path + ("?" + url.query if url.query else "")
            if not SKIP.search(url.path):
                found.append(path)
        return found

    def violations(self):
        self.axe.inject()
        results = self.axe.run()
        return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]

    def describe(self, violations):
        return "; ".join(f"{v['id']} ({v['impact']}): " + ", ".join(n["target"][0] for n in v["nodes"][:3])
                         for v in violations)

    def check(self, role, path, problems):
        d = self.driver
        d.set_window_size(1280, 1000)
        d.get(self.server.base + path)
        if "text/html" not in d.execute_script("return document.contentType"):
            return
        found = self.violations()
        if found:
            problems.append(f"{role} {path} (desktop): {self.describe(found)}")
        d.set_window_size(PHONE, 800)
        found = self.violations()
        if found:
            problems.append(f"{role} {path} ({PHONE} px): {self.describe(found)}")
        wide = d.execute_script("return document.documentElement.scrollWidth") - d.execute_script(
            "return document.documentElement.clientWidth")
        if wide > 1:
            problems.append(f"{role} {path}: the page scrolls sideways by {wide} px at {PHONE} px wide")

    def test_no_serious_violation_on_any_page(self):
        problems, checked = [], 0
        for role in ROLES:
            self.sign_in(role)
            seen, queue = set(), ["/"]
            while queue and len(seen) < PAGES_PER_ROLE:
                path = queue.pop(0)
                if kind(path) in seen:
                    continue
                seen.add(kind(path))
                self.check(role, path, problems)
                checked += 1
                if "/signin" in self.driver.current_url:
                    problems.append(f"{role} {path}: signed out")
                    break
                queue.extend(p for p in self.links() if kind(p) not in seen)
            print(f"  {role}: {len(seen)} pages", flush=True)
        print(f"axe-core over {checked} pages, each at desktop and {PHONE} px", flush=True)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))
        self.assertGreater(checked, 5 * len(ROLES))


if __name__ == "__main__":
    sys.argv[1:2] = [os.path.abspath(sys.argv[1])] if len(sys.argv) > 1 else []
    unittest.main(argv=sys.argv[:1], verbosity=2)
