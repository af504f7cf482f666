"""The map at ``/`` in a real browser: Debian's Chromium driven by Playwright, against the real
server (``create_app`` under uvicorn on 127.0.0.1) over a store made from ``examples/`` by the
real pipeline, with the example initial control map.

Checks what is drawn (MapLibre's rendered features and the page's DOM), moves the day slider
through the campaign, opens an event popup, filters, and restores a view from its URL hash.
Every request the page makes is recorded; one that leaves 127.0.0.1 is aborted and fails the
test. Screenshots go to build/test-artifacts/map/ (early, middle, end, popup).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from frontlines.web.live import chromium, chromium_path, serve_in_thread, wait_until_ready

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
INITIAL = EXAMPLES / ".maps" / "lebanon-syria-border-2017-07.csv"
ARTIFACTS = REPO / "build" / "test-artifacts" / "map"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MIDDLE = "2017-08-25"  # day seven of the Fajr al-Joroud offensive: ISIL still holds ground

pytestmark = pytest.mark.slow


# --- server and browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory, offline_gazetteer, nlp):
    """A store made from examples/ by the real pipeline (once per module)."""
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    home = tmp_path_factory.mktemp("map-home")
    settings = Settings(home=str(home), db=f"sqlite:///{home / 'demo.db'}",
                        gazetteer=str(offline_gazetteer))
    Frontlines(settings, nlp=nlp).ingest([EXAMPLES])
    return settings


@pytest.fixture(scope="module")
def server(demo_settings):
    """The real app under uvicorn in a thread, on a free port of 127.0.0.1."""
    from frontlines.server.app import create_app

    with serve_in_thread(create_app(demo_settings, initial=str(INITIAL))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not chromium_path().exists():
        pytest.skip(f"Chromium not found at {chromium_path()}: install Debian's 'chromium' "
                    "package (scripts/ensure-chromium.sh) or set FRONTLINES_TEST_CHROMIUM")
    with chromium() as launched:
        yield launched


class Watch:
    """Every request of a page, and the page's script errors."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watch = Watch()
    context.route("**/*", watch.route)
    pg = context.new_page()
    pg.on("request", lambda r: watch.requests.append(r.url))
    pg.on("response", watch.response)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.watch = watch
    yield pg
    context.close()
    assert not watch.foreign, f"requests left 127.0.0.1: {watch.foreign}"
    assert all(urlsplit(u).hostname in LOCAL_HOSTS for u in watch.requests
               if not u.startswith(("data:", "blob:")))
    assert not watch.errors, f"script errors on the page: {watch.errors}"


def open_map(page, url: str, *, day: str | None = None) -> dict:
    """Load the page and wait until the map is idle with the day's data drawn."""
    page.goto(url)
    loaded = wait_until_ready(page)
    return wait_for_day(page, day) if day else loaded


def wait_for_day(page, day: str) -> dict:
    page.wait_for_function(
        "d => window.frontlines.loaded && window.frontlines.loaded.day === d", arg=day,
        timeout=60_000)
    return page.evaluate("window.frontlines.loaded")


def slide_to(page, day: str) -> dict:
    """Move the slider with the keyboard (Home, then ArrowRight one day at a time)."""
    days = page.evaluate("window.frontlines.days.map(d => d.date)")
    page.focus("#day")
    page.keyboard.press("Home")
    for _ in range(days.index(day)):
        page.keyboard.press("ArrowRight")
    return wait_for_day(page, day)


def drawn(page) -> dict:
    """What MapLibre has drawn in the viewport, per layer, and what its sources hold."""
    return page.evaluate("""() => {
      const map = window.frontlines.map, data = window.frontlines.data;
      const q = (layer) => map.queryRenderedFeatures({layers: [layer]}).map(f => f.properties);
      const areas = q('control-areas');
      return {
        areaSides: [...new Set(areas.map(p => p.side))].sort(),
        frontLines: q('front-lines').length,
        controlPoints: q('control-points').length,
        eventPoints: q('event-points').length,
        clusters: q('event-clusters').map(p => p.point_count),
        alertRings: q('alerts').length,
        eventIds: data.events.features.map(f => f.properties.event_id).sort(),
        eventTypes: [...new Set(data.events.features.map(f => f.properties.event_type))],
        actors: data.events.features.map(f => [f.properties.actor1, f.properties.actor2]),
        sourceAreas: data.control.features.filter(f => f.properties.kind === 'area')
                         .map(f => f.properties.side).sort(),
        alerts: data.alerts.features.map(f => f.properties.place),
      };
    }""")


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


# --- tests ----------------------------------------------------------------------------------

