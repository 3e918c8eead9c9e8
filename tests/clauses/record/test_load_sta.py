"""The STA reference data: every sourced fact of the timeline, and the illustrative versions."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from clauses.models import (
    Agreement,
    ChangeKind,
    Clause,
    TextStatus,
    Version,
    system_user,
)
from clauses.record.reference import sta_load

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

# slug: (signed_on, effective_from, expires_on, addresses that must be among its sources)
INSTRUMENTS = {
    "1979-agreement": (
        D("1979-01-31"), D("1979-01-31"), D("1984-01-31"),
        ["https://history.state.gov/historicaldocuments/frus1977-80v13/d210",
         "http://fsou.com/html/text/eag/1006662/100666283.html",
         "https://m.thepaper.cn/newsDetail_forward_29662653",
         "http://meta.librarydata.cn/metainfo?metaID=060420020230000557"],
    ),
    "1979-exchange-of-letters": (
        D("1979-01-31"), D("1979-01-31"), None,
        ["http://fsou.com/html/text/eag/1006662/100666284.html"],
    ),
    "1984-extension": (
        D("1984-01-12"), D("1984-01-31"), None,
        ["https://www.presidency.ucsb.edu/documents/remarks-the-president-and-premier-zhao-ziyang-china-signing-two-united-states-china"],
    ),
    "1989-extension": (None, None, None, []),
    "ip-annex-amendment": (
        None, None, None, ["http://fsou.com/html/text/eag/1006682/100668286_1.html"],
    ),
    "1996-extension": (None, None, None, []),
    "2001-extension": (None, None, None, []),
    "2006-protocol": (
        D("2006-04-18"), D("2006-04-18"), None,
        ["https://japan2.usembassy.gov/e/p/2006/tp-20060419-14.html",
         "http://english.china.org.cn/english/scitech/166236.htm"],
    ),
    "2011-extension": (
        D("2011-01-19"), D("2011-01-19"), None,
        ["https://obamawhitehouse.archives.gov/realitycheck/blog/2011/01/19/us-china-extend-science-and-technology-agreement"],
    ),
    "2016-2018-interim-extensions": (
        None, None, None, ["https://www.chinatimes.com/realtimenews/20230825001847-260409"],
    ),
    "2018-extension-and-amendment": (
        D("2018-06-27"), D("2018-06-27"), D("2023-08-27"),
        ["https://www.everycrsreport.com/files/2024-05-16_IF12510_78678f2a66bed7e57cf912ac572e6f7786ee79fe.html",
         "https://china.usc.edu/node/21226"],
    ),
    "2023-extension": (
        None, D("2023-08-27"), D("2024-02-27"),
        ["https://sciencebusiness.net/news/international-news/us-extends-science-and-technology-agreement-china-buying-time-renegotiate"],
    ),
    "2024-extension": (
        D("2024-03-07"), D("2024-02-27"), D("2024-08-27"),
        ["http://www.aboluowang.com/2024/0320/2032596.html"],
    ),
    "2024-protocol": (
        D("2024-12-13"), D("2024-08-27"), D("2029-08-27"),
        ["https://www.shine.cn/biz/tech/2412130946/",
         "https://international.caixin.com/m/2024-12-14/102268073.html",
         "https://menafn.com/1108991781/US-China-Amend-Extend-Bilateral-Science-Technology-Agreement"],
    ),
}  # fmt: skip

# slug: (kind, starts_on, ends_on, an address that must be among its sources)
EVENTS = {
    "1978-07-press-delegation": ("other", D("1978-07-01"), None,
        "http://big5.www.gov.cn/gate/big5/www.gov.cn//test/2009-10/10/content_1435125.htm"),
    "1979-high-energy-physics-accord": ("other", D("1979-01-31"), None,
        "https://history.state.gov/historicaldocuments/frus1977-80v13/d210"),
    "1980-01-first-joint-commission": ("meeting", D("1980-01-01"), None,
        "http://www.wells.org.cn/index.php/home/Literature/detail/id/4097.html"),
    "1992-12-song-jian-delegation": ("other", D("1992-12-09"), None,
        "https://rmrb.online/read-htm-tid-930587-page-e.html"),
    "2002-pl-107-314": ("legislation", D("2002-12-02"), None,
        "https://en.m.wikisource.org/wiki/Page:United_States_Statutes_at_Large_Volume_116_Part_4.djvu/238"),
    "2016-reporting-repealed": ("legislation", D("2016-01-01"), None,
        "https://www.congress.gov/118/bills/hr5245/BILLS-118hr5245rfs.htm"),
    "2023-08-23-extension-sought": ("announcement", D("2023-08-23"), None,
        "https://technode.com/2023/08/24/us-is-seeking-a-six-month-extension-to-tech-agreement-with-china-state-department/"),
    "2024-02-27-expiry-unannounced": ("lapse", D("2024-02-27"), D("2024-03-07"),
        "https://api.dw.com/api/detail/article/68436551"),
    "2024-03-07-second-extension-announced": ("announcement", D("2024-03-07"), None,
        "http://www.aboluowang.com/2024/0320/2032596.html"),
    "2024-08-27-lapse": ("lapse", D("2024-08-27"), D("2024-12-13"),
        "https://www.everycrsreport.com/reports/IF12510.html"),
    "2024-09-10-hr-5245": ("legislation", D("2024-09-10"), None,
        "https://www.congress.gov/118/bills/hr5245/BILLS-118hr5245rfs.htm"),
    "2024-12-13-amendments-described": ("announcement", D("2024-12-13"), None,
        "https://www.devdiscourse.com/article/law-order/3193467-us-and-china-renew-science-agreement-amid-political-tensions"),
    "2024-12-16-mfa-welcomes-extension": ("announcement", D("2024-12-16"), None,
        "http://en.chinagate.cn/2024-12/18/content_117614754.htm"),
    "2024-12-16-text-not-public": ("other", D("2024-12-16"), None,
        "https://www.aip.org/fyi/us-and-china-narrow-scope-of-s-t-cooperation-agreement"),
    "2025-01-18-commentary": ("other", D("2025-01-18"), None, ""),
    "2025-04-revised-text-published": ("other", D("2025-04-21"), None,
        "https://chinaipr.com/2025/04/21/the-revised-us-china-science-and-technology-agreement-a-narrow-bridge-to-drive-further-cooperation"),
}  # fmt: skip

NOT_FOUND = [
    "1989-extension",
    "ip-annex-amendment",
    "1996-extension",
    "2001-extension",
    "2016-2018-interim-extensions",
]


@pytest.fixture
def sta() -> Agreement:
    sta_load(acting_user=system_user(), reason="test load")
    return Agreement.objects.get(slug="sta")


def test_the_agreement_has_its_english_and_chinese_titles_and_both_parties(sta: Agreement) -> None:
    assert sta.title == (
        "Agreement between the Government of the United States of America and the Government "
        "of the People's Republic of China on Cooperation in Science and Technology"
    )
    assert sta.title_zh == "中华人民共和国政府和美利坚合众国政府科学技术合作协定"
    assert sta.parties == [
        "Government of the United States of America",
        "Government of the People's Republic of China",
    ]


def test_every_instrument_of_the_timeline_is_loaded_with_its_dates_and_sources(
    sta: Agreement,
) -> None:
    loaded = {i.slug: i for i in sta.instruments.all()}
    assert set(loaded) == set(INSTRUMENTS)
    for slug, (signed, effective, expires, urls) in INSTRUMENTS.items():
        instrument = loaded[slug]
        assert (instrument.signed_on, instrument.effective_from, instrument.expires_on) == (
            signed,
            effective,
            expires,
        ), slug
        addresses = {s["url"] for s in instrument.sources}
        assert set(urls) <= addresses, slug
        assert all(s["fact"] and s["citation"] for s in instrument.sources), slug


def test_the_main_source_of_an_instrument_is_its_first_source(sta: Agreement) -> None:
    protocol = sta.instruments.get(slug="2024-protocol")
    assert protocol.source_url == "https://www.shine.cn/biz/tech/2412130946/"
    assert protocol.source_citation == protocol.sources[0]["citation"]
    assert sta.instruments.get(slug="1989-extension").source_url == ""


def test_instruments_whose_dates_were_not_found_have_no_dates_and_say_so(sta: Agreement) -> None:
    for slug in NOT_FOUND:
        instrument = sta.instruments.get(slug=slug)
        assert instrument.signed_on is None, slug
        assert instrument.effective_from is None, slug
        assert instrument.notes.startswith("Not found"), slug
        assert instrument.text_status == TextStatus.NONE, slug


def test_assumed_dates_are_called_assumptions(sta: Agreement) -> None:
    for slug in ["1984-extension", "2006-protocol", "2011-extension", "2024-extension"]:
        assert "Assumption" in sta.instruments.get(slug=slug).notes, slug
    assert "31 January 1984" in sta.instruments.get(slug="1984-extension").notes


def test_the_conflicting_2018_dates_are_all_recorded_beside_the_working_date(
    sta: Agreement,
) -> None:
    amendment = sta.instruments.get(slug="2018-extension-and-amendment")
    assert amendment.signed_on == D("2018-06-27")
    for claim in ["CRS", "27 June 2018", "September 2018", "22 September 2018", "working date"]:
        assert claim in amendment.date_conflict, claim
    assert "Not resolved" in amendment.date_conflict


def test_the_second_2024_extension_records_the_february_claim(sta: Agreement) -> None:
    extension = sta.instruments.get(slug="2024-extension")
    assert "7 March 2024" in extension.date_conflict
    assert "February" in extension.date_conflict


def test_signatories_and_places_are_recorded_where_known(sta: Agreement) -> None:
    names = {
        i.slug: [s["name"] for s in i.signatories] for i in sta.instruments.all() if i.signatories
    }
    assert names == {
        "1979-agreement": ["Jimmy Carter", "Deng Xiaoping"],
        "1979-exchange-of-letters": ["Frank Press", "Fang Yi"],
        "1984-extension": ["G. A. (Jay) Keyworth", "Zhao Dongwan"],
        "2006-protocol": ["John Marburger", "Xu Guanhua"],
        "2011-extension": ["John P. Holdren", "Wan Gang"],
    }
    protocol = sta.instruments.get(slug="2024-protocol")
    assert protocol.signed_at == "Beijing (by exchange of notes)"
    assert "not named" in protocol.notes
    assert protocol.term == "Five years from 27 August 2024"


def test_the_2024_extension_and_protocol_took_effect_before_they_were_signed(
    sta: Agreement,
) -> None:
    retroactive = {i.slug for i in sta.instruments.all() if i.is_retroactive}
    assert retroactive == {"2024-extension", "2024-protocol"}


def test_every_event_of_the_timeline_is_loaded_with_its_dates_and_sources(sta: Agreement) -> None:
    loaded = {e.slug: e for e in sta.events.all()}
    assert set(loaded) == set(EVENTS)
    for slug, (kind, starts, ends, url) in EVENTS.items():
        event = loaded[slug]
        assert (event.kind, event.starts_on, event.ends_on) == (kind, starts, ends), slug
        assert url in {s["url"] for s in event.sources}, slug


def test_events_dated_only_by_month_or_year_say_so(sta: Agreement) -> None:
    for slug in ["1978-07-press-delegation", "1980-01-first-joint-commission"]:
        assert "only the month" in sta.events.get(slug=slug).description, slug
    assert "only the" in sta.events.get(slug="2016-reporting-repealed").description


def test_the_1979_version_has_eleven_articles_a_preamble_and_signatures(sta: Agreement) -> None:
    version = sta.versions.get(label="1979")
    top = list(version.clauses.filter(language="en").filter(parent=None).values_list("key", "kind"))
    assert top[0] == ("preamble", "preamble")
    assert top[-1] == ("signature", "signature")
    assert [k for k, kind in top if kind == "article"] == [f"art_{n}" for n in range(1, 12)]
    assert version.clauses.filter(language="en").filter(kind="annex").count() == 0
    assert set(version.clauses.filter(language="en").values_list("change", flat=True)) == {
        ChangeKind.ADDED
    }


def test_the_1979_articles_hold_their_paragraphs_and_the_six_forms_of_cooperation(
    sta: Agreement,
) -> None:
    version = sta.versions.get(label="1979")
    art_3 = version.clauses.filter(language="en").get(key="art_3")
    items = list(art_3.children.order_by("order").values_list("key", "kind", "depth"))
    assert items == [(f"art_3__item_{n}", "item", 1) for n in range(1, 7)]
    paragraphs = (
        version.clauses.filter(language="en")
        .get(key="art_1")
        .children.values_list("key", flat=True)
    )
    assert list(paragraphs) == ["art_1__para_1", "art_1__para_2"]
    commission = version.clauses.filter(language="en").get(key="art_10")
    assert commission.heading == "Joint Commission"
    assert "alternately" in commission.children.get(key="art_10__para_2").text


def test_the_illustrative_texts_hold_no_chinese_treaty_wording(sta: Agreement) -> None:
    cjk = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
    offending = [
        c.key for c in Clause.objects.filter(language="en") if cjk.search(c.heading + c.text)
    ]
    assert offending == []


def _clause_rows(version: Version) -> list[tuple[str, str, str, str]]:
    return list(
        version.clauses.filter(language="en")
        .order_by("order")
        .values_list("key", "number", "heading", "text")
    )


def test_extensions_carry_every_clause_forward_unchanged(sta: Agreement) -> None:
    carried = {
        "1984-extension": "1979",
        "2006-protocol": "1979",
        "2011-extension": "1979",
        "2023-extension": "2018-amended",
        "2024-extension": "2018-amended",
    }
    for label, source in carried.items():
        version = sta.versions.get(label=label)
        assert _clause_rows(version) == _clause_rows(sta.versions.get(label=source)), label
        assert set(version.clauses.filter(language="en").values_list("change", flat=True)) == {
            ChangeKind.UNCHANGED
        }
        assert not version.clauses.filter(language="en").exclude(changed_by=None).exists(), label


def test_the_2018_version_amends_article_5_and_adds_the_ip_annex(sta: Agreement) -> None:
    version = sta.versions.get(label="2018-amended")
    amendment = sta.instruments.get(slug="2018-extension-and-amendment")
    changed = dict(
        version.clauses.filter(language="en")
        .exclude(change=ChangeKind.UNCHANGED)
        .values_list("key", "change")
    )
    assert changed["art_5__para_2"] == ChangeKind.AMENDED
    assert "Annex 1" in version.clauses.filter(language="en").get(key="art_5__para_2").text
    annex_keys = {k for k, change in changed.items() if k.startswith("annex_1")}
    assert {"annex_1", "annex_1__sec_I", "annex_1__sec_II", "annex_1__sec_II__para_C"} <= (
        annex_keys
    )
    assert {changed[k] for k in annex_keys} == {ChangeKind.ADDED}
    para_c = version.clauses.filter(language="en").get(key="annex_1__sec_II__para_C")
    assert (para_c.parent.key, para_c.number, para_c.depth) == ("annex_1__sec_II", "C.", 2)
    assert (
        version.clauses.filter(language="en").get(key="annex_1").heading == "Intellectual Property"
    )
    english = version.clauses.filter(language="en")
    assert set(english.exclude(change=ChangeKind.UNCHANGED).values_list(
        "changed_by", flat=True)) == {amendment.pk}  # fmt: skip


def test_the_2024_protocol_repeals_the_joint_commission_for_dispute_resolution(
    sta: Agreement,
) -> None:
    version = sta.versions.get(label="2024-protocol")
    protocol = sta.instruments.get(slug="2024-protocol")
    repealed = version.clauses.filter(language="en").filter(change=ChangeKind.REPEALED)
    assert set(repealed.values_list("key", flat=True)) == {
        "art_10",
        "art_10__para_1",
        "art_10__para_2",
    }
    assert set(repealed.values_list("text", flat=True)) == {""}
    disputes = version.clauses.filter(language="en").get(heading="Dispute resolution")
    assert (disputes.key, disputes.number, disputes.change) == ("art_13", "Article 13", "added")
    assert disputes.changed_by == protocol
    assert "suspend" in disputes.children.get(key="art_13__para_2").text


def test_the_2024_protocol_narrows_cooperation_and_adds_guardrails(sta: Agreement) -> None:
    version = sta.versions.get(label="2024-protocol")
    added = dict(
        version.clauses.filter(language="en")
        .filter(change=ChangeKind.ADDED, kind="article")
        .values_list("heading", "number")
    )
    assert added == {
        "Critical and emerging technologies": "Article 5",
        "Safety and security of researchers": "Article 7",
        "Transparency and data reciprocity": "Article 12",
        "Dispute resolution": "Article 13",
        "Termination": "Article 14",
    }
    scope = version.clauses.filter(language="en").get(key="art_1__para_3")
    assert scope.change == ChangeKind.ADDED
    assert "basic research" in scope.text
    assert (
        version.clauses.filter(language="en").get(key="art_1__para_2").change == ChangeKind.AMENDED
    )
    assert (
        "critical and emerging technologies"
        in version.clauses.filter(language="en").get(key="art_5_2").text
    )


def test_a_renumbered_article_keeps_its_key_and_its_text(sta: Agreement) -> None:
    version = sta.versions.get(label="2024-protocol")
    laws = version.clauses.filter(language="en").get(key="art_6")
    original = sta.versions.get(label="1979").clauses.filter(language="en").get(key="art_6")
    assert (laws.number, laws.change, laws.previous_number) == (
        "Article 8",
        ChangeKind.RENUMBERED,
        "Article 6",
    )
    assert laws.text == original.text
    final = version.clauses.filter(language="en").get(key="art_11")
    assert (final.number, final.change) == ("Article 15", ChangeKind.RENUMBERED)
    assert set(final.children.values_list("change", flat=True)) == {ChangeKind.UNCHANGED}
    accords = version.clauses.filter(language="en").get(key="art_5")
    assert (accords.number, accords.previous_number) == ("Article 6", "Article 5")


def test_the_2024_protocol_keeps_the_ip_annex_and_adds_the_data_annex(sta: Agreement) -> None:
    version = sta.versions.get(label="2024-protocol")
    ip = version.clauses.filter(language="en").filter(key__startswith="annex_1")
    assert ip.count() == 13
    assert set(ip.values_list("change", flat=True)) == {ChangeKind.UNCHANGED}
    data_annex = version.clauses.filter(language="en").get(key="annex_2")
    assert (data_annex.change, data_annex.heading) == (
        ChangeKind.ADDED,
        "Data Management, Access and Reciprocity",
    )
    assert (
        version.clauses.filter(language="en").get(key="annex_2__sec_III__para_C").parent.key
        == "annex_2__sec_III"
    )


def test_no_version_or_instrument_claims_an_official_text(sta: Agreement) -> None:
    assert set(sta.versions.values_list("text_status", flat=True)) == {TextStatus.ILLUSTRATIVE}
    assert not sta.instruments.filter(text_status=TextStatus.OFFICIAL).exists()
    for version in sta.versions.all():
        assert "illustrative" in version.notes, version.label
        assert "not the official text" in version.notes, version.label


def test_the_versions_follow_each_other_without_gaps_or_overlaps(sta: Agreement) -> None:
    versions = list(sta.versions.order_by("in_force_from"))
    assert [v.label for v in versions] == [
        "1979",
        "1984-extension",
        "2006-protocol",
        "2011-extension",
        "2018-amended",
        "2023-extension",
        "2024-extension",
        "2024-protocol",
    ]
    for before, after in itertools.pairwise(versions):
        assert before.in_force_until == after.in_force_from, after.label
        assert after.previous_id == before.pk, after.label
    assert (versions[0].in_force_from, versions[-1].in_force_until) == (
        D("1979-01-31"),
        D("2029-08-27"),
    )
    assert "1989, 1996 and 2001 and the one that added the IP annex (date not found)" in (
        versions[1].notes
    )


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("1979-01-31", "1979"),
        ("1990-06-01", "1984-extension"),
        ("2018-06-26", "2011-extension"),
        ("2023-08-26", "2018-amended"),
        ("2023-08-27", "2023-extension"),
        ("2024-03-01", "2024-extension"),
        ("2024-10-01", "2024-protocol"),
    ],
)
def test_one_version_is_in_force_on_each_day(sta: Agreement, day: str, label: str) -> None:
    in_force = Version.objects.filter(agreement=sta).in_force_on(D(day))
    assert [v.label for v in in_force] == [label]


def test_nothing_is_in_force_before_signature_or_after_2029(sta: Agreement) -> None:
    assert not Version.objects.in_force_on(D("1979-01-30")).exists()
    assert not Version.objects.in_force_on(D("2029-08-27")).exists()


def test_the_2018_term_is_not_derived_from_the_expiry(sta: Agreement) -> None:
    amendment = sta.instruments.get(slug="2018-extension-and-amendment")
    assert amendment.term == ""
    assert "Its term is not stated in the sources read" in amendment.notes
    for claim in [
        "Signing date, term and expiry do not agree.",
        "Reuters (23 August 2023) says the Agreement was due to expire on 27 August 2023",
        "No source read states the term of the 2018 extension.",
        "Five years from 27 June 2018 would end on 27 June 2023",
        "from 22 September 2018 on 22 September 2023; neither is 27 August 2023",
        "left unrecorded rather than derived from the expiry",
    ]:
        assert claim in amendment.date_conflict, claim
    version = sta.versions.get(label="2018-amended")
    assert "five-year term" not in version.notes
    assert "the term is not stated in the sources read" in version.notes


def test_no_record_dates_the_ip_annex_to_a_year_no_source_gives(sta: Agreement) -> None:
    annex = sta.instruments.get(slug="ip-annex-amendment")
    assert annex.title == (
        "Amendment or extension adding the intellectual-property annex (date not found)"
    )
    rows = [*sta.instruments.all(), *sta.events.all(), *sta.versions.all()]
    offending = [str(row) for row in rows if "1991" in repr(vars(row))]
    assert offending == []


def test_the_repeal_of_the_joint_commission_cites_the_commentary_of_18_january_2025(
    sta: Agreement,
) -> None:
    protocol = sta.instruments.get(slug="2024-protocol")
    [source] = [s for s in protocol.sources if "Joint Commission" in s["fact"]]
    assert source == {
        "fact": "The dispute-resolution mechanism replaces the Joint Commission on Science "
        "and Technology, described as outdated",
        "citation": '"Science Could Be a Bright Spot in U.S.-China Relations", commentary by '
        "former officials, 18 January 2025 (no address kept)",
        "url": "",
        "provisions": ["art_10"],
    }
    assert "commentary of 18 January 2025" in protocol.notes
    assert "as a commentary of 18 January 2025 describes" in (
        sta.versions.get(label="2024-protocol").notes
    )
    commentary = sta.events.get(slug="2025-01-18-commentary")
    assert "replaces the Joint" in commentary.description


def test_assumed_and_partial_dates_are_recorded_with_what_they_stand_for(sta: Agreement) -> None:
    instruments = {i.slug: i.date_notes for i in sta.instruments.all() if i.date_notes}
    assert instruments == {
        "1979-agreement": {"expires_on": {"assumed": "five years from entry into force"}},
        "1984-extension": {"effective_from": {"assumed": "the end of the first five-year term"}},
        "2006-protocol": {"effective_from": {"assumed": "the date of signature"}},
        "2011-extension": {"effective_from": {"assumed": "the date of signature"}},
        "2018-extension-and-amendment": {
            "signed_on": {"assumed": "the CRS date; other sources give September 2018"},
            "effective_from": {"assumed": "the date of signature"},
        },
        "2024-extension": {"signed_on": {"assumed": "the announcement date"}},
    }
    events = {e.slug: e.date_notes for e in sta.events.all() if e.date_notes}
    assert events == {
        "1978-07-press-delegation": {"starts_on": {"precision": "month"}},
        "1980-01-first-joint-commission": {"starts_on": {"precision": "month"}},
        "2016-reporting-repealed": {"starts_on": {"precision": "year"}},
        "2025-04-revised-text-published": {"starts_on": {"precision": "on_or_before"}},
    }
    versions = {v.label: v.date_notes for v in sta.versions.all() if v.date_notes}
    assert set(versions) == {"1979", "1984-extension", "2006-protocol", "2011-extension",
                             "2018-amended"}  # fmt: skip
    assert versions["1984-extension"] == {
        "in_force_from": {"assumed": "the end of the first five-year term"},
        "in_force_until": {"assumed": "the date of signature of the 2006 protocol"},
    }
