"""Sites in English and Welsh: content in both languages, every page in each, the switcher,
``lang`` and ``hreflang``, Welsh search, the check for text with no Welsh, and the feedback's
language. One bilingual build of the sample (the ``bilingual_site`` fixture) serves them all."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pypdf
import pytest
from browsing import serve_directory
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, change_settings, write_review
from published_index import published_records
from test_publishing import leaks

from generator.build import Project, check
from generator.cli import main
from generator.feedback.report import write_report
from generator.feedback.store import Store, read_submissions
from generator.model.feedback_form import SubmissionRejected, check_submission
from generator.model.strings import default_strings, placeholders
from generator.pipeline.pdf import make_pdfs
from generator.pipeline.printing import print_documents
from generator.pipeline.render import render
from generator.pipeline.site_config import markdown_settings
from generator.pipeline.word import make_word_files

FLINT = "north-wales-cpr-flint-2"
PAGE_TYPES = [
    "",
    "reviews/",
    f"reviews/{FLINT}/",
    "reviews/kent-2019-child-j/",
    "themes/",
    "themes/neglect/",
    "types/cpr-concise/",
    "agencies/childrens-social-care/",
    "browse/",
    "sessions/",
    f"sessions/{FLINT}/",
    "sessions/theme-neglect/",
    f"seven-minute/{FLINT}/",
    f"records/{FLINT}/",
    "guide/authors/",
    "accessibility/",
    "data/",
]
"""A page of every type, each at the same address in both languages."""


class _Head(HTMLParser):
    """The ``lang`` of ``<html>``, the ``hreflang`` alternates and the switcher's links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.marked_english = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        elif tag == "link" and found.get("rel") == "alternate" and found.get("hreflang"):
            self.alternates[found["hreflang"] or ""] = found.get("href") or ""
        elif tag == "a" and "md-select__link" in (found.get("class") or ""):
            self.switcher[found.get("hreflang") or ""] = found.get("href") or ""
        elif tag == "div" and found.get("lang") == "en":
            self.marked_english = True


