"""An article with photos in a real browser: no console error, and no layout shift as photos load."""

from __future__ import annotations

from conftest import serve
from test_images import photo_project  # noqa: F401  (a fixture)
from test_publish import build


def test_an_article_with_photos_loads_without_errors_or_layout_shift(photo_project, tmp_path, browser):  # noqa: F811
    build(photo_project, tmp_path / "out", base_url="https://example.org/repo/")
    server, base = serve(tmp_path / "out")
    try:
        # the photo page's one article (photo_project dates it 2025-03-20, the day after the sample's last)
        [article] = [p for p in (tmp_path / "out/2025/03/20").glob("*/index.html") if p.parent.name != "b2"]
        page = browser.new_page(viewport={"width": 360, "height": 640})
        errors, failed = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.add_init_script("""
            window.__shift = 0;
            new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shift += e.value; })
              .observe({type: 'layout-shift', buffered: true});
        """)
        page.goto(base + article.parent.relative_to(tmp_path / "out").as_posix() + "/")
        page.mouse.wheel(0, 4000)  # bring the lazy photo in
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        page.wait_for_timeout(200)
        assert errors == [] and failed == [], (errors, failed)
        assert page.evaluate("window.__shift") == 0
        sources = page.evaluate("[...document.querySelectorAll('figure img')].map(i => i.currentSrc)")
        assert len(sources) == 2 and all("/repo/media/" in s for s in sources)
        assert sources[0].endswith(".webp")  # chromium takes the WebP source
        page.close()
    finally:
        server.shutdown()
