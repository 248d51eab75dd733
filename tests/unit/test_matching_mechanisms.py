"""The matcher's mechanisms, one class of failure each (issue 14): words inside words, names in another script,
orthographic variation, word sense, paraphrase, texts in other languages. Each text is short and made up here;
the labelled sets (dev, held-out, blind) measure the whole."""

from __future__ import annotations

import pytest

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.matching.matcher import script_runs
from newsmon.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def matcher() -> WatchlistMatcher:
    return WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))


def found(matcher, text, lang, kind=None):
    return {m.id for m in matcher.match(text, lang) if kind is None or m.kind == kind}


# -- words inside words -----------------------------------------------------------------------------------
def test_an_abbreviation_is_a_whole_capitalised_word_never_a_stem(matcher):
    assert "ukraine_war" in found(matcher, "Талибы не комментировали ход СВО, сообщили в Кабуле.", "ru")
    text = "Талибы в Кабуле провели свои выборы и объявили о своём решении без участия соседей."
    assert "ukraine_war" not in found(matcher, text, "ru")
    assert "united_states" in found(matcher, "ABD'nin Kabil büyükelçisi açıklama yaptı.", "tr")


def test_short_names_do_not_hide_in_longer_words(matcher):
    assert found(matcher, "Şirket rustik ambalajlı ürünlerini ve çini koleksiyonunu tanıttı.", "tr", "actor") == set()
    assert found(matcher, "Тренеры вернулись без лавров.", "ru", "actor") == set()
    assert found(matcher, "Лавров встретился с талибами.", "ru", "actor") == {"sergey_lavrov", "taliban"}


# -- names in another script ------------------------------------------------------------------------------
def test_names_quoted_in_another_script_are_found_at_their_offsets(matcher):
    text = "A spokesman posted in Dari: «روسیه امارت اسلامی را به رسمیت شناخت». Kabul welcomed it."
    mentions = matcher.match(text, "en")
    assert {m.id for m in mentions} >= {"russia", "taliban", "recognition"}
    russia = next(m for m in mentions if m.id == "russia")
    assert text[russia.start:russia.end] == russia.surface == "روسیه"


def test_script_runs_split_the_text_where_the_script_changes():
    text = "Лавров said: «Taliban»\nطالبان"
    assert [script for script, _, _ in script_runs(text)] == ["cyrillic", "latin", "arabic"]


# -- orthographic variation -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Ka\u200bbulov", "Ka\u00adbulov", "\u041aabulov", "Kabul\u043ev"])
def test_invisible_characters_and_look_alike_letters_inside_a_name(matcher, name):
    text = f"{name} met the Taliban delegation in Moscow."
    mentions = matcher.match(text, "en")
    kabulov = [m for m in mentions if m.id == "zamir_kabulov"]
    assert kabulov and kabulov[0].surface == name


def test_persian_fused_preposition_zwnj_and_dari_spellings(matcher):
    assert "recognition" in found(matcher, "روسیه حکومت طالبان را بهرسمیت شناخت.", "fa")
    assert "regional_security" in found(matcher, "طالبان گفتند با تروریزم در افغانستان مبارزه می‌کنند.", "fa")
    assert "economic_agreements" in found(matcher, "افغانستان و ازبکستان قرارداد راه‌آهن ترانس‌افغان را امضا کردند.", "fa")
    # Moscow in the spelling some Dari outlets share with Urdu, and not the mascot that begins like it
    assert "russia" in found(matcher, "ماسکو از طالبان خواست به وعده‌های خود عمل کنند.", "fa", "actor")
    assert "russia" not in found(matcher, "ماسکوت تیم ملی فوتبال رونمایی شد.", "fa", "actor")


def test_turkish_stems_change_their_last_consonant_before_a_suffix(matcher):
    assert "diplomatic_missions" in found(matcher, "Saldırı, Kabil'deki Rus Büyükelçiliği önünde gerçekleşti.", "tr")


# -- word sense -------------------------------------------------------------------------------------------
def test_recognised_as_terrorist_is_designation_not_recognition(matcher):
    themes = found(matcher, "Kazakhstan once recognized the Taliban as a terrorist organization.", "en", "theme")
    assert "recognition" not in themes and "terrorist_designation" in themes


def test_turkish_tanimak_granting_an_exemption_is_not_recognition(matcher):
    text = "BM Güvenlik Konseyi, Taliban yetkilisine seyahat muafiyeti tanıdı."
    assert "recognition" not in found(matcher, text, "tr") and "terrorist_designation" in found(matcher, text, "tr")


def test_the_mandatory_disclaimer_is_no_designation(matcher):
    text = "Движение «Талибан» (признано террористическим и запрещено в РФ) назначило губернатора в Кабуле."
    assert found(matcher, text, "ru", "theme") == set()


def test_a_city_building_or_court_is_a_place_not_the_state(matcher):
    assert found(matcher, "A Moscow court sentenced a former official; the Taliban did not comment.", "en", "actor") == {"taliban"}
    assert found(matcher, "نمایش باله در کاخ کرملین اجرا شد.", "fa", "actor") == set()
    # ... but "the Kremlin palace announced" is how Persian names the government
    assert found(matcher, "کاخ کرملین اعلام کرد که پوتین به تاشکند می‌رود.", "fa", "actor") >= {"russia"}


def test_a_language_is_not_a_state(matcher):
    assert found(matcher, "The Taliban banned Russian-language textbooks in Kabul schools.", "en", "actor") == {"taliban"}
    text = "کاتالوگ نمایشگاه هنرمندان افغان به دو زبان دری و روسی چاپ شد."
    assert "russia" not in found(matcher, text, "fa")
    assert "russia" in found(matcher, "هیئت روسی به کابل رسید.", "fa")


def test_a_person_receiving_a_diplomat_is_a_meeting_not_an_accreditation(matcher):
    met = "Кабулов принял временного поверенного в делах Афганистана Гарвала и обсудил с ним торговлю."
    assert not found(matcher, met, "ru", "theme") & {"recognition", "diplomatic_missions"}
    accepted = "Russia accepted Gul Hassan as the Taliban's ambassador and Putin received his credentials."
    assert {"recognition", "diplomatic_missions"} <= found(matcher, accepted, "en", "theme")


@pytest.mark.parametrize(("text", "lang", "theme"), [
    ("Pakistani and Afghan Taliban forces traded heavy fire near Torkham overnight.", "en", "economic_agreements"),
    ("Gunmen from Afghanistan attacked a gold-mining camp in Tajikistan; the Taliban promised an inquiry.", "en",
     "economic_agreements"),
    ("El Kaide'nin Afganistan'daki varlığına da dikkat çekildi.", "tr", "us_withdrawal"),
    ("Fuel prices in Kabul rose again this week as the Taliban tightened checks at the border.", "en",
     "economic_agreements"),
    ("A UN sanctions monitoring team report says al-Qaeda keeps training camps in Afghanistan.", "en",
     "terrorist_designation"),
    ("Kırgız Güvenlik Konseyi kararıyla Taliban'la temaslar artırılacak.", "tr", None),
])
def test_words_in_another_sense_give_no_theme(matcher, text, lang, theme):
    if theme is None:  # the country's own security council is no UN body
        assert "un_security_council" not in found(matcher, text, lang, "actor")
    else:
        assert theme not in found(matcher, text, lang, "theme")


def test_a_persian_surname_that_is_also_an_adjective(matcher):
    assert "amir_khan_muttaqi" not in found(matcher, "مردم او را مردی متقی می‌دانند.", "fa")
    assert "amir_khan_muttaqi" in found(matcher, "وزیر خارجه متقی به مسکو رفت.", "fa")


# -- paraphrase -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "lang", "theme"), [
    ("The fifth round of consultations on Afghanistan opened in Kazan with China, Iran and Pakistan.", "en",
     "moscow_format"),
    ("The pull-out of the US-led coalition from Afghanistan in 2021 left Bagram empty.", "en", "us_withdrawal"),
    ("Iran handed the Afghan embassy in Tehran over to diplomats appointed by the Taliban.", "en", "recognition"),
    ("Kyrgyzstan struck the Taliban off its register of banned organisations.", "en", "terrorist_designation"),
    ("Muttaqi said Afghan territory would never be used against Russia's neighbours.", "en", "regional_security"),
    ("Лавров призвал талибов поделиться властью с другими политическими силами Афганистана.", "ru",
     "inclusive_government"),
    ("Rusya, 1990'larda Taliban'a karşı savaşan Kuzey İttifakı'na silah desteği vermişti.", "tr", "regional_security"),
    ("دو طرف درباره افزایش کارمندان سفارت روسیه در کابل گفتگو کردند.", "fa", "diplomatic_missions"),
    ("Россия поставит Афганистану миллион тонн бензина по новому контракту.", "ru", "economic_agreements"),
])
def test_themes_stated_without_their_listed_phrase(matcher, text, lang, theme):
    assert theme in found(matcher, text, lang, "theme")


# -- other languages --------------------------------------------------------------------------------------
def test_a_name_in_latin_letters_makes_a_persian_text_relevant(matcher):
    text = "Zamir Kabulov گفت نشست بعدی Moscow Format در ماه اکتبر برگزار می‌شود."
    assert found(matcher, text, "fa") == {"zamir_kabulov", "moscow_format"}


def test_a_text_in_another_language_gets_names_and_no_theme(matcher):
    urdu = "روس نے طالبان حکومت کو تسلیم کر لیا اور کابل میں سفارت خانہ کھولنے کا اعلان کیا۔"
    mentions = matcher.match(urdu, "other")
    assert {m.id for m in mentions} == {"russia", "taliban"} and all(m.kind == "actor" for m in mentions)


# -- dev6's classes: context, datelines, verb morphology, other senses ------------------------------------
def test_an_afghan_province_places_a_theme_in_afghanistan(matcher):
    assert "drug_trafficking" in found(matcher, "Farmers in Helmand planted poppy again this spring.", "en")
    assert "drug_trafficking" in found(matcher, "İran sınır muhafızları Nimruz'dan gelen kervanda afyon buldu.", "tr")
    assert "drug_trafficking" not in found(matcher, "Farmers in Iran planted poppy for its seeds.", "en")


def test_a_dateline_needs_its_date_or_agency_after_a_comma(matcher):
    assert "russia" not in found(matcher, "MOSKOVA, 3 Kasım (AA) - Taliban heyeti geldi.", "tr", "actor")
    assert "russia" not in found(matcher, "MOSCOW (Reuters) - A Taliban delegation arrived.", "en", "actor")
    text = "Moskova, Kabil'deki yönetimle ilişkilerini resmî düzeye taşıyan ilk başkent oldu."
    assert "russia" in found(matcher, text, "tr", "actor")


def test_verb_prefixes_and_suffixes_reach_their_entry(matcher):
    # Persian negation ن (نشناخته) and present می; Turkish future participle and converb
    assert "recognition" in found(matcher, "هیچ کشوری حکومت طالبان را به طور رسمی نشناخته است.", "fa")
    text = "Horog'daki Afgan başkonsolosluğunun Taliban'ın atadığı bir konsolosa devredileceği iddia edildi."
    assert "recognition" in found(matcher, text, "tr")
    assert "us_withdrawal" in found(matcher, "ABD güçleri Bagram üssünü bir gece boşaltıp gitti.", "tr")


def test_a_persian_verb_prefix_leaves_a_verb_not_a_short_name(matcher):
    # نهند "they place" and نمی‌نهند "they do not place" are verbs: not ن + هند (India)
    text = "رهبران قبیله بار این تصمیم را بر دوش دیگران نمی‌نهند و گام نخست را خود می‌نهند."
    assert found(matcher, text, "fa", "actor") == set()
    assert "india" in found(matcher, "هند و افغانستان درباره بندر چابهار گفتگو کردند.", "fa", "actor")


def test_relief_goods_and_a_travellers_transit_are_no_deal(matcher):
    text = "After the quake in Badakhshan, Russia flew in tents, blankets and 40 tonnes of flour."
    assert "economic_agreements" not in found(matcher, text, "en")
    text = "Afghanistan's squad spent nine hours in transit in Dubai before the match."
    assert "economic_agreements" not in found(matcher, text, "en")
    assert "economic_agreements" in found(matcher, "Uzbekistan and the Taliban agreed on fuel transit to Kabul.", "en")


# -- dev7 round: classes from its first scoring ------------------------------------------------------------
def test_a_capital_inside_its_own_city_institutions_is_a_place(matcher):
    assert "russia" not in found(matcher, "Хамовнический суд Москвы арестовал уроженца Афганистана.", "ru", "actor")
    assert "russia" not in found(matcher, "В мэрии Москвы рассказали о новых маршрутах метро.", "ru", "actor")
    assert "russia" not in found(matcher, "Afgan yönetmenin filmi Moskova Uluslararası Film Festivali'nde gösterildi.",
                                 "tr", "actor")
    assert "russia" not in found(matcher, "آتش‌سوزی در جنوب مسکو دو کشته بر جا گذاشت.", "fa", "actor")
    # ... and the government where it acts
    assert "russia" in found(matcher, "Москва потребовала от талибов гарантий безопасности.", "ru", "actor")
    assert "russia" in found(matcher, "غرب مسکو را به حمایت از طالبان متهم کرد.", "fa", "actor")


def test_a_sentence_initial_capital_is_no_name_when_the_text_writes_the_word_in_lower_case(matcher):
    text = "Лососевая путина на Камчатке в разгаре. Путину открыли раньше обычного из-за тёплой воды."
    assert "vladimir_putin" not in found(matcher, text, "ru", "actor")
    assert "vladimir_putin" in found(matcher, "Путину доложили о визите талибов.", "ru", "actor")


def test_ethnic_groups_are_their_plural_nouns_not_the_states_adjective(matcher):
    assert "inclusive_government" in found(matcher, "The Taliban cabinet still has no room for Uzbeks.", "en")
    assert "inclusive_government" not in found(
        matcher, "The Taliban government signed the rail deal with Uzbek ministers in Kabul.", "en")
    assert "inclusive_government" not in found(
        matcher, "Taliban yönetimi Kabil'de Özbek bakanlarla demiryolu anlaşması imzaladı.", "tr")
    assert "inclusive_government" in found(matcher, "Taliban yönetiminde Özbekler ve Tacikler yer almıyor.", "tr")
    assert "inclusive_government" in found(matcher, "حکومت طالبان در کابل جایی برای ازبکها ندارد.", "fa")


def test_the_moscow_format_described_by_who_convenes_it(matcher):
    assert "moscow_format" in found(
        matcher, "The Taliban will attend the regional talks Russia convenes on Afghanistan every autumn.", "en")
    assert "moscow_format" in found(
        matcher, "طالبان در رایزنی‌های سالانه‌ای که روسیه با کشورهای منطقه درباره افغانستان برگزار می‌کند شرکت نمی‌کند.",
        "fa")
    # a forum or a summit Russia hosts, or talks with no regional envoys, is another event
    text = "Rusya'nın ev sahipliğinde düzenlenen KazanForum'a bölge ülkelerinden heyetler ve Taliban katıldı."
    assert "moscow_format" not in found(matcher, text, "tr")
    text = "Russia hosted talks between the Taliban and a Pakistani delegation on Afghanistan's border trade."
    assert "moscow_format" not in found(matcher, text, "en")


def test_frozen_money_by_the_central_banks_own_name_and_its_paraphrases(matcher):
    text = "Billions of dollars belonging to Da Afghanistan Bank remain tied up in US courts, the Taliban said."
    assert "frozen_reserves" in found(matcher, text, "en")
    text = "بیش از سه میلیارد دالر از پول‌های د افغانستان بانک در امریکا گیر ماند و طالبان خواهان آن است."
    assert "frozen_reserves" in found(matcher, text, "fa")
    text = "Вашингтон не намерен размораживать резервы афганского ЦБ, заявили в Госдепе."
    assert "frozen_reserves" in found(matcher, text, "ru")
    # a sanctioned man's own assets frozen are the sanctions list, not the central bank's money
    text = "Baradar is still on the 1988 list, which freezes the assets of Taliban leaders."
    assert "frozen_reserves" not in found(matcher, text, "en")


def test_russian_imperfective_verbs_reach_their_themes(matcher):
    text = "Москва не собирается исключать талибов из списка террористов, сообщил МИД."
    assert "terrorist_designation" in found(matcher, text, "ru")
    text = "Посольство не закрывалось, когда уходившие из Афганистана американские войска оставили Кабул в 2021 году."
    assert "us_withdrawal" in found(matcher, text, "ru")


def test_recognition_of_a_border_or_an_acclaimed_master_is_no_recognition(matcher):
    text = "The Taliban do not recognise the Durand Line as the border, their defence ministry said in Kabul."
    assert "recognition" not in found(matcher, text, "en")
    text = "Посол Афганистана представил переводы Руми, выполненные признанным знатоком персидской поэзии."
    assert "recognition" not in found(matcher, text, "ru")
    assert "recognition" in found(matcher, "Россия признала правительство талибов в Кабуле.", "ru")


def test_a_flag_raised_over_an_embassy_is_who_holds_the_mission(matcher):
    text = "The Islamic Emirate's flag was raised over the Afghan embassy in Moscow on Friday."
    assert {"recognition", "diplomatic_missions"} <= found(matcher, text, "en")
    text = "Protesters burned a flag outside the Pakistani embassy in Kabul."
    assert "recognition" not in found(matcher, text, "en")


def test_spelling_and_plural_families(matcher):
    # Dari هیروئین for Iranian هروئین; the plural -یان after a vowel (جنگجویان); Turkish Lavrof; ISIS-K in Turkish
    assert "drug_trafficking" in found(matcher, "مرزبانان ۸۷ کیلوگرام هیروئین را از خاک افغانستان ضبط کردند.", "fa")
    text = "سلاح‌های به جا مانده در افغانستان اکنون در دست جنگجویان است."
    assert "regional_security" in found(matcher, text, "fa")
    assert "sergey_lavrov" in found(matcher, "Lavrof ile Muttaki telefonda görüştü.", "tr", "actor")
    assert "iskp" in found(matcher, "Kabil'deki saldırıyı ISIS-K üstlendi.", "tr", "actor")


@pytest.mark.parametrize("notice", [
    "(запрещенная в России террористическая организация)",
    "(террористическая организация, деятельность которой запрещена в России)",
    "(организация признана террористической и запрещена на территории России)",
    "(находится под санкциями ООН за террористическую деятельность)",
])
def test_a_notice_after_a_name_gives_no_theme_whatever_its_word_order(matcher, notice):
    text = f"Делегация движения «Талибан» {notice} прибыла в Кабул на встречу с узбекскими коллегами."
    assert found(matcher, text, "ru", "theme") == set()


def test_notices_in_an_apposition_and_a_footnote_line(matcher):
    text = "The Taliban, a terrorist organisation banned in Russia, sent a delegation to Kabul."
    assert found(matcher, text, "en", "theme") == set()
    text = "Талибы* приняли делегацию из Ташкента в Кабуле.\n* «Талибан» — организация находится под санкциями ООН."
    assert found(matcher, text, "ru", "theme") == set()
    # ... while a listing said outside a notice still counts
    text = "The Taliban, banned in Russia since 2003, were removed from the list of terrorist organisations in April."
    assert "terrorist_designation" in found(matcher, text, "en")


# -- from reading real coverage (texts written here) -------------------------------------------------------
def test_terrorist_next_to_a_listing_is_the_listing(matcher):
    text = "Талибан стал первой организацией, которую исключили из списка террористических в России."
    assert found(matcher, text, "ru", "theme") == {"terrorist_designation"}
    text = "Kazakhstan removed the Taliban from its list of terrorist organisations in December."
    assert found(matcher, text, "en", "theme") == {"terrorist_designation"}


def test_an_epithet_for_the_taliban_says_nothing_about_security(matcher):
    text = "Russia signed a fuel deal with the Taliban, the militant group that took Kabul in 2021."
    assert "regional_security" not in found(matcher, text, "en")
    assert "regional_security" in found(matcher, "The militant group attacked a checkpoint near Kabul.", "en")


def test_a_context_alias_in_lower_case_is_the_common_phrase(matcher):
    text = "Американцы двадцать лет держали войска в исламском государстве, а теперь в Кабуле правят талибы."
    assert "iskp" not in found(matcher, text, "ru", "actor")
    assert "iskp" in found(matcher, "Боевики Исламского государства напали на талибов в Кабуле.", "ru", "actor")


def test_turkish_conditional_and_an_official_who_is_no_authority(matcher):
    text = "Moskova, Taliban hükümetini resmi olarak tanımasa da, yetkililerle yakıt anlaşması görüşüyor."
    assert {"recognition", "economic_agreements"} <= found(matcher, text, "tr")


def test_a_confrontation_with_the_west_is_no_clash_of_arms(matcher):
    text = "Batı ile yaşanan çatışma içinde Rusya, Afganistan'ı kritik bir ortak olarak görüyor."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "انتظار می‌رود اعلامیه با استقرار پایگاه‌های نظامی کشورهای غربی در منطقه افغانستان مخالفت کند."
    assert "regional_security" in found(matcher, text, "fa")


def test_english_drugs_count_when_fought_and_drug_trade_is_no_deal(matcher):
    text = "The talks will focus on the fight against terrorism and drugs coming from Afghanistan."
    assert "drug_trafficking" in found(matcher, text, "en")
    assert "drug_trafficking" not in found(matcher, "Kabul hospitals are short of drugs and bandages.", "en")
    text = "رهبر طالبان هرگونه تجارت، واردات و صادرات مواد مخدر را در افغانستان ممنوع کرد."
    assert "economic_agreements" not in found(matcher, text, "fa")


def test_a_russian_surnames_womans_form_is_another_person_in_turkish(matcher):
    text = "Özbekistan'ın tanınmış tenisçilerinden Nigina Kabulova, Taşkent'teki turnuvada çeyrek finale yükseldi."
    assert "zamir_kabulov" not in found(matcher, text, "tr", "actor")
    assert "zamir_kabulov" in found(matcher, "Lavrov, Kabulov'a teşekkür etti.", "tr", "actor")


def test_capitals_joined_by_dashes_before_a_place_word_are_a_route(matcher):
    text = "Passengers on Kam Air's new Kabul–Tashkent–Moscow route will not collect their luggage in transit."
    assert found(matcher, text, "en", "actor") == set()
    assert "russia" in found(matcher, "The Taliban said ties between Moscow–Kabul and Tashkent were warm.", "en", "actor")


def test_an_abbreviation_with_a_suffix_is_still_only_the_capitalised_word(matcher):
    # ABD'nin in a watchlist phrase makes ABD an abbreviation, so Abdul is never ABD + a suffix
    text = "Taliban geçici hükümetinin Dışişleri Bakanlığı sözcüsü Abdul Kahhar Belhi açıklama yaptı."
    assert "united_states" not in found(matcher, text, "tr", "actor")
    assert "united_states" in found(matcher, "ABD'nin Kabil büyükelçiliği kapalı kaldı.", "tr", "actor")


def test_turkish_pull_is_not_withdraw(matcher):
    text = "Birader, yabancı yatırımları Afganistan'a çekmek için koşulları sağladıklarını söyledi."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    assert "us_withdrawal" in found(matcher, "ABD askerlerinin Afganistan'dan çekilmesi 2021'de tamamlandı.", "tr")


def test_frequent_russian_words_that_read_as_watchlist_words_are_not(matcher):
    text = "После встречи в Кабуле талибы заявили, что новый посёлок построят к лету."
    assert "diplomatic_missions" not in found(matcher, text, "ru")
    text = "Секретарь Совета безопасности Сергей Шойгу прилетел в Кабул на переговоры с талибами."
    assert "un_security_council" not in found(matcher, text, "ru", "actor")


def test_a_list_of_terrorist_organisations_with_words_between(matcher):
    text = "ما فهرست ملی سازمان‌های تروریستی را به‌روز می‌کنیم و نام طالبان از این فهرست حذف شد."
    assert found(matcher, text, "fa", "theme") == {"terrorist_designation"}


