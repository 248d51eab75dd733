"""Event assignment on its own (an in-memory source): copies, language versions, one event in four languages,
different events that share actors, and decisions that are never rewritten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsmon.events.assign import Event, EventAssigner, Member
from newsmon.events.signals import estimated_jaccard, event_features, lsh_bands, minhash, numbers

DAY = datetime(2025, 10, 6, 9, tzinfo=UTC)


class MemorySource:
    """The EventSource protocol over dicts: what earlier runs recorded."""

    def __init__(self, members=(), events=()):
        self.recorded = {m.article_id: m for m in members}
        self.stored = {e.id: e for e in events}

    def members(self, ids):
        return {i: self.recorded[i] for i in ids if i in self.recorded}

    def duplicate_candidates(self, bands, lang):
        return [m for m in self.recorded.values() if m.lang == lang and set(bands) & set(m.bands)]

    def story_events(self, story_ids):
        return {m.story_id: m.event_id for m in self.recorded.values() if m.story_id in story_ids}

    def candidate_events(self, start, end, themes):
        return [e for e in self.stored.values() if e.last_seen >= start and e.first_seen <= end]

    def event(self, event_id):
        return self.stored.get(event_id)

    def document_frequencies(self):
        return 100, {"a:taliban": 80, "a:russia": 60}

    def save(self, assigner):
        self.recorded.update(assigner.new_members)
        self.stored.update(assigner.events)


def article(matcher, doc_id, lang, text, day=0, source="site", story=None, title=None):
    mentions = [m.to_dict() for m in matcher.match(text, lang)]
    return {"_id": doc_id, "lang": lang, "text": text, "title": title or text[:50], "source": source,
            "story_id": story or doc_id, "published": (DAY + timedelta(days=day)).isoformat(), "mentions": mentions,
            "themes": sorted({m["id"] for m in mentions if m["kind"] == "theme"}),
            "actors": sorted({m["id"] for m in mentions if m["kind"] == "actor"})}


MOSCOW_FORMAT = {
    "en": "The seventh round of the Moscow Format consultations on Afghanistan opened in Moscow on Monday. Sergey "
          "Lavrov told the Taliban delegation led by Amir Khan Muttaqi that an inclusive government was still "
          "needed, and envoys of China, Iran, Pakistan and India signed a joint statement of 11 points.",
    "ru": "В Москве в понедельник открылся седьмой раунд консультаций Московского формата по Афганистану. Сергей "
          "Лавров заявил делегации талибов во главе с Амиром Ханом Муттаки, что инклюзивное правительство по-прежнему "
          "необходимо; представители Китая, Ирана, Пакистана и Индии подписали совместное заявление из 11 пунктов.",
    "fa": "هفتمین دور نشست فرمت مسکو درباره افغانستان روز دوشنبه در مسکو آغاز شد. سرگئی لاوروف به هیئت طالبان به "
          "رهبری امیرخان متقی گفت که حکومت فراگیر همچنان لازم است و نمایندگان چین، ایران، پاکستان و هند بیانیه‌ای "
          "مشترک در ۱۱ بند امضا کردند.",
    "tr": "Afganistan konulu Moskova Formatı istişarelerinin yedinci turu pazartesi günü Moskova'da başladı. Sergey "
          "Lavrov, Emir Han Muttaki başkanlığındaki Taliban heyetine kapsayıcı bir hükümetin hâlâ gerekli olduğunu "
          "söyledi; Çin, İran, Pakistan ve Hindistan temsilcileri 11 maddelik ortak bildiriyi imzaladı.",
}
BORDER_CLASH = ("Taliban forces and Pakistani troops clashed on the border near Torkham overnight; the Pakistani army "
                "said six soldiers were killed and the crossing was closed to trucks.")
FUEL_DEAL = ("Russian companies signed a deal with the Taliban's commerce ministry to supply 1 million tonnes of diesel "
             "and 500,000 tonnes of wheat to Afghanistan next year, officials in Kabul said.")


def test_minhash_finds_a_copy_and_not_another_report():
    original = " ".join([FUEL_DEAL, "Deliveries will start in spring by rail through Uzbekistan.",
                         "The ministry said prices were agreed in rubles and would be reviewed each quarter."])
    copy = original.replace("officials in Kabul said", "a spokesman said") + " The deal was welcomed in Moscow."
    other = ("The Taliban's commerce ministry announced a fuel agreement with Russian suppliers, under which Moscow "
             "will ship diesel and wheat by rail next year.")
    a, b, c = minhash(original), minhash(copy), minhash(other)
    assert estimated_jaccard(a, b) >= 0.6 > 0.2 > estimated_jaccard(a, c)
    assert set(lsh_bands(a)) & set(lsh_bands(b))
    assert minhash("") is None


def test_numbers_are_read_the_same_in_every_script():
    assert numbers("۱۲۰۰۰ تن و ۵۰۰ هزار") == numbers("12000 tonnes and 500 thousand") == {"12000", "500"}
    assert numbers("1,250 and 1 250 and 7,5 in 2025 and 3.5bn and 45.6%") == {"1250", "45.6"}


def test_features_weigh_early_mentions_and_ignore_the_language(matcher):
    en = event_features(article(matcher, "a", "en", MOSCOW_FORMAT["en"]))
    fa = event_features(article(matcher, "b", "fa", MOSCOW_FORMAT["fa"]))
    assert {"t:moscow_format", "a:taliban", "a:sergey_lavrov", "n:11"} <= set(en) & set(fa)


def test_one_event_in_four_languages_from_three_sources_on_two_days(matcher):
    assigner = EventAssigner(MemorySource())
    docs = [article(matcher, f"mf-{lang}", lang, text, day=i // 2, source=f"site{i % 3}")
            for i, (lang, text) in enumerate(MOSCOW_FORMAT.items())]
    decisions = assigner.assign(docs)
    assert len({d.event_id for d in decisions}) == 1
    assert [d.reason for d in decisions].count("new") == 1
    event = next(iter(assigner.events.values()))
    assert event.languages == {"en", "ru", "fa", "tr"} and event.article_count == 4


def test_same_week_different_events_that_share_actors_stay_apart(matcher):
    assigner = EventAssigner(MemorySource())
    decisions = assigner.assign([article(matcher, "clash", "en", BORDER_CLASH, day=0),
                                 article(matcher, "deal", "en", FUEL_DEAL, day=1),
                                 article(matcher, "mf", "en", MOSCOW_FORMAT["en"], day=2)])
    assert len({d.event_id for d in decisions}) == 3


def test_the_same_talks_a_year_apart_are_two_events(matcher):
    assigner = EventAssigner(MemorySource())
    decisions = assigner.assign([article(matcher, "mf-2024", "en", MOSCOW_FORMAT["en"], day=-365),
                                 article(matcher, "mf-2025", "ru", MOSCOW_FORMAT["ru"], day=0)])
    assert decisions[0].event_id != decisions[1].event_id


def test_copies_and_language_versions_follow_their_original(matcher):
    original = article(matcher, "orig", "en", FUEL_DEAL + " Deliveries will start in spring by rail.", day=0)
    copy = article(matcher, "copy", "en", FUEL_DEAL.replace("officials in Kabul said", "a spokesman said")
                   + " Deliveries will start in spring by rail.", day=1, source="other")
    version = article(matcher, "ru-version", "ru", "Российские компании подписали с талибами соглашение о поставках "
                      "топлива.", day=1, story="orig")
    decisions = {d.article_id: d for d in EventAssigner(MemorySource()).assign([original, copy, version])}
    assert decisions["copy"].duplicate_of == "orig" and decisions["copy"].reason == "duplicate"
    assert decisions["ru-version"].reason == "story"
    assert len({d.event_id for d in decisions.values()}) == 1


def test_a_recorded_decision_is_kept_when_the_article_comes_back(matcher):
    source = MemorySource()
    first = EventAssigner(source)
    doc = article(matcher, "mf-en", "en", MOSCOW_FORMAT["en"])
    event_id = first.assign([doc])[0].event_id
    source.save(first)
    again = EventAssigner(source).assign([doc])  # re-indexed: no event_id on the document any more
    assert again[0].event_id == event_id and again[0].reason == "decided-before"


def test_an_article_joins_an_event_of_an_earlier_run(matcher):
    source = MemorySource()
    first = EventAssigner(source)
    event_id = first.assign([article(matcher, "mf-en", "en", MOSCOW_FORMAT["en"])])[0].event_id
    source.save(first)
    later = EventAssigner(source).assign([article(matcher, "mf-tr", "tr", MOSCOW_FORMAT["tr"], day=2)])
    assert later[0].event_id == event_id and later[0].reason == "joined"


def test_an_article_with_no_theme_founds_its_own_event(matcher):
    source = MemorySource(events=[Event("ev-x", DAY, DAY, {"a:pakistan": 1.0, "t:regional_security": 1.0},
                                        {"regional_security"}, {"pakistan"})],
                          members=[Member("x", "ev-x", "en", "x", DAY)])
    cricket = article(matcher, "cricket", "en", "Afghanistan beat Pakistan by six wickets in Sharjah.")
    decision = EventAssigner(source).assign([cricket])[0]
    assert decision.reason == "new" and decision.event_id != "ev-x"
