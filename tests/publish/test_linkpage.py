"""The job link page: every valid, unexpired job with a real link, literal text, accessible, in chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vidcoop.jobboard.board import board_channel
from vidcoop.jobboard.week import parse_week
from vidcoop.publish.linkpage import numbered_jobs, page_colors, write_link_page

HOSTILE = '<script>alert("x")</script> & "Chef" \'Köchin\''


class _Outline(HTMLParser):
    """Headings, links, images and the html lang of a page, as a screen reader would list them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.lang: str | None = None
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a" and a.get("class") == "apply":
            self.links.append(a.get("href") or "")
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            value = a.get(key) or ""
            if tag != "a" and re.match(r"^[a-z]+:", value):
                self.external.append(value)


def _page(example: Path, tmp_path: Path, monkeypatch, *, extra_rows: str = "") -> tuple[Path, list, object]:
    from vidcoop import jobboard

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    jobs = example / "jobs.csv"
    if extra_rows:
        jobs.write_text(jobs.read_text(encoding="utf-8-sig").rstrip("\n") + "\n" + extra_rows, encoding="utf-8")
    channel_path = example / "channel" / "channel.yaml"
    report = jobboard.validate(jobboard.load(jobs), channel_path, "2026-W48")
    episodes = jobboard.build_episode(report, channel_path, "2026-W48")
    _page_path, index = write_link_page(numbered_jobs(episodes), board_channel(channel_path), parse_week("2026-W48"),
                                  tmp_path / "site" / "jobs")
    return index, episodes, report


def _csv_row(*cells: str) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerow(cells)
    return buf.getvalue()


def test_page_lists_valid_jobs_literally_with_real_links(example: Path, tmp_path: Path, monkeypatch) -> None:
    row = _csv_row(HOSTILE, "caritas-musterstadt", "Musterstadt", "Vollzeit", "ab sofort", "A & B <i>kursiv</i>",
                   'https://example.org/a?x=1&y="2"', "31.12.2026")
    index, episodes, report = _page(example, tmp_path, monkeypatch, extra_rows=row)
    assert any(job.title == HOSTILE for job in report.ok), report.text()
    html = index.read_text(encoding="utf-8")
    outline = _Outline()
    outline.feed(html)
    assert outline.lang == "de" and outline.scripts == 0 and outline.external == []
    steps = zip(outline.headings, outline.headings[1:], strict=False)
    assert outline.headings[0] == 1 and all(b - a <= 1 for a, b in steps), outline.headings
    assert all(img.get("alt") for img in outline.images)
    shown = [job for ep in episodes for job in (c.job for c in ep.extra["jobboard"].cards)]
    assert len(outline.links) == len(shown) == len(report.ok)
    assert all(href.startswith(("https://", "mailto:", "tel:")) for href in outline.links)
    for job in report.expired:
        assert job.title not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Chef&#34; &#39;Köchin&#39;" in html
    assert "<i>kursiv</i>" not in html and "&lt;i&gt;kursiv&lt;/i&gt;" in html
    for n in range(1, len(shown) + 1):
        assert f'id="nr-{n}"' in html and f">Nr. {n}<" in html
    assert (index.parent / "2026-W48.html").read_text(encoding="utf-8") == html
    assert list((index.parent / "assets").glob("*.ttf")), "the kit's font ships beside the page"


def test_archive_keeps_past_weeks_and_index_shows_the_newest(example: Path, tmp_path: Path, monkeypatch) -> None:
    index, _episodes, _report = _page(example, tmp_path, monkeypatch)
    old = index.parent / "2026-W47.html"
    old.write_text("<!doctype html><title>old</title>", encoding="utf-8")
    from vidcoop import jobboard

    channel_path = example / "channel" / "channel.yaml"
    report = jobboard.validate(jobboard.load(example / "jobs.csv"), channel_path, "2026-W48")
    episodes = jobboard.build_episode(report, channel_path, "2026-W48")
    write_link_page(numbered_jobs(episodes), board_channel(channel_path), parse_week("2026-W48"), index.parent)
    html = index.read_text(encoding="utf-8")
    assert 'href="2026-W47.html"' in html and "KW 47/2026" in html
    assert old.read_text(encoding="utf-8").endswith("old</title>")


def test_page_colours_meet_wcag_aa(example: Path) -> None:
    from vidcoop.color import contrast_ratio

    colors = page_colors(board_channel(example / "channel" / "channel.yaml"))
    for fg, bg in ((colors.text, colors.page), (colors.text, colors.card), (colors.button_text, colors.accent)):
        assert contrast_ratio(fg, bg) >= 4.5, (fg, bg)


def test_page_in_chromium(example: Path, tmp_path: Path, monkeypatch, browser, screenshots: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    index, episodes, _report = _page(example, tmp_path, monkeypatch)
    page = browser.new_page(viewport={"width": 414, "height": 896})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.goto(index.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(screenshots / "jobs-index.png"), full_page=True)
    assert page.evaluate("document.fonts.check('16px Kit')"), "the kit's font loads from beside the page"
    links = page.get_by_role("link", name=re.compile("^Jetzt bewerben"))
    count = sum(len(ep.extra["jobboard"].cards) for ep in episodes)
    assert links.count() == count
    for i in range(count):
        link = links.nth(i)
        link.click(trial=True)  # visible, enabled, not covered: a person can tap it
        assert link.get_attribute("href")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_role("heading", level=2).count() == count
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert errors == [] and failed == []
    page.close()


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,hi"])
def test_page_refuses_non_web_links_even_if_validation_let_them_through(example: Path, bad: str) -> None:
    from dataclasses import replace
    from datetime import date

    from vidcoop.jobboard.model import Contact, Job
    from vidcoop.publish.linkpage import _href

    job = Job(1, "t", "p", "l", "h", None, "", "", Contact("url", bad, bad), date(2026, 12, 1))
    with pytest.raises(ValueError, match="not http"):
        _href(replace(job))