def test_dari_spellings_of_central_asian_states(matcher):
    text = "وزیر ترانسپورت ازبیکستان و همتای تاجکستانی او در کابل با طالبان دیدار کردند؛ تاجکستان نیز شرکت داشت."
    assert {"uzbekistan", "tajikistan"} <= found(matcher, text, "fa", "actor")


def test_a_notice_in_quotes(matcher):
    text = "Правящий там «Талибан» остается «запрещенной в РФ террористической организацией», но Москва зовет его на форумы."
    assert "regional_security" not in found(matcher, text, "ru")


def test_inflected_words_that_would_cut_back_to_another_watchlist_word(matcher):
    # Turkish sayısı (its number) is no say- (deem), altında (under) no altın (gold); Persian نظامی (military) no نظام
    text = "Afganistan'da terör saldırılarının sayısı geçen yıl arttı, Kabil'de alarm durumu sürüyor."
    assert "terrorist_designation" not in found(matcher, text, "tr")
    doc = matcher._matcher("tr").nlp("Taliban yönetimi altında altın madeni")
    assert [token.norm_ for token in doc][2:4] == ["altinda", "altin"]
    text = "پهپادهای شناسایی نظامی امریکا بر فراز کابل پرواز کردند و طالبان اعتراض کرد."
    assert "recognition" not in found(matcher, text, "fa")


def test_third_round_of_real_coverage_classes(matcher):
    # admitting an attack is no recognition; British India is no state
    text = "Талибан официально признал нападение на пакистанские посты вдоль границы, установленной ещё в Британской Индии."
    assert "recognition" not in found(matcher, text, "ru") and "india" not in found(matcher, text, "ru", "actor")
    # the attributive notice without brackets
    text = "Россия выстраивала контакты с запрещенным в РФ террористическим движением «Талибан» последние годы в Кабуле."
    assert "regional_security" not in found(matcher, text, "ru")
    # Ukrainian outlets write россия in lower case
    assert "russia" in found(matcher, "Талибан и россия заключили соглашение о поставках пшеницы.", "ru", "actor")
    # Afghanistan's UN representative named by the Taliban is the UN seat
    text = "Талибан направил кандидатуру Сухейля Шахина на должность постпреда Афганистана при ООН."
    assert "recognition" in found(matcher, text, "ru")
    # Turkish son alone is "last", not the end of a mission
    text = "BM Afganistan Yardım Misyonu (UNAMA), son altı ayda Kabil'de 30 gazetecinin gözaltına alındığını açıkladı."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    # an epithet, a metaphor, a gerund
    assert "regional_security" not in found(matcher, "Taliban militanları 2021'de Kabil'e girdi ve yönetimi aldı.", "tr")
    text = "The Taliban seek to unfreeze the diplomatic deadlock that followed their takeover of Kabul."
    assert "frozen_reserves" not in found(matcher, text, "en")
    text = "Considering the past ties of extremist entities with the Taliban, the report urged vigilance in Kabul."
    assert "terrorist_designation" not in found(matcher, text, "en")
    assert "terrorist_designation" in found(matcher, "Russia considers the Taliban a terrorist organisation.", "en")


def test_fourth_round_of_real_coverage_classes(matcher):
    # a sanctioned man's bank accounts are not the central bank's reserves
    text = "BM yaptırımları kapsamında bazı Taliban yetkililerinin banka hesapları donduruldu ve seyahat yasağı getirildi."
    assert "frozen_reserves" not in found(matcher, text, "tr")
    # girls leaving Afghanistan to study are no withdrawal
    text = "Taliban yönetimi, yurt dışında okumak için Afganistan'dan ayrılmak isteyen kız öğrencilere yasak getirdi."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    # described as a terrorist organisation; threats emanating from Afghanistan
    text = "Rusya, Taleban'ı bir terör örgütü olarak tanımlasa da Kabil ile temaslarını sürdürüyor."
    assert found(matcher, text, "tr", "theme") == {"terrorist_designation"}
    text = "Tajikistan is ready to counter threats emanating from Afghanistan, its border guards said."
    assert "regional_security" in found(matcher, text, "en")
    # sanctions imposed against Russia; a deputy head of Russia's Security Council; facing hunger; inclusive development
    text = "The Western sanctions that were imposed against Russia did not affect its trade with Kabul, the Taliban said."
    assert "ukraine_war" in found(matcher, text, "en")
    text = "Замглавы Совбеза Дмитрий Медведев обсудил с талибами ситуацию в Кабуле."
    assert "un_security_council" not in found(matcher, text, "ru", "actor")
    text = "По данным ООН, 15 миллионов жителей Афганистана столкнулись с голодом, заявили в Кабуле."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Speakers in Kabul said inclusive development is essential for Afghanistan's future."
    assert "inclusive_government" not in found(matcher, text, "en")


def test_fifth_round_of_real_coverage_classes(matcher):
    # Afghanistan's representation at the UN is the seat, not a mission
    text = "The UN Credentials Committee has again postponed a decision on Afghanistan's representation, the Taliban said."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    # a footnote after a sentence on the same line
    text = "Numerous states cut ties with Kabul after the takeover.* designated extremists by the UN"
    assert "terrorist_designation" not in found(matcher, text, "en")
    # a term of office ends; the Pakistani Taliban in Turkish
    text = "Kabil'deki BM Afganistan misyonunun görev süresi ağustos ayında sona eriyor."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "Pakistan'da bir karakola Pakistan Talibanı (TTP) tarafından saldırı düzenlendi."
    assert "taliban" not in found(matcher, text, "tr", "actor")
    # Persian توافقنامه alone is any agreement
    text = "طالبان گفتند امریکا توافقنامه دوحه را نقض کرده است و سفارت آن در کابل بسته ماند."
    assert "economic_agreements" not in found(matcher, text, "fa")


def test_sixth_round_of_real_coverage_classes(matcher):
    # the notice «организация признана террористической на территории РФ»; Dari اوکرایین
    text = "Как и обещали талибы («Талибан» — организация признана террористической на территории РФ), кабинет расширили."
    assert "terrorist_designation" not in found(matcher, text, "ru")
    assert "ukraine_war" in found(matcher, "تهاجم روسیه بر اوکرایین یک ساله شد و طالبان در کابل واکنش نشان دادند.", "fa")


# -- regional security: what is not a statement about security --------------------------------------------------
def test_a_story_about_the_pakistani_taliban_near_the_afghan_border_is_not_about_afghanistan(matcher):
    # WATCHLIST.md: a story about the TTP inside Pakistan alone has no themes, though it names the border
    text = ("Gunmen of the Tehrik-i-Taliban Pakistan stormed a police post in Bannu overnight. The post lies a few "
            "miles from the Afghan border, officials said.")
    assert found(matcher, text, "en", "theme") == set()
    tr = "Pakistan Talibanı militanları Afganistan sınırı yakınındaki bir kontrol noktasına saldırdı."
    assert found(matcher, tr, "tr", "theme") == set()
    ru = "Боевики «Техрик-и-Талибан Пакистан» обстреляли блокпост у границы с Афганистаном."
    assert found(matcher, ru, "ru", "theme") == set()
    # ... but the Afghan side named otherwise, or the Afghan Taliban, makes it a regional matter again
    named = text + " Islamabad says the attackers are sheltered in Kunar."
    assert "regional_security" in found(matcher, named, "en")
    clash = "Pakistani troops and Taliban border guards exchanged fire on the Afghan border after a TTP raid."
    assert "regional_security" in found(matcher, clash, "en")



def test_a_sentence_that_names_the_taliban_before_the_ttp_tells_them_apart(matcher):
    # the bare name first and the look-alike's name after it in one sentence: two groups, the Afghan one named
    text = "Islamabad says the Taliban shelter the Tehrik-i-Taliban Pakistan; the Taliban deny it."
    assert "taliban" in found(matcher, text, "en", "actor")
    fa = "پاکستان طالبان را به حمایت از تحریک طالبان پاکستان متهم می‌کند."
    assert "taliban" in found(matcher, fa, "fa", "actor")
    # ... not the other order, where the bare name is the look-alike's short form
    short = "A spokesman for the Pakistani Taliban said the blasts were meant to defame the Taliban."
    assert "taliban" not in found(matcher, short, "en", "actor")
    # ... nor a look-alike's name in brackets, a gloss of the name before it
    gloss = "The Taliban movement of Pakistan (Tehrik-i-Taliban Pakistan, TTP) claimed the bombing in Islamabad."
    assert "taliban" not in found(matcher, gloss, "en", "actor")

def test_match_reports_9_11_as_history_and_terrorism_financing_are_no_security_statement(matcher):
    assert found(matcher, "Afghanistan's late attack sealed a 2-1 win over Kyrgyzstan in the futsal tournament.",
                 "en", "theme") == set()
    assert found(matcher, "Сборная Афганистана провела опасную атаку в первом тайме матча с Ираном.",
                 "ru", "theme") == set()
    reserves = ("Half of Da Afghanistan Bank's frozen money is held back for the families of the 9/11 attack "
                "victims.")
    assert found(matcher, reserves, "en", "theme") == {"frozen_reserves"}
    banking = "Kabul's central bank says it now meets the rules on the financing of terrorism."
    assert "regional_security" not in found(matcher, banking, "en")
    assert "regional_security" in found(matcher, "A suicide attack hit a mosque in Kunduz.", "en")


def test_the_predicate_as_a_terrorist_organisation_is_a_listing(matcher):
    text = "The court will stop treating the Taliban as a terrorist organisation from next month."
    assert found(matcher, text, "en", "theme") == {"terrorist_designation"}
    assert "terrorist_designation" in found(matcher, "Kazakistan Taliban'ı artık terör örgütü olarak görmüyor.", "tr")


def test_seventh_round_of_real_coverage_classes(matcher):
    # an irregular past tense, and the end of an occupation, are the withdrawal
    assert "us_withdrawal" in found(matcher, "US troops withdrew from Afghanistan in August 2021.", "en")
    assert "us_withdrawal" in found(matcher, "ABD, 20 yıllık Afganistan işgalini bitirdi.", "tr")
    # ... but not American troops leaving Syria
    assert "us_withdrawal" not in found(matcher, "Американские военные покинули Сирию, талибы в Кабуле молчат.", "ru")
    # a line break ends a sentence: a headline's words do not join the first line of the story
    text = "Rusya, Afgan hükümetiyle güvenlik işbirliğini genişletmeyi hedefliyor\nTaliban hükümetinin bakanı geldi."
    assert "inclusive_government" not in found(matcher, text, "tr")
    # the African Union's Peace and Security Council is not the UN's
    assert found(matcher, "Afrika Birliği Barış ve Güvenlik Konseyi kararı kınadı.", "tr", "actor") == set()
    # «из числа террористических организаций»: the listing
    text = "Совбез ООН не обсуждает исключение талибов из числа террористических организаций."
    assert found(matcher, text, "ru", "theme") == {"terrorist_designation"}
    assert "inclusive_government" in found(matcher, "Стороны обсудили межафганское примирение.", "ru")
    assert "frozen_reserves" in found(matcher, "هیئت نظارت صندوق امانت افغانستان در ژنو نشست.", "fa")
    # Turkish "the Tashkent ambassador" is the ambassador in the city
    text = "Afganistan'ın Taşkent Büyükelçisi görevini Taliban'ın atadığı maslahatgüzara devretti."
    assert "uzbekistan" not in found(matcher, text, "tr")
    # the Taliban's own bans are decrees, not the ban on the movement
    assert found(matcher, "Rights groups urged the Taliban to lift the ban on girls' education.", "en", "theme") == set()
    # recognition a few words from "extremist" is still recognition
    text = "Afghanistan has not been recognised by any country since the extremist group took power."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # a UN travel ban and assets freeze on a minister: the listing, not the central bank's reserves
    text = "Muttaqi, under a UN travel ban and an assets freeze since 2001, will visit Delhi."
    assert found(matcher, text, "en", "theme") == {"terrorist_designation"}
    # Persian: the consultations Russia hosts, not Russia's minister at someone else's meeting
    text = "لاوروف وزیر خارجه روسیه در نشست وزیران خارجه کشورهای همسایه افغانستان گفت طالبان باید همکاری کنند."
    assert "moscow_format" not in found(matcher, text, "fa")
    text = "رایزنی‌های سالانه‌ای که روسیه با کشورهای منطقه درباره افغانستان برگزار می‌کند، هفته آینده است."
    assert "moscow_format" in found(matcher, text, "fa")


def test_words_the_morphology_cut_back_to_another_word_found_on_new_real_text(matcher):
    # Turkish tamamen (completely) is no tam (full): cutting ties completely is not full relations
    assert "recognition" not in found(matcher, "Rusya, Taliban ile ilişkilerini tamamen kesti.", "tr")
    assert "recognition" in found(matcher, "Rusya ile Taliban arasında tam diplomatik ilişki kuruldu.", "tr")
    # Persian رؤسای (the heads of: رؤسای جمهور, presidents) is no روس; سفرای is the plural of سفیر, not سفر
    text = "رؤسای جمهور ازبکستان و تاجیکستان درباره افغانستان گفتگو کردند."
    assert "russia" not in found(matcher, text, "fa")
    assert "recognition" in found(matcher, "روسیه سفرای طالبان را پذیرفت.", "fa")
    # a shorter name inside a place is the place: the dateline "NEW DELHI:" and a declaration named after the city
    text = "NEW DELHI: Beijing accepted the Taliban envoy, says the joint New Delhi Declaration."
    assert "india" not in found(matcher, text, "en")


def test_listed_words_the_normaliser_would_merge_with_a_shorter_one_are_kept_apart(matcher):
    # Turkish havan (a mortar) cut back to hava (air) made every airport a security matter
    text = "Binlerce kişi Kabil havaalanından hava yoluyla Afganistan'dan ayrıldı."
    assert "regional_security" not in found(matcher, text, "tr")
    assert "regional_security" in found(matcher, "Taliban mevzileri Afganistan sınırında havan topuyla vuruldu.", "tr")
    # Russian press calls the Taliban боевики: "the militants' spokesman" is their spokesman, not a security event
    text = "Как заявил представитель боевиков, талибы готовы к диалогу с Кабулом."
    assert "regional_security" not in found(matcher, text, "ru")
    assert "regional_security" in found(matcher, "Боевики ИГИЛ напали на блокпост в Афганистане.", "ru")


def test_eighth_round_of_real_coverage_classes(matcher):
    # not recognising a border, in whatever words ("as the official border")
    text = "Afghanistan's Taliban government is not recognizing the Durand Line as the official border."
    assert "recognition" not in found(matcher, text, "en")
    assert "us_withdrawal" in found(matcher, "The United States' hasty retreat from Afghanistan emboldened the Taliban.",
                                    "en")
    assert "regional_security" in found(matcher, "Moscow fears the Taliban could destabilise Central Asia.", "en")
    # a national security council named with the possessive
    text = "Kazakhstan's Security Council decided to remove the Taliban from the list of banned groups."
    assert "un_security_council" not in found(matcher, text, "en")
    # the representation of ethnic groups in power is no diplomatic mission
    text = "Lavrov said the Taliban government, lacking representation of Tajiks and Uzbeks, is not inclusive."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    # who represents Afghanistan at the UN is the seat; another state's UN envoy is not
    text = "Талибы считают, что именно они должны быть представителями Афганистана в ООН."
    assert "recognition" in found(matcher, text, "ru")
    text = "Rusya'nın BM Daimi Temsilcisi Nebenzya, Taliban'ın Afganistan'daki tutumunu eleştirdi."
    assert "recognition" not in found(matcher, text, "tr")
    # a government with the other political forces; an inclusive dialogue
    text = "Талибы заявляют о желании иметь правительство с участием других политических сил Афганистана."
    assert "inclusive_government" in found(matcher, text, "ru")
    # an atrocity in the city is the place, not the state
    text = "The Moscow atrocity was claimed by ISKP, the Afghan branch of the Islamic State."
    assert "russia" not in found(matcher, text, "en")


def test_persian_without_its_zwnj_and_persian_verb_forms(matcher):
    # compounds glued when the ZWNJ is lost (عقبنشینی for عقب‌نشینی), the participle's شده fused (مسدودشده)
    text = "نیروهای تحت رهبری ایالات متحده در سال ۲۰۲۱ از افغانستان عقبنشینی کردند."
    assert "us_withdrawal" in found(matcher, text, "fa")
    text = "لاوروف خواستار بازگرداندن داراییهای مسدودشده بانک مرکزی افغانستان شد."
    assert "frozen_reserves" in found(matcher, text, "fa")
    # a past verb is its stem and an ending; the watchlist lists the infinitive
    assert "us_withdrawal" in found(matcher, "آخرین نیروهای آمریکایی در ۳۱ آگست از افغانستان رفتند.", "fa")
    # ... but going to America is a trip, not the withdrawal
    text = "یک منبع گفت سفیر پیشین افغانستان در تهران به آمریکا رفته است."
    assert "us_withdrawal" not in found(matcher, text, "fa")


def test_meetings_that_are_not_the_moscow_format(matcher):
    text = ("Kabulov said a new meeting of special representatives on Afghanistan under the auspices of the UN "
            "Secretary-General will be held in Doha, and that he would represent Russia there.")
    assert "moscow_format" not in found(matcher, text, "en")
    text = "کابلوف در حاشیه نشست «فورم کازان» گفت طالبان یک دیپلمات را به مسکو معرفی کرده‌اند."
    assert "moscow_format" not in found(matcher, text, "fa")
    # a meeting named after its city is the place
    text = "لاوروف در نشست تهران از کشورهای همسایه افغانستان خواست به نیروهای ناتو پایگاه ندهند."
    assert "iran" not in found(matcher, text, "fa")


def test_turkish_ending_a_presence_and_pulling_troops_out(matcher):
    text = "ABD askerlerinin Afganistan'daki 20 yıllık varlıklarını sonlandırması Taliban'ı güçlendirdi."
    assert "us_withdrawal" in found(matcher, text, "tr")
    text = "ABD'nin Afganistan'dan askerlerini aceleyle çekmesi ülkeyi Taliban'a bıraktı."
    assert "us_withdrawal" in found(matcher, text, "tr")
    # çekin- (refrain) is no çek- (pull)
    text = "Rusya, Afganistan'da güç kullanmaktan çekinmeyen küresel bir güç olarak görülüyor."
    assert "us_withdrawal" not in found(matcher, text, "tr")


def test_regional_stability_as_a_benefit_hoped_for_is_no_security_statement(matcher):
    text = "Kazakhstan says inclusive development in Afghanistan is essential for lasting regional security."
    assert "regional_security" not in found(matcher, text, "en")
    text = "Pakistan says the Afghan rail project is expected to promote regional stability, growth and trade."
    assert "regional_security" not in found(matcher, text, "en")
    # ... only those two words take that sense: a threat to regional security is a security statement
    text = "ISKP attacks launched from Afghanistan threaten regional security, Tashkent warned."
    assert "regional_security" in found(matcher, text, "en")
    text = "Talibler, Afganistan'da bölgesel güvenliğe katkı sağlayacak her toplantıyı desteklediklerini söyledi."
    assert "regional_security" not in found(matcher, text, "tr")


def test_militants_as_the_name_for_the_taliban_in_power(matcher):
    text = "Россия наращивала связи с Кабулом с тех пор, как группа боевиков восстановила контроль над Афганистаном."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Боевики ИГИЛ обстреляли пограничный пост на севере Афганистана."
    assert "regional_security" in found(matcher, text, "ru")


def test_ninth_round_of_real_coverage_classes(matcher):
    # the Pakistani Taliban's name names the group, not the state
    text = "A UN report says the Taliban shelter al-Qaeda and Tehrik-i-Taliban Pakistan fighters in Kunar."
    assert "pakistan" not in found(matcher, text, "en")
    assert "un_security_council" in found(matcher, "The 1267 Sanctions Committee's team reported on Afghanistan.", "en")
    # Dari: قوا (forces), مخدرات (narcotics)
    text = "با خروج قوای بین‌المللی از افغانستان در سال ۲۰۲۱ اقتصاد این کشور فرو ریخت."
    assert "us_withdrawal" in found(matcher, text, "fa")
    text = "رهبر طالبان کشت، تولید و تجارت مخدرات را در افغانستان ممنوع اعلام کرد."
    assert found(matcher, text, "fa", "theme") == {"drug_trafficking"}
    # Russian: a presence that ended in fiasco; the blocking of the assets (a noun)
    text = "НАТО должно признать итоги своего 20-летнего военного присутствия в Афганистане, окончившегося фиаско."
    assert "us_withdrawal" in found(matcher, text, "ru")
    text = "Блокирование Вашингтоном афганских банковских авуаров контрпродуктивно, заявил Лавров."
    assert "frozen_reserves" in found(matcher, text, "ru")
    # Turkish DAİŞ; frozen funds (fon); an embassy official's title says nothing about the mission
    assert "iskp" in found(matcher, "Kabil'deki otel saldırısını DAİŞ üstlendi.", "tr")
    text = "Muttaki, ABD'de dondurulan 10 milyar dolarlık fonlarımız serbest bırakılmalı dedi; Taliban bekliyor."
    assert "frozen_reserves" in found(matcher, text, "tr")
    text = "Türkiye'nin Kabil Büyükelçiliği Din İşleri Müşaviri, Herat'ta yardım dağıtıldığını söyledi."
    assert "diplomatic_missions" not in found(matcher, text, "tr")


def test_tenth_round_of_real_coverage_classes(matcher):
    # "needed" near the noun recognition is no "recognised the need"
    text = "The strike undermined the Taliban's efforts to secure international recognition and desperately needed aid."
    assert "recognition" in found(matcher, text, "en")
    assert "recognition" not in found(matcher, "Russia recognised the need to talk to the Taliban.", "en")
    # imports as what the frozen money would pay for; an import contract is still a deal
    text = "Da Afghanistan Bank says the fund could pay for electricity imports for Kabul."
    assert "economic_agreements" not in found(matcher, text, "en")
    text = "Kabul signed a contract with Uzbekistan on electricity imports for 2025."
    assert "economic_agreements" in found(matcher, text, "en")
    # a sanctioned official's assets freeze and travel restrictions
    text = "Under a UN resolution, 135 Taliban officials face asset freezes and travel restrictions."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # the fall of Kabul is the takeover, not the withdrawal (the labelling rule 6)
    assert "us_withdrawal" not in found(matcher, "طالبان در پی سقوط کابل وعده حکومت فراگیر را دادند.", "fa")
    # another organisation's meeting in Moscow is not the Moscow Format
    text = "در نشست سازمان همکاری شانگهای در مسکو هیچ نماینده‌ای از افغانستان و طالبان حضور نداشت."
    assert "moscow_format" not in found(matcher, text, "fa")
    # Persian درگیر: entangled in problems
    text = "حکومت طالبان در افغانستان درگیر مشکلات اقتصادی و تجارتی است."
    assert "regional_security" not in found(matcher, text, "fa")
    # a short bracket after a name that only says it is banned is the notice, without naming where
    text = "Россия и запрещенный в стране «Талибан» (признан террористическим) договорились о поставках бензина."
    assert "terrorist_designation" not in found(matcher, text, "ru")
    assert "terrorist_designation" in found(matcher, "В 2003 году Верховный суд признал «Талибан» террористической "
                                                     "организацией.", "ru")
    # courts ruling an activity illegal is a verdict, not recognition
    text = "Суды Кыргызстана признали незаконной деятельность «Талибана» в Афганистане."
    assert "recognition" not in found(matcher, text, "ru")


