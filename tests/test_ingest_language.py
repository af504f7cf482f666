"""guess_language: an article the pipeline cannot read is named, not passed over in silence."""

from __future__ import annotations

import pytest

from frontlines.ingest.language import guess_language

ENGLISH = ("Residents of the border town said that two shells landed near the main square on "
           "Tuesday night and that nobody was hurt, although several cars were damaged.")


@pytest.mark.parametrize(("text", "code"), [
    ("Des habitants de la ville frontalière ont affirmé que deux obus sont tombés près de la "
     "place principale mardi soir, sans faire de blessés, mais plusieurs voitures ont été "
     "endommagées.", "fr"),
    ("Bewohner der Grenzstadt berichteten, dass am Dienstagabend zwei Granaten in der Nähe des "
     "Hauptplatzes eingeschlagen seien; verletzt wurde niemand, aber mehrere Autos wurden "
     "beschädigt.", "de"),
    ("Vecinos de la localidad fronteriza dijeron que dos proyectiles cayeron cerca de la plaza "
     "principal el martes por la noche y que no hubo heridos, aunque varios coches resultaron "
     "dañados.", "es"),
    ("قال سكان البلدة الحدودية إن قذيفتين سقطتا قرب الساحة الرئيسية مساء الثلاثاء ولم يصب أحد "
     "بأذى لكن عدة سيارات تضررت في المكان", "ar"),
    ("Жители пограничного города рассказали, что во вторник вечером два снаряда упали возле "
     "главной площади, никто не пострадал, но несколько машин были повреждены.", "ru"),
])
def test_other_languages_are_named(text, code):
    guess = guess_language(text)
    assert not guess.is_english and guess.code == code and guess.confident


def test_english_and_short_texts_pass():
    assert guess_language(ENGLISH).is_english
    assert guess_language("BEIRUT: Shelling near Arsal").is_english  # too short to judge
    # English wire copy dense with Arabic names is still English
    assert guess_language("Fighters of Hayat Tahrir al-Sham and Saraya Ahl al-Sham left Jurd "
                          "Arsal for Idlib on Monday under a deal brokered by Hezbollah, "
                          "the group's al-Manar television said.").is_english


@pytest.mark.parametrize("text", [
    # a short monitoring note: nearly every word a transliterated name with "Al", "wa", "de"
    "Two drone strikes hit Al Mansuriyah (Bani Qays wa Al Qanawis, Al Hudaydah). No casualties.",
    "Shells landed on Deir Al Ahmar and Beit Al Faqih El Wadi (Al Marawiah, Dhamar) overnight.",
    "Gunmen shot dead a farmer in Kafr Nabudah, Al Suqaylabiyah de Hama, on the Al Ghab plain.",
])
def test_english_notes_full_of_arabic_names_are_english(text):
    guess = guess_language(text)
    assert guess.is_english, guess