def test_the_slider_steps_through_the_campaign(page, server):
    first = open_map(page, server + "/")
    days = page.evaluate("window.frontlines.days.map(d => d.date)")
    assert first["day"] == days[-1]  # the newest day opens first
    # the basemap came from our tiles and outlines
    assert any("/tiles/" in u for u in page.watch.requests)
    assert any(u.endswith("/outlines.geojson") for u in page.watch.requests)
    assert not page.watch.failed, page.watch.failed
    attribution = page.inner_text(".maplibregl-ctrl-attrib")
    assert "OpenStreetMap" in attribution and "Natural Earth" in attribution
    legend = page.inner_text("#legend-events")
    for event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians",
                       "Strategic developments"):
        assert event_type in legend

    # the campaign on the Lebanon-Syria border, close up
    page.evaluate("window.frontlines.map.jumpTo({center: [36.45, 34.28], zoom: 9.2})")
    page.wait_for_function("() => window.frontlines.map.loaded() && "
                           "!window.frontlines.map.isMoving()", timeout=30_000)
    early = slide_to(page, days[0])
    early_drawn = drawn(page)
    shot(page, "early")
    middle = slide_to(page, MIDDLE)
    middle_drawn = drawn(page)
    shot(page, "middle")
    page.focus("#day")
    page.keyboard.press("End")
    end = wait_for_day(page, days[-1])
    end_drawn = drawn(page)
    shot(page, "end")

    for state in (early, middle, end):
        assert state["idle"] and state["control"] > 0
    # events: each day shows its own window of events, and they are drawn
    assert early_drawn["eventIds"] != middle_drawn["eventIds"] != end_drawn["eventIds"]
    assert middle_drawn["eventPoints"] + sum(middle_drawn["clusters"]) >= 1
    assert page.inner_text("#day-label") == days[-1]
    # control: ISIL holds ground in the jurd early and in mid-offensive, none after it left
    assert "ISIL" in early_drawn["areaSides"] and "ISIL" in middle_drawn["areaSides"]
    assert "ISIL" not in end_drawn["sourceAreas"] and "ISIL" not in end_drawn["areaSides"]
    assert "Lebanese Government" in end_drawn["areaSides"]
    assert early_drawn["frontLines"] > 0 and end_drawn["frontLines"] < early_drawn["frontLines"]
    assert early_drawn["controlPoints"] > 0
    # the legend lists the sides holding ground on the day
    assert "Lebanese Government" in page.inner_text("#legend-sides")
    assert "ISIL" not in page.inner_text("#legend-sides")
    # the alerts panel lists the towns in range on the day, as the map draws them
    items = page.locator("#alerts-list button.alert")
    assert items.count() == len(end_drawn["alerts"])
    if end_drawn["alerts"]:
        assert end_drawn["alerts"][0] in items.first.inner_text()


def test_popup_shows_fields_sources_and_the_trigger(page, server):
    open_map(page, server + f"/#date={MIDDLE}&w=7", day=MIDDLE)
    event = page.evaluate("""() => window.frontlines.data.events.features
        .map(f => f.properties).find(p => p.sentence && p.trigger)""")
    assert event, "no event with a sentence in the week to " + MIDDLE
    coords = page.evaluate("id => window.frontlines.data.events.features"
                           ".find(f => f.properties.event_id === id).geometry.coordinates",
                           event["event_id"])
    # zoom past the clustering (to zoom 10) so the event is a point of its own, then click it
    page.evaluate("c => window.frontlines.map.jumpTo({center: c, zoom: 11})", coords)
    page.wait_for_function("() => window.frontlines.map.loaded() && "
                           "!window.frontlines.map.isMoving()", timeout=30_000)
    page.wait_for_function("""id => window.frontlines.map.queryRenderedFeatures(
        {layers: ['event-points']}).some(f => f.properties.event_id === id)""",
                           arg=event["event_id"], timeout=30_000)
    box = page.locator("#map").bounding_box()
    x, y = page.evaluate("c => { const p = window.frontlines.map.project(c); return [p.x, p.y]; }",
                         coords)
    page.mouse.click(box["x"] + x, box["y"] + y)
    # the popup lists every event at the clicked place; ours is one of them
    popup = page.locator(f'.maplibregl-popup .event-popup[data-event-id="{event["event_id"]}"]')
    popup.wait_for(timeout=15_000)
    popup.locator(".report-list li").first.wait_for(timeout=15_000)
    text = popup.inner_text()
    assert event["sub_event_type"] in text and event["event_date"] in text
    assert event["sentence"] in text.replace("\n", " ") or event["sentence"][:60] in text
    marks = popup.locator("blockquote.sentence mark.trigger")
    assert marks.count() >= 1
    assert marks.first.inner_text().casefold() == event["trigger"].casefold()
    quote = popup.locator("blockquote.sentence").first.inner_text()
    assert quote == event["sentence"]
    assert "reported by" in text.casefold()
    sources = page.evaluate("id => fetch('/events/' + id).then(r => r.json())",
                            event["event_id"])
    for report in sources["reports"]:
        assert (report["source"] or "unknown outlet") in text
    shot(page, "popup")