def test_the_senses_of_other_meetings_and_borders_leave_the_named_format_and_recognition_alone(matcher):
    # the format named by its name stays the format whatever else its sentence names (found by the replay suite)
    text = "Unlike the UN's Doha process, the Moscow Format gives the Taliban a seat next to Tashkent and Astana."
    assert "moscow_format" in found(matcher, text, "en")
    # "without recognising the Taliban, border security ..." is recognition: a border sense needs "as a border"
    text = "Orta Asya ülkeleri, Taliban yönetimini resmen tanımadan, sınır güvenliği odaklı bir iş birliği kurmalıdır."
    assert "recognition" in found(matcher, text, "tr")
    # the Soviet army's withdrawal is another one; the "former Soviet states" of Central Asia are not it
    text = "ABD'nin Afganistan'dan çekilmesi, Orta Asya'daki eski Sovyet ülkelerini yeni bir savunma hattı kurmaya itti."
    assert "us_withdrawal" in found(matcher, text, "tr")
    assert "us_withdrawal" not in found(matcher, "Sovyet birliklerinin 1989'da Afganistan'dan çekilmesi bir dönüm "
                                                 "noktasıydı.", "tr")


def test_watchlist_merges_are_the_reviewed_ones():
    # a listed word the normaliser reads as another listed word must be one word's form, read by a person
    # (tests/data/matching/merged_words.yaml); two different words merged are false friends (havan is no hava)
    import yaml

    from newsmon.matching.build import merged_words

    watchlist = load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml")
    reviewed = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "matching" / "merged_words.yaml").read_text("utf-8"))
    for lang in ("en", "tr", "ru", "fa"):
        merges = merged_words(watchlist, lang)
        new = {word: into for word, into in merges.items() if reviewed[lang].get(word) != into}
        gone = sorted(set(reviewed[lang]) - set(merges))
        assert not new and not gone, f"{lang}: review the new merges {new} (and drop {gone}) in merged_words.yaml"


def test_false_friends_found_by_reviewing_the_merges(matcher):
    # критика (criticism) had been read as критик, a critic, a word of the "acclaim" sense of recognition
    text = "Признание талибов Москвой вызвало критику в Кабуле и на Западе."
    assert "recognition" in found(matcher, text, "ru")
    # hane (a household, a word of a sense of trade) had been read as the Han of Emir Han Muttaki
    text = "Taliban yönetimi, Emir Han Muttaki ile Kabil'de ticaret anlaşması imzaladı."
    assert "economic_agreements" in found(matcher, text, "tr")


def test_eleventh_round_of_real_coverage_classes(matcher):
    # a dateline with a full stop (Interfax style); a group's name holding a state's; a namesake of a minister
    assert "russia" not in found(matcher, "Москва. 5 октября. Китай вновь открыл посольство в Кабуле.", "ru")
    text = "Özbekistan İslami Hareketi militanları Afganistan'ın kuzeyinde DEAŞ'a katıldı."
    assert "uzbekistan" not in found(matcher, text, "tr")
    text = "В театре открылась выставка к столетию народного артиста Кирилла Лаврова; гости приехали из Кабула."
    assert "sergey_lavrov" not in found(matcher, text, "ru")
    assert "un_security_council" in found(matcher, "BM Güvenlik Kurulu, Afganistan raporunu yayımladı.", "tr")
    # a UN ambassador is the UN seat, not a mission
    text = "Whether the Taliban government can send a UN ambassador to New York has been delayed again."
    assert "diplomatic_missions" not in found(matcher, text, "en")


def test_turkish_ways_of_calling_for_an_inclusive_government(matcher):
    for text in ("Katılımcı ülkeler, Afgan iç uzlaşısını desteklemek için çabalarını artırma kararı aldı.",
                 "Yeni hükümetin Afgan halkının çeşitliliğini yansıtacak şekilde kapsayıcı ve temsil edici olması "
                 "gerektiğini söyledi.",
                 "Pakistan temsilcisi, Afganistan'da tüm kimlik gruplarını kapsayacak bir hükümetin kurulması "
                 "gerektiğini ifade etti.",
                 "Bildiri, Afganistan'da kapsayıcı ve katılımcı bir yönetişimin tesis edilmesini istedi."):
        assert "inclusive_government" in found(matcher, text, "tr"), text


def test_terrorism_as_a_legal_category_is_no_security_statement(matcher):
    # the listing's words, a lawsuit's claimants: the legal sense of "terrorist"
    for text, lang in (("Kazakhstan struck the movement off its list of terrorist organisations; Kabul welcomed it.", "en"),
                       ("Раньше в Москве их считали террористами, теперь с Кабулом обсуждают поставки.", "ru"),
                       ("دادگاه نام طالبان را از فهرست گروه‌های تروریستی این کشور حذف کرد.", "fa"),
                       ("Families of victims of terrorism filed claims against the Afghan central bank's assets.", "en"),
                       ("Afganistan'ın dondurulmuş rezervlerinin yarısı terör mağdurlarının davalarında kullanılacak.",
                        "tr"),
                       ("Суд может снять запрет, если движение талибов прекратило пропаганду и оправдание терроризма.",
                        "ru"),
                       ("The Taliban were sanctioned in 1999 for sheltering al-Qaeda leader Osama bin Laden.", "en")):
        assert "regional_security" not in found(matcher, text, lang), text
    # ... while a threat or an attack still is one
    assert "regional_security" in found(matcher, "A terrorist attack near the Afghan border killed six guards.", "en")
    text = "В Афганистане сохраняется террористическая угроза, а проблемы с наркотрафиком усложнились."
    assert "regional_security" in found(matcher, text, "ru")


def test_a_military_presence_that_ended_is_the_withdrawal_not_todays_posture(matcher):
    text = "American troops left Kabul airport, ending a 20-year military presence in Afghanistan."
    assert "regional_security" not in found(matcher, text, "en")
    text = "Американские военные покинули Афганистан, положив конец 20-летнему военному присутствию."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Moscow is expanding its military presence in Tajikistan on the Afghan border."
    assert "regional_security" in found(matcher, text, "en")


def test_twelfth_round_of_real_coverage_classes(matcher):
    # arms supplied are no trade; financing is no supply
    text = "The US commander said Russia is supplying arms to the Taliban in Afghanistan."
    assert found(matcher, text, "en") & {"economic_agreements", "regional_security"} == {"regional_security"}
    text = "بانک مرکزی افغانستان باید پروتکل‌های مبارزه با پولشویی و تأمین مالی تروریسم را اجرا کند."
    assert "economic_agreements" not in found(matcher, text, "fa")
    # the embassy as a source; a diplomatic presence kept
    text = "Citing the Russian Embassy in Kabul, the agency reported that talks with the Taliban were under way."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    text = "Rusya'nın Kabil Büyükelçiliği yaptığı açıklama ile iddiaları reddetti."
    assert "diplomatic_missions" not in found(matcher, text, "tr")
    text = "Russia is one of the few states that kept a diplomatic presence in Afghanistan after the takeover."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # talks between the Afghan sides are the reconciliation process
    for text, lang in (("Heyetler, Afgan taraflar arasında doğrudan müzakerelerin başlaması için anlaştı.", "tr"),
                       ("The two delegations pledged to continue their intra-Afghan talks in Doha.", "en"),
                       ("Lavrov called on the Afghan sides to resume negotiations in Moscow.", "en")):
        assert "inclusive_government" in found(matcher, text, lang), text
    # Turkish false friends: Türkiye is no tur (a round), kazan- (win) no Kazan
    text = "Taliban maden ihalelerini imzaladı; ihaleleri Afganistan, Türkiye ve Çin merkezli şirketler kazandı."
    assert "moscow_format" not in found(matcher, text, "tr")
    # the Dari spelling of Kyrgyzstan
    assert "kyrgyzstan" in found(matcher, "نمایندگانی از قیرغیزستان و تاجیکستان در نشست حضور داشتند.", "fa")


def test_trade_relations_and_russian_trade_economic_cooperation_are_named_trade(matcher):
    text = "Лавров добавил, что Москва продолжит развивать торгово-экономические отношения с Афганистаном."
    assert "economic_agreements" in found(matcher, text, "ru")
    text = "Kabul is building trade relations with its closest neighbours, the Taliban's minister said."
    assert "economic_agreements" in found(matcher, text, "en")
    # (political and economic ties in general are not named trade)
    text = "The ruling cleared the path to full-fledged political and economic ties between Moscow and Kabul."
    assert "economic_agreements" not in found(matcher, text, "en")


def test_thirteenth_round_of_real_coverage_classes(matcher):
    # the Turkish progressive narrows the stem's last vowel (sağla- → sağlıyor; tanı- + yor)
    assert "regional_security" in found(matcher, "ABD'li yetkililere göre Rusya, Taliban'a silah sağlıyor.", "tr")
    assert "recognition" in found(matcher, "Rusya artık Taliban yönetimini resmen tanıyor.", "tr")
    # a TTP story inside Pakistan, however the TTP is spelled, is no Afghan story
    text = "Ответственность за атаку на военный конвой в Вазиристане взяла на себя группировка «Техрик-и-Талибан»."
    assert found(matcher, text, "ru") & {"taliban", "regional_security"} == set()
    text = "Since the talks with the TTP broke down, the group has attacked the police in areas bordering Afghanistan."
    assert "regional_security" not in found(matcher, text, "en")
    # ... and in a text that names the TTP and nothing Afghan, "the Taliban" is its short name
    text = ('Ответственность за теракт в пакистанском храме взял на себя "Талибан". Атаку организовала группировка '
            '"Техрик-е Талибан-е Пакистан" (Движение талибов Пакистана).')
    assert found(matcher, text, "ru") == {"pakistan"}
    text = "The Pakistani Taliban claimed the attack; the Afghan Taliban in Kabul denied any role."
    assert "taliban" in found(matcher, text, "en")
    # "militant" as an epithet of the Taliban returning to power
    text = "The US completed its withdrawal, ending 20 years of war that culminated in the militant Taliban's return."
    assert "regional_security" not in found(matcher, text, "en")
    # a government representing various political forces, the whole spectrum of society
    text = "Лавров считает, что новая власть в Афганистане должна представлять различные политические силы."
    assert "inclusive_government" in found(matcher, text, "ru")
    # Persian: a plural after the adjective's ی (آمریکایی‌ها, the Americans); خارج شدن, leave; به نمایندگی از, "on
    # behalf of", is no mission; a list of banned organisations is a listing
    text = "بیست سال پس از حمله، آمریکایی‌ها از افغانستان خارج شدند."
    assert "us_withdrawal" in found(matcher, text, "fa")
    text = "امارت اسلامی با هیاتی به نمایندگی از وزارت خارجه در نشست مسکو شرکت کرد."
    assert "diplomatic_missions" not in found(matcher, text, "fa")
    text = "دادگاه عالی روسیه نام طالبان را از فهرست سازمان‌های ممنوعه خارج کرد."
    assert "terrorist_designation" in found(matcher, text, "fa")
    # the epithet of the ousted republic is no recognition; "such as" is no listing; the quoted Pakistani «Талибан»
    text = "The militants seized control of Kabul from the internationally recognized government in August."
    assert "recognition" not in found(matcher, text, "en")
    text = "Lavrov warned that in Afghanistan terrorist groups such as Islamic State were gaining ground."
    assert "terrorist_designation" not in found(matcher, text, "en")
    text = "Группировка сформировалась из частей «Талибана» Пакистана и «Исламского движения Узбекистана»."
    assert "taliban" not in found(matcher, text, "ru")
    # the retreat of the US
    text = "После теракта у аэропорта Кабула злорадство по поводу хаотического отступления США рассеялось."
    assert "us_withdrawal" in found(matcher, text, "ru")
    # talks "with the Afghan side" of a railway deal are no intra-Afghan talks
    text = "Сделку утвердили главы Афганистана и Узбекистана, однако с афганской стороной еще ведутся переговоры."
    assert "inclusive_government" not in found(matcher, text, "ru")


def test_targets_of_attacks_listed_together_are_no_inclusive_government(matcher):
    text = ("IS-K has carried out attacks in Afghanistan, including assaults on Taliban government offices, foreign "
            "embassies, and religious minorities.")
    assert found(matcher, text, "en") & {"inclusive_government", "diplomatic_missions"} == {"diplomatic_missions"}


def test_information_supplied_is_no_trade(matcher):
    text = "The Taliban still host al-Qaeda leaders in Afghanistan, says a UN report based on intelligence supplied by member states."
    assert "economic_agreements" not in found(matcher, text, "en")


def test_fourteenth_round_of_real_coverage_classes(matcher):
    # Turkish askeri (military) is no asker (soldier); the expulsion of US-led forces is the withdrawal
    text = "Rus üniversitelerinde okuyan Afgan öğrencilerin Afganistan'dan askeri uçakla tahliyeleri yapılacak."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "Çin, ABD liderliğindeki NATO güçlerinin Afganistan'dan kovulmasının ardından Kabil'deki büyükelçiliğini açık tuttu."
    assert "us_withdrawal" in found(matcher, text, "tr")


def test_officially_recognised_reconciliation_commission_and_bringing_ethnic_groups_together(matcher):
    # Turkish tanınmış is "well-known" alone and "recognised" after resmi olarak
    text = "Taliban yönetimi halen dünyanın hiçbir ülkesi tarafından resmi olarak tanınmış değil."
    assert "recognition" in found(matcher, text, "tr")
    assert "recognition" not in found(matcher, "Tanınmış bir gazeteci Kabil'de Taliban yönetimini eleştirdi.", "tr")
    text = "Taliban sözcüsü, Afganistan'da bir uzlaşma komisyonu kurduklarını söyledi."
    assert "inclusive_government" in found(matcher, text, "tr")
    text = "Vang, Taliban'ın tüm etnik grupları bir araya getirecek bir açıklık sergilemesi gerektiğini söyledi."
    assert "inclusive_government" in found(matcher, text, "tr")


def test_persian_ensure_security_and_the_events_of_2001(matcher):
    text = "سخنگوی طالبان گفت حکومت توانسته است امنیت را در سراسر کشور تأمین کند و با کشورهای همسایه تعامل دارد."
    assert "economic_agreements" not in found(matcher, text, "fa")
    text = "طالبان کشت تریاک را ممنوع کرد؛ پس از حمله آمریکا به افغانستان در ۲۰۰۱ تولید آن دوباره افزایش یافت."
    assert "regional_security" not in found(matcher, text, "fa")


def test_a_removal_from_the_list_between_commas_is_no_notice(matcher):
    text = ("Недавние события, в том числе исключение Казахстаном Талибана из списка террористических организаций, "
            "указывают на растущее признание движения.")
    assert "terrorist_designation" in found(matcher, text, "ru")
    # ... while the notice itself still hides its words
    text = "«Талибан» (запрещенная в России террористическая организация) заявил о контроле над Кабулом."
    assert "terrorist_designation" not in found(matcher, text, "ru")


def test_a_construction_stands_in_one_clause(matcher):
    # a comma and a clause-opening conjunction end the clause; the same conjunction between commas is an aside
    text = ("This time the Afghan government hasn't sent its envoys, but members of the government-appointed "
            "Peace Council attend the conference on Afghanistan.")
    assert "diplomatic_missions" not in found(matcher, text, "en")
    text = "Легитимность кабинета не признала ни одна страна. Российская дипмиссия, однако, продолжила работать в Кабуле."
    assert "diplomatic_missions" in found(matcher, text, "ru")


def test_fifteenth_round_of_real_coverage_classes(matcher):
    # names and titles: the Economic Cooperation Organization; a special envoy for counter-terrorism; the UN's list
    # of speakers
    text = "Özbekistan, Taşkent'te Ekonomik İşbirliği Teşkilatı üyeleriyle Afganistan'ı görüştü."
    assert "economic_agreements" not in found(matcher, text, "tr")
    text = "Katar Dışişleri Bakanlığı Terörle Mücadele ve Arabuluculuk Özel Temsilcisi, Afganistan Cumhurbaşkanı ile görüştü."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "Afganistan'ın BM Büyükelçisi Genel Kurul'daki konuşmacılar listesinden çıkarıldı; Taliban koltuğu istiyor."
    assert "terrorist_designation" not in found(matcher, text, "tr")
    # "the terrorists' rule" is an epithet of the Taliban; «ни ... ни взрывы» says there are none
    text = "Россия не торопится с признанием власти террористов в Афганистане, заявил Лавров."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Посол сообщил, что после занятия талибами Кабула в городе не слышны ни стрельба, ни взрывы."
    assert "regional_security" not in found(matcher, text, "ru")
    # a bracket of six words with a banned word is a notice, even without a where word
    text = "Он стал первым послом после прихода талибов (движение внесено в список террористических организаций) к власти."
    assert "terrorist_designation" not in found(matcher, text, "ru")
    # the end of ISAF's mission in 2014 is an earlier withdrawal; "Tehran time" is a time zone
    text = "В уходящем 2014 году завершается возглавляемая НАТО миссия ISAF в Афганистане, войска уходят."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    text = "آخرین هواپیمای آمریکایی ساعت ۱۱ شب به وقت تهران از کابل پرواز کرد."
    assert "iran" not in found(matcher, text, "fa")
    # a caliph is acknowledged, no government recognised; aid funds frozen are not the reserves
    text = "Боевики ИГИЛ в Афганистане не признают аль-Багдади халифом и воюют с талибами."
    assert "recognition" not in found(matcher, text, "ru")
    text = "Taliban'ın yönetimi ele geçirmesinden bu yana uluslararası yardım fonlarının dondurulduğu Afganistan'da kriz derinleşiyor."
    assert "frozen_reserves" not in found(matcher, text, "tr")


def test_seventeenth_round_and_dev8_classes_of_sense(matcher):
    # narcotics exported, and an ideology "exported", are no trade
    text = "Экспорт героина из Афганистана через Таджикистан не снижается, говорится в докладе ООН."
    assert found(matcher, text, "ru") & {"economic_agreements", "drug_trafficking"} == {"drug_trafficking"}
    text = 'Officials in Tashkent worry about the "export" of radical ideology from Taliban-run Afghanistan.'
    assert "economic_agreements" not in found(matcher, text, "en")
    # border guards seizing heroin: interdiction, a drug story
    text = "Tajik border guards seized 300 kilograms of heroin brought across the river from Afghanistan."
    assert found(matcher, text, "en") & {"regional_security", "drug_trafficking"} == {"drug_trafficking"}
    # food security is no security; Persian تأیید of a report confirms it, and approves no diplomat
    text = "ایران به دلیل تنش‌ها در منطقه می‌کوشد امنیت غذایی خود را حفظ کند و واردات از افغانستان بیشتر شده است."
    assert "regional_security" not in found(matcher, text, "fa")
    text = "سفیر روسیه در کابل ضمن تأیید این گزارش گفت که محموله‌های گندم ماه آینده می‌رسد."
    assert "recognition" not in found(matcher, text, "fa")
    # sources at an embassy are where a report comes from, not news about the mission
    text = "Sources at the Russian embassy in Kabul said the convoy had left before dawn."
    assert "diplomatic_missions" not in found(matcher, text, "en")


def test_seventeenth_round_and_dev8_classes_of_names(matcher):
    # a first name, a coconut, a football club, a resident of Moscow, the TTP by another short name
    text = "Kırgızistan Dışişleri Bakanı Ruslan Kazakbayev, Kabil'de Taliban yetkilileriyle görüştü."
    assert "russia" not in found(matcher, text, "tr", "actor")
    assert "india" not in found(matcher, "Kantinde Hindistan cevizli kekler tükendi.", "tr", "actor")
    text = "این بازیکن افغان که مقیم مسکو است، فصل آینده برای باشگاه اسپارتاک مسکو بازی می‌کند."
    assert "russia" not in found(matcher, text, "fa", "actor")
    assert "taliban" not in found(matcher, "The Pakistan Taliban claimed the ambush in Khyber.", "en", "actor")
    # the second of two capitals joined by "or" shares the first's place word
    text = "Before the consulate reopened, Afghans flew to Tashkent or Dushanbe to renew their passports."
    assert found(matcher, text, "en", "actor") == set()
    assert found(matcher, "Делегации талибов прибыли в Ташкент и Душанбе.", "ru", "actor") == {"taliban"}


def test_seventeenth_round_and_dev8_classes_of_paraphrase(matcher):
    # the withdrawal told by its last soldier or plane
    text = "Последний американский солдат покинул Кабул в ночь на 31 августа."
    assert "us_withdrawal" in found(matcher, text, "ru")
    text = "آخرین سربازان امریکایی شب دوشنبه از فرودگاه کابل پرواز کردند."
    assert "us_withdrawal" in found(matcher, text, "fa")
    # the format described by who convenes it; a government that represents all Afghans
    text = "Envoys met for the consultations on Afghanistan that Russia has convened every year since 2017."
    assert "moscow_format" in found(matcher, text, "en")
    text = "Tehran wants the Taliban to form a government that represents all Afghans."
    assert "inclusive_government" in found(matcher, text, "en")
    # the frozen money by its sum or by the bank's own name in Latin letters; an embassy not evacuated, kept working
    text = "A court ruling on Afghanistan's frozen $7 billion angered the Taliban."
    assert "frozen_reserves" in found(matcher, text, "en")
    text = "Талибы требуют вернуть средства Da Afghanistan Bank, которые удерживают в США."
    assert "frozen_reserves" in found(matcher, text, "ru")
    text = "Анкара не будет эвакуировать своё посольство в Кабуле, сообщил МИД Турции."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    text = "The Afghan embassy in Ankara remains functioning under a Taliban-appointed chargé d'affaires."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # a list of proscribed organisations; classified among the terrorists; a notice as a sentence of its own
    text = "The Taliban remain on Russia's list of proscribed organisations, the court said."
    assert "terrorist_designation" in found(matcher, text, "en")
    text = ("Делегация талибов посетила Казань. «Талибан» — движение, деятельность которого запрещена во многих "
            "государствах, включая Россию.")
    assert "terrorist_designation" not in found(matcher, text, "ru")
    # sieges, military infrastructure; the Turkish special military operation; all the ethnic groups (bütün)
    assert "regional_security" in found(matcher, "Taliban fighters besieged the Panjshir valley for weeks.", "en")
    text = "Участники отвергли размещение военной инфраструктуры третьих стран в Афганистане и у его границ."
    assert "regional_security" in found(matcher, text, "ru")
    text = "Özel askeri harekâtın ardından Rusya, ihracatını Afganistan pazarına yöneltti."
    assert "ukraine_war" in found(matcher, text, "tr")
    text = "Taliban'dan bütün etnik grupları kapsayan bir hükümet kurması istendi."
    assert "inclusive_government" in found(matcher, text, "tr")
    assert "drug_trafficking" in found(matcher, "تولید مت آمفتامین در افغانستان افزایش یافته است.", "fa")


def test_afghanistan_on_the_map_is_no_party_to_a_deal(matcher):
    # a neighbour's province bordering Afghanistan, a corridor west of it, a trader's origin: no Afghan trade
    text = ("Gazprom will double gas deliveries to Uzbekistan under a new contract. Part of the gas goes to "
            "Surkhandarya, a province bordering Afghanistan.")
    assert "economic_agreements" not in found(matcher, text, "en")
    text = "Россия и Иран подписали соглашение о железной дороге Решт — Астара, западнее Афганистана."
    assert "economic_agreements" not in found(matcher, text, "ru")
    # ... while a deal with Afghanistan itself still counts
    text = "Uzbekistan and Afghanistan signed a deal to double gas deliveries across the border."
    assert "economic_agreements" in found(matcher, text, "en")


