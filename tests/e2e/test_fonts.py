"""The portal's fonts as the browser really draws them (Chrome's own report of the
font files behind a node, through the DevTools protocol): a Latin digit that must stay
Latin (a hash, an address, English text) is drawn with the plain Vazirmatn even when
that font arrives late, as on a cheap phone's first visit (it used to wait for the
next page, the digits drawn Persian meanwhile by the Farsi-digits Vazirmatn)."""

import time

from django.templatetags.static import static

PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<link rel="preload" href="{fd}" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="{css}"></head><body>
<p>مهلت پاسخ‌گویی ۱۲ روز کاری</p>
<p>چکیده: <code id="hash" dir="ltr">0123456789abcdef</code></p>
</body></html>"""


def drawn_with(page, selector):
    """The PostScript names of the font files Chrome drew the node's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {
        font["postScriptName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    }


def test_latin_digits_stay_latin_when_their_font_comes_late(page, live_server, outside_requests):
    page.route(
        live_server.url + "/font-check/",
        lambda route: route.fulfill(
            content_type="text/html",
            body=PAGE.format(
                css=static("css/portal.css"), fd=static("vendor/vazirmatn/Vazirmatn-FD-Regular.woff2")
            ),
        ),
    )

    def late(route):
        time.sleep(0.8)  # longer than any font-display block period
        route.continue_()

    page.route("**/Vazirmatn-Regular.woff2", late)
    page.goto(live_server.url + "/font-check/")
    page.wait_for_function("document.fonts.status === 'loaded'")
    page.wait_for_function(
        "[...document.fonts].some(f => f.family.includes('Latin digits') && f.status === 'loaded')"
    )
    page.wait_for_timeout(300)  # a swap is drawn on the next frame
    assert "Vazirmatn-Regular" in drawn_with(page, "#hash")  # the digits (a-f have no Latin-digits glyph)
    assert outside_requests == []
