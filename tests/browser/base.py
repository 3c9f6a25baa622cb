"""Browser tests: the unmodified Horizon + magnum-ui against magnumlite.

They drive Debian's headless chromium through selenium against the
dashboard `tools/allinone horizon` serves, logging in through the cloud's
keystone, and save a screenshot of every page they check under
ARTIFACTS (printed, and attached to the test's details).
"""

import os
import shutil
import tempfile
import time

from selenium.common import exceptions as selenium_exc
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait
from testtools import content

from tests.integration import base

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
ALLINONE_HOME = os.environ.get('MAGNUMLITE_ALLINONE_HOME',
                               os.path.join(REPO, '.allinone'))
ARTIFACTS = os.path.join(ALLINONE_HOME, 'artifacts', 'screenshots')
DASHBOARD = os.environ.get('MAGNUMLITE_DASHBOARD_URL',
                           'http://127.0.0.1:8080/dashboard')
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
# A page's own requests are quick; this bounds a slow first load.
PAGE_TIMEOUT = 60
# Horizon shows every failed API call as a toast; it dismisses only
# success and info toasts by itself, so an error one stays on the page.
STALE = selenium_exc.StaleElementReferenceException
ERROR_TOASTS = '.alert-danger, .alert-error, .toast-error'

# Root in a container: no sandbox; the machine's network is closed, so
# nothing that would phone home.
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu',
                  '--disable-quic', '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',
                  '--disable-dev-shm-usage', '--window-size=1400,1000')


class BrowserTestCase(base.IntegrationTestCase):
    """A fresh headless chromium per test, logged in as admin."""

    username = 'admin'

    def setUp(self):
        super().setUp()
        os.environ.setdefault('SE_OFFLINE', 'true')  # no driver downloads
        profile = tempfile.mkdtemp(prefix='chromium-profile-')
        self.addCleanup(shutil.rmtree, profile, ignore_errors=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS + ('--user-data-dir=' + profile,):
            options.add_argument(flag)
        self.browser = webdriver.Chrome(service=Service(CHROMEDRIVER),
                                        options=options)
        self.addCleanup(self.browser.quit)
        self.browser.set_page_load_timeout(PAGE_TIMEOUT)
        self.shots = 0
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.login()

    # -- pages ------------------------------------------------------------

    def open(self, path):
        self.browser.get(DASHBOARD + path)

    def login(self):
        self.open('/auth/login/')
        self.find('#id_username').send_keys(self.username)
        self.find('#id_password').send_keys(os.environ['OS_PASSWORD'])
        self.find('#loginBtn').click()
        self.wait_for(lambda: '/auth/login' not in self.browser.current_url,
                      'the login to go through')

    def open_table(self, path):
        """Open a magnum-ui panel; wait until its table has loaded."""
        self.open(path)
        self.wait_for(self._table_loaded, 'the table of %s' % path)

    def _table_loaded(self):
        text = self.find('body').text
        rendered = 'No items to display' in text or 'Displaying' in text
        return rendered and self.browser.find_elements(By.CSS_SELECTOR,
                                                       'table tbody tr')

    def rows(self):
        """The table's rows, each a list of its cells' text."""
        return [[cell.text.strip() for cell in
                 row.find_elements(By.CSS_SELECTOR, 'td')]
                for row in self.browser.find_elements(
                    By.CSS_SELECTOR, 'table tbody tr')]

    def row_of(self, name):
        """The table row whose cells include name, or None."""
        for row in self.rows():
            if name in row:
                return row
        return None

    def wait_for_row(self, name):
        """The row of name, once the table shows it.

        The table renders "No items to display" before its data arrives.
        """
        # The rows are read for the message only once waiting failed: a
        # table angular re-renders meanwhile must not fail the wait.
        return self.wait_for(lambda: self.row_of(name),
                             lambda: 'a row of %s in %s' % (name,
                                                            self.rows()))

    def headers(self):
        return [h.text.strip() for h in self.browser.find_elements(
            By.CSS_SELECTOR, 'table thead th') if h.text.strip()]

    # -- elements ---------------------------------------------------------

    def find(self, css, within=None):
        return (within or self.browser).find_element(By.CSS_SELECTOR, css)

    def visible(self, css):
        """The visible element matching css, once there is one."""
        def shown():
            return [e for e in self.browser.find_elements(By.CSS_SELECTOR,
                                                          css)
                    if e.is_displayed()]
        return self.wait_for(shown, css)[0]

    def button(self, text, within='body'):
        """The visible, enabled button or link labelled text."""
        xpath = ('.//*[self::button or self::a][normalize-space(.)=%s]'
                 % _xpath_string(text))

        def ready():
            return [e for e in self.find(within).find_elements(By.XPATH,
                                                               xpath)
                    if e.is_displayed() and e.is_enabled()]
        return self.wait_for(ready, 'button %r' % text)[0]

    def select(self, css, text):
        """Choose the option labelled text in the select css.

        magnum-ui fills its selects from the API: wait for the option.
        """
        def chosen():
            select = Select(self.visible(css))
            if text not in [o.text.strip() for o in select.options]:
                return False
            select.select_by_visible_text(text)
            return True
        self.wait_for(chosen, 'option %r in %s' % (text, css))

    def fill(self, css, value):
        def filled():
            element = self.visible(css)
            element.clear()
            element.send_keys(value)
            return True
        self.wait_for(filled, css)

    def wait_for(self, predicate, what, timeout=PAGE_TIMEOUT):
        """predicate()'s value once truthy.

        Tried again when angular re-rendered an element under it. what
        names what is waited for, or is a function saying it on timeout.
        """
        try:
            return WebDriverWait(self.browser, timeout, 0.25,
                                 ignored_exceptions=[STALE]).until(
                lambda _: predicate())
        except selenium_exc.TimeoutException:
            self.screenshot('timeout')
            if callable(what):
                try:
                    what = what()
                except STALE:
                    what = '(the page changed while it was read)'
            raise AssertionError('timed out after %ss waiting for %s; '
                                 'errors on the page: %s'
                                 % (timeout, what, self.error_toasts()))

    # -- what the page says -----------------------------------------------

    def error_toasts(self):
        return [e.text.strip() for e in self.browser.find_elements(
            By.CSS_SELECTOR, ERROR_TOASTS) if e.text.strip()]

    def assertNoErrorToast(self):
        # Toasts come from API calls that may still be on their way.
        time.sleep(1)
        self.assertEqual([], self.error_toasts())

    def screenshot(self, name):
        """Save the page as ARTIFACTS/<test>-NN-<name>.png; return the path."""
        self.shots += 1
        path = os.path.join(ARTIFACTS, '%s-%02d-%s.png' % (
            self.id().rsplit('.', 1)[-1], self.shots, name))
        self.browser.save_screenshot(path)
        print('screenshot: %s' % path)
        self.addDetail('screenshot-%02d-%s' % (self.shots, name),
                       content.text_content(path))
        return path


def _xpath_string(text):
    return "'%s'" % text if "'" not in text else 'concat("%s")' % text
