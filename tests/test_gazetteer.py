"""The gazetteer: library country data, shipped entities, and what the records add."""

from __future__ import annotations

from conftest import CORPUS

from extract.gazetteer import Gazetteer, library_countries
from extract.records import load_records, parse_record


def test_library_countries_have_names_capitals_demonyms_and_currencies():
    countries = library_countries()
    assert len(countries) >= 240
    kz = countries["KZ"]
    assert "Қазақстан" in kz.names and "Astana" in kz.capitals and "Kazakh" in kz.demonyms
    assert kz.currencies == ("KZT",)
    assert "London" in countries["GB"].capitals  # not Wales' entry
    # codes of three letters or fewer are never aliases unless the extras list them (IN, IT …)
    assert "IN" not in countries["IN"].names and "US" in countries["US"].names


def test_records_add_their_aliases_and_links():
    text = (CORPUS / "countries" / "country--kyrgyzstan.md").read_text(encoding="utf-8")
    text = text.replace('"Кыргызстан"]', '"Кыргызстан", "Kirgiziya"]')
    text = text.replace("[[entity--nbkr|NBKR]]", "[[entity--nbkr|NBKR]] / [[entity--fiu-kg|Kyrgyz FIU]]")
    record = parse_record(text, file="country--kyrgyzstan.md")
    gazetteer = Gazetteer.from_records([record])
    assert gazetteer.country_code("Kirgiziya") == "KG"
    assert "KG" not in {s.text for s in gazetteer.surfaces()}  # a code alias is not matched as text
    added = gazetteer.entities["entity--fiu-kg"]
    assert (added.name, added.type, added.country) == ("Kyrgyz FIU", "regulator", "KG")
    assert "entity--kgs" not in gazetteer.entities  # a currency link is not an organisation


def test_shipped_records_load_into_the_gazetteer():
    gazetteer = Gazetteer.from_records(load_records(CORPUS / "countries").values())
    surfaces = {s.text: s.ref for s in gazetteer.surfaces()}
    assert surfaces["NBKR"] == "entity--nbkr" and surfaces["AFSA"] == "entity--afsa"
    assert surfaces["Кыргызстан"] == "country:KG"
