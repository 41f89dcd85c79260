"""Every citizen page, on a 360 px phone, passes the layout guards.

The tour (tools/tour.py, the same one `make screenshots` pictures) visits every
citizen page and state; at each stop the page is checked for what a phone user
sees broken and axe does not: the page wider than the screen, stretched radios
and checkboxes, a code, national code, phone number or e-mail split over two lines,
a 16-digit code not grouped in fours, and a word broken inside.
"""

import pytest
from django.core.management import call_command

from intake.sms import outbox
from tools.tour import walk

GUARDS = r"""
() => {
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect();
      return r.width && (r.right > width + 1 || r.left < -1);
    }).slice(-3).map(name);
    problems.push(`page ${document.documentElement.scrollWidth}px wide: ${wide.join(', ')}`);
  }
  for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const r = input.getBoundingClientRect();
    if (r.width > 32) problems.push(`${input.type} ${input.name} is ${Math.round(r.width)}px wide`);
  }
  const lines = rects => {
    const tops = [...rects].filter(r => r.width > 0).map(r => r.top);
    return tops.length ? Math.max(...tops) - Math.min(...tops) > 4 : false;
  };
  for (const el of document.querySelectorAll('.ltr')) {
    if (lines(el.getClientRects())) problems.push(`"${el.textContent.trim()}" wraps`);
  }
  const value = /[0-9۰-۹]{10,}|[+0-9۰-۹][0-9۰-۹ -]{9,}[0-9۰-۹]|[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'SELECT', 'NOSCRIPT', 'TITLE']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skip.has(node.parentElement.tagName) || !node.parentElement.getClientRects().length) continue;
    const text = node.textContent;
    if (/[0-9۰-۹]{16}/.test(text)) problems.push(`a 16-digit code not in groups of four: "${text.trim()}"`);
    for (const match of text.matchAll(value)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range.getClientRects())) problems.push(`"${match[0]}" wraps`);
    }
    for (const match of text.matchAll(/[^\s\u200f\u200e]{2,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range.getClientRects())) problems.push(`the word "${match[0]}" is broken`);
    }
  }
  return [...new Set(problems)];
}
"""


@pytest.fixture
def demo(transactional_db, settings):
    call_command("load_demo", verbosity=0)
    settings.FOLLOWUP_OTP_REQUIRED = True
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    outbox.clear()


def test_every_citizen_page_holds_on_a_phone(page, live_server, demo, outside_requests, tmp_path):
    page.set_viewport_size({"width": 360, "height": 780})
    found, visited = {}, []
    for stop in walk(page, live_server.url, tmp_path):
        visited.append(stop)
        problems = page.evaluate(GUARDS)
        if problems:
            found[stop] = problems
    assert outside_requests == []
    assert len(visited) > 40, visited
    assert not found, "\n".join(f"{stop}: {'; '.join(problems)}" for stop, problems in found.items())


BROKEN = """<!DOCTYPE html><html lang="fa" dir="rtl"><body style="margin:0;font:16px sans-serif">
<div style="width:500px">جدول پهن</div>
<label><input type="radio" name="answer" style="width:100%"> زیاد</label>
<p style="width:90px">تلفن همراه ۰۹۱۲ ۱۲۳ ۴۵۶۷</p>
<p>کد پیگیری ۵۶۸۹۴۱۵۱۳۶۰۰۰۷۶۴</p>
<p style="width:50px;overflow-wrap:anywhere">درخواست‌کنندگان</p>
<p style="width:40px"><bdi dir="ltr" class="ltr" style="white-space:normal">۵۶۸۹ ۴۱۵۱</bdi></p>
</body></html>"""


def test_the_guards_see_each_defect(page):
    page.set_viewport_size({"width": 360, "height": 780})
    page.set_content(BROKEN)
    problems = "\n".join(page.evaluate(GUARDS))
    assert "page 500px wide: div" in problems
    assert "radio answer is" in problems
    assert '"۰۹۱۲ ۱۲۳ ۴۵۶۷" wraps' in problems
    assert "a 16-digit code not in groups of four" in problems
    assert 'the word "درخواست‌کنندگان" is broken' in problems
    assert '"۵۶۸۹ ۴۱۵۱" wraps' in problems


def test_the_guards_pass_a_sound_page(page):
    page.set_viewport_size({"width": 360, "height": 780})
    page.set_content(
        '<html lang="fa" dir="rtl"><body><p>کد ملی <bdi dir="ltr" class="ltr">۰۴۹۹۳۷۰۸۹۹</bdi></p>'
        '<label><input type="checkbox" name="agree"> موافقم</label></body></html>'
    )
    assert page.evaluate(GUARDS) == []
