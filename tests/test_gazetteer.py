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


def test_a_label_another_countrys_body_uses_becomes_a_shared_name():
    # The shipped data knows the US SEC as "SEC"; a record that links its own SEC under that label
    # adds its body, and "SEC" is then resolved by the country a sentence is about.
    text = (CORPUS / "countries" / "country--kyrgyzstan.md").read_text(encoding="utf-8")
    text = text.replace("[[entity--nbkr|NBKR]]", "[[entity--nbkr|NBKR]] / [[entity--sec-kg|SEC]]")
    gazetteer = Gazetteer.from_records([parse_record(text, file="country--kyrgyzstan.md")])
    assert gazetteer.entities["entity--sec-kg"].country == "KG"
    assert {s.text: s.ref for s in gazetteer.surfaces()}["SEC"] == "shared:SEC"
    assert gazetteer.shared_entity("SEC", "KG").id == "entity--sec-kg"
    assert gazetteer.shared_entity("SEC", "US").id == "entity--sec"
    # a label its own country's shipped body already has adds nothing
    text = text.replace("[[entity--sec-kg|SEC]]", "[[entity--nbkr-2|NBKR]]")
    gazetteer = Gazetteer.from_records([parse_record(text, file="country--kyrgyzstan.md")])
    assert "entity--nbkr-2" not in gazetteer.entities