def test_eighteenth_round_and_dev9_classes(matcher):
    # quotes of every typography are one: an epithet listed with «» holds with ASCII quotes
    text = 'Террористическая группировка "Талибан" предложила России продать Кабулу нефть по бартеру.'
    assert "regional_security" not in found(matcher, text, "ru")
    # acknowledging a failure; a recognised specialist; «столкнулись с тем, что» (faced the fact that)
    text = "Lavrov said Washington has recognized the failure of its mission in Afghanistan."
    assert "recognition" not in found(matcher, text, "en")
    text = "A recognised specialist in avalanche rescue reached the Afghan villages on skis."
    assert "recognition" not in found(matcher, text, "en")
    text = "Афганские студенты в Казани столкнулись с тем, что их аттестаты не признают автоматически."
    assert "regional_security" not in found(matcher, text, "ru")
    # an airport's transit area and the travel ban's "entry or transit"; the assets of listed persons frozen
    text = "An Afghan family spent eleven days in the transit area of the airport before flying on to Canada."
    assert "economic_agreements" not in found(matcher, text, "en")
    text = "Государства должны запретить талибам из санкционного списка въезд или транзит по своей территории."
    assert "economic_agreements" not in found(matcher, text, "ru")
    text = "The UN asked states to freeze the assets of individuals on the Taliban sanctions list."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # the central bank's name in Cyrillic; a terrorist label removed; Hazara and Pashtun figures in power
    text = "Талибы требуют вернуть 3,5 млрд долларов Да Афганистан Банка, заблокированные в США."
    assert "frozen_reserves" in found(matcher, text, "ru")
    text = "Верховный суд снял с талибов ярлык террористической организации."
    assert "terrorist_designation" in found(matcher, text, "ru")
    text = "Diplomats want a Taliban administration in which Hazara and Pashtun figures hold real portfolios."
    assert "inclusive_government" in found(matcher, text, "en")
    # a border the relative clause says Kabul never recognised
    text = "Пакистан и талибы обвиняют друг друга в нарушении границы, которую Кабул так и не признал."
    assert "recognition" not in found(matcher, text, "ru")
    # Persian: degrees recognised at the end of a long clause; the Russian version of a text; funding a budget
    text = ("وزارت تحصیلات عالی طالبان اعلام کرد مدارک تحصیلی فارغان چند دانشگاه خصوصی که دوره‌های آنلاین برگزار "
            "کرده‌اند، در افغانستان به رسمیت شناخته نمی‌شود.")
    assert "recognition" not in found(matcher, text, "fa")
    text = "در نسخه روسی بیانیه نشست کازان از حکومت فراگیر در افغانستان سخن رفته است."
    assert "russia" not in found(matcher, text, "fa", "actor")
    text = "کمک‌های خارجی سه چهارم بودجه دولت پیشین افغانستان را تأمین می‌کرد."
    assert "economic_agreements" not in found(matcher, text, "fa")


def test_the_fight_against_drugs_and_economic_terrorism_are_no_security_statements(matcher):
    text = "Lavrov ve Muttaki, uyuşturucu kaçakçılığına karşı ortak mücadeleyi telefonda görüştü."
    assert found(matcher, text, "tr") & {"regional_security", "drug_trafficking"} == {"drug_trafficking"}
    text = "В Тегеране назвали американские санкции против иранского судовладельца «экономическим терроризмом»."
    assert "regional_security" not in found(matcher, text, "ru")
    # freight trains under a protocol are trade
    text = "Taraflar Hayratan üzerinden Afganistan'a giden yük trenlerinin sayısını artıracak bir protokol imzaladı."
    assert "economic_agreements" in found(matcher, text, "tr")


def test_nineteenth_round_and_dev10_classes(matcher):
    # pay or prices frozen, money "held hostage", frozen water, oil and gas deposits: no reserves, no security
    text = "Afghani holds steady as the central bank sells dollars; civil servants' pay remains frozen in Afghanistan."
    assert "frozen_reserves" not in found(matcher, text, "en")
    text = "کابلوف گفت پول مردم افغانستان نباید در بانک‌های غربی گروگان بماند."
    assert "regional_security" not in found(matcher, text, "fa")
    text = "ذخایر منجمد آب در یخچال‌های هندوکش افغانستان با سرعتی بی‌سابقه کاهش می‌یابد."
    assert "frozen_reserves" not in found(matcher, text, "fa")
    text = "وزیر طالبان در کازان درباره ذخایر غنی نفت و گاز افغانستان و انتقال فناوری سخن گفت."
    assert "frozen_reserves" not in found(matcher, text, "fa")
    # another organisation's meeting in Moscow, named a few words further on
    text = ("It is the third clash on the Tajik-Afghan border this year. At a meeting in Moscow last month, the chief "
            "of the CSTO joint staff called the Afghan frontier the alliance's weakest section.")
    assert "moscow_format" not in found(matcher, text, "en")
    # a footnote may give the court and the date of the listing
    text = ('A suicide bomber struck near the Russian embassy in Kabul, the ministry said.\n'
            '* "Islamic State" (ISIS, ISIL) - the organization was recognized as a terrorist organization by the '
            'decision of the Supreme Court of the Russian Federation of December 29, 2014.')
    assert found(matcher, text, "en") & {"terrorist_designation", "recognition"} == set()
    # news outlets are no states; Turkish karşıla- (meet) is no karşı (against)
    text = "Iran International reported that the Taliban detained two journalists in Herat."
    assert "iran" not in found(matcher, text, "en", "actor")
    text = "Afganistan merkez bankası, terörün finansmanıyla mücadele standartlarını karşılamadığı için rezervlerine erişemiyor."
    assert "regional_security" not in found(matcher, text, "tr")
    # power shared by all the groups of society
    assert "inclusive_government" in found(matcher, "ШОС призвала Кабул сформировать власть с участием всех групп общества.", "ru")


def test_regional_security_as_an_aim_and_rebuilding_after_clashes(matcher):
    text = "کابلوف گفت به رسمیت شناختن طالبان با هدف تقویت امنیت و ثبات منطقه‌ای انجام شده است."
    assert "regional_security" not in found(matcher, text, "fa")
    text = "طرفین آمادگی خود را برای کمک به بازسازی افغانستان پس از درگیری‌ها اعلام کردند."
    assert "regional_security" not in found(matcher, text, "fa")


def test_twentieth_round_and_dev11_classes(matcher):
    # the format by its history: the regional mechanism Russia launched in 2017, or convenes every year
    text = "Special envoys from ten regional states met for the fifth session of the consultation mechanism Russia launched in 2017 on Afghanistan."
    assert "moscow_format" in found(matcher, text, "en")
    text = "На встречу региональной площадки по Афганистану, которую МИД России собирает с 2017 года, приедут талибы."
    assert "moscow_format" in found(matcher, text, "ru")
    # a tournament's "Moscow format" is a schedule
    text = "Турнир по мини-футболу впервые прошёл в так называемом московском формате; в финале Иран обыграл Узбекистан, Афганистан стал третьим."
    assert "moscow_format" not in found(matcher, text, "ru")
    # money held hostage in Western banks is frozen money; «بیانیه پایانی» is a final statement, no end
    text = "Mujahid said the Afghan central bank's billions are held hostage in American banks."
    assert "frozen_reserves" in found(matcher, text, "en")
    text = "نمایندگان ویژه ۱۰ کشور و هیئت طالبان در قازان حضور داشتند و بیانیهٔ پایانی بر همکاری تأکید کرد."
    assert "us_withdrawal" not in found(matcher, text, "fa")
    # Russian fighting (бои, стычки), accreditation as a noun, the power in Kabul declared lawful
    assert "regional_security" in found(matcher, "В Панджшере возобновились бои между сопротивлением и талибами.", "ru")
    text = "С марта 2022 года в Москве действует аккредитация временного поверенного от правительства талибов."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    text = "Астана не торопится объявлять нынешнюю власть в Кабуле законной."
    assert "recognition" in found(matcher, text, "ru")
    # not recognised as a caliph; Turkish suspended affixation; ISKP as «Хорасанский вилаят»
    text = "Both the Taliban and their allies said they don't recognise (IS leader Abu Bakr) al-Baghdadi as a caliph."
    assert "recognition" not in found(matcher, text, "en")
    text = "Komite, Muttaki'nin Taşkent ve Moskova'daki temaslara katılmasına izin verdi."
    assert found(matcher, text, "tr", "actor") == {"amir_khan_muttaqi"}
    text = "Смертники «Хорасанского вилаята» присматриваются к дипмиссиям в Кабуле."
    assert "iskp" in found(matcher, text, "ru", "actor")


def test_peace_talks_between_the_taliban_and_the_republic_are_reconciliation(matcher):
    # named by its parties (the Kabul government, its High Peace Council, the Afghan politicians), not as "intra-Afghan"
    text = "The Taliban agreed to begin peace talks with the Kabul government once the deal was signed."
    assert "inclusive_government" in found(matcher, text, "en")
    text = "Yüksek Barış Konseyi, Taliban ile müzakerelere katılmayacağını açıkladı."
    assert "inclusive_government" in found(matcher, text, "tr")
    text = "Делегация Высшего совета мира впервые села за стол переговоров с талибами."
    assert "inclusive_government" in found(matcher, text, "ru")
    text = "نمایندگان شورای عالی صلح برای مذاکره با طالبان به دوحه رفتند."
    assert "inclusive_government" in found(matcher, text, "fa")
    # the Taliban's talks with Washington are no reconciliation among Afghans
    text = "The Taliban resumed talks with US negotiators in Doha on a troop pull-out timetable."
    assert "inclusive_government" not in found(matcher, text, "en")


def test_another_states_embassy_in_a_third_country_is_no_afghan_mission(matcher):
    # the host named by a preposition, or by the Turkish locative ending; Afghanistan's embassy there keeps its sense
    text = "After the Taliban fighters' raid on the border post, China's embassy in Dushanbe evacuated its staff."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    text = "After the raid on the border post, the Afghan embassy in Dushanbe evacuated its staff."
    assert "diplomatic_missions" in found(matcher, text, "en")
    text = "Sınır karakoluna Taliban militanları saldırdı. Tacikistan'daki Çin Büyükelçiliği personelini azalttı."
    assert "diplomatic_missions" not in found(matcher, text, "tr")
    # (without the ending a country before Büyükelçiliği is the owner: Tajikistan's embassy, in Kabul)
    text = "Sınır karakoluna Taliban militanları saldırdı. Tacikistan Büyükelçiliği personelini azalttı."
    assert "diplomatic_missions" in found(matcher, text, "tr")
    text = "Талибы напали на пограничную заставу. Посольство Китая в Таджикистане эвакуировало сотрудников."
    assert "diplomatic_missions" not in found(matcher, text, "ru")
    text = "Талибы напали на пограничную заставу. Посольство Афганистана в Таджикистане эвакуировало сотрудников."
    assert "diplomatic_missions" in found(matcher, text, "ru")


def test_moscow_meetings_that_are_not_the_regional_format(matcher):
    # the intra-Afghan meetings in Moscow, and Russia's own talks with the Taliban, described like the format
    text = "Karzai and other Afghan politicians met the Taliban at the Moscow talks, which regional envoys watched closely."
    assert "moscow_format" not in found(matcher, text, "en")
    text = "During the latest round of talks with the Taliban in Moscow, regional security was discussed."
    assert "moscow_format" not in found(matcher, text, "en")
    text = "Последний раунд переговоров с талибами в Москве прошёл без представителей соседних стран."
    assert "moscow_format" not in found(matcher, text, "ru")
    # ... unless it is called a format
    text = "Taliban ile Moskova Görüşmeleri Formatı'nın yedinci toplantısı bölge ülkelerinin katılımıyla başladı."
    assert "moscow_format" in found(matcher, text, "tr")


def test_the_drawdown_of_2011_to_2017_is_no_2021_withdrawal(matcher):
    # (Turkish puts adverbs between the troops and the verb; "dikkati çeken", drawing attention, pulls nothing)
    text = "ABD, Afganistan'daki askerlerinin tamamını Ağustos 2021'de çekti."
    assert "us_withdrawal" in found(matcher, text, "tr")
    text = "Afganistan'da Taliban'ın büyük bir askeri güç haline geldiğine dikkati çeken Peskov açıklama yaptı."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "ABD, Afganistan'daki askerlerinin tamamını 2016 yılına kadar çekmeyi planlıyordu."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "Obama decided to slow the withdrawal of US troops from Afghanistan, keeping 8,400 in the country."
    assert "us_withdrawal" not in found(matcher, text, "en")
    # a sentence that names both years still reports the 2021 withdrawal
    text = "The US withdrawal from Afghanistan in August 2021 came seven years after ISAF ended its mission in 2014."
    assert "us_withdrawal" in found(matcher, text, "en")


def test_a_read_also_line_is_another_story(matcher):
    # a line opening with the language's "read also" label links to another story: its words give no theme
    text = ("Pakistan and the Taliban ended their talks in Istanbul without a deal on the border.\n"
            "Also read: Trump warns Moscow over the prolonged Ukraine war")
    assert "ukraine_war" not in found(matcher, text, "en")
    text = "Талибы и Пакистан прервали переговоры о границе.\nЧитайте также: Москва и Киев: война в Украине идёт третий год"
    assert "ukraine_war" not in found(matcher, text, "ru")
    # the same words in the body are the story's
    text = "Pakistan and the Taliban ended their talks in Istanbul. Trump warned Moscow over the prolonged Ukraine war."
    assert "ukraine_war" in found(matcher, text, "en")
    # Afghanistan as a sales market for fuel, and a transit corridor through it (the Russian adjective)
    text = "Афганистан становится рынком сбыта для российского топлива и участком транзитного коридора на юг."
    assert "economic_agreements" in found(matcher, text, "ru")


def test_a_security_officials_title_is_who_speaks(matcher):
    text = "Torkham'da yaya geçişleri durduruldu, dedi Pakistanlı bir sınır güvenlik yetkilisi; Taliban açıklama yapmadı."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "A Pakistani border security official said the Taliban had closed the Torkham crossing to pedestrians."
    assert "regional_security" not in found(matcher, text, "en")
    # what the officials say about security is still said
    text = "Pakistani officials said the Taliban had failed to improve border security at Torkham."
    assert "regional_security" in found(matcher, text, "en")


def test_twenty_first_round_and_dev12_forms(matcher):
    # Turkish "while" after the aorist: çekilirken, while withdrawing
    text = "ABD ve NATO güçlerinin Ağustos 2021'de Afganistan'dan çekilirken geride bıraktığı silahlar Taliban'a kaldı."
    assert "us_withdrawal" in found(matcher, text, "tr")
    # Persian light verb کردن written fused to its word; the assets of Afghanistan's banks
    text = "لاوروف گفت مسدودکردن دارایی‌های بانک‌های افغانستان از سوی امریکا وضعیت مردم را دشوارتر کرده است."
    assert "frozen_reserves" in found(matcher, text, "fa")
    # Russian «объявить о» announces; it declares no one terrorist
    text = "Президент США объявил о ликвидации лидера крупнейшей террористической организации в Кабуле."
    assert "terrorist_designation" not in found(matcher, text, "ru")


def test_russian_verbs_in_both_aspects(matcher):
    text = "Путин принимает верительные грамоты у посла Исламского Эмирата Афганистан."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    text = "Россия передаёт посольство в Москве представителям талибов."
    assert "recognition" in found(matcher, text, "ru")
    # the verbs of trade, where they are other words than the nouns (экспортировать beside экспорт)
    text = "По соглашению правительства талибов с Москвой Кандагар будет экспортировать в Россию яблоки."
    assert "economic_agreements" in found(matcher, text, "ru")


def test_dev12_classes_in_persian_and_retreats(matcher):
    # militants in the plural (نظامیان is a word of its own); دور زدن, getting round sanctions, is no round of talks
    assert "regional_security" in found(matcher, "شبه نظامیان در ولایت کنر افغانستان فعال‌تر شده‌اند.", "fa")
    text = "پس از تحریم‌ها مسکو به دنبال راهی برای دور زدن محدودیت‌ها در تجارت با کابل و همسایگان منطقه است."
    assert "moscow_format" not in found(matcher, text, "fa")
    # the legitimate ruler; forces taken out of Afghanistan; money stuck in Western accounts
    text = "تاجیکستان طالبان را فرمانروای مشروع افغانستان نخواهد دانست."
    assert "recognition" in found(matcher, text, "fa")
    text = "کشورهایی که در سال ۲۰۲۱ نیروهایشان را از افغانستان بیرون بردند، نباید بازگردند."
    assert "us_withdrawal" in found(matcher, text, "fa")
    text = "پول بانک مرکزی افغانستان که از سه سال پیش تا امروز در حساب‌های غربی گیر مانده، باید آزاد شود."
    assert "frozen_reserves" in found(matcher, text, "fa")
    # an army leaving its positions in battle is no withdrawal from the country
    text = "Near the Afghan border, Pakistani troops left their positions after the Taliban attack."
    assert "us_withdrawal" not in found(matcher, text, "en")
    text = "Afganistan sınırında Pakistan askerleri mevzilerini terk ederek geri çekildi."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "На границе с Афганистаном пакистанские войска покинули свои позиции после атаки талибов."
    assert "us_withdrawal" not in found(matcher, text, "ru")


def test_twenty_first_round_names_and_ground_taken(matcher):
    # the CSTO's Collective Security Council is no UN body; Persian از سوی, "by", makes a capital the agent
    text = "The Collective Security Council of the CSTO extended the Channel anti-drug operation on the Afghan border."
    assert "un_security_council" not in found(matcher, text, "en", "actor")
    text = "مسدود کردن دارایی‌های افغانستان از سوی واشنگتن وضعیت را بدتر کرد."
    assert "united_states" in found(matcher, text, "fa", "actor")
    assert "united_states" not in found(matcher, "هیئت طالبان به سوی واشنگتن پرواز کرد.", "fa", "actor")
    # a doubled q in a Turkish spelling of Muttaqi
    assert "amir_khan_muttaqi" in found(matcher, "Dışişleri Bakanı Amir Khan Muttaqqi Ankara'ya geliyor.", "tr", "actor")
    # ground taken: a district or a border crossing captured (not power seized)
    text = "Taliban, Tacikistan sınırındaki Şir Han Bender sınır kapısını ele geçirdi."
    assert "regional_security" in found(matcher, text, "tr")
    assert "regional_security" not in found(matcher, "The Taliban seized power in Kabul in August 2021.", "en")
    # a roster of terrorist groups is a list; fire traded with mortars is no trade
    text = "Kazakhstan noted that the Taliban never appeared on the UN Security Council's roster of terrorist groups."
    assert "regional_security" not in found(matcher, text, "en")
    text = "Pakistani troops and Taliban border guards traded mortar and machine-gun fire at Torkham."
    assert "economic_agreements" not in found(matcher, text, "en")


def test_a_digests_entries_are_separate_stories(matcher):
    # each bullet of a digest, each line of a ticker in capitals, takes its context from itself or the lead
    text = ("Morning briefing\n• Palestine: Spain marked a year since recognising the State of Palestine.\n"
            "• Afghanistan: heavy snow closed the Salang pass north of Kabul.")
    assert "recognition" not in found(matcher, text, "en")
    text = "SON DAKİKA\nHERAT'TA DEPREM: TALİBAN YÖNETİMİ YARDIM İSTEDİ\nMOSKOVA METROSUNDA BIÇAKLI SALDIRI: 2 YARALI"
    assert "regional_security" not in found(matcher, text, "tr")
    # an entry about somewhere else is not about Afghanistan, though the digest is
    text = ("Morning briefing\n• Iran: the EU sanctioned makers of attack drones used in Russia's war against Ukraine.\n"
            "• Afghanistan: Russia's Supreme Court struck the Taliban off its list of banned organisations.")
    assert found(matcher, text, "en", "theme") == {"terrorist_designation"}
    # the lead still lends its context to the points under it
    text = "Russia and the Taliban: what changed this week\n• Moscow accepted the new ambassador's credentials."
    assert "recognition" in found(matcher, text, "en")


def test_twenty_second_round_classes(matcher):
    # the Trans-Afghan mainline; assets frozen with an adjective between; troops taken out of the Donbas
    assert "economic_agreements" in found(matcher, "Россия, Пакистан и Афганистан обсудят проект Трансафганской магистрали.", "ru")
    text = "Россия предлагала включить в резолюцию по Афганистану пункт о заморозке финансовых активов страны."
    assert "frozen_reserves" in found(matcher, text, "ru")
    text = "Вряд ли Россия ради границ с Афганистаном выведет войска с Донбасса."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    # an embassy guarded or secured is news about the mission
    text = "The Taliban entered the capital on Sunday. Guarding the Russian embassy has since been the ambassador's worry."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # "new" is a new ambassador only by the noun; national unity "secured" supplies nothing
    text = "خلیلزاد، دیپلمات افغان‌تبار آمریکایی، در اظهارات جدید خود از طالبان خواست چهره‌های تاجیک را بپذیرند."
    assert "diplomatic_missions" not in found(matcher, text, "fa")
    text = "متقی در فاریاب گفت وحدت ملی در کشور تامین شده است و همه اقوام در حکومت طالبان سهم دارند."
    assert "economic_agreements" not in found(matcher, text, "fa")
    # the participle with its ezafe: «پول مسدودشده‌ی بانک مرکزی»
    text = "خانواده‌ها می‌خواهند غرامت از پول مسدودشده‌ی بانک مرکزی افغانستان پرداخت شود."
    assert "frozen_reserves" in found(matcher, text, "fa")


def test_dev13_formats_and_senses(matcher):
    # a briefing's question opens a topic of its own: the Ukraine question is not the Afghan one's context
    text = ("Zaharova'nın haftalık brifinginden\nSoru (AA): Afganistan Merkez Bankası'nın İsviçre'deki fonda kalan "
            "varlıkları hakkında ne düşünüyorsunuz?\nZaharova: Bu paralar Afgan halkınındır.\n"
            "Soru (TASS): Batı'nın Kiev'e yeni silah sevkiyatı hakkında?\nZaharova: Ne yaptırımlar ne de silahlar "
            "Ukrayna'daki çatışmayı çözer.")
    assert found(matcher, text, "tr", "theme") == {"frozen_reserves"}
    # the headline lends its context to every question, however far down
    text = ("Press conference of the Islamic Emirate's foreign ministry spokesman in Kabul\n"
            "Question (Reuters): What about refugees returning from Pakistan?\nAnswer: Registration centres are open.\n"
            "Question (Sputnik): Will the staff of the embassy in Moscow grow?\n"
            "Answer: Yes, the consular section of the embassy will expand next month.")
    assert "diplomatic_missions" in found(matcher, text, "en")
    # a club signing a player is a sport's contract; Turkish border guards with the heroin far down the clause
    text = "Lokomotiv Moskova, Afganistan milli takımının kanat oyuncusu Ferid Nuri ile üç yıllık sözleşme imzaladı."
    assert "economic_agreements" not in found(matcher, text, "tr")
    text = ("Tacikistan sınır muhafızları, Penç Nehri'ni lastik botla geçmeye çalışan ve Bedahşan'dan gelen üç "
            "kişiden 40 kilogram eroin ele geçirdi.")
    assert "regional_security" not in found(matcher, text, "tr")
    # the Afghan Fund by its description; the whole spectrum (tüm yelpaze) of an administration
    text = "Afgan merkez bankası yönetimi, İsviçre'deki fonda bekleyen paranın ülkeye getirilmesi için başvurdu."
    assert "frozen_reserves" in found(matcher, text, "tr")
    text = "Toplantıda Taliban'dan tüm yelpazeyi kucaklayan bir yönetim kurması istendi."
    assert "inclusive_government" in found(matcher, text, "tr")


def test_places_in_lists_and_by_their_endings(matcher):
    # a name in a list shares the place word of the list's first; Turkish -teki after a voiceless consonant
    text = "Architects from Kazan, Tashkent and Almaty received awards for public spaces in Afghanistan's cities."
    assert "uzbekistan" not in found(matcher, text, "en", "actor")
    text = "Sergide Taşkent'teki bir enstitüden ödünç alınan Herat minyatürleri var."
    assert "uzbekistan" not in found(matcher, text, "tr", "actor")
    # Persian بورس تهران, the Tehran stock exchange, is a place
    assert "iran" not in found(matcher, "بورس تهران با رشد شاخص بسته شد؛ برف شاهراه سالنگ افغانستان را بست.", "fa", "actor")


