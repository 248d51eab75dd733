"""The monitor page in a real browser: headless Chromium from Debian's ``chromium`` package, driven by Playwright,
opening the page that ``airflow standalone`` serves through the newsmon plugin.

The data behind it is real: the replay site (with its fault routes) crawled into the session's Elasticsearch,
alerts sent to the SMTP sink. A feed answering 404 (a replay fault route) must show as a failed feed. A
screenshot is kept at ``test-artifacts/monitor-page.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from newsmon import pipeline
from newsmon.devstack.airflow_standalone import AirflowStandalone
from newsmon.devstack.replay import REPLAY_SOURCES, ReplayServer, replay_settings
from newsmon.settings import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
GONE_FEED = "/faults.example/gone-feed/"


@pytest.fixture
def monitored(pipeline_settings, tmp_path, monkeypatch):
    """The replay sources plus a New Arab feed that answers 404, crawled, indexed and alerted on."""
    with ReplayServer("127.0.0.1", 0, faults=True) as replay:
        sources = yaml.safe_load(REPLAY_SOURCES.read_text(encoding="utf-8"))
        newarab = next(s for s in sources["sources"] if s["name"] == "newarab")
        newarab["feeds"].append({"url": "https:/" + GONE_FEED, "language": "en"})
        sources_file = tmp_path / "sources.yaml"
        sources_file.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
        monkeypatch.setenv("NEWSMON_SOURCES_FILE", str(sources_file))
        monkeypatch.setenv("NEWSMON_MIRROR_URL", replay.base_url)
        settings = load_settings()
        for name in pipeline.source_names(settings):
            pipeline.crawl(name, settings)
        for batch in pipeline.pending_batches(settings):
            pipeline.process_batch(batch, settings)
        assert pipeline.alert(settings)["sent"] > 0
        yield settings


def _environment(settings) -> dict[str, str]:
    return {**replay_settings(settings.mirror_url), "NEWSMON_SOURCES_FILE": str(settings.sources_file),
            "NEWSMON_ELASTICSEARCH_URL": settings.elasticsearch_url, "NEWSMON_INDEX_ALIAS": settings.index_alias,
            "NEWSMON_DATA_DIR": str(settings.data_dir), "NEWSMON_KIBANA_URL": "http://kibana.newsmon.test:5601"}


@pytest.mark.timeout(900)
def test_monitor_page_in_headless_chromium(monitored, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium package is missing: `make test` installs it (apt-get install chromium)"
    airflow = AirflowStandalone(tmp_path / "airflow", _environment(monitored), all_admins=False, dags_paused=True)
    with airflow, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            # Without an Airflow login the page is not shown: the browser lands on Airflow's login.
            page.goto(f"{airflow.base_url}/newsmon/")
            assert "/newsmon/" not in page.url.split("?")[0] and "login" in page.url
            assert page.locator("#sources").count() == 0

            # Log in through Airflow's own login form as its generated admin; the form sends us back to the page.
            credentials = airflow.admin_credentials()
            page.fill('input[name="username"]', credentials["username"])
            page.fill('input[name="password"]', credentials["password"])
            page.click('button[type="submit"]')
            page.wait_for_url(re.compile(r".*/newsmon/?$"), timeout=60_000)

            rows = page.locator("#sources tr.source")
            expect(rows).to_have_count(5)
            assert {rows.nth(i).get_attribute("data-source") for i in range(5)} == set(
                pipeline.source_names(monitored))
            newarab = page.locator('#sources tr.source[data-source="newarab"]')
            failed = newarab.locator("li.feed-failed")
            expect(failed).to_have_count(1)
            expect(failed).to_contain_text(GONE_FEED)
            expect(failed.locator(".feed-error")).to_contain_text("404")
            expect(newarab.locator("ul.warnings li")).not_to_have_count(0)
            ankasam = page.locator('#sources tr.source[data-source="ankasam"]')
            expect(ankasam.locator("li.feed-failed")).to_have_count(0)

            mail = page.locator('#mails tr.mail[data-rules~="moscow_format"]').first
            expect(mail).to_be_visible()
            expect(mail.locator(".mail-recipient")).to_contain_text("@")
            expect(mail).to_have_attribute("data-state", "sent")
            event = page.locator(f'#events tr.event[data-event="{mail.get_attribute("data-event")}"]')
            expect(event).to_be_visible()
            expect(event.locator(".event-mail").first).to_contain_text("@")
            expect(event.locator("a.event-article").first).to_be_visible()
            expect(page.locator("#mentions-actors-chart svg polyline").first).to_be_visible()

            page.fill("#search-q", "Kabulov")
            page.click("#search-submit")
            hits = page.locator("#search-results li.search-hit")
            expect(hits.first).to_be_visible()
            expect(hits.first.locator("mark").first).to_be_visible()
            expect(page.locator("#search-names code.named")).to_have_attribute("data-id", "zamir_kabulov")
            assert re.search(r"kabulov", hits.first.locator("mark").first.inner_text(), re.IGNORECASE)
            discover = page.locator("#kibana-discover")
            assert discover.get_attribute("href").startswith("http://kibana.newsmon.test:5601/app/discover")

            ARTIFACTS.mkdir(exist_ok=True)
            page.goto(f"{airflow.base_url}/newsmon/")
            page.screenshot(path=str(ARTIFACTS / "monitor-page.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "monitor-page.png").stat().st_size > 10_000
