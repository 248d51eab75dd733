"""Word sense (issue 14): a trigger or a name used in another sense is no evidence of its theme or actor. Each text
is short and made up here; the labelled sets (dev, held-out, blind) measure the whole."""

from __future__ import annotations

import pytest


def test_recognised_as_terrorist_is_designation_not_recognition(found):
    themes = found("Kazakhstan once recognized the Taliban as a terrorist organization.", "en", "theme")
    assert "recognition" not in themes and "terrorist_designation" in themes


def test_turkish_tanimak_granting_an_exemption_is_not_recognition(found):
    text = "BM Güvenlik Konseyi, Taliban yetkilisine seyahat muafiyeti tanıdı."
    assert "recognition" not in found(text, "tr") and "terrorist_designation" in found(text, "tr")


def test_the_mandatory_disclaimer_is_no_designation(found):
    text = "Движение «Талибан» (признано террористическим и запрещено в РФ) назначило губернатора в Кабуле."
    assert found(text, "ru", "theme") == set()


def test_sense_words_that_share_a_word_with_the_trigger_stand_next_to_it(found):
    # "Soviet troops" (the Soviet withdrawal's sense) shares "troops" with the construction "troops left"
    assert "us_withdrawal" not in found("Thirty-six years ago Soviet troops left Afghanistan.", "en")
    assert "us_withdrawal" in found("Twenty years later US troops left Afghanistan.", "en")


def test_a_formula_right_after_a_statement_word_is_news_of_the_ban(found):
    # «перестало быть запрещенным в России»: ceasing to be banned, not the press's notice
    text = "Движение «Талибан» перестало быть запрещенным в России."
    assert "terrorist_designation" in found(text, "ru")
    assert "terrorist_designation" not in found("Движение «Талибан», запрещенное в России, заявило о победе.", "ru")


def test_a_city_building_or_court_is_a_place_not_the_state(found):
    assert found("A Moscow court sentenced a former official; the Taliban did not comment.", "en", "actor") == {"taliban"}
    assert found("نمایش باله در کاخ کرملین اجرا شد.", "fa", "actor") == set()
    # ... but "the Kremlin palace announced" is how Persian names the government
    assert found("کاخ کرملین اعلام کرد که پوتین به تاشکند می‌رود.", "fa", "actor") >= {"russia"}


def test_a_language_is_not_a_state(found):
    assert found("The Taliban banned Russian-language textbooks in Kabul schools.", "en", "actor") == {"taliban"}
    text = "کاتالوگ نمایشگاه هنرمندان افغان به دو زبان دری و روسی چاپ شد."
    assert "russia" not in found(text, "fa")
    assert "russia" in found("هیئت روسی به کابل رسید.", "fa")


def test_a_person_receiving_a_diplomat_is_a_meeting_not_an_accreditation(found):
    met = "Кабулов принял временного поверенного в делах Афганистана Гарвала и обсудил с ним торговлю."
    assert not found(met, "ru", "theme") & {"recognition", "diplomatic_missions"}
    accepted = "Russia accepted Gul Hassan as the Taliban's ambassador and Putin received his credentials."
    assert {"recognition", "diplomatic_missions"} <= found(accepted, "en", "theme")


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
def test_words_in_another_sense_give_no_theme(found, text, lang, theme):
    if theme is None:  # the country's own security council is no UN body
        assert "un_security_council" not in found(text, lang, "actor")
    else:
        assert theme not in found(text, lang, "theme")


def test_a_persian_surname_that_is_also_an_adjective(found):
    assert "amir_khan_muttaqi" not in found("مردم او را مردی متقی می‌دانند.", "fa")
    assert "amir_khan_muttaqi" in found("وزیر خارجه متقی به مسکو رفت.", "fa")


def test_an_abbreviation_the_text_spells_out_as_another_name_is_that_name(found):
    # the energy agency's IEA, defined in brackets after its name, holds for the whole text ...
    text = ("According to the International Energy Agency (IEA), India and China bought most of Russia's crude in "
            "May. The IEA's monthly report expects Afghan fuel imports to grow.")
    assert found(text, "en", "actor") == {"india", "china", "russia"}
    text = ("По оценке Института экономического анализа (ИЭА), цены на топливо в Афганистане выросли. "
            "В ИЭА ожидают замедления роста.")
    assert "taliban" not in found(text, "ru")
    # ... while the Emirate's own IEA, and the bare one, stay the Taliban
    text = "The Islamic Emirate of Afghanistan (IEA) said the IEA's delegation would attend the talks in Moscow."
    assert "taliban" in found(text, "en", "actor")
    assert "taliban" in found("IEA officials signed a wheat deal with Kazakhstan.", "en", "actor")


# -- one sense per discourse ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "lang"), [
    ("Afghan engineers who studied in Russia are still waiting for recognition of their degrees, the Taliban's "
     "education ministry said. \"Recognition takes time; every transcript is checked,\" a spokesman added.", "en"),
    ("Выпускники из Афганистана, учившиеся в России, ждут признания своих дипломов, сообщили в министерстве "
     "образования талибов. «Признание требует времени», — добавил представитель ведомства.", "ru"),
    ("Rusya'da okuyan Afgan mühendisler diplomalarının tanınmasını bekliyor, Taliban'ın eğitim bakanlığı açıkladı. "
     "Bakanlık sözcüsü \"Tanınma zaman alıyor\" dedi.", "tr"),
    ("مهندسان افغان که در روسیه درس خوانده‌اند هنوز منتظر به رسمیت شناختن مدارک خود هستند، وزارت تحصیلات عالی "
     "طالبان گفت. سخنگوی این وزارت افزود: «به رسمیت شناختن زمان می‌برد.»", "fa"),
])
def test_a_bare_repeat_keeps_the_sense_the_text_gave_its_word(found, text, lang):
    assert found(text, lang) == {"russia", "taliban"}


def test_a_repeat_with_its_own_actor_or_government_stands_on_its_own(found):
    degrees = ("Afghan engineers who studied in Russia are still waiting for recognition of their degrees, the "
               "Taliban's education ministry said. ")
    assert "recognition" in found(degrees + "Recognition of the Taliban by Moscow came in July.", "en")
    assert "recognition" in found(degrees + "\"Formal recognition of our government is a matter of time "
                                  "too,\" a spokesman added.", "en")


# -- polysemous triggers: evidence in their own sentence ---------------------------------------------------
@pytest.mark.parametrize(("text", "lang"), [
    ("The Kabul-born cyclist has received little recognition at home. The Taliban have barred women from sport.", "en"),
    ("Его полёт так и не получил признания на родине, пишет кабульская газета. Талибы запретили женщинам спорт.", "ru"),
    ("زهرا می‌گوید برگه سرشماری‌اش از سوی بانک‌ها به رسمیت شناخته نمی‌شود. طالبان کار زنان را ممنوع کرده‌اند.", "fa"),
])
def test_a_bare_polysemous_trigger_needs_a_state_in_its_own_sentence(found, text, lang):
    assert "recognition" not in found(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("No state has yet recognised the movement, the Taliban said.", "en"),
    ("Official recognition of the new leadership in Kabul may follow, the envoy said.", "en"),
    ("Движение до сих пор не признано ни одним государством, сообщили в Кабуле.", "ru"),
    ("Josep Borrell, Taliban'ı tanımayacaklarını söyledi.", "tr"),
    ("هیچ کشوری تاکنون حکومت طالبان را به رسمیت نشناخته است.", "fa"),
])
def test_a_polysemous_trigger_beside_a_state_or_its_acts_is_recognition(found, text, lang):
    assert "recognition" in found(text, lang)