def test_frozen_assets_in_any_word_order_and_ukraines_places(matcher):
    text = "Russia calls for engagement with Kabul, while the country's funds have been frozen by the US since 2021."
    assert "frozen_reserves" in found(matcher, text, "en")
    # ... but not a listed person's assets, nor aid frozen
    text = "Baradar is still on the 1988 list, which freezes their assets and bars them from travel, Afghan officials said."
    assert "frozen_reserves" not in found(matcher, text, "en")
    text = "A Kandahar hospital lost its staff since Washington froze most foreign assistance to Afghanistan."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # shelling in the Donbas is the war in Ukraine, not security in the region
    text = ("The Taliban urged restraint. Russian forces entered Kyiv after reports of the army shelling Donetsk and "
            "Luhansk.")
    assert "regional_security" not in found(matcher, text, "en")
    # a notice that names no country: "banned in many countries"
    text = ("Uzbekistan and the Taliban movement (recognized as terrorist and banned in many countries) will hold "
            "talks in Termez on the railway.")
    assert "terrorist_designation" not in found(matcher, text, "en")


def test_twenty_third_round_classes(matcher):
    # since 2021 "the Afghan government" is the Taliban's: its talks with Ankara are no reconciliation
    text = "Ankara'daki görüşmede Taliban heyeti, Türkiye'den Afgan hükümetini tanımasını istemedi."
    assert "inclusive_government" not in found(matcher, text, "tr")
    # ... while peace talks with it, and a settlement among Afghans, are
    text = "Taliban, Afgan hükümeti ile barış müzakerelerine başlamayı kabul etti."
    assert "inclusive_government" in found(matcher, text, "tr")
    text = "Rusya, Afganlar arasında bir uzlaşı için Taliban'a baskı yapılması gerektiğini söyledi."
    assert "inclusive_government" in found(matcher, text, "tr")
    # "İslam devletleri" are the Muslim countries, not the Islamic State
    text = "1990'larda Taliban, İslam devletleri arasında yalnızca üç ülke tarafından tanındı."
    assert "iskp" not in found(matcher, text, "tr", "actor")
    # "well-recognized" is praise; a doctor's accreditation by the health ministry is a licence; Persian "officially
    # know" and the lifting (برداشتن) of the ban
    text = "A well-recognized Afghan delegation met Pakistan's foreign minister in Islamabad to discuss border security."
    assert "recognition" not in found(matcher, text, "en")
    text = "Афганский хирург из Кабула готовится к аккредитации в Минздраве, чтобы работать в больнице."
    assert "recognition" not in found(matcher, text, "ru")
    text = "آیا کرملین پس از برداشته شدن ممنوعیت فعالیت طالبان، امارت اسلامی را رسماً می‌شناسد؟"
    assert {"recognition", "terrorist_designation"} <= found(matcher, text, "fa")


def test_twenty_fourth_round_classes(matcher):
    # the war's fighting told in the sentence that names Ukraine is the war in Ukraine, not security in the region
    text = ("A day after Russia's invasion of Ukraine began, the Taliban urged Moscow to halt its military attack and "
            "asked both sides to protect Afghan students.")
    assert found(matcher, text, "en", "theme") == {"ukraine_war"}
    text = "امارت اسلامی با اشاره به وضعیت اوکراین از هر دو طرف خواست که به درگیری‌ها پایان دهند و جان دانشجویان افغان را حفظ کنند."
    assert "regional_security" not in found(matcher, text, "fa")
    # ... while an attack in Afghanistan, in a sentence of its own, stays
    text = ("The Taliban commented on the war in Ukraine. An attack on a checkpoint in Kabul killed four guards on "
            "Sunday.")
    assert "regional_security" in found(matcher, text, "en")
    # the noun of a listed verb: «расширение ... базы правительства», broadening the government's base
    text = "Участники снова будут добиваться от талибов расширения этнической и политической базы правительства."
    assert "inclusive_government" in found(matcher, text, "ru")
    # Afghan assets frozen in any word order, as in English ...
    text = "Посол России в Кабуле заявил, что американцы грабительски заморозили афганские банковские активы."
    assert "frozen_reserves" in found(matcher, text, "ru")
    # ... but not the assets of listed leaders under a travel ban
    text = "Для ряда лидеров «Талибана» по-прежнему действуют запрет на путешествия, а их активы заморожены."
    assert "frozen_reserves" not in found(matcher, text, "ru")
    # the Red Army's retreat ended the Soviet occupation, not the American one
    text = "Десятилетняя оккупация Афганистана закончилась унизительным отступлением Красной Армии, пишет автор."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    # the "New" of a city's name is no new envoy; the adjective after it is
    text = "Diplomats in New York say a request to take the Taliban's interior minister off the UN list is stuck."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    text = "India's new ambassador to Kabul arrived on Monday, diplomats in New Delhi said."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # Turkish "katılımcı" (participatory) government; the verb's first person plural (tanıyoruz, we recognise)
    text = "Taliban sözcüsü, katılımcı bir hükümet kuracaklarını açıkladı."
    assert "inclusive_government" in found(matcher, text, "tr")
    text = "Rus yetkili, \"Taliban hükümetini resmen tanıyoruz\" dedi."
    assert "recognition" in found(matcher, text, "tr")
    # the "Moscow format" of a city festival is a street fair's style, not the consultations
    text = ("На фестивале в центре столицы открылись павильоны Узбекистана и Афганистана; организаторы называют это "
            "«московским форматом» уличных праздников.")
    assert "moscow_format" not in found(matcher, text, "ru")
    # the terrorist label removed is a designation matter, not terrorism (Persian برچسب, Turkish etiket)
    text = "تحلیلگران در کابل می‌گویند برداشتن برچسب تروریستی از طالبان یک تصمیم سیاسی است."
    assert found(matcher, text, "fa", "theme") == {"terrorist_designation"}
    text = "Kabil'deki analistler, Taliban'ın üzerindeki terör etiketinin kaldırılmasının siyasi bir karar olduğunu söyledi."
    assert found(matcher, text, "tr", "theme") == {"terrorist_designation"}


def test_a_peoples_adjective_names_its_state_next_to_the_states_nouns(matcher):
    # "Tajik President", "the Uzbek side", «таджикские пограничники», «طرف ازبک», "Özbek tarafı": the state
    assert "tajikistan" in found(matcher, "Tajik President Emomali Rahmon received a Taliban delegation.", "en")
    assert "uzbekistan" in found(matcher, "The Uzbek side signed a railway memorandum with the Taliban.", "en")
    assert "tajikistan" in found(matcher, "Таджикские пограничники задержали контрабандистов на Пяндже.", "ru")
    assert "uzbekistan" in found(matcher, "طرف ازبک با طالبان درباره خط آهن توافق کرد.", "fa")
    assert "uzbekistan" in found(matcher, "Özbek tarafı Taliban ile demiryolu anlaşması imzaladı.", "tr")
    # ... or joined by a hyphen to Afghanistan's name or another state's ("the Tajik-Afghan border")
    assert "tajikistan" in found(matcher, "Militants were detained on the Tajik-Afghan border on Friday.", "en")
    assert "uzbekistan" in found(matcher, "Афгано-узбекские переговоры прошли в Термезе.", "ru")
    # ... while the people is no state: Afghanistan's Tajik and Uzbek commanders, "ethnic Uzbek officials", a
    # Tajik-speaking district
    text = "Uzbek and Tajik commanders in the Taliban government were sidelined, ethnic Uzbek officials said."
    assert found(matcher, text, "en", "actor") == {"taliban"}
    text = "The Taliban appointed a governor in a Tajik-speaking district of Badakhshan."
    assert "tajikistan" not in found(matcher, text, "en")
    text = "Таджикские полевые командиры воевали против талибов в Панджшере."
    assert "tajikistan" not in found(matcher, text, "ru")


def test_twenty_fifth_round_classes(matcher):
    # Persian متقی ("pious") is the minister in a text that names the Taliban
    assert "amir_khan_muttaqi" in found(matcher, "کازان میزبان نشست منطقه‌ای؛ متقی در رأس هیئت طالبان", "fa")
    # the Durand Line a relative clause says is not recognised; the importance of a project recognised
    text = "Trade stalls at Torkham over the Durand Line, which Afghanistan does not formally recognize."
    assert "recognition" not in found(matcher, text, "en")
    text = "Washington has recognized the Chabahar project's strategic importance for trade with Afghanistan."
    assert "recognition" not in found(matcher, text, "en")
    # another sanctioned state's regime; the entries of a list of banned organisations; Middle East wars
    text = "India got a waiver for Chabahar despite the broader sanctions regime on Iran, Afghan traders said."
    assert "terrorist_designation" not in found(matcher, text, "en")
    text = "The Taliban were dropped; among the organisations banned by Kyrgyz courts are al-Qaeda and Hizb ut-Tahrir."
    assert "regional_security" not in found(matcher, text, "en")
    text = "پس از حمله اسرائیل بر ایران، شمار مهاجران افغان بازگشته در اسلام قلعه افزایش یافت."
    assert "regional_security" not in found(matcher, text, "fa")
    # ... while the broken plural حملات (airstrikes) on an Afghan district is an attack
    text = "حملات هوایی ارتش پاکستان بر ولسوالی برمل پکتیکا ده‌ها کشته برجا گذاشت."
    assert "regional_security" in found(matcher, text, "fa")
    # diplomats who "left for" the United States travelled; they withdrew no troops
    text = "Most of the Afghan embassy's diplomats left for Europe and the United States after the fall of Kabul."
    assert "us_withdrawal" not in found(matcher, text, "en")
    # Turkish -tığı (devrettiği, handed over) and ilişkin ("concerning", no relations); çek- also puts up a fence
    text = "Afganistan'ın Tahran Büyükelçiliği'ni Taliban'a devrettiği görüldü."
    assert "recognition" in found(matcher, text, "tr")
    text = "Pakistan savaş uçakları Paktika'ya saldırdı. Operasyonun detaylarına ilişkin resmi kayıplar paylaşılmadı."
    assert "recognition" not in found(matcher, text, "tr")
    text = "Afganistan'daki Taliban, Pakistan güçlerinin sınır hattına izinsiz tel örgü çektiğini söyledi."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    # a fuel and wheat pact or protocol; gunmen firing on an embassy in Kabul; a broad-based cabinet
    text = "Squeezed by sanctions, Moscow signs a discounted fuel-and-wheat pact with the Taliban."
    assert "economic_agreements" in found(matcher, text, "en")
    text = "Rus buğdayı ve akaryakıtı için Kabil'le yeni protokol: ödeme ruble ve afganiyle."
    assert "economic_agreements" in found(matcher, text, "tr")
    text = "Gunmen fire on Pakistani embassy compound in Kabul; head of mission unhurt."
    assert "diplomatic_missions" in found(matcher, text, "en")
    text = "Kabulov: wider recognition of the Taliban hinges on a broad-based cabinet."
    assert "inclusive_government" in found(matcher, text, "en")
    # acclaim at an awards ceremony, across its name
    text = "A Herat-born rubab player wins international recognition at the Aga Khan music awards."
    assert "recognition" not in found(matcher, text, "en")
    # the central bank by its Latin name in Turkish places the text in Afghanistan
    text = "Da Afghanistan Bank'ın İsviçre'deki fonunda 3,5 milyar dolar bekliyor."
    assert "frozen_reserves" in found(matcher, text, "tr")
    # Turkish past copula (listesindeydi); suret, a copy, is no süre, a period
    text = "Rus Yüksek Mahkemesi yasağı askıya aldı; Taliban 2003'ten bu yana terör örgütleri listesindeydi."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "Rusya, Taliban'ın büyükelçisinin güven mektubunun suretini kabul etti."
    assert "recognition" in found(matcher, text, "tr")
    # Russian ж/д (railway) and трансафганский
    text = "ТРАНСАФГАНСКАЯ Ж/Д: УЗБЕКИСТАН, АФГАНИСТАН И ПАКИСТАН ПОДПИСАЛИ РАМОЧНОЕ СОГЛАШЕНИЕ"
    assert "economic_agreements" in found(matcher, text, "ru")
    # an airline's air transit is no transit deal
    text = "Kam Air will resume flights between Kabul and Tashkent; the air transit problem has been resolved."
    assert "economic_agreements" not in found(matcher, text, "en")


def test_a_building_is_never_a_dateline(matcher):
    # "KREMLIN: ..." at the head of a line is the Kremlin speaking; "MOSCOW, Nov 3 —" is where the story was filed
    assert "russia" in found(matcher, "KREMLIN: NO DECISION YET ON THE TALIBAN'S ENVOY", "en")
    assert "russia" in found(matcher, "Kremlin: 'Somaliland'i tanımak gündemimizde değil'.", "tr")
    assert "russia" not in found(matcher, "MOSCOW, Nov 3 — The Taliban's delegation arrived for talks.", "en")


def test_twenty_sixth_round_classes(matcher):
    # the Pakistani Taliban listed or called terrorist is a look-alike's listing, not the Taliban's
    text = "The UN report also noted that the Taliban do not view the TTP as a terrorist group."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # a namesake of the minister
    text = "Herat'ta Taliban'ın vilayet sözcüsü Matiullah Muttaki, infazın stadyumda yapıldığını söyledi."
    assert "amir_khan_muttaqi" not in found(matcher, text, "tr")


def test_the_soviet_wars_own_words_name_its_withdrawal(matcher):
    # the Soviet-Afghan war's veterans («воины-интернационалисты», «ветераны-афганцы») date an unqualified withdrawal
    text = "Ветераны-афганцы собрались в Волгограде в годовщину вывода войск из Афганистана."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    text = "Воинам-интернационалистам посвятили концерт к годовщине вывода войск из Афганистана."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    # (and without them the withdrawal from Afghanistan is the one of 2021)
    text = "Третья годовщина вывода войск из Афганистана: талибы провели парад в Кабуле."
    assert "us_withdrawal" in found(matcher, text, "ru")


def test_twenty_seventh_round_classes(matcher):
    # a trade deficit or surplus is a statistic, not a deal
    text = "Afganistan'da genişleyen ticaret açığı ve süregelen yoksulluk Taliban yönetimini zorluyor."
    assert "economic_agreements" not in found(matcher, text, "tr")
    # a base set up in the region, with the military word left out ("a Swiss-based trust set up" is none)
    text = "Kabulov, \"Rusya'nın Afganistan'da üs kurma planı yok\" dedi."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Kabulov called the Swiss-based trust set up to manage the Afghan central bank's funds a fig leaf."
    assert "regional_security" not in found(matcher, text, "en")
    # ambassadors designated or posted to Kabul
    text = "China, Uzbekistan and Pakistan have all designated ambassadors to Kabul."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # the Security Council's travel exemption for a listed Taliban minister
    text = ("Амирхан Муттаки отправится в Индию. Поездка стала возможной благодаря недельному разрешению, "
            "выданному Советом Безопасности ООН.")
    assert "terrorist_designation" in found(matcher, text, "ru")
    # a corridor of transit or trade
    text = ("Главы МИД Узбекистана, Афганистана и Пакистана подписали рамочное соглашение; маршрут откроет "
            "прямой сухопутный коридор от Центральной Азии до Индийского океана.")
    assert "economic_agreements" in found(matcher, text, "ru")
    # drugs in a list of threats beside arms trafficking and extremism
    text = "He warned of the spread of terrorism, arms trafficking, drugs and extremism from Afghanistan."
    assert "drug_trafficking" in found(matcher, text, "en")
    # Persian عملیات alone ends a rescue, not a war
    text = ("حکومت طالبان گفت شمار تلفات پس از پایان یافتن عملیات جستجو و نجات اعلام می‌شود؛ به گفته اداره زمین "
            "شناسی ایالات متحده، زلزله ۶.۳ درجه بود.")
    assert "us_withdrawal" not in found(matcher, text, "fa")
    # "an important step" towards recognition is no "recognised the importance"
    text = "Mücahid, Çin'in yeni büyükelçi atayarak Taliban hükümetinin resmen tanınması yolunda önemli adım attığını söyledi."
    assert "recognition" in found(matcher, text, "tr")
    # a safe haven for militants
    text = "Pakistan accuses Kabul of giving the TTP safe havens in Afghanistan."
    assert "regional_security" in found(matcher, text, "en")


def test_a_persian_possessive_after_a_consonant_is_its_word(matcher):
    # سفارتش, its embassy, is سفارت; چینش, an arrangement, is no چین (a stem of three letters is left whole)
    text = "ذبیح الله مجاهد گفت پکن با فعال نگهداشتن سفارتش در کابل، به افغانستان کمک کرده است."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    text = "چینش رنگارنگ اجناس در بازار کابل رهگذران را به خرید وامی‌دارد."
    assert "china" not in found(matcher, text, "fa")


def test_kyrgyzstans_celalabad_places_no_text_in_afghanistan(matcher):
    # Turkish writes Kyrgyzstan's Jalal-Abad as Celalabad: it is left out of the gazetteer, like Faizabad
    text = ("Çin-Kırgızistan-Özbekistan demir yolunun Torugart-Arpa-Makmal-Celalabad güzergahında fizibilite "
            "çalışması için üçlü mutabakat imzalanacak.")
    assert found(matcher, text, "tr") == {"china", "kyrgyzstan", "uzbekistan"}


def test_twenty_eighth_round_classes(matcher):
    # a base taken back or under a foreign power's control is today's posture; a base abandoned in 2021 is the past
    text = ("Taliban officials rejected the suggestion that Bagram Airfield near Kabul could return to U.S. control "
            "after it was abandoned during the withdrawal of troops from Afghanistan.")
    assert "regional_security" in found(matcher, text, "en")
    text = ("ترمپ گفت که امریکا نباید پایگاه بگرام را رها می‌کرد و از نحوه خروج قوای امریکایی از افغانستان انتقاد "
            "کرد.")
    assert "regional_security" not in found(matcher, text, "fa")
    # no access to the reserves abroad is the frozen reserves told another way
    text = "The Taliban face economic problems: they have no access to assets from Afghanistan abroad."
    assert "frozen_reserves" in found(matcher, text, "en")
    # "recognised the scale" acknowledges; it recognises no government
    text = "Taliban representatives said Grandi recognised the scale of the Afghan deportations from Iran."
    assert "recognition" not in found(matcher, text, "en")
    # the Moscow platform is the format's other name (and its Moscow is no actor)
    text = "Lavrov, Moskova diyalog platformunun önemine vurgu yaptı ve Afganistan'ın komşularıyla ilişkileri anlattı."
    assert found(matcher, text, "tr") == {"sergey_lavrov", "moscow_format"}
    # Muttaqi, the Taliban's foreign minister, makes "the Taliban" the Afghan ones in a text that also names the TTP
    text = ("اسلام‌آباد طالبان را به حمایت از اعضای تحریک طالبان پاکستانی متهم کرده و وزیر خارجه پاکستان گفت این "
            "موضوع در دیدار اخیرش با امیرخان متقی، وزیر خارجه طالبان، مطرح شده است.")
    assert "taliban" in found(matcher, text, "fa")


def test_a_turkish_capital_before_buyukelcilik_is_where_it_stands(matcher):
    # "Çin'in Duşanbe Büyükelçiliği" is China's embassy in Dushanbe; Afghanistan's there, or the Taliban's, keeps
    # its sense
    text = ("Tacikistan'ın Afganistan sınırındaki Hatlon ilinde İHA saldırısı düzenlendi. Çin'in Duşanbe "
            "Büyükelçiliği, saldırıda 3 Çin vatandaşının hayatını kaybettiğini bildirdi.")
    assert "diplomatic_missions" not in found(matcher, text, "tr")
    text = "Taliban yönetimi, İslamabad Büyükelçiliğine yeni bir maslahatgüzar atadı."
    assert "diplomatic_missions" in found(matcher, text, "tr")


def test_twenty_ninth_round_classes(matcher):
    # a list of capitals after a place word, joined by Persian commas and with names of two words, are all places
    text = ("تاکنون چندین نشست منطقه ای در مورد بحران افغانستان برگزار شده است، از جمله نشست تهران، پکن، مسکو، "
            "دهلی نو، اسلام آباد، تاشکند و دوشنبه.")
    assert not {"china", "russia", "india", "pakistan", "uzbekistan"} & found(matcher, text, "fa")
    # a government recognised beside a delisting is recognition, not "recognised as terrorist"
    text = ("با تصمیم روسیه برای حذف نام طالبان از فهرست گروه‌های تروریستی و به رسمیت شناختن حکومت این گروه، "
            "موازنه سیاسی در منطقه دگرگون شده است.")
    assert {"recognition", "terrorist_designation"} <= found(matcher, text, "fa")
    # a UN ambassador nominated by the Taliban is the UN seat
    text = ("Taliban, BM'ye mektup göndererek Genel Kurul görüşmelerine katılma talebinde bulundu ve sözcülerinden "
            "Suheyl Şahin'i BM büyükelçisi adayı gösterdi.")
    assert "recognition" in found(matcher, text, "tr")
    # border protection guards seizing drugs: interdiction, not a security event
    text = "Tacikistan-Afganistan sınırında Rus sınır koruma muhafızları tarafından 50 kilogram uyuşturucu ele geçirildi."
    assert "regional_security" not in found(matcher, text, "tr")
    # Turkish tanı- also grants room ("geniş alanlar tanıdı")
    text = "Taliban yönetimi, Çin'e Afganistan'ın yer altı zenginliklerine yatırım yapması için geniş alanlar tanıdı."
    assert "recognition" not in found(matcher, text, "tr")


def test_thirtieth_round_classes(matcher):
    # a delisting told as "no longer banned"
    text = ("This way, the movement was no longer prohibited in Russia, whose government began to build bridges with "
            "the Taliban years before they regained power in Kabul.")
    assert "terrorist_designation" in found(matcher, text, "en")
    text = "وزارت خارجه قزاقستان اعلام کرد که این کشور دیگر طالبان را یک سازمان ممنوعه تلقی نمی‌کند."
    assert "terrorist_designation" in found(matcher, text, "fa")
    # the format's round named by its city: a meeting on Afghanistan in Kazan
    text = "Делегация талибов примет участие во встрече по Афганистану в Казани 29 сентября, сообщил Замир Кабулов."
    assert "moscow_format" in found(matcher, text, "ru")
    # the central bank's assets, whatever is said of them; billions by the Turkish -lArcA
    text = "Bir ABD'li yetkili, \"Afgan merkez bankasının ABD'deki varlıkları Taliban'a verilmeyecek\" dedi."
    assert "frozen_reserves" in found(matcher, text, "tr")
    text = "Uluslararası toplum Afganistan'ın yurtdışındaki milyarlarca dolarlık varlığını dondurdu."
    assert "frozen_reserves" in found(matcher, text, "tr")
    # "sınır tanımayan" (without borders) is a name's idiom, no recognition
    text = ("Sınır Tanımayan Nehirler raporuna göre Rogun Barajı, Afganistan ve Özbekistan'daki tarımı etkileyecek; "
            "Taliban yönetimi de endişeli.")
    assert "recognition" not in found(matcher, text, "tr")
    # Gharwal's Turkish spelling with C
    text = "Taliban heyetinde Büyükelçi Gul Hasan ve Cemal Nasır Carval yer aldı."
    assert "jamal_nasir_gharwal" in found(matcher, text, "tr")


def test_a_persian_verb_final_clause_reaches_its_diplomat(matcher):
    # the verb closes the clause eight words after the ambassador
    text = "روز گذشته نخستین سفیر حکومت طالبان در روسیه به صورت رسمی آغاز به کار کرد."
    assert "diplomatic_missions" in found(matcher, text, "fa")


