"""The layout guards see each defect they guard against, and pass a sound page."""

from tests.e2e.layout_guards import layout_problems

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
    problems = "\n".join(layout_problems(page))
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
    assert layout_problems(page) == []