def test_filters_and_the_url_hash_restore_the_view(page, server, browser):
    open_map(page, server + f"/#date={MIDDLE}&w=30", day=MIDDLE)
    everything = drawn(page)
    assert len(everything["eventTypes"]) > 1
    page.select_option("#event-type", "Battles")
    page.wait_for_function("() => window.frontlines.loaded.hash.includes('type=Battles')",
                           timeout=30_000)
    battles = drawn(page)
    assert battles["eventTypes"] == ["Battles"]
    assert 0 < len(battles["eventIds"]) < len(everything["eventIds"])
    assert set(battles["eventIds"]) <= set(everything["eventIds"])

    page.fill("#actor", "Hezbollah")
    page.wait_for_function("() => window.frontlines.loaded.hash.includes('actor=Hezbollah')",
                           timeout=30_000)
    hezbollah = drawn(page)
    assert hezbollah["eventIds"], "no battle with Hezbollah in the month to " + MIDDLE
    assert all("hezbollah" in f"{a1} {a2}".casefold() for a1, a2 in hezbollah["actors"])
    page.evaluate("window.frontlines.map.jumpTo({center: [36.45, 34.25], zoom: 9.5})")
    page.wait_for_function("() => location.hash.includes('map=9.50/34.2500/36.4500')",
                           timeout=10_000)
    hash_ = page.evaluate("location.hash")

    fresh = browser.new_context(viewport={"width": 1280, "height": 800})
    other = fresh.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda e: errors.append(str(e)))
    try:
        restored = open_map(other, server + "/" + hash_, day=MIDDLE)
        assert other.input_value("#event-type") == "Battles"
        assert other.input_value("#actor") == "Hezbollah"
        assert other.input_value("#window") == "30"
        assert other.inner_text("#day-label") == MIDDLE
        view = other.evaluate("() => { const m = window.frontlines.map, c = m.getCenter();"
                              " return [m.getZoom(), c.lng, c.lat]; }")
        assert view == pytest.approx([9.5, 36.45, 34.25], abs=1e-3)
        assert restored["events"] == len(hezbollah["eventIds"])
        assert drawn(other)["eventIds"] == hezbollah["eventIds"]
    finally:
        fresh.close()
    assert not errors


def test_play_steps_through_days_and_pauses(page, server):
    open_map(page, server + "/#date=2017-08-19&w=7", day="2017-08-19")
    assert page.get_attribute("#play", "aria-label").startswith("Play")
    page.click("#play")
    page.wait_for_function("() => window.frontlines.loaded.day >= '2017-08-21'",
                           timeout=60_000)
    page.click("#play")  # pause
    assert page.get_attribute("#play", "aria-label").startswith("Play")
    # a day asked for before the pause finishes loading, then nothing moves
    page.wait_for_function("() => window.frontlines.loaded.day === "
                           "document.getElementById('day-label').textContent", timeout=30_000)
    paused = page.evaluate("window.frontlines.loaded.day")
    page.wait_for_timeout(1500)  # two play steps (700 ms each)
    assert page.evaluate("window.frontlines.loaded.day") == paused
    assert page.inner_text("#day-label") == paused
    assert f"date={paused}" in page.evaluate("location.hash")


def test_data_is_shown_as_text_never_as_html(page, server):
    open_map(page, server + "/")
    found = page.evaluate("""async () => {
      const ui = await import('/static/panels.js');
      const hostile = '<img src=x onerror="window.pwned=1"> the army struck <b>Qara</b>';
      const quote = ui.highlightedSentence(hostile, 'struck');
      const odd = ui.highlightedSentence('shelled (a.b) positions', '(a.b)');
      const popup = ui.eventPopup({event_id: 'x', event_date: '2017-08-20',
        sub_event_type: '<script>window.pwned=2</script>', location: '<i>Arsal</i>',
        actor1: '<svg onload="window.pwned=3">', sentence: hostile, trigger: 'struck'});
      document.body.append(quote, popup);
      await new Promise(r => setTimeout(r, 200));
      return {quoteText: quote.textContent, marks: [...quote.querySelectorAll('mark')]
                .map(m => m.textContent), elements: quote.querySelectorAll('img, b').length,
              odd: [...odd.querySelectorAll('mark')].map(m => m.textContent),
              popupElements: popup.querySelectorAll('script, i, svg, img').length,
              popupText: popup.textContent, pwned: window.pwned || null};
    }""")
    assert found["pwned"] is None
    assert found["elements"] == 0 and found["popupElements"] == 0
    assert found["marks"] == ["struck"]
    assert found["quoteText"].startswith('<img src=x onerror="window.pwned=1">')
    assert found["odd"] == ["(a.b)"]
    assert "<script>window.pwned=2</script>" in found["popupText"]
    assert "<i>Arsal</i>" in found["popupText"]