def test_thirty_first_round_classes(matcher):
    # Turkish tanı- "to know" someone takes iyi, yakından; the recognition noun beside "gerekli" stays recognition
    text = ("Kabulov, \"Bu, Taliban yönetiminin tanınması öncesi gerekli bir süreç\" dedi; Moskova yönetimi Taliban'ı "
            "listeden çıkarmayı planlıyor.")
    assert "recognition" in found(matcher, text, "tr")
    text = "Lavrov, \"Muttaki'yi yakından tanırım\" dedi ve Kabil'deki Taliban yönetimiyle görüştü."
    assert "recognition" not in found(matcher, text, "tr")
    # the news agency named the Young Journalists Club is no sports club
    text = "باشگاه خبرنگاران جوان- همکاری تجاری طالبان و قزاقستان در سال جاری گسترش یافت."
    assert "economic_agreements" in found(matcher, text, "fa")
    # a Persian perfect glued when the ZWNJ is lost: فرستادهاند, they have sent
    text = "امارت اسلامی افغانستان به تازگی در مسکو سفیر فرستادهاند."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # Zhirnov written Zirnov
    text = "Rusya'nın Kabil Büyükelçisi Dmitri Zirnov, yarın Taliban güvenlik koordinatörüyle bir araya gelecek."
    assert "dmitry_zhirnov" in found(matcher, text, "tr")


def test_english_counter_narcotics_words_made_with_drug(matcher):
    # drug control and a country declared free of drugs are counter-narcotics
    text = ("Ambassador Zhao highlighted cooperation with Afghanistan in crime prevention and drug control, the Taliban "
            "said.")
    assert "drug_trafficking" in found(matcher, text, "en")
    text = "The Taliban condemned the UN report, saying Afghanistan is now free from drugs."
    assert "drug_trafficking" in found(matcher, text, "en")


def test_thirty_second_round_classes(matcher):
    # a drone launched from Afghan territory that struck
    text = ("Tajikistan said three Chinese workers were killed when a drone launched from Afghan territory struck a camp "
            "in the Khatlon region.")
    assert "regional_security" in found(matcher, text, "en")
    # India's technical mission in Kabul re-established
    text = "New Delhi pulled out its diplomats in 2021 but re-established a technical mission in Kabul in June 2022."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # an act called terror is what an attack is called, no listing
    text = ("Trump labeled the shooting by an Afghan national an act of terror and vowed that the perpetrator will pay "
            "a steep price.")
    assert "terrorist_designation" not in found(matcher, text, "en")
    # official diplomatic ties with Afghanistan's rulers are recognition
    text = "A string of crises has driven the Kremlin to enter into official diplomatic ties with the Taliban."
    assert "recognition" in found(matcher, text, "en")
    # travel restrictions imposed on Taliban leaders are the UN travel ban
    text = "The Taliban met the US envoy to discuss lifting travel restrictions imposed on Taliban leaders."
    assert "terrorist_designation" in found(matcher, text, "en")
    # the Indian tectonic plate is no India
    text = "Afghanistan lies at the collision point of the Indian and Eurasian tectonic plates."
    assert "india" not in found(matcher, text, "en")
    # Russian трансафганский places the text in Afghanistan
    text = "Пакистан считает важным реализацию проекта Трансафганского транспортного коридора, заявил Шахбаз Шариф."
    assert "economic_agreements" in found(matcher, text, "ru")
    # Dari کنترول, a base kept under control
    text = ("ترمپ گفت اگر خروج نیروهای امریکایی از افغانستان در زمان او انجام می‌شد، پایگاه بگرام را در کنترول نیروهای "
            "امریکایی حفظ می‌کرد.")
    assert "regional_security" in found(matcher, text, "fa")
    # the gas's passage (geçiş) through Afghanistan under an agreement
    text = "Taliban, Rusya ile Afganistan üzerinden sıvılaştırılmış doğal gazın geçişi konusunda anlaşma istiyor."
    assert "economic_agreements" in found(matcher, text, "tr")


def test_thirty_third_round_classes(matcher):
    # Persian کشاورزی, "agricultural", is no farmer: the trade with a neighbour stands
    text = ("در نشست مشترک اقتصادی میان طالبان و ازبکستان، دو طرف بر گسترش همکاریهای تجاری و افزایش صادرات محصولات "
            "کشاورزی توافق کردند.")
    assert "economic_agreements" in found(matcher, text, "fa")
    # the adjective of trade across a coordinated adjective: «روابط اقتصادی و تجاری»
    text = "ایران طالبان را به رسمیت نشناخته، اما روابط اقتصادی و تجاری میان دو طرف گسترش یافته است."
    assert "economic_agreements" in found(matcher, text, "fa")
    # "not recognised by the authorities of any country": the authorities are no "recognised authority"
    text = "The Taliban administration is not formally recognized by authorities in any other state."
    assert "recognition" in found(matcher, text, "en")
    # Russian «вывести из списка»: taken out of the list
    text = "Москва готовит решение о выводе талибов из российского списка."
    assert "terrorist_designation" in found(matcher, text, "ru")
    # Turkish keyif verici madde, the law's psychoactive substance
    text = "Taliban, Afganistan'da keyif verici maddelerin üretimini ve satışını yasakladı."
    assert "drug_trafficking" in found(matcher, text, "tr")
    # credentials issued by the host state
    text = "روسیه برای کاردار طالبان در مسکو استوارنامه صادر کرد."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # an attack on rights is no violence
    text = "The UN envoy condemned the Taliban's systematic attacks on the rights of Afghan women and girls."
    assert "regional_security" not in found(matcher, text, "en")
    text = "طالبان به حملات خود علیه حقوق زنان و دختران در افغانستان ادامه می‌دهند."
    assert "regional_security" not in found(matcher, text, "fa")
    # the fight against terrorism is counter-terrorism even where a word of listing stands near it
    text = "پوتین امارت اسلامی افغانستان را شریک روسیه در مبارزه با تروریسم عنوان کرد."
    assert "regional_security" in found(matcher, text, "fa")
    # Dari همه‌شمولیت, inclusivity, of the Taliban's rule
    text = "سازمان ملل گفت تصمیم‌های طالبان همه‌شمولیت را در افغانستان تضعیف کرده است."
    assert "inclusive_government" in found(matcher, text, "fa")
    # the head of a mission is a diplomat's post
    text = "Представитель талибов прибыл в Дели, чтобы приступить к исполнению обязанностей главы посольства Афганистана."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    # the Moscow dialogue platform is the format's other name
    text = "Лавров заявил, что значение Московской диалоговой площадки по Афганистану растёт."
    assert "moscow_format" in found(matcher, text, "ru")


def test_tension_between_states_is_regional_security(matcher):
    # tension between states, on a border or of a military kind
    text = ("Lavrov and Muttaqi discussed ways to ease the military tension between Kabul and Islamabad, the Russian "
            "foreign ministry said.")
    assert "regional_security" in found(matcher, text, "en")
    text = "Görüşmede Afganistan ile Pakistan arasındaki gerilim de ele alındı."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Стороны обсудили пути снижения напряжённости в отношениях Афганистана и Пакистана."
    assert "regional_security" in found(matcher, text, "ru")
    text = "کمبود آب هیرمند تنش میان تهران و کابل را بیشتر کرده است."
    assert "regional_security" in found(matcher, text, "fa")
    # a village's or a market's tension is not
    text = "Farmers in Badakhshan say the planting season began with tension after the poppy ban; prices fell in Kabul."
    assert "regional_security" not in found(matcher, text, "en")


def test_thirty_fourth_round_classes(matcher):
    # the press's stock epithet before the name is a notice, not a listing
    text = ("Представители запрещенной террористической организации «Талибан» заявили о закупке нефти и газа у "
            "России.")
    assert "terrorist_designation" not in found(matcher, text, "ru")
    text = "Representatives of the banned Taliban movement met Russian officials in Moscow on Friday."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # ... while the ban itself, with its verb, is: the Supreme Court's of 2003
    text = "В 2003 году Верховный суд России запретил движение «Талибан»."
    assert "terrorist_designation" in found(matcher, text, "ru")
    text = "Russia banned the Taliban in 2003, long before the two sides began to talk."
    assert "terrorist_designation" in found(matcher, text, "en")
    text = "Moscow designated the Taliban a terrorist organisation in 2003."
    assert "terrorist_designation" in found(matcher, text, "en")
    # the compound verb glued when its ZWNJ is lost
    text = "دهلی نو گفت بازگشایی سفارتش در کابل به معنای به رسمیتشناختن حکومت طالبان نیست."
    assert "recognition" in found(matcher, text, "fa")
    # ambassadors exchanged
    text = "Обменявшись с Кабулом послами, Пекин сохранил пространство для манёвра в отношениях с талибами."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    # a book exchange opened by the ambassador is no posting
    text = "Посол Афганистана открыл стенд на ярмарке и сказал, что книжный обмен сближает народы."
    assert "diplomatic_missions" not in found(matcher, text, "ru")
    # Turkish kapsamlı of a government, across other adjectives
    text = "Kabulov, tanınma için ilk adımın kapsamlı, etkin siyasi bir hükümetin kurulması olduğunu söyledi; Taliban yanıt vermedi."
    assert "inclusive_government" in found(matcher, text, "tr")
    text = "Taliban heyeti Ankara'da Türk yetkililerle kapsamlı bir görüşme yaptı."
    assert "inclusive_government" not in found(matcher, text, "tr")


def test_thirty_fifth_round_classes(matcher):
    # adjectives joined by a conjunction share the state's noun, in either order
    text = "Kyrgyz and Tajik border guards exchanged fire on Thursday over a blocked road."
    assert {"kyrgyzstan", "tajikistan"} <= found(matcher, text, "en")
    text = "Киргизские и таджикские пограничники снова открыли огонь на спорном участке."
    assert {"kyrgyzstan", "tajikistan"} <= found(matcher, text, "ru")
    text = "مرزبانان قرقیز و تاجیک بار دیگر با یکدیگر درگیر شدند."
    assert {"kyrgyzstan", "tajikistan"} <= found(matcher, text, "fa")
    # ... and a people stays a people
    text = "Uzbek and Tajik commanders joined the Taliban in Kunduz."
    assert not {"uzbekistan", "tajikistan"} & found(matcher, text, "en")
    # a representative at a meeting is the state's
    text = "Toplantıda Tacik temsilci, Afganistan'daki durumdan endişe duyduğunu söyledi."
    assert "tajikistan" in found(matcher, text, "tr")


def test_thirty_sixth_round_classes(matcher):
    # Russian пост is also an office: the withdrawal criticised by a president's successor in office stands
    text = ("Трамп раскритиковал своего предшественника на посту Джо Байдена за поспешный вывод американских войск из "
            "Афганистана.")
    assert "us_withdrawal" in found(matcher, text, "ru")
    # a conflict between states
    text = "Турция помогла урегулировать конфликт между Афганистаном и Пакистаном на переговорах в Дохе."
    assert "regional_security" in found(matcher, text, "ru")
    # ... but a land conflict between returnees and villagers is a civil dispute
    text = ("В провинции Тахар продолжается земельный конфликт между вернувшимися из Пакистана афганцами и жителями "
            "кишлаков.")
    assert "regional_security" not in found(matcher, text, "ru")
    # the Turkish negative aorist with "while": tanınmazken
    text = "Taliban yönetimi hiçbir ülke tarafından tanınmazken, kadınlara yönelik kısıtlamalar sürdü."
    assert "recognition" in found(matcher, text, "tr")
    # the Moscow Formula, a translation's name of the format
    text = "Rusya Dışişleri Bakanlığı, Afganistan konulu Moskova Formülü toplantısına ev sahipliği yaptı."
    assert "moscow_format" in found(matcher, text, "tr")
    # Turkish ayrıl- after için is money set aside, no withdrawal
    text = "ABD, Afganistan için ayrılan fonları Taliban'ın yönetime geçmesinin ardından dondurdu."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "ABD'nin Afganistan'dan ayrılması için gereken süre uzadı."
    assert "us_withdrawal" in found(matcher, text, "tr")
    # an ellipsis after a list word ends no sentence: the Taliban stay in reach of the inclusive government
    text = ("یکی از مقام‌های ارشد طالبان گفت در این نظام مساله پشتون، تاجیک، ازبک و ... مطرح نیست. او افزود که "
            "سلام حنفی اینجاست. اگر کسی از فراگیر بودن حکومت حرف می‌زند، این پاسخ ماست.")
    assert "inclusive_government" in found(matcher, text, "fa")
    # money for fuel transferred through a third country is no release of the reserves
    text = ("وزیر تجارت طالبان گفت چون بانک‌های افغانستان و روسیه تحریم هستند، پول خرید بنزین از طریق کشور سوم "
            "انتقال می‌یابد.")
    assert "frozen_reserves" not in found(matcher, text, "fa")
    # the import and export of narcotics is no trade deal
    text = ("رهبر طالبان با فرمانی واردات و صادرات و تولید هرگونه مواد نشئه‌آور را در سراسر افغانستان ممنوع اعلام "
            "کرد.")
    assert "economic_agreements" not in found(matcher, text, "fa")
    assert "drug_trafficking" in found(matcher, text, "fa")


def test_thirty_seventh_round_classes(matcher):
    # a trade minister's title is no deal
    text = ("In May, Taliban representatives, led by Haji Nooruddin Azizi, the Minister of Trade and Industry, attended "
            "a forum in Astana.")
    assert "economic_agreements" not in found(matcher, text, "en")
    # ... while the ministry's signed trade deal is one
    text = "Afghanistan's Ministry of Commerce signed a trade agreement with Uzbekistan on Monday, the Taliban said."
    assert "economic_agreements" in found(matcher, text, "en")
    # cricket's attack is its bowlers
    text = "Afghanistan's openers survived Bangladesh's pace attack in Sharjah to win the one-day series."
    assert "regional_security" not in found(matcher, text, "en")
    # emergency funds released by the UN are aid, not the central bank's reserves
    text = "The Taliban appealed for help after the earthquake; the UN has released emergency funds for Afghanistan."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # a ceasefire between Afghanistan and its neighbour
    text = "Afghanistan and Pakistan agreed in Istanbul to extend the ceasefire, Turkey's foreign ministry said."
    assert "regional_security" in found(matcher, text, "en")
    text = "Афганистан и Пакистан договорились о продлении режима прекращения огня."
    assert "regional_security" in found(matcher, text, "ru")
    # UN sanctions with the US coordinated before them
    text = "Two of the Taliban officials at the central bank are sanctioned by the US and the United Nations."
    assert "terrorist_designation" in found(matcher, text, "en")
    # Persian فرستاده ویژه, a special envoy, at the Moscow meeting
    text = ("فرستاده ویژه رییس‌جمهور روسیه گفت تشکیل حکومت همه‌شمول در افغانستان موضوع اصلی نشست مسکو خواهد بود.")
    assert "moscow_format" in found(matcher, text, "fa")


def test_thirty_eighth_round_classes(matcher):
    # Turkish aç-, open, a stem of two letters: "ateş açtı", opened fire
    text = "Torkham Sınır Kapısı'nda Pakistan ve Afganistan sınır birlikleri dün birbirlerine ateş açtı."
    assert "regional_security" in found(matcher, text, "tr")
    # the last C-17 out of Kabul, as the Persian press writes it
    text = "آخرین هواپیمای باری سی-۱۷ نیمه شب فرودگاه بین‌المللی کابل را ترک کرد."
    assert "us_withdrawal" in found(matcher, text, "fa")
    # Russian опиумный мак beside опийный мак
    text = "Движение «Талибан» запретило фермерам выращивать опиумный мак по всему Афганистану."
    assert "drug_trafficking" in found(matcher, text, "ru")


def test_thirty_ninth_round_classes(matcher):
    # Russian открыть огонь, to open fire
    text = "Афганские силы открыли огонь по пакистанскому посту на границе у Торхама."
    assert "regional_security" in found(matcher, text, "ru")
    # Вилоят, the Central Asian press's spelling
    text = "Ответственность за теракт взяла на себя группировка «ИГИЛ Вилоят Хорасан»."
    assert "iskp" in found(matcher, text, "ru")
    # a meeting on Afghanistan in Russia with the region's states
    text = ("Muttaqi came to Delhi after an international meeting on Afghanistan in Russia, which included "
            "representatives from China and Pakistan.")
    assert "moscow_format" in found(matcher, text, "en")
    # ... but talks with Russia are two sides
    text = "Pakistan held talks with Russia on Afghanistan last week."
    assert "moscow_format" not in found(matcher, text, "en")
    # پس گرفتن in its present forms
    text = "ترمپ گفت که ایالات متحده تلاش می‌کند تا پایگاه هوایی بگرام را در افغانستان پس بگیرد."
    assert "regional_security" in found(matcher, text, "fa")
    # water rights are no supply deal
    text = "یک نماینده مجلس ایران پیشنهاد کرد برای تأمین حقابه ایران از رود هیرمند از طالبان تضمین گرفته شود."
    assert "economic_agreements" not in found(matcher, text, "fa")


def test_fortieth_round_classes(matcher):
    # an outlet named after the state is no state: the channel «Россия 24», the newspaper
    text = "Как передает телеканал «Россия 24», пакистанская полиция оцепила здание парламента."
    assert "russia" not in found(matcher, text, "ru", "actor")
    text = "Pakistan's defence minister told Rossiya 24 that the talks would continue."
    assert "russia" not in found(matcher, text, "en", "actor")
    # «признать ... угрозой»: deemed a threat, not recognised
    text = "Ещё в 2003 году Россия признала «Талибан» угрозой для безопасности Центральной Азии."
    assert "recognition" not in found(matcher, text, "ru")
    # a gunfight between two states' forces; a bombardment; the brink of a war
    text = "A gunfight broke out between Afghan and Pakistani border forces near Chaman on Sunday."
    assert "regional_security" in found(matcher, text, "en")
    text = "جنگنده‌های پاکستانی شب گذشته چند روستا در ولسوالی برمل ولایت پکتیکا را بمباران کردند."
    assert "regional_security" in found(matcher, text, "fa")
    text = "Эксперты считают, что Пакистан и Афганистан оказались на грани полномасштабного конфликта."
    assert "regional_security" in found(matcher, text, "ru")
    # ... but a gunfight with smugglers is the drug story's police matter
    text = ("Iranian police said two traffickers were killed in a gunfight after their convoy of heroin crossed from "
            "Afghanistan.")
    assert "regional_security" not in found(matcher, text, "en")
    # a border reinforced
    text = "Душанбе намерен укреплять границу с Афганистаном при поддержке ОДКБ."
    assert "regional_security" in found(matcher, text, "ru")
    # state assets frozen (Persian دارایی‌های دولتی, as English "state assets")
    text = "طالبان می‌گویند دارایی‌های دولتی افغانستان هنوز مسدود است."
    assert "frozen_reserves" in found(matcher, text, "fa")
    # refugees returning home are no money returned
    text = "Thousands of Afghan refugees returning from Iran need funding, the Taliban said."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # an embassy's tweet or condolences: the speaker of a message, not news about the mission
    text = "In a tweet, the Afghan embassy in Islamabad said the Torkham crossing would reopen on Thursday."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    text = "سفارت ایران در کابل ضمن ابراز همدردی با خانواده‌های قربانیان سیلاب بغلان، آمادگی تهران برای کمک را اعلام کرد."
    assert "diplomatic_missions" not in found(matcher, text, "fa")
    # ... but the embassy's own news stays ("the embassy said it would reopen")
    text = "The Afghan embassy in Islamabad said in a statement that its consular section would reopen on Monday."
    assert "diplomatic_missions" in found(matcher, text, "en")


def test_forty_first_round_classes(matcher):
    # Turkish written progressive -mAktA(dIr): tanınmamaktadır, is not recognised
    text = "Taliban yönetimi bugüne kadar hiçbir ülke tarafından resmen tanınmamaktadır."
    assert "recognition" in found(matcher, text, "tr")
    # Persian credentials written as two words
    text = "سفیر ازبکستان روز دوشنبه اعتماد نامه خود را به مقام‌های طالبان سپرد."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # the broken plural حملات with Ukraine
    text = ("طالبان با روسیه برای خرید گندم مذاکره می‌کنند، در حالی که غرب می‌گوید درآمد نفت مسکو صرف حملات "
            "این کشور به اوکراین می‌شود.")
    assert "ukraine_war" in found(matcher, text, "fa")
    # the SCO by the Persian press's short name of its summit
    text = "وضعیت افغانستان در اجلاس شانگهای در آستانه بررسی شد."
    assert "sco" in found(matcher, text, "fa", "actor")
    # the Trans-Afghan corridor in Turkish
    text = "Trans-Afgan Koridoru, Özbekistan'ı Afganistan üzerinden Pakistan limanlarına bağlayacak."
    assert "economic_agreements" in found(matcher, text, "tr")
    # a war of words is no security event
    text = "تنش لفظی میان تهران و طالبان بر سر حقابه هیرمند بالا گرفته است."
    assert "regional_security" not in found(matcher, text, "fa")
    # a dated ban is the event; the undated formula stays a notice
    text = "The Taliban was banned in Russia in 2003 over its links to Chechen separatists."
    assert "terrorist_designation" in found(matcher, text, "en")
    text = "Representatives of the Taliban (banned in Russia) arrived in Kazan for the forum in 2025."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # "diplomatic" qualifies a conflict's noun, not the terror threat after a mission
    text = "Kabil'deki diplomatik misyonlar terör tehdidi altında çalışıyor."
    assert "regional_security" in found(matcher, text, "tr")
    # the killing of a consulate's diplomats
    text = "عبداللهیان به قتل دیپلمات‌های ایرانی در کنسولگری ایران در شهر مزار شریف در سال ۱۳۷۷ به دست طالبان اشاره کرد."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # a notice between a construction's two parts does not count in its window
    text = ("Кабул направил в Москву назначенного «Талибаном» (движение признано террористическим и запрещено в России) "
            "дипломата, который станет временным поверенным.")
    assert "diplomatic_missions" in found(matcher, text, "ru")


def test_forty_second_round_classes(matcher):
    # recognising someone's engagement or progress is acknowledging it
    text = "Analysts called the invitation a step towards recognising the Taliban's growing engagement with its neighbours."
    assert "recognition" not in found(matcher, text, "en")
    # border guards deporting migrants: immigration control
    text = "İran sınır muhafızları son bir haftada yakaladıkları 5 bin Afgan göçmeni sınır dışı etti."
    assert "regional_security" not in found(matcher, text, "tr")
    # Dari شمولیت, inclusiveness, alone
    text = "لاوروف گفت طالبان باید ساختار قدرت با شمولیت بیشتر در افغانستان ایجاد کنند."
    assert "inclusive_government" in found(matcher, text, "fa")
    # رسمیت of an agreement: making it formal
    text = "وزیران خارجه دو کشور برای رسمیت این توافق به کابل آمدند و با مقام‌های طالبان دیدار کردند."
    assert "recognition" not in found(matcher, text, "fa")
    # the embassy announcing its own reopening is news about it (why اعلام, announce, is no speaker's word: the sense
    # would take the reopening two words on)
    text = "سفارت افغانستان در تهران اعلام کرد که بخش قونسلی از هفته آینده بازگشایی می‌شود."
    assert "diplomatic_missions" in found(matcher, text, "fa")