def head_of(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def test_every_page_is_in_both_languages_at_the_same_address(bilingual_site: Project) -> None:
    site = bilingual_site.site_dir
    english = {path for path in html_files(site) if not path.startswith("cy/")}
    welsh = {path.removeprefix("cy/") for path in html_files(site / "cy")}
    assert english == welsh
    assert {f"{path}index.html" for path in PAGE_TYPES} <= english
    # The Welsh edition's own downloads and open data, beside the English ones.
    for shared in ("word/north-wales-cpr-flint-2.docx", "data/learning.json", "feed.xml"):
        assert (site / shared).is_file() and (site / "cy" / shared).is_file(), shared
    assert not (bilingual_site.docs_dir / "cy" / "cy").exists()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_lang_hreflang_and_the_switcher_lead_to_the_same_page(bilingual_site: Project, path: str) -> None:
    site = bilingual_site.site_dir
    for language, root in (("en", ""), ("cy", "cy/")):
        page = site / root / path / "index.html"
        head = head_of(page)
        address = f"http://site.invalid/{root}{path}"
        assert head.lang == language, page
        for links in (head.alternates, head.switcher):
            assert {hreflang: urljoin(address, href) for hreflang, href in links.items()} == {
                "en": f"http://site.invalid/{path}",
                "cy": f"http://site.invalid/cy/{path}",
            }, page


def test_welsh_pages_are_in_welsh_and_text_left_in_english_is_marked(bilingual_site: Project) -> None:
    site = bilingual_site.site_dir
    briefing = (site / "cy" / "reviews" / FLINT / "index.html").read_text(encoding="utf-8")
    for welsh in (
        "CPR FLINT 2: marwolaeth babi 2 wythnos oed",  # the review's own Welsh
        "Ym mis Hydref 2014 comisiynodd Cadeirydd",  # its Welsh case summary
        "Crynodeb o'r achos",  # the interface's Welsh (strings.cy.yml)
        "Esgeulustod",  # a theme's Welsh name (the vocabularies)
        "Adolygiad Ymarfer Plant Cryno",  # the review type's
        'placeholder="Chwilio"',  # Material's own words, in Welsh
    ):
        assert welsh in briefing, welsh
    assert "In October 2014 the Chair" not in briefing
    kent = (site / "cy" / "reviews" / "kent-2019-child-j" / "index.html").read_text(encoding="utf-8")
    assert "11 Ebrill 2019" in kent and "Gwlad:</strong> Lloegr" in kent  # dates and nations in Welsh
    assert 'value="wales"> Cymru <span' in (site / "cy" / "browse" / "index.html").read_text(encoding="utf-8")
    # A translated review's text is Welsh; one given in English only keeps its English on the
    # Welsh site, marked as English; so does the authors' guide. The English pages mark nothing.
    flint = site / "cy" / "reviews" / FLINT / "index.html"
    assert languages_of(flint, "Ym mis Hydref 2014 comisiynodd Cadeirydd") == {"cy"}
    assert head_of(site / "cy" / "reviews" / "kent-2019-child-j" / "index.html").marked_english
    assert head_of(site / "cy" / "guide" / "authors" / "index.html").marked_english
    assert not head_of(site / "reviews" / "kent-2019-child-j" / "index.html").marked_english
    english = (site / "reviews" / FLINT / "index.html").read_text(encoding="utf-8")
    assert "In October 2014 the Chair" in english and "Ym mis Hydref" not in english
    # Each edition's search index holds its own language, and says so.
    for root, language, word, other in (
        ("", "en", "unascertained", "hirsefydlog"),
        ("cy/", "cy", "hirsefydlog", "unascertained"),
    ):
        settings = json.loads((site / root / "search-index" / "index.json").read_text(encoding="utf-8"))
        assert settings["language"] == language
        texts = " ".join(record["text"] for record in published_records(site / root))
        assert word in texts and other not in texts, root
    # The Welsh open data is in Welsh and links to the Welsh pages.
    items = json.loads((site / "cy" / "data" / "learning.json").read_text(encoding="utf-8"))["items"]
    flint = [item for item in items if item["id"] == f"{FLINT}/lp-1-1"]
    assert flint and flint[0]["text"].startswith("Pan fo gan deulu hanes hir o esgeulustod")


PARTLY = "test-2024-partly-welsh"
"""A review translated in part (conftest.PARTLY_WELSH): its narrative and second point have no Welsh."""
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Languages(HTMLParser):
    """A page's text by the language it is marked as: the ``lang`` of its nearest element that
    has one (scripts' and styles' content is not text on the page)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("lang") or (self.open[-1][1] if self.open else "")))

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.open):  # (an end tag with no start tag closes nothing)
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][0] in ("script", "style"):
            return  # not text on the page
        self.text.setdefault(self.open[-1][1] if self.open else "", []).append(data)


def languages_of(path: Path, text: str) -> set[str]:
    """The languages ``text`` is marked as wherever the page at ``path`` shows it."""
    parser = _Languages()
    parser.feed(path.read_text(encoding="utf-8"))
    return {language for language, chunks in parser.text.items() if any(text in chunk for chunk in chunks)}


@pytest.mark.parametrize("path", [f"reviews/{PARTLY}/", "themes/information-sharing/", f"sessions/{PARTLY}/"])
def test_text_left_in_english_is_marked_as_english_where_it_is_shown(bilingual_site: Project, path: str) -> None:
    site = bilingual_site.site_dir
    welsh, english = site / "cy" / path / "index.html", site / path / "index.html"
    for left_in_english in ("Write down who you told, left in English.", "Who did you tell?"):
        assert languages_of(welsh, left_in_english) == {"en"}, left_in_english
    for translated in ("Rhannwch yr hyn a wyddoch.", "Sut rydych chi'n rhannu?"):
        assert languages_of(welsh, translated) == {"cy"}, translated
    # The English page marks nothing: all of it is in the page's own language.
    page = english.read_text(encoding="utf-8")
    assert languages_of(english, "Write down who you told, left in English.") == {"en"}
    assert '<span lang="en">' not in page and '<div lang="en">' not in page


def test_a_passage_left_in_english_is_marked_and_only_its_text_is(bilingual_site: Project) -> None:
    site = bilingual_site.site_dir
    briefing = site / "cy" / "reviews" / PARTLY / "index.html"
    assert languages_of(briefing, "Kingfisher narrative, left in English.") == {"en"}  # a passage: in a div
    assert '<div lang="en">\n<p>Kingfisher narrative' in briefing.read_text(encoding="utf-8")
    assert languages_of(briefing, "Y crynodeb.") == {"cy"}
    assert languages_of(briefing, "Crynodeb o'r achos") == {"cy"}  # the page's own words stay Welsh
    # The settings' text with no Welsh (the agenda on a session plan), and a theme's name.
    plan = site / "cy" / "sessions" / PARTLY / "index.html"
    assert languages_of(plan, "Recap the case summary together.") == {"en"}
    assert languages_of(briefing, "Esgeulustod") <= {"cy"}
    # A whole review left in English: its text is marked, the Welsh headings around it are not.
    kent = site / "cy" / "reviews" / "kent-2019-child-j" / "index.html"
    assert languages_of(kent, "pre-birth assessment, professionals' meetings") == {"en"}
    assert languages_of(kent, "Crynodeb o'r achos") == {"cy"}
    # Its heading is marked; the page's title (in the head) is text, the marking left out.
    kent_page = kent.read_text(encoding="utf-8")
    assert '<h1 id="child-j-non-accidental-injuries-to-a-5-week-old-baby"><span lang="en">Child J:' in kent_page
    assert "<title>Child J: non-accidental injuries to a 5-week-old baby - " in kent_page
    # Other outputs get the text alone.
    for output in ("data/learning.json", "data/learning.csv", "feed.xml"):
        assert "lang=" not in (site / "cy" / output).read_text(encoding="utf-8").replace("xml:lang=", ""), output
    assert not [record for record in published_records(site / "cy") if "lang=" in json.dumps(record)]


def test_welsh_pages_with_text_left_in_english_are_valid_html(bilingual_site: Project) -> None:
    from test_html_valid import unexplained_findings

    pages = ["", f"reviews/{PARTLY}/", "themes/information-sharing/", f"sessions/{PARTLY}/", f"seven-minute/{PARTLY}/"]
    pages += [f"records/{PARTLY}/", "browse/", "agencies/police/", "types/cspr/", "sessions/theme-information-sharing/"]
    assert unexplained_findings([bilingual_site.site_dir / "cy" / page / "index.html" for page in pages]) == []


def test_a_draft_in_both_languages_is_in_neither(bilingual_site: Project) -> None:
    assert leaks(bilingual_site, ("test-2024-welsh-draft", "Quagga", "Cwningod", "Dyfrgwn")) == []


def test_the_feedback_form_says_which_language_it_was_sent_in(bilingual_site: Project, sample_site: Project) -> None:
    site = bilingual_site.site_dir
    for root, language in (("", "en"), ("cy/", "cy")):
        page = (site / root / "reviews" / FLINT / "index.html").read_text(encoding="utf-8")
        assert f'<input type="hidden" name="language" value="{language}">' in page
    one_language = (sample_site.site_dir / "reviews" / FLINT / "index.html").read_text(encoding="utf-8")
    assert 'name="language"' not in one_language


# --- in a browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bilingual_url(bilingual_site: Project) -> Iterator[str]:
    server, url = serve_directory(bilingual_site.site_dir)
    yield url
    server.shutdown()


def test_the_switcher_keeps_the_reader_on_the_same_page(page, bilingual_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{bilingual_url}cy/sessions/{FLINT}/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{bilingual_url}sessions/{FLINT}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".md-header__option .md-select button").focus()
    page.get_by_role("link", name="Cymraeg").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{bilingual_url}cy/sessions/{FLINT}/")


def test_the_form_on_a_welsh_page_says_what_is_missing_in_welsh(page, bilingual_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{bilingual_url}cy/reviews/{FLINT}/")
    page.locator("#ll-feedback button[type=submit]").click()
    expect(page.locator("#ll-feedback-alert")).to_contain_text("Gwiriwch yr atebion hyn:")
    expect(page.locator("#ll-feedback-alert")).to_contain_text("Rhaid llenwi hwn.")


def test_a_welsh_search_finds_the_welsh_point(page, bilingual_url: str) -> None:
    """Searched for in Welsh, from a Welsh page, as browsing.search does in English (Material's
    own words are in Welsh there)."""
    from playwright.sync_api import expect

    page.goto(f"{bilingual_url}cy/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile("Teipiwch i ddechrau chwilio"), timeout=15_000)
    box = page.locator("input.md-search__input")
    query = "gweithwyr proffesiynol ystyried"
    box.fill(query[:-1])
    box.press_sequentially(query[-1])
    expect(meta).to_have_text(re.compile(r"\d+ (dogfen|dogfennau) sy'n cyfateb"), timeout=15_000)
    point = page.locator(f'a.md-search-result__link[href*="reviews/{FLINT}/"][href*="#lp-"]:visible').first
    assert re.search(rf"/cy/reviews/{FLINT}/(\?[^#]*)?#lp-2-1$", point.get_attribute("href"))
    point.click()
    page.wait_for_url(re.compile(rf"/cy/reviews/{FLINT}/(\?[^#]*)?#lp-2-1$"))
    expect(page.locator("#lp-2-1")).to_be_in_viewport()
    expect(page.locator("#lp-2-1")).to_contain_text("Ni wnaeth gweithwyr proffesiynol ystyried")


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = [
    "",
    f"reviews/{FLINT}/",
    "reviews/kent-2019-child-j/",
    f"reviews/{PARTLY}/",
    f"records/{FLINT}/",
    "guide/authors/",
]
"""The Welsh pages axe-core checks (the English pages of every type are checked in
test_browser.py): the home page, a translated briefing with its form, one left in English and one
translated in part (their English text marked lang="en"), a discussion record and the authors'
guide (in English)."""


def test_welsh_pages_pass_axe(browser, bilingual_url: str) -> None:
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"{AXE} is missing: run npm install (see README)")
        pytest.skip("axe-core is not installed (npm install)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    found = {}
    for path in AXE_PAGES:
        page.goto(f"{bilingual_url}cy/{path}")
        result = page.evaluate("tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", tags)
        violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


# --- content and check -----------------------------------------------------------------------------


def bilingual_project(project: Project) -> Project:
    change_settings(project, {"languages": ["en", "cy"]})
    return project


WELSH_REVIEW = (
    MINIMAL_REVIEW.replace('title: "Child A: a test review"', "title:\n  en: Child A\n  cy: Plentyn A")
    .replace("summary: A short summary.", "summary:\n  en: A short summary.\n  cy: Crynodeb byr.")
    .replace("narrative: What happened.", "narrative:\n      en: What happened.\n      cy: Beth ddigwyddodd.")
    .replace("- point: Share what you know.", "- point:\n          en: Share what you know.\n          cy: Rhannwch.")
    .replace("- How do you share?", "- en: How do you share?\n            cy: Sut rydych chi'n rhannu?")
    .replace("The case summary.", "The case summary.\n\n<!-- cy -->\n\nY crynodeb.")
)
"""A review with Welsh for every text but one: its section's heading."""


def test_check_lists_text_with_no_welsh_and_strict_fails_at_its_line(project: Project) -> None:
    bilingual_project(project)
    path = write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    heading_line = path.read_text(encoding="utf-8").splitlines().index("  - heading: Sharing information") + 1
    expected = f"content/reviews/test-2024-child-a.md:{heading_line}: sections[1].heading: no Welsh text"
    relaxed = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert relaxed.exit_code == 0, relaxed.output
    assert expected in relaxed.output
    assert "the check for text with no Welsh" in relaxed.output
    strict = CliRunner().invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert strict.exit_code != 0
    assert expected in strict.output
    assert "Traceback" not in strict.output
    # Every other text has its Welsh; the settings' own texts are listed too.
    findings = [line for line in strict.output.splitlines() if "test-2024-child-a.md" in line]
    assert findings == [line for line in findings if "sections[1].heading" in line]
    assert "content/settings.yml:" in strict.output


def test_a_one_language_site_lists_nothing_and_reads_the_english(project: Project) -> None:
    write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    content = check(project)
    assert content.translations == ()
    assert not [warning for warning in content.warnings if "Welsh" in warning.message]
    review = content.reviews[0]
    assert (review.review.title, review.case_summary) == ("Child A", "The case summary.")


def test_a_fact_given_in_two_languages_is_an_error(project: Project) -> None:
    bilingual_project(project)
    write_review(
        project,
        "test-2024-child-a.md",
        WELSH_REVIEW.replace("nation: England", "nation:\n  en: England\n  cy: Lloegr").replace(
            "  - heading: Sharing information", "  - heading:\n      cy: Rhannu gwybodaeth"
        ),
    )
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code != 0
    assert "test-2024-child-a.md:9: nation: is the same in every language: give it once" in result.output
    assert "sections[1].heading: the Welsh is given without the English: add 'en:'" in result.output


def test_the_welsh_strings_are_complete_with_the_same_placeholders() -> None:
    english, welsh = default_strings(), default_strings("cy")
    assert set(welsh) == set(english)
    assert {key for key in english if placeholders(welsh[key]) != placeholders(english[key])} == set()
    assert {key for key in english if welsh[key] == english[key]} <= {"session_agenda", "feedback_service_no_boundary"}


def test_welsh_word_and_pdf_files_say_they_are_in_welsh(project: Project) -> None:
    bilingual_project(project)
    write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    welsh = check(project).translations[0]
    with zipfile.ZipFile(io.BytesIO(make_word_files(welsh)["word/test-2024-child-a.docx"])) as document:
        properties = document.read("docProps/core.xml").decode("utf-8")
    assert "<dc:language>cy-GB</dc:language>" in properties and "Plentyn A" in properties
    printed = print_documents(welsh, render(welsh), markdown_settings(project.config_file))
    briefing = {"pdf/test-2024-child-a.pdf": printed["pdf/test-2024-child-a.pdf"]}
    assert 'lang: "cy"' in briefing["pdf/test-2024-child-a.pdf"].versions[0]
    pdf = pypdf.PdfReader(io.BytesIO(make_pdfs(briefing, workers=1)["pdf/test-2024-child-a.pdf"]))
    assert pdf.trailer["/Root"]["/Lang"] == "cy"
    assert pdf.metadata is not None and pdf.metadata.title == "Plentyn A"


def test_feedback_stores_the_language_and_the_report_counts_each(project: Project, tmp_path: Path) -> None:
    bilingual_project(project)
    write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    content = check(project)
    form = {
        "briefing": ["test-2024-child-a"],
        "session-date": ["2024-05-01"],
        "used-as": ["Team meeting"],
        "agency": ["Police"],
        "people": ["4"],
        "usefulness": ["5"],
    }
    with pytest.raises(SubmissionRejected) as refused:
        check_submission({**form, "language": ["fr"]}, content)
    assert "language" in refused.value.errors
    db = tmp_path / "feedback.sqlite3"
    with Store(db) as store:
        for number, language in enumerate(["cy", "cy", "en", ""]):
            sent = {**form, "people": [str(number + 1)]} | ({"language": [language]} if language else {})
            store.add(check_submission(sent, content))
    assert [submission.language for submission in read_submissions(db)] == ["cy", "cy", "en", "en"]
    stored = sqlite3.connect(db).execute("SELECT language FROM submissions ORDER BY id").fetchall()
    assert stored == [("cy",), ("cy",), ("en",), ("en",)]
    out = tmp_path / "report"
    write_report(project, db, out)
    assert "- Sessions by the language of the form: English 2, Welsh 2" in (out / "report.md").read_text(
        encoding="utf-8"
    )
    header = (out / "feedback.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,received_at,briefing,language,")


def test_the_service_answers_a_form_from_a_welsh_page_in_welsh(project: Project, tmp_path: Path) -> None:
    from test_feedback_service import ORIGIN, SITE_URL, client_for, post, use_service, valid_form

    write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    use_service(bilingual_project(project))
    client = client_for(project, str(tmp_path / "feedback.sqlite3"))
    sent = post(client, valid_form(language="cy"), as_json=False, origin=ORIGIN)
    assert sent.status_code == 201
    assert '<html lang="cy">' in sent.text
    assert "Diolch: mae eich adborth wedi cyrraedd y bwrdd." in sent.text and "Plentyn A" in sent.text
    assert f'<a href="{SITE_URL}cy/reviews/test-2024-child-a/">Yn ôl i&#x27;r briff</a>' in sent.text
    refused = post(client, valid_form(language="cy", people="lots"), as_json=False, origin=ORIGIN)
    assert refused.status_code == 400 and "Yn ôl i&#x27;r briff" in refused.text
    assert ": rhif cyfan</li>" in refused.text  # what is wrong with the answer, in Welsh too
    english = post(client, valid_form(language="en", people="3"), as_json=False, origin=ORIGIN)
    assert '<html lang="en">' in english.text and "Thank you: your feedback has reached the board." in english.text


def test_the_pdf_cache_keeps_both_languages_pdfs(project: Project) -> None:
    """Both languages' PDFs are kept, so a second build makes none again (neither language's
    PDFs push the other's out of the cache)."""
    from generator.build import generate
    from generator.pipeline.pdf import forget_made

    write_review(project, "test-2024-child-a.md", WELSH_REVIEW)
    bilingual_project(project)
    forget_made()
    generate(project)
    cached = {file.name: file.stat().st_mtime_ns for file in project.pdf_cache.iterdir()}
    assert len(cached) == 4  # a briefing and a 7-minute briefing in each language
    forget_made()
    generate(project)
    assert {file.name: file.stat().st_mtime_ns for file in project.pdf_cache.iterdir()} == cached
    assert (project.docs_dir / "cy" / "pdf" / "test-2024-child-a.pdf").is_file()


def test_an_empty_welsh_text_falls_back_to_the_english(project: Project) -> None:
    from generator.build import check

    write_review(project, "test-2024-child-a.md", WELSH_REVIEW.replace("cy: Plentyn A", "cy: ''"))
    content = check(bilingual_project(project))
    [welsh] = content.translations
    assert welsh.reviews[0].review.title == "Child A"
