"""One mail per recipient and event, on a real Elasticsearch and a real SMTP server: reports of one event in three
languages are one mail naming every rule they matched, a copy is listed under its original and never mailed, later
articles are one threaded update per interval, a crash between send and record resends the same mail, and an index
and ledger from before events migrate without mailing any story again."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from newsmon import pipeline
from newsmon.alerts.dispatch import open_stores
from newsmon.index import ArticleStore, connect
from newsmon.index.mapping import article_mapping
from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.models import Article
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

DAY = datetime(2025, 10, 6, 9, tzinfo=UTC)
REPORTS = {
    "en": ("https://www.ankasam.org/en/mf7/", "ankasam", 0,
           "The seventh round of the Moscow Format consultations on Afghanistan opened in Moscow on Monday. Sergey "
           "Lavrov told the Taliban delegation led by Amir Khan Muttaqi that an inclusive government was still needed, "
           "and Zamir Kabulov said recognition of the Islamic Emirate would follow its own pace."),
    "ru": ("https://thebell.io/mf7/", "thebell", 1,
           "В Москве открылся седьмой раунд консультаций Московского формата по Афганистану. Сергей Лавров заявил "
           "делегации талибов во главе с Амиром Ханом Муттаки, что инклюзивное правительство по-прежнему необходимо."),
    "fa": ("https://www.afintl.com/2025100611", "afintl", 1,
           "هفتمین دور نشست فرمت مسکو درباره افغانستان در مسکو آغاز شد. سرگئی لاوروف به هیئت طالبان به رهبری امیرخان "
           "متقی گفت که حکومت فراگیر همچنان لازم است."),
}
RULES = {"rules": [
    {"id": "moscow_format", "name": "Moscow Format", "match": {"themes": ["moscow_format"]},
     "recipients": ["desk@newsmon.example", "ru-desk@newsmon.example"]},
    {"id": "taliban_recognition", "name": "Recognition", "match": {"themes": ["recognition"], "actors": ["taliban"]},
     "recipients": ["desk@newsmon.example"]},
]}


@pytest.fixture(scope="module")
def matcher() -> WatchlistMatcher:
    return WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))


@pytest.fixture
def settings(pipeline_settings, tmp_path):
    rules = tmp_path / "alerts.yaml"
    rules.write_text(yaml.safe_dump(RULES), encoding="utf-8")
    return pipeline_settings.model_copy(update={"alert_rules_file": rules})


def _article(matcher, url, source, lang, text, day, title=None) -> Article:
    article = Article(url=url, canonical_url=url, source=source, title=title or text[:60], text=text, lang=lang,
                      published=DAY + timedelta(days=day))
    article.mentions = matcher.match(text, lang)
    return article


def _index(settings, articles) -> None:
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    store.index_articles(articles)


def _by_recipient(messages) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in messages:
        found.setdefault(message["To"], []).append(message)
    return found


def test_one_mail_per_recipient_and_event_then_threaded_updates(settings, smtp_sink, matcher):
    copy = REPORTS["en"][3].replace("on Monday", "on Monday, officials said")
    _index(settings, [_article(matcher, url, source, lang, text, day) for lang, (url, source, day, text) in REPORTS.items()]
           + [_article(matcher, "https://www.newarab.com/news/mf7-copy", "newarab", "en", copy, 2)])
    report = pipeline.alert(settings)
    assert report["events"]["new_events"] == 1 and report["events"]["duplicates"] == 1, report["events"]
    assert report["duplicates"] == 1 and report["sent"] == 2, report
    mails = _by_recipient(smtp_sink.messages())
    assert set(mails) == {"desk@newsmon.example", "ru-desk@newsmon.example"}
    desk, ru_desk = mails["desk@newsmon.example"][0], mails["ru-desk@newsmon.example"][0]
    assert desk["X-Newsmon-Rules"] == "moscow_format taliban_recognition" and ru_desk["X-Newsmon-Rules"] == "moscow_format"
    assert desk["X-Newsmon-Event"] == ru_desk["X-Newsmon-Event"] and desk["In-Reply-To"] is None
    plain = desk.get_body(("plain",)).get_content()
    assert "3 article(s) in en, ru, fa from afintl, ankasam, thebell" in plain
    assert "also, near-identical: newarab · https://www.newarab.com/news/mf7-copy" in plain
    assert pipeline.alert(settings)["sent"] == 0 and len(smtp_sink.messages()) == 2

    # A fourth report of the event: within the update interval it waits; then one update, in the thread.
    later = _article(matcher, "https://www.ankasam.org/mf7-tr/", "ankasam", "tr",
                     "Afganistan konulu Moskova Formatı istişarelerinin yedinci turu Moskova'da sürüyor; Sergey Lavrov, "
                     "Taliban heyetine kapsayıcı bir hükümetin gerekli olduğunu söyledi.", 2)
    _index(settings, [later])
    waiting = pipeline.alert(settings)
    assert waiting["sent"] == 0 and waiting["waiting"] == 2, waiting
    due = settings.model_copy(update={"alert_update_interval_minutes": 0})
    update = pipeline.alert(due)
    assert update["sent"] == 2 and {m["update"] for m in update["mails"]} == {1}, update
    updates = [m for m in smtp_sink.messages() if m["X-Newsmon-Update"] == "1"]
    first_ids = {m["To"]: m["Message-ID"] for m in smtp_sink.messages() if m["X-Newsmon-Update"] == "0"}
    for message in updates:
        assert message["In-Reply-To"] == message["References"] == first_ids[message["To"]]
        assert str(message["Subject"]).strip().startswith("Re: [newsmon] ")
        assert "1 article(s) in tr" in message.get_body(("plain",)).get_content()
    assert pipeline.alert(due)["sent"] == 0 and len(smtp_sink.messages()) == 4


def test_a_mail_claimed_but_never_recorded_is_resent_as_the_same_mail(settings, smtp_sink, matcher, monkeypatch):
    from newsmon.alerts import dispatch
    from newsmon.alerts.channels import email

    url, source, day, text = REPORTS["en"]
    _index(settings, [_article(matcher, url, source, "en", text, day)])
    real_send = email.send_mail

    def killed_while_sending(message, settings):  # the process dies as the desk's mail goes out
        if message["To"] == "desk@newsmon.example":
            raise KeyboardInterrupt("process killed")
        return real_send(message, settings)

    monkeypatch.setattr(email, "send_mail", killed_while_sending)
    with pytest.raises(KeyboardInterrupt):
        pipeline.alert(settings)
    monkeypatch.setattr(email, "send_mail", real_send)
    [claimed] = open_stores(settings).threads.pending_mails()
    monkeypatch.setattr(dispatch, "STALE_CLAIM", timedelta(hours=1))
    fresh = pipeline.alert(settings)  # too fresh to be a crash: the desk's mail waits, the other recipient's goes
    assert [m["To"] for m in smtp_sink.messages()] == ["ru-desk@newsmon.example"], fresh
    monkeypatch.setattr(dispatch, "STALE_CLAIM", timedelta(0))
    pipeline.alert(settings)
    pipeline.alert(settings)
    desk = [m for m in smtp_sink.messages() if m["To"] == "desk@newsmon.example"]
    assert len(desk) == 1 and desk[0]["Message-ID"] == claimed.message_id
    assert len(smtp_sink.messages()) == 2


def test_an_index_from_before_events_migrates_and_mails_no_story_again(settings, smtp_sink, matcher):
    client = connect(settings)
    alias = settings.index_alias
    old_mapping = article_mapping()
    for field in ("event_id", "duplicate_of"):
        old_mapping["properties"].pop(field)
    old_mapping["_meta"] = {"mapping_version": 2}
    client.indices.create(index=f"{alias}-v1", mappings=old_mapping, aliases={alias: {"is_write_index": True}})
    articles = [_article(matcher, url, source, lang, text, day) for lang, (url, source, day, text) in REPORTS.items()]
    ArticleStore(client, alias).index_articles(articles)
    # The per-story ledger of before events: every story mailed for both rules, every article checked.
    ledger = open_stores(settings).ledger
    ledger.ensure_index()
    for rule in ("moscow_format", "taliban_recognition"):
        for article in articles:
            client.index(index=ledger.index, id=ledger.key(rule, article.story_id), refresh=True, document={
                "rule_id": rule, "story_id": article.story_id, "doc_ids": [article.id], "status": "sent",
                "claimed_at": DAY.isoformat(), "recipients": ["desk@newsmon.example"], "attempts": 0})
    env = {**os.environ, "NEWSMON_ALERT_RULES_FILE": str(settings.alert_rules_file)}
    result = subprocess.run([sys.executable, "-m", "newsmon.cli", "index", "migrate"], capture_output=True, text=True,
                            env=env, cwd=PROJECT_ROOT, timeout=300, check=True)
    assert f"{alias}-v1 -> {alias}-v2" in result.stdout and '"placed": 3' in result.stdout, result.stdout
    docs = client.search(index=alias, size=10)["hits"]["hits"]
    assert len({d["_source"]["event_id"] for d in docs}) == 1
    assert pipeline.alert(settings)["sent"] == 0 and smtp_sink.messages() == []

    # A new report of the event after the migration is a first mail about it, holding only the new article.
    _index(settings, [_article(matcher, "https://www.ankasam.org/mf7-tr/", "ankasam", "tr",
                               "Afganistan konulu Moskova Formatı istişarelerinin yedinci turu Moskova'da sürüyor.", 2)])
    sent = pipeline.alert(settings)
    assert sent["sent"] == 2, sent
    for message in smtp_sink.messages():
        assert "1 article(s) in tr" in message.get_body(("plain",)).get_content()