def test_forty_third_round_classes(matcher):
    # memoranda, the Latin plural, and MoUs
    text = "Russian and Afghan officials signed four MoUs at the forum in Kazan."
    assert "economic_agreements" in found(matcher, text, "en")
    text = "The Taliban's deputy prime minister said memoranda of understanding with Moscow would be signed next month."
    assert "economic_agreements" in found(matcher, text, "en")
    # "economic cooperation" alone names no trade, transit or supply
    text = "Гарвал заявил, что решение создает лучшие условия для экономического сотрудничества Москвы и Кабула."
    assert "economic_agreements" not in found(matcher, text, "ru")
    # a ban's suspension by its noun
    text = "Приостановка запрета «Талибана» в России вступила в силу после решения Верховного суда."
    assert "terrorist_designation" in found(matcher, text, "ru")
    # NATO's presence is a military presence
    text = "Шойгу заявил, что западные страны хотят восстановить присутствие НАТО в Афганистане."
    assert "regional_security" in found(matcher, text, "ru")
    # Persian فرار, fled, of the US
    text = "زاخارووا گفت آمریکا در سال ۲۰۲۱ عملاً از افغانستان فرار کرد."
    assert "us_withdrawal" in found(matcher, text, "fa")
    # a creed's confession is no recognition
    text = ("Представитель талибов напомнил, что шахада на их флаге — свидетельство единобожия и признание "
            "пророческой миссии Мухаммеда.")
    assert "recognition" not in found(matcher, text, "ru")
    # an economic forum in Kazan is no Moscow Format meeting
    text = "طالبان برای شرکت در نشستی در فوروم اقتصادی کازان روسیه به آن شهر رفتند."
    assert "moscow_format" not in found(matcher, text, "fa")
    # the Turkish agencies' stock attribute before the name is a notice, not a listing
    text = "Lavrov, terör faaliyetleri nedeniyle BM yaptırımları altındaki Taliban'ın ülkede fiili güç olduğunu söyledi."
    assert "terrorist_designation" not in found(matcher, text, "tr")


def test_forty_fourth_round_classes(matcher):
    # the IMF's name holds a fund: a lender's tranche is no release of reserves
    text = ("IMF approves release of $1.1 billion tranche to Pakistan KABUL, Afghanistan — The International Monetary "
            "Fund on Monday approved the release of the final tranche of Pakistan's bailout.")
    assert "frozen_reserves" not in found(matcher, text, "en")
    # Persian تحریک طالبان alone is the TTP
    text = "نیروهای امنیتی پاکستان از دفع حمله تحریک طالبان به یک پاسگاه مرزی در بلوچستان خبر دادند."
    assert "taliban" not in found(matcher, text, "fa", "actor")
    # talks to release the assets are about the reserves (the dialogue metaphor takes the unfreezing words only)
    text = "کابلوف گفت گفتگوها برای آزاد کردن دارایی های افغانستان در بیرون از این کشور دشوار است."
    assert "frozen_reserves" in found(matcher, text, "fa")
    # ... while unfreezing a dialogue stays a metaphor
    text = "Russia hopes to unfreeze the dialogue with Kabul on Afghanistan's future."
    assert "frozen_reserves" not in found(matcher, text, "en")
    # تاجکیستان, a spelling without the second ی
    text = "رحمان، رییس جمهور تاجکیستان، در اسلام‌آباد بر ایجاد حکومت فراگیر در افغانستان تاکید کرد."
    assert "tajikistan" in found(matcher, text, "fa", "actor")


def test_forty_fifth_round_classes(matcher):
    # the citizen's noun made from the state's name (as English Uzbekistani), not the people's узбек
    text = "Сборную Афганистана по футболу возглавил узбекистанец Усмон Тошев."
    assert "uzbekistan" in found(matcher, text, "ru", "actor")
    text = "Сборную Афганистана по футболу возглавил узбек Усмон Тошев."
    assert "uzbekistan" not in found(matcher, text, "ru", "actor")
    # the military as a state's noun after a people's adjective
    text = "Кыргызстан закрыл границу после столкновений с таджикскими военными."
    assert "tajikistan" in found(matcher, text, "ru", "actor")
    # a list of another kind: export destinations
    text = "افغانستان پس از تسلط طالبان از لیست مقاصد عمده صادراتی ایران حذف شده است."
    assert "terrorist_designation" not in found(matcher, text, "fa")
    # "based on" is no base
    text = "Zhirnov said Putin's decision to recognise the Taliban was based on Foreign Minister Lavrov's advice."
    assert "regional_security" not in found(matcher, text, "en")


def test_forty_sixth_round_classes(matcher):
    # Turkish "the brink of war" in any case: the possessive form is listed (eşiği), the suffix grammar takes eşiğine
    text = "Pakistan ile Afganistan tam kapsamlı bir savaşın eşiğine geldi."
    assert "regional_security" in found(matcher, text, "tr")
    # an outlet named after the state is no state
    text = "India Today's OSINT team geolocated the sites of the clashes on the Afghan-Iranian border."
    assert "india" not in found(matcher, text, "en", "actor")


def test_forty_seventh_and_eighth_round_classes(matcher):
    # a namesake: the head of the Taliban's media commission is no foreign minister
    text = "Об этом в соцсетях сообщил глава медиакомиссии движения «Талибан» Ахмадулла Муттаки."
    assert "amir_khan_muttaqi" not in found(matcher, text, "ru", "actor")
    text = "Глава МИД талибов Амир Хан Муттаки прибыл в Москву."
    assert "amir_khan_muttaqi" in found(matcher, text, "ru", "actor")
    # the sanctions of a terrorist listing by their name are the listing, not a security event
    text = "Banks avoid any transfer to Kabul because counter-terrorism sanctions still cover many Taliban ministers."
    assert "terrorist_designation" in found(matcher, text, "en")
    assert "regional_security" not in found(matcher, text, "en")
    # the Russian agencies' stock sentence after a name is a notice
    text = ("Талибы провели в Кабуле встречу с делегацией из Ташкента. Движение «Талибан» находится под санкциями ООН за "
            "террористическую деятельность.")
    assert "terrorist_designation" not in found(matcher, text, "ru")
    # Persian ترک after soldiers is "Turkish", not "leaving"
    text = "طالبان گفته‌اند حضور نظامیان ترک در فرودگاه کابل را نمی‌پذیرند."
    assert "us_withdrawal" not in found(matcher, text, "fa")
    text = "آخرین نظامیان آمریکایی در سال ۲۰۲۱ افغانستان را ترک کردند."
    assert "us_withdrawal" in found(matcher, text, "fa")
    # money deposited at a bank is no mineral deposit
    text = "The Taliban want the Afghan central bank assets deposited at the Federal Reserve to be unfrozen."
    assert "frozen_reserves" in found(matcher, text, "en")
    # the dollar's sign is no state
    text = "Japan pledged US$12 million in food aid to Afghanistan, the Taliban's economy ministry said."
    assert "united_states" not in found(matcher, text, "en", "actor")
    # reconciliation at home
    text = "Analysts see little chance of domestic reconciliation while the Taliban rule alone in Kabul."
    assert "inclusive_government" in found(matcher, text, "en")
    # the president who ordered the withdrawal is its party too
    text = "Senatör, Biden yönetiminin Afganistan'dan aceleyle ayrılmasını bir felaket olarak nitelendirdi."
    assert "us_withdrawal" in found(matcher, text, "tr")
    # ... but not Persian بایدن, which the affix rules would read as باید, "must"
    text = "به همه اتباع افغانستانی اعلام شد که تا پایان ماه باید کشور را ترک کنند."
    assert "us_withdrawal" not in found(matcher, text, "fa")
    # Persian recognition's noun glued when its ZWNJ is lost, and the scornful spelling of the Taliban's name
    text = "بانک جهانی به دلیل عدم به رسمیتشناسی طالبان هنوز پولی برای این پروژه نپرداخته است."
    assert "recognition" in found(matcher, text, "fa")
    text = "فعالان زن می‌گویند جهان نباید تالبان را به رسمیت بشناسد."
    assert "taliban" in found(matcher, text, "fa", "actor")


def test_forty_ninth_and_fiftieth_round_classes(matcher):
    # an armed conflict and hostilities are fighting between armed sides
    text = "На границе Пакистана и Афганистана вспыхнул вооружённый конфликт: боевые действия шли несколько часов."
    assert "regional_security" in found(matcher, text, "ru")
    text = "Hostilities between Pakistani troops and Taliban fighters resumed along the Afghan border on Sunday."
    assert "regional_security" in found(matcher, text, "en")
    # a person declared a terrorist is listed (Russian's noun, as English terrorist)
    text = "Министр талибов Халил Хаккани ещё в 2011 году был объявлен США глобальным террористом."
    assert "terrorist_designation" in found(matcher, text, "ru")
    # spellings: Persian قرغزستان, Turkish RF with its case ending
    text = "تیم ملی فوتسال افغانستان امروز قرغزستان را شکست داد."
    assert "kyrgyzstan" in found(matcher, text, "fa", "actor")
    text = "Kabil yönetimi, RF'nin Afganistan politikasını olumlu karşıladı."
    assert "russia" in found(matcher, text, "tr", "actor")
    # one envoy's meeting is a bilateral one, not the format's meeting of the region's envoys
    text = "نماینده ویژه پوتین در این دیدار با متقی درباره ترانزیت و سرمایه‌گذاری در افغانستان گفتگو کرد."
    assert "moscow_format" not in found(matcher, text, "fa")
    # instability alone is a state of the economy or a country; destabilising is an act
    text = "Otunbayeva warned that Afghanistan would sink deeper into poverty and instability if the Taliban keep the bans."
    assert "regional_security" not in found(matcher, text, "en")
    text = "Şoygu, Batılı servislerin aşırılıkçı grupları kullanarak Afganistan'ı istikrarsızlaştırmak istediğini söyledi."
    assert "regional_security" in found(matcher, text, "tr")
    # a long quote is somebody's words, not a notice, though it names a terrorist act and Russia
    text = ("Совет Безопасности ООН выступил с заявлением. «Члены Совета Безопасности самым решительным образом осудили "
            "террористический акт у посольства России в Кабуле», — говорится в заявлении.")
    assert "diplomatic_missions" in found(matcher, text, "ru")
    # ... while a short quote holding the disclaimer stays one
    text = "Делегация «запрещённой в России террористической организации» прибыла в Казань."
    assert "terrorist_designation" not in found(matcher, text, "ru")


def test_fifty_first_and_second_round_classes(matcher):
    # Dari هراس‌افکنی, the Afghan official word for terrorism
    text = "کابلوف گفت مسکو از مقام‌های کابل انتظار دارد برای مهار هراس‌افکنی بیشتر تلاش کنند."
    assert "regional_security" in found(matcher, text, "fa")
    # the occupation forces, as Tehran's press calls the US troops
    text = ("Washington has frozen Afghanistan's central bank assets since the chaotic withdrawal of its occupation "
            "forces in August 2021.")
    assert "us_withdrawal" in found(matcher, text, "en")
    # the president who carried out the withdrawal is its context too
    text = ("«Мы уйдём из Афганистана, но сохраним Баграм». Мы пытаемся вернуть эту базу. Так вчера в Лондоне "
            "заявил Трамп.")
    assert "us_withdrawal" in found(matcher, text, "ru")
    # Iran's Nimruz county is no Afghan place; the province with its province word or its border still is
    text = "ماموران انتظامی شهرستان‌های زابل، هیرمند و نیمروز ۴۵۰ کیلوگرم مواد مخدر کشف کردند."
    assert "drug_trafficking" not in found(matcher, text, "fa")
    text = "ماموران مرزی ۴۵۰ کیلوگرم تریاک را در ولایت نیمروز کشف کردند."
    assert "drug_trafficking" in found(matcher, text, "fa")
    # named transit corridors and the smugglers of drugs
    text = "The Taliban want to revive the Lapis Lazuli Corridor linking Afghanistan to Turkmenistan and Azerbaijan."
    assert "economic_agreements" in found(matcher, text, "en")
    text = "Dushanbe often complains of drug smugglers working along its frontier with Afghanistan."
    assert "drug_trafficking" in found(matcher, text, "en")
    # Turkish tanınırlık alone
    text = "Taleban, henüz uluslararası alanda tanınırlık kazanmadı."
    assert "recognition" in found(matcher, text, "tr")


def test_fifty_third_and_fourth_round_classes(matcher):
    # a hyphen typed with a space on one side joins its two words, as one without spaces does
    text = "ازبکستان از آمادگی خود برای اجرای پروژه افغان- ترانس در افغانستان اطمینان داد."
    assert "economic_agreements" in found(matcher, text, "fa")
    # ... while a dash with spaces on both sides stays a dash
    text = "KABUL - The Taliban said on Monday that the talks would continue."
    assert found(matcher, text, "en", "actor") == {"taliban"}
    # the terrorist label as a stigma removed
    text = "Верховный суд России снял с движения «Талибан» клеймо террористической организации."
    assert "terrorist_designation" in found(matcher, text, "ru")
    # the drug menace, trade routes
    text = "Russia and Afghanistan will cooperate in battling the drug menace, Kabulov said."
    assert "drug_trafficking" in found(matcher, text, "en")
    text = "Россия рассчитывает на новые торговые маршруты через Афганистан."
    assert "economic_agreements" in found(matcher, text, "ru")
    # an outlet named after the state is no state
    text = "یک کارشناس در یادداشتی برای دیپلماسی ایرانی درباره طالبان و آسیای مرکزی نوشت."
    assert "iran" not in found(matcher, text, "fa", "actor")


def test_fifty_fifth_round_classes(matcher):
    # Iran's Khorasan provinces are no ISKP
    text = "قوماندان مرزبانی ولایت خراسان رضوی ایران از افزایش ورود غیرقانونی اتباع افغان خبر داد."
    assert "iskp" not in found(matcher, text, "fa", "actor")
    # the US envoy for hostage affairs is an office's name
    text = "ABD Rehine İşleri Özel Temsilcisi Adam Boehler, Kabil'de Taliban yetkilileriyle görüştü."
    assert "regional_security" not in found(matcher, text, "tr")
    # smuggled fuel inside a supply construction's stretch is no supply
    text = "Officials destroyed 100 tons of smuggled and substandard petrol at the Islam Qala crossing in Herat."
    assert "economic_agreements" not in found(matcher, text, "en")
    # Turkish Hint next to a state's noun is the state
    text = "Pakistan ordusu, Hint ordusunun Afganistan sınırındaki açıklamalarını eleştirdi."
    assert "india" in found(matcher, text, "tr", "actor")


def test_fifty_seventh_round_classes(matcher):
    # a base given back, and Turkish üs doubling its s before a vowel (üssün, üsse)
    text = "Washington, Afganistan'daki Bagram üssünün kendisine geri verilmesini şart koştu."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Pentagon, Afganistan'daki üssün geri alınması için henüz bir plan hazırlamadı."
    assert "regional_security" in found(matcher, text, "tr")
    # ... Persian بازپس‌گیری glued when its ZWNJ is lost
    text = "ترامپ بار دیگر از بازپسگیری پایگاه بگرام در افغانستان سخن گفت."
    assert "regional_security" in found(matcher, text, "fa")
    # ... and Americans two words away from a base are no American base
    text = "Amerikalılar ışıkları söndürüp üsse bir daha uğramadı; Afgan komutan sabah durumu öğrendi."
    assert "regional_security" not in found(matcher, text, "tr")
    # a diplomat accepted at an ambassador's rank; taking part is no accepting
    text = "В прошлом месяце Пекин принял дипломата из Кабула на уровне посла."
    assert "recognition" in found(matcher, text, "ru")
    text = "Дипломаты талибов приняли участие во встрече на уровне послов в Ташкенте."
    assert "recognition" not in found(matcher, text, "ru")
    # Persian پذیرفتن in the present, and its passive verbal noun (participle + شدن), glued when the ZWNJ is lost
    text = "ترکمنستان نیز سفیر حکومت طالبان را می‌پذیرد."
    assert "recognition" in found(matcher, text, "fa")
    text = "پس از پذیرفتهشدن سفیر طالبان در پکن، کشورهای دیگر نیز تصمیم گرفتند."
    assert "recognition" in found(matcher, text, "fa")
    # a technical mission, a mission below an embassy's rank, reopened
    text = ("The Taliban have run Kabul since 2021. India reopened a small technical mission there last year to "
            "look after its aid projects.")
    assert "diplomatic_missions" in found(matcher, text, "en")
    # the Moscow talks with a participle between ("the meeting, held in Moscow")
    text = "The meeting, held in Moscow on Tuesday, gathered envoys from China, Iran and Pakistan to discuss Afghanistan."
    assert "moscow_format" in found(matcher, text, "en")
    # the Pakistani Taliban in the hyphenated spelling some sites use are still the TTP
    text = "نیروهای امنیتی پاکستان پنج عضو تحریک طا-لبان پاکستانی را در وزیرستان کشتند."
    assert "taliban" not in found(matcher, text, "fa", "actor")


def test_fifty_eighth_round_classes(matcher):
    # an investment planned in mines is no deal; a contract or a licence is
    text = "Bir Kazak şirketi, Afganistan'daki bakır madenlerine yatırım yapmayı düşünüyor."
    assert "economic_agreements" not in found(matcher, text, "tr")
    text = "Bir Kazak şirketi, Afganistan'daki bakır madeni için Taliban ile sözleşme imzaladı."
    assert "economic_agreements" in found(matcher, text, "tr")
    # goods and markets reached through Afghanistan: transit
    text = "Kazakh traders sent the first containers of cargo to Karachi via Afghanistan last week."
    assert "economic_agreements" in found(matcher, text, "en")
    text = "Казахстан рассчитывает отправлять свои товары через Афганистан в порты Пакистана."
    assert "economic_agreements" in found(matcher, text, "ru")
    # the power line in Persian, as English and Russian list it
    text = "کار ساخت لین انتقال ۵۰۰ کیلوولت از ترکمنستان تا هرات در افغانستان امسال آغاز می‌شود."
    assert "economic_agreements" in found(matcher, text, "fa")


def test_fifty_ninth_round_classes(matcher):
    # a border or an airspace violated, which an army answers
    text = "Tashkent warned it would answer any airspace violation from Afghanistan."
    assert "regional_security" in found(matcher, text, "en")
    text = "Душанбе пообещал ответить на любое нарушение границы со стороны Афганистана."
    assert "regional_security" in found(matcher, text, "ru")
    # an embassy's warning to its citizens is a message it sent, not news about the mission
    text = "سفارت روسیه در کابل با صدور هشداری از شهروندانش خواست به ولایت بدخشان سفر نکنند."
    assert "diplomatic_missions" not in found(matcher, text, "fa")
    # the sanctions monitors' mandate renewed is news about the sanctions regime; their report is only a source
    text = "Güvenlik Konseyi, Taliban'a yönelik yaptırım komitesinin izleme ekibinin görev süresini bir yıl uzattı."
    assert "terrorist_designation" in found(matcher, text, "tr")
    text = "The UN sanctions monitoring team's report says al-Qaeda keeps training camps in eastern Afghanistan."
    assert "terrorist_designation" not in found(matcher, text, "en")


def test_sixtieth_round_classes(matcher):
    # English doubles a final consonant before -ing and -ed
    text = "Germany is transferring the Afghan consulate in Bonn to diplomats appointed by the Taliban."
    assert "recognition" in found(matcher, text, "en")
    # a regime recognised is recognition, whatever epithet follows it
    text = "Москва официально признала режим террористической группировки «Талибан»."
    assert "terrorist_designation" not in found(matcher, text, "ru")
    assert "recognition" in found(matcher, text, "ru")
    # counternarcotics written as one word; a mission raised to an embassy's level
    text = "The envoys agreed that counternarcotics would top the agenda of the next Doha meeting on Afghanistan."
    assert "drug_trafficking" in found(matcher, text, "en")
    text = "Kazakistan, Taliban ile ilişkilerini geliştiriyor. Kazak misyonu geçen ay büyükelçilik düzeyine çıkarıldı."
    assert "diplomatic_missions" in found(matcher, text, "tr")
    # a cricket trophy's clash and a shelter for the homeless of an earthquake are no security news
    text = "Afghanistan's clash with Australia at the Champions Trophy drew a record crowd in Lahore."
    assert "regional_security" not in found(matcher, text, "en")
    text = "زلزله زدگان بادغیس در افغانستان پیش از رسیدن زمستان به پناهگاه امن نیاز دارند."
    assert "regional_security" not in found(matcher, text, "fa")


def test_sixty_first_round_classes(matcher):
    # the opium poppy by its crop and fields (мак alone is also a flower and a baker's seed)
    text = "В Бадахшане в этом году снова выросли маковые посевы."
    assert "drug_trafficking" in found(matcher, text, "ru")
    text = "В Афганистане пекут лепёшки с маком к празднику."
    assert "drug_trafficking" not in found(matcher, text, "ru")


def test_sixty_second_round_classes(matcher):
    # the heh of other keyboards (Kurdish ە, Urdu ھ) typed for Persian ه
    text = "وزیر خارجە روسیە با همتای ایرانی خود در تهران دیدار کرد."
    assert "russia" in found(matcher, text, "fa", "actor")
    # food insecurity with an adjective between its two words
    text = "برنامه جهانی غذا می‌گوید میلیون‌ها نفر در افغانستان با ناامنی حاد غذایی روبه‌رو هستند."
    assert "regional_security" not in found(matcher, text, "fa")


def test_sixty_third_round_classes(matcher):
    # soldiers or fighters killed: the toll of fighting between armed sides
    text = "Pakistan ordusu, sınır boyunca 40 Taliban savaşçısının öldürüldüğünü açıkladı."
    assert "regional_security" in found(matcher, text, "tr")
    text = "По данным пакистанской армии, погибли 12 её военнослужащих, талибы сообщили о своих потерях."
    assert "regional_security" in found(matcher, text, "ru")
    # ... and the military's equipment is no soldier
    text = "Во время эвакуации погибли десятки афганцев, а военная техника досталась талибам."
    assert "regional_security" not in found(matcher, text, "ru")
    # an embassy shut, as one closed
    text = "The Taliban took Kabul in August 2021. Days later, India shut its embassy there."
    assert "diplomatic_missions" in found(matcher, text, "en")


def test_turkish_verb_roots_of_two_letters_take_the_suffix_chain():
    from newsmon.matching.normalize import Normalizer

    # al- (take) and aç- (open) are shorter than the stems the suffix grammar cuts to: listed as roots, any form
    # reads as its root when the watchlist lists it; another two-letter stem stays uncut
    assert Normalizer("tr", frozenset({"al"})).key("alınması") == "al"
    assert Normalizer("tr", frozenset({"ac"})).key("açıyordu") == "ac"
    assert Normalizer("tr", frozenset({"ol"})).key("olması") == "olmasi"


def test_turkish_phrases_of_a_two_letter_verb_in_any_form(matcher):
    text = "Washington'daki yetkililere göre ABD, Bagram üssünü geri alacak bir plan üzerinde çalışmıyor."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Kunduz'da kimliği belirsiz kişiler bir kontrol noktasına ateş açıyordu."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Saldırganlar Kabil'deki Rusya Büyükelçiliği'ni hedef alıp bir bomba attı."
    assert "diplomatic_missions" in found(matcher, text, "tr")
    # ... and the words that fold into the roots' forms are other words (acil, urgent; altın, gold)
    text = "Kabil'deki büyükelçilik önünde acil yardım bekleyen Afganlar toplandı."
    assert "diplomatic_missions" not in found(matcher, text, "tr")
    text = "Hazine, Afganistan'a ait altın rezervlerini geri almak için başvurdu."
    assert "regional_security" not in found(matcher, text, "tr")


