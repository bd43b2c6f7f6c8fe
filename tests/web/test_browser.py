"""The web app in a real browser (Debian's headless Chromium): as a person would use it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sourcetrace.report import ArticleView
from sourcetrace.views import ATTRIBUTION_COLUMNS, ArticleSummary

from .conftest import ARTICLE, SERVER_UPLOAD_LIMIT, LiveServer

PAYLOAD = (
    "The mayor said the bridge would reopen in May, according to the city's press office.\n\n"
    '<script>window.__ran = "script"; alert(1)</script> '
    '<img src="x" onerror="window.__ran = \'onerror\'; alert(2)"> '
    "<b onmouseover=\"window.__ran = 'hover'\">bold</b> "
    '<a href="javascript:window.__ran=1">link</a>'
)


@pytest.fixture()
def page(browser_context: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh tab on the analyse form; fails the test on any dialog (alert) it sees."""
    tab = browser_context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.set_default_timeout(15_000)
    tab.goto(live_server.url + "/")
    yield tab
    tab.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def analyse(page: Any, text: str) -> None:
    """Paste ``text`` into the form, submit, and wait for the article page."""
    page.fill("#text", text)
    page.click("form.analyse button[type=submit]")
    page.wait_for_url("**/articles/*")


def shown_document(page: Any, live_server: LiveServer) -> Any:
    """The document whose article page is open, as the app stored it."""
    doc_id = page.url.rsplit("/articles/", 1)[1]
    doc = live_server.app.state.sourcetrace.shelf.get(doc_id)
    assert doc is not None
    return doc


def test_a_pasted_article_shows_its_sourcing(page: Any, live_server: LiveServer) -> None:
    analyse(page, ARTICLE)
    doc = shown_document(page, live_server)
    assert doc.text == ARTICLE
    # Every source, cue and content piece is highlighted and labelled in words.
    labels = page.eval_on_selector_all(
        ".text mark[data-label]", "marks => marks.map(m => m.dataset.label)"
    )
    view = ArticleView(doc, 1, ATTRIBUTION_COLUMNS)
    expected = [view.label(s) for s in view.segments if s.opens]
    assert labels == expected
    assert {label.split()[0] for label in labels} >= {"SOURCE", "CUE", "CONTENT", "UNSOURCED"}
    # The labels are really drawn (CSS ::before), not only present in attributes.
    drawn = page.eval_on_selector(
        ".text mark[data-label]", "m => getComputedStyle(m, '::before').content"
    )
    assert drawn.strip('"') == labels[0]
    # The text shown is the article text, whole.
    assert page.inner_text(".text").replace("\u00a0", " ").split() == ARTICLE.split()


@pytest.mark.parametrize(
    ("speaker", "badge"),
    [("Maria Okafor", "named"), ("senior city official", "anonymous")],
)
def test_speakers_carry_their_badge_and_kind(
    page: Any, live_server: LiveServer, speaker: str, badge: str
) -> None:
    analyse(page, ARTICLE)
    cells = page.locator("table.attributions td", has=page.locator(".badge"), has_text=speaker)
    assert cells.count() >= 1
    for index in range(cells.count()):
        assert cells.nth(index).locator(f".badge.b-{badge}").inner_text() == badge
        assert cells.nth(index).locator(".kind").inner_text().startswith("(")


def test_relay_chain_and_summary_panel(page: Any, live_server: LiveServer) -> None:
    analyse(page, ARTICLE)
    doc = shown_document(page, live_server)
    relayed = [a for a in doc.attributions if a.via]
    assert relayed, "the test article relays a statement through an outlet"
    chains = page.locator("table.attributions").inner_text()
    for attribution in relayed:
        assert ArticleView(doc, 1, ATTRIBUTION_COLUMNS).chain(attribution) in chains
    assert "→ Coastal Herald" in chains
    summary = ArticleSummary.of(doc)
    facts = page.locator("table.facts")
    for label, count in [
        ("named speakers", summary.named),
        ("anonymous speakers", summary.anonymous),
        ("first-hand", summary.first_hand),
        ("relayed", summary.relayed),
        ("unsourced assertions", summary.assertions),
    ]:
        cell = facts.locator("th", has_text=label).first.locator("xpath=following-sibling::td[1]")
        assert cell.inner_text() == str(count), label
    assert summary.named >= 1 and summary.anonymous >= 1 and summary.relayed >= 1
    assert f"{summary.unsourced_share} of the text" in facts.inner_text()


def test_script_payloads_in_the_text_stay_inert(page: Any, live_server: LiveServer) -> None:
    analyse(page, PAYLOAD)
    page.hover("text=bold")
    assert page.evaluate("window.__ran") is None
    assert page.locator(".text script, .text img, .text b, .text a[href^=javascript]").count() == 0
    shown = page.inner_text(".text")
    assert '<script>window.__ran = "script"; alert(1)</script>' in shown
    assert '<img src="x" onerror=' in shown


def test_the_form_works_from_the_keyboard(page: Any, live_server: LiveServer) -> None:
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if page.evaluate("document.activeElement.matches('form.analyse button')"):
            break
    order = [reached.index(x) for x in ("text", "file", "url", "BUTTON")]
    assert order == sorted(order), reached
    page.focus("#text")
    page.keyboard.insert_text(ARTICLE)
    page.focus("form.analyse button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/*")
    # On the article page, Tab moves through the highlights, each showing its details.
    for _ in range(16):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.seg')"):
            break
    assert page.evaluate("document.activeElement.matches('mark.seg[data-label]')")
    tip = page.evaluate("getComputedStyle(document.activeElement, '::after').display")
    assert tip == "block"


@pytest.mark.parametrize("where", ["form", "article"])
def test_phone_width_has_no_horizontal_scroll(
    page: Any, live_server: LiveServer, where: str
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    if where == "article":
        analyse(page, ARTICLE)
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 375


def test_an_upload_over_the_limit_is_refused_with_413(page: Any, live_server: LiveServer) -> None:
    big = b"word " * (SERVER_UPLOAD_LIMIT // 5 + 1)
    page.set_input_files(
        "#file", files=[{"name": "big.txt", "mimeType": "text/plain", "buffer": big}]
    )
    with page.expect_response("**/analyze") as answer:
        page.click("form.analyse button[type=submit]")
    assert answer.value.status == 413
    assert "larger than the limit" in page.inner_text("[role=alert]")
    analyse(page, ARTICLE)  # and the server keeps serving


def test_a_private_url_is_refused_on_the_form(page: Any, live_server: LiveServer) -> None:
    page.fill("#url", live_server.url + "/")
    with page.expect_response("**/analyze") as answer:
        page.click("form.analyse button[type=submit]")
    assert answer.value.status == 422
    assert "refused" in page.inner_text("[role=alert]")
    assert page.input_value("#url") == live_server.url + "/"