def test_sixty_fourth_round_classes(matcher):
    # oil and gas fields, their exploration and extraction, under a licence or a deal: a concession, as mines are
    text = ("The Taliban have awarded a Kazakh state company a 20-year licence for the exploration of the Amu Darya "
            "basin.")
    assert "economic_agreements" in found(matcher, text, "en")
    text = "Taliban yönetimi, kuzeydeki petrol sahası için bir Çin şirketine 20 yıllık ruhsat verdi."
    assert "economic_agreements" in found(matcher, text, "tr")
    # the Taliban's own bans (girls' schooling) drop only a ban: a listing near the word women stays one
    text = ("Over the restrictions on women and girls, the Taliban sanctions committee of the Security Council "
            "met again in New York.")
    assert "terrorist_designation" in found(matcher, text, "en")
    text = "The Taliban should lift the ban on girls' education, the envoy said in Kabul."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # a neighbour accused of violating a state's sovereignty: the strikes' other name
    text = "Министерство обороны талибов обвинило Пакистан в нарушении суверенитета страны."
    assert "regional_security" in found(matcher, text, "ru")
    text = "The Taliban's defence ministry accused Pakistan of violating Afghanistan's sovereignty."
    assert "regional_security" in found(matcher, text, "en")
    # Persian ضد ("anti-") glued to its noun
    text = "روسیه و طالبان بر همکاری ضدتروریسم تأکید کردند."
    assert "regional_security" in found(matcher, text, "fa")
    # reality acknowledged, legitimacy of a religious kind: no recognition of a government
    text = "Москва признаёт реальность: талибы контролируют Афганистан."
    assert "recognition" not in found(matcher, text, "ru")
    text = "The attack in Kabul undercut the jihadist legitimacy the Taliban claim for themselves."
    assert "recognition" not in found(matcher, text, "en")
    # the 9/11 attacks as a date, with the cities between
    text = "Байден приурочил вывод войск из Афганистана к годовщине терактов в Нью-Йорке и Вашингтоне 11 сентября."
    assert "regional_security" not in found(matcher, text, "ru")
    # an embassy at work
    text = "Жирнов заверил, что посольство России продолжит деятельность в полном объёме и при талибах."
    assert "diplomatic_missions" in found(matcher, text, "ru")
    # assets unfrozen (the participle of the listed unfreeze)
    text = "Kabulov said the money must be unfrozen to save Afghanistan's currency."
    assert "frozen_reserves" in found(matcher, text, "en")


def test_sixty_fifth_round_classes(matcher):
    # risks and dangers from Afghanistan, as threats are
    text = "Dushanbe's generals told the CSTO they see growing risks from Afghanistan along the southern frontier."
    assert "regional_security" in found(matcher, text, "en")
    # a province bordered by Afghanistan is a place on the map, not a party to the corridor
    text = ("Bordered by Afghanistan and Iran, the province hosts the main projects of the China-Pakistan Economic "
            "Corridor.")
    assert "economic_agreements" not in found(matcher, text, "en")
    # the format named with رایزنی (consultation), beside the SCO
    text = "دو رئیس‌جمهور خواستار تقویت فرمت رایزنی مسکو و سازمان همکاری شانگهای برای حل مسئله افغانستان شدند."
    assert "moscow_format" in found(matcher, text, "fa")


def test_sixty_seventh_round_classes(matcher):
    # forces departed, as their departure
    text = "Flights to Kabul stopped in August 2021, when the last US forces departed from Afghanistan."
    assert "us_withdrawal" in found(matcher, text, "en")
    # an embassy that operates, as one functioning
    text = "Russia's embassy is one of the few that continue to operate in the country, the Taliban said."
    assert "diplomatic_missions" in found(matcher, text, "en")
    # the Zionist regime, the Iranian press's name for Israel: another region's war as the background
    text = "پس از حملات رژیم صهیونیستی به ایران، شمار بیشتری از مهاجران افغان به کشورشان بازگشتند."
    assert "regional_security" not in found(matcher, text, "fa")


def test_sixty_sixth_round_classes(matcher):
    # the UN seat's senses take a mission, a representative or a seat: no embassy is at the UN
    text = ("Anlaşmaya göre yabancı askerler çekilirken Kabil'deki büyükelçiliklerin güvenliği sağlanacak, BM Güvenlik "
            "Konseyi de Taliban'a yönelik yaptırımları gözden geçirecek.")
    assert "diplomatic_missions" in found(matcher, text, "tr")
    text = "The Taliban again asked the UN to give Afghanistan's seat and its permanent mission to their nominee."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    # the Northern Front, Persian's other name for the Northern Alliance, in a text about Afghanistan only
    text = "ایران در دهه نود از جبهه شمال در برابر طالبان در افغانستان حمایت می‌کرد."
    assert "northern_alliance" in found(matcher, text, "fa", "actor")
    text = "ارتش اسرائیل از آغاز عملیات تازه در جبهه شمال خبر داد."
    assert "northern_alliance" not in found(matcher, text, "fa", "actor")
    # power seized is the takeover, not ground fought for; a post-conflict period is a time
    text = "Taliban'ın yönetimi ele geçirmesinin ardından kapanan sınır kapısı hâlâ açılmadı."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "Afganistan'da çatışma sonrası dönemde çocuk felci aşısı kampanyaları sürüyor."
    assert "regional_security" not in found(matcher, text, "tr")


def test_sixty_ninth_round_classes(matcher):
    # humanitarian as one sphere of cooperation beside trade is no aid delivery
    text = ("Лавров и Муттаки обсудили развитие сотрудничества в торгово-экономической и гуманитарной областях.")
    assert "economic_agreements" in found(matcher, text, "ru")
    # the fight against drugs beside trade is no trade in drugs
    text = ("Moscow and Kabul agreed to work together on narcotics control and on trade and energy transit projects "
            "across Afghanistan.")
    assert "economic_agreements" in found(matcher, text, "en")
    # an embassy evacuated or abandoned is the mission's story, not the troops' withdrawal
    text = "ABD'nin Kabil'de terk ettiği büyükelçilik binasının duvarına Taliban bayrağı çizildi."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    text = "Москва не закрыла свое посольство после ухода США из Афганистана в 2021 году."
    assert "us_withdrawal" in found(matcher, text, "ru")
    # Afghanistan's foreign minister is the Afghan context of regional security
    text = "Лавров и Муттаки обсудили укрепление региональной безопасности и борьбу с терроризмом."
    assert "regional_security" in found(matcher, text, "ru")
    # illegal exports are smuggling, no trade
    text = "Большая часть афганского угля уходит на нелегальный экспорт в соседние страны, пишет местная пресса."
    assert "economic_agreements" not in found(matcher, text, "ru")
    # an attack that left soldiers dead is a toll, no departure
    text = "The attack on the border post left 12 soldiers dead, Islamabad said, blaming the Afghan Taliban."
    assert "us_withdrawal" not in found(matcher, text, "en")
    # a boundary recognised or not is a border's status, no government's recognition
    text = "The Taliban, like every Afghan government before them, have never recognised the colonial-era boundary."
    assert "recognition" not in found(matcher, text, "en")
    # firefighting, putting out fires, is no firefight
    text = "KamAZ wants to export trucks and firefighting vehicles to Afghanistan, the Taliban said."
    assert "regional_security" not in found(matcher, text, "en")


def test_seventieth_round_classes(matcher):
    # выход, the exit, as the withdrawal's noun
    text = "Талибы вернулись к власти в августе 2021 года, сразу после выхода американских войск из Афганистана."
    assert "us_withdrawal" in found(matcher, text, "ru")
    # ... but a state's exit from a deal is no troops' exit
    text = "Талибы осудили выход США из ядерной сделки с Ираном, заявил Муджахид в Кабуле."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    text = "Washington's exit from the nuclear deal angered Tehran, a Taliban spokesman in Kabul noted."
    assert "us_withdrawal" not in found(matcher, text, "en")


def test_persian_compounds_listed_with_a_zwnj_are_also_found_glued(matcher):
    from newsmon.matching.build import with_glued

    # a listed compound's ZWNJs all dropped, as a copy that loses them writes it (never a part of a word glued to
    # the rest: سیاس‌کا would add سیاس, which سیاسی would be read as); a space closed, except beside a preposition,
    # which is written apart (مرزبا is no word; it would be read as مرزبان, a border guard)
    phrases = ["تفاهم‌نامه", "سی‌اس‌کا مسکو", "مرز با افغانستان", "عقب نشینی"]
    assert with_glued(phrases, "fa") == [*phrases, "سی‌اس‌کامسکو", "عقبنشینی", "تفاهمنامه", "سیاسکا مسکو"]
    assert with_glued(phrases, "en") == phrases
    text = "حکومت طالبان و قزاقستان در کابل تفاهمنامه همکاری در بخش حمل و نقل را امضا کردند."
    assert "economic_agreements" in found(matcher, text, "fa")


def test_seventy_first_round_classes(matcher):
    # a railway main line, as the branch and the line are listed
    text = "Новая железнодорожная магистраль пройдёт через Герат и Кандагар, сообщили в Кабуле."
    assert "economic_agreements" in found(matcher, text, "ru")
    # the verbs of изгнание: troops driven out
    text = "По словам Кабулова, талибы в 2021 году изгнали из Афганистана американские войска."
    assert "us_withdrawal" in found(matcher, text, "ru")
    # facing a drought is no clash
    text = "Если канал в Афганистане заберёт треть воды, Узбекистан может столкнуться с засухой."
    assert "regional_security" not in found(matcher, text, "ru")
    # a city taken without a fight: the negated clash is none ...
    text = "Талибы заняли Мазари-Шариф без боя, сообщают местные жители."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Residents said Taliban units entered Herat without a clash on Friday, the second city in Afghanistan to fall."
    assert "regional_security" not in found(matcher, text, "en")
    text = "Taliban birlikleri Herat'a çatışma olmadan girdi, Afganistan'da ikinci büyük şehir düştü."
    assert "regional_security" not in found(matcher, text, "tr")
    text = "نیروهای طالبان بدون درگیری وارد شهر هرات در غرب افغانستان شدند."
    assert "regional_security" not in found(matcher, text, "fa")
    # ... but a fight is one
    text = "Талибы вступили в бой с пограничниками у границы Афганистана."
    assert "regional_security" in found(matcher, text, "ru")
    # trading partners, with the adjective after its noun and the broken plural
    text = "پس از بسته شدن گذرگاه‌ها، کابل به دنبال شرکای جدید تجاری در آسیای میانه است."
    assert "economic_agreements" in found(matcher, text, "fa")
    # people described or referred to as terrorists: a speaker's word, no listing ...
    text = "ارتش پاکستان از کشته‌شدگان به عنوان تروریست یاد کرد و گفت آنان از خاک افغانستان آمده بودند."
    assert "terrorist_designation" not in found(matcher, text, "fa")
    text = "Pakistan's army described the dead men as a terrorist group that had crossed from Afghanistan."
    assert "terrorist_designation" not in found(matcher, text, "en")
    # ... but a state's list is a listing
    text = "Russia still lists the Taliban as a terrorist organisation, a diplomat in Kabul said."
    assert "terrorist_designation" in found(matcher, text, "en")
    # a border with Afghanistan places a neighbour's project on the map
    text = "چین و تاجیکستان قرارداد ساخت پاسگاه‌های تازه را در امتداد مرز با افغانستان امضا کردند."
    assert "economic_agreements" not in found(matcher, text, "fa")


def test_seventy_second_round_classes(matcher):
    # ambassadors exchanged: the verb is the noun in English and Persian, so the collocation is listed ...
    text = "Kabul and Islamabad agreed to exchange envoys after months of tension on the Afghan border."
    assert "diplomatic_missions" in found(matcher, text, "en")
    text = "وزارت خارجه طالبان از تبادل سفیر میان کابل و اسلام آباد خبر داد."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # ... never foreign exchange beside an envoy
    text = "Unfreezing Afghanistan's foreign exchange reserves is urgent, Russia's envoy to Kabul said on Monday."
    assert "diplomatic_missions" not in found(matcher, text, "en")
    # a diplomatic mission or its diplomats evacuated: the mission's story, not the troops'
    text = "Американцы начали эвакуацию дипмиссии из Кабула, сообщили в МИД России."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    # an ambassador's mission ending is a posting
    text = "The Uzbek ambassador ended his mission in Kabul after twelve years, the Taliban's foreign ministry said."
    assert "us_withdrawal" not in found(matcher, text, "en")
    # presented as a terrorist organisation (Persian معرفی), as declared or registered
    text = "دادگاه عالی قرقیزستان سال‌ها پیش طالبان را یک سازمان تروریستی معرفی کرده بود."
    assert "terrorist_designation" in found(matcher, text, "fa")
    # wheat asked for as assistance in a drought is aid, not a supply deal
    text = "Facing drought, the Taliban sought UN assistance and asked donors to supply wheat to Afghanistan."
    assert "economic_agreements" not in found(matcher, text, "en")


def test_quotation_marks_and_brackets_do_not_count_in_a_construction_window(matcher):
    # the Russian press quotes the movement's name: «Талибан» is one word between a construction's parts, as
    # Taliban is in English
    text = "Власти Казахстана решили исключить движение «Талибан» из национального перечня."
    assert "terrorist_designation" in found(matcher, text, "ru")
    # ... and a bracketed aside is skipped too, which brings Persian شناخته شدن under a name ("known as") within a
    # recognition construction's reach: known as, not recognised
    text = "این تحریم‌ها تحت عنوان رژیم تحریم‌های افغانستان (۱۹۸۸) شناخته می‌شوند و بر طالبان اعمال می‌شوند."
    assert "recognition" not in found(matcher, text, "fa")


def test_seventy_third_round_classes(matcher):
    # military exercises held by troops or an alliance, in English and Turkish as in Russian (the noun alone is
    # also a drill of another kind)
    text = "KGAÖ ülkeleri bu sonbahar Afganistan sınırı yakınında binlerce askerin katılımıyla tatbikat düzenleyecek."
    assert "regional_security" in found(matcher, text, "tr")
    text = "CSTO troops will hold an exercise in Tajikistan this autumn as the situation in Afghanistan worsens."
    assert "regional_security" in found(matcher, text, "en")
    # ... but not a school's earthquake drill
    text = "Kabil'deki okullarda öğrenciler için bir deprem tatbikatı düzenlendi."
    assert "regional_security" not in found(matcher, text, "tr")
    # the Shanghai Cooperation Organisation with the city's English spelling in a Turkish text
    text = "Shanghai İşbirliği Örgütü üyeleri Afganistan'daki durumu görüştü."
    assert "sco" in found(matcher, text, "tr")
    # a road accident: vehicles collide, a tanker explodes ...
    text = "Под Кабулом автобус с беженцами столкнулся с грузовиком, погибли 30 человек."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "A fuel tanker exploded after a collision with a bus on the Kabul-Kandahar highway, killing 20."
    assert "regional_security" not in found(matcher, text, "en")
    # ... but a bomb on a bus is an attack
    text = "A bomb planted on a bus exploded in Kabul; the explosion killed seven and ISKP claimed responsibility."
    assert "regional_security" in found(matcher, text, "en")
    # a football match: a sportsman (بازیکن) in the attack line (خط حمله)
    text = "بازیکنان خط حمله افغانستان در نیمه دوم نتوانستند گول بزنند."
    assert "regional_security" not in found(matcher, text, "fa")


def test_a_persian_suffix_is_never_cut_down_to_one_letter():
    from newsmon.matching.normalize import Normalizer

    # د (Pashto "of", in the listed د افغانستان بانک) is a word of one letter: میدان‌های (fields) is no plural of it,
    # so the verb prefix می is not split off (می + دان‌های), and a plural of a real word is still cut
    normalizer = Normalizer("fa", frozenset({"د", "میدان", "سفارت"}))
    assert normalizer.key("دانهای") != "د"
    assert normalizer.split("میدان‌های") is None
    assert normalizer.key("سفارت‌های") == "سفارت"


def test_seventy_fourth_round_classes(matcher):
    # Turkish kontrat, sözleşme's synonym, in the trade and mining constructions
    text = "Taliban'ın Maden Bakanlığı, bir Türk şirketiyle 6,2 milyon dolarlık bir kontrat imzaladı."
    assert "economic_agreements" in found(matcher, text, "tr")
    # the investment agreement in every language
    text = "Özbekistan ve Afganistan bir yatırım anlaşması hazırlıyor."
    assert "economic_agreements" in found(matcher, text, "tr")
    # an emergency response fund's money released is aid, and the Taliban's return to power returns no money
    text = ("The UN released $5 million from its emergency response fund for Afghanistan's earthquake victims, as "
            "funding has been cut since the return of the Taliban in 2021.")
    assert "frozen_reserves" not in found(matcher, text, "en")
    # ... but the central bank's money released is the reserves
    text = "Washington refuses to release the $7 billion of Afghanistan's central bank held in New York."
    assert "frozen_reserves" in found(matcher, text, "en")


def test_seventy_fifth_round_classes(matcher):
    # "as terrorist groups such as the Islamic State were trying ...": the conjunction, and examples, no listing
    text = ("Lavrov praised the Taliban's efforts to stabilise Afghanistan, as terrorist groups such as the Islamic "
            "State were trying to exploit the instability.")
    assert "terrorist_designation" not in found(matcher, text, "en")
    # ... but a classification stays one
    text = "Kazakhstan no longer lists the Taliban as a terrorist organisation, its foreign ministry said."
    assert "terrorist_designation" in found(matcher, text, "en")


def test_seventy_sixth_round_classes(matcher):
    # Russian земля, the soil, in the "not used against other countries" formula, as English soil
    text = "Муттаки пообещал не допустить использования афганской земли против соседних стран."
    assert "regional_security" in found(matcher, text, "ru")
    # aggression, what a state calls another's strikes ...
    text = "Muttaqi cautioned Pakistan against further aggression, Afghanistan's foreign ministry said."
    assert "regional_security" in found(matcher, text, "en")
    # ... but not the war in Ukraine, which is its own theme
    text = "Kabul's envoy in Moscow avoided any comment on the aggression against Ukraine."
    assert "regional_security" not in found(matcher, text, "en")
    # an outlet's name holds a state's name: no state
    text = "ذبیح‌الله مجاهد در مصاحبه با «ایران رادیو» از سیاست پاکستان در افغانستان انتقاد کرد."
    assert "iran" not in found(matcher, text, "fa")


def test_seventy_seventh_round_classes(matcher):
    # dollars or cash shipped in for the banks: no trade
    text = "США пресекли поставки долларов в Афганистан после прихода талибов к власти."
    assert "economic_agreements" not in found(matcher, text, "ru")
    # ... but goods supplied are trade
    text = "Первые поставки товаров в Россию уже начались, сообщили в Кабуле."
    assert "economic_agreements" in found(matcher, text, "ru")
    # Russian на местах, "in the field", is no UN seat
    text = "Афганские сотрудницы миссий ООН на местах не вышли на работу после запрета талибов."
    assert "recognition" not in found(matcher, text, "ru")
    # a diplomatic mission ended is no troops' mission
    text = "Taliban'ın yönetimi ele geçirmesinin ardından birçok ülke Afganistan'daki diplomatik misyonlarını sonlandırdı."
    assert "us_withdrawal" not in found(matcher, text, "tr")
    # Turkish tanıt-, introduce, is no tanı-, recognise; tanıdı still is
    text = "Videoda kendini Horasan komutanı olarak tanıtan kişi Afganistan'daki Taliban'ı eleştirdi."
    assert "recognition" not in found(matcher, text, "tr")
    text = "Rusya, Afganistan'daki Taliban yönetimini resmen tanıdı."
    assert "recognition" in found(matcher, text, "tr")


def test_seventy_eighth_round_classes(matcher):
    # "universally recognized norms" is an adjective of norms, as "well-recognized" is: no recognition
    text = ("The summit reaffirmed universally recognized norms of international law and called for a stable "
            "Afghanistan free of terrorism.")
    assert "recognition" not in found(matcher, text, "en")
    # ... but recognising the Taliban's government is
    text = "No state has yet recognized the Taliban government in Afghanistan."
    assert "recognition" in found(matcher, text, "en")
    # the war in Ukraine as the context of Russia's policy: not another agenda item with no Russia in reach
    text = ("From freedoms vanishing under the Taliban in Afghanistan to sexual violence in the war in Ukraine, "
            "women's rights remain under threat, delegates at the Security Council heard.")
    assert "ukraine_war" not in found(matcher, text, "en")
    text = "Lavrov said the war in Ukraine would not change Russia's course on Afghanistan."
    assert "ukraine_war" in found(matcher, text, "en")


def test_seventy_ninth_round_classes(matcher):
    # the US forces expelled or driven out, as the framing of the region's commentary has it
    text = "Analysts recall that the movement expelled the American troops from Afghanistan in 2021."
    assert "us_withdrawal" in found(matcher, text, "en")
    # Russian иностранный only with the forces: the foreign minister is none
    text = "Визит министра иностранных дел Афганистана в Дели стал отступлением от прежней политики Индии."
    assert "us_withdrawal" not in found(matcher, text, "ru")
    text = "После вывода иностранных войск из Афганистана в 2021 году талибы взяли власть."
    assert "us_withdrawal" in found(matcher, text, "ru")
    # Russian столкнуться, "to face", with something economic or humanitarian is no clash
    text = "После прихода талибов к власти Афганистан столкнулся с экономическим коллапсом."
    assert "regional_security" not in found(matcher, text, "ru")
    # Turkish ateş aç- in the passive; shots into the air are no attack
    text = "Pakistan, Afganistan sınırında Taliban mevzilerinden ateş açıldığını bildirdi."
    assert "regional_security" in found(matcher, text, "tr")
    text = "Taliban'ın zaferinin ardından Kabil'de sevinçle havaya ateş açıldı."
    assert "regional_security" not in found(matcher, text, "tr")
    # a person's status recognised (a refugee, a citizen) is no recognition of a government
    text = "Pakistan'daki Afganların yarısı mülteci olarak tanınıyor."
    assert "recognition" not in found(matcher, text, "tr")
    text = "Germany recognised the Afghan interpreters as refugees after the Taliban took Kabul."
    assert "recognition" not in found(matcher, text, "en")
    # "recognise" designates only with its "as": the extremist group's government recognised is recognition, and
    # "extremist" there is the Taliban's label, as "militants" is
    text = "No country has formally recognized the extremist group's government in Kabul."
    assert found(matcher, text, "en", "theme") == {"recognition"}
    text = "Russia recognized the Taliban as a terrorist organization in 2003."
    assert "terrorist_designation" in found(matcher, text, "en")
    text = "Kazakhstan considered the Taliban a terrorist group until 2023."
    assert "terrorist_designation" in found(matcher, text, "en")
    # the Dari names of a consulate and of a diplomatic ("political") mission
    text = "ایران ماموریت‌های سیاسی افغانستان را به نمایندگان طالبان سپرد."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    text = "جنرال قونسلگری افغانستان در پیشاور به کار مهاجران رسیدگی می‌کند."
    assert "diplomatic_missions" in found(matcher, text, "fa")
    # Persian تأمین of fighters or of security is "providing", no supply deal
    text = "بخش بزرگی از جنگجویان داعش خراسان در افغانستان از کشورهای آسیای مرکزی تأمین می‌شوند."
    assert "economic_agreements" not in found(matcher, text, "fa")
    text = "قرارداد تأمین گاز میان ترکمنستان و افغانستان امضا شد."
    assert "economic_agreements" in found(matcher, text, "fa")
    # a military offensive, by its phrases in each language (not the onset of winter, a cultural invasion, a remark)
    text = "Формирования движения «Талибан» начали наступление на Кабул."
    assert "regional_security" in found(matcher, text, "ru")
    text = "С наступлением зимы в Афганистане выросли цены на уголь."
    assert "regional_security" not in found(matcher, text, "ru")
    text = "Taliban, yaz aylarında kuzey vilayetlerine geniş bir taarruz başlattı."
    assert "regional_security" in found(matcher, text, "tr")
    text = "طالبان از تهاجم فرهنگی غرب در افغانستان انتقاد کردند."
    assert "regional_security" not in found(matcher, text, "fa")
    text = "The Taliban launched an offensive on Kunduz in 2015."
    assert "regional_security" in found(matcher, text, "en")
    text = "The Taliban called the cartoon offensive to Afghans."
    assert "regional_security" not in found(matcher, text, "en")
    # a court's jurisdiction recognised or not is no recognition of a government
    text = "Taliban yönetimi Uluslararası Ceza Mahkemesi'ni tanımıyor ve kararlarını reddediyor."
    assert "recognition" not in found(matcher, text, "tr")
    text = "Taliban sözcüsü, Rusya'nın Taliban yönetimini tanımasını memnuniyetle karşıladı."
    assert "recognition" in found(matcher, text, "tr")
    # a fighter's contract with a league is sport, no trade
    text = "Боец из Афганистана подписал контракт с UFC."
    assert "economic_agreements" not in found(matcher, text, "ru")
