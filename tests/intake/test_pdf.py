import io
import re

from pypdf import PdfReader

from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from tests.intake.helpers import BASE, fill_to_review, step


def tj_runs(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    runs = []
    for page in reader.pages:
        runs += re.findall(r"\[(.*?)\] TJ", page.get_contents().get_data().decode("latin-1"))
    return runs


def digit_glyphs():
    """The glyph id of each Persian digit in Vazirmatn, from a reference rendering."""
    from weasyprint import HTML

    from intake.pdf import _font_url

    font = _font_url("Vazirmatn-Regular.woff2")
    html = (
        f"<html><style>@font-face{{font-family:V;src:url({font})}} body{{font-family:V}}</style>"
        "<body><p>۰۱۲۳۴۵۶۷۸۹</p></body></html>"
    )
    run = tj_runs(HTML(string=html).write_pdf())[0]
    glyphs = re.findall(r"<([0-9a-f]{4})>", run)
    assert len(glyphs) == 10
    return glyphs


def test_receipt_pdf_contains_the_code_in_vazirmatn(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    request_obj = ServiceRequest.objects.get()
    response = client.get(BASE + "receipt/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    # pypdf reads lines of a right-to-left page backwards, digits included; the
    # glyphs themselves must be drawn left to right: check the content stream.
    persian = to_persian_digits(request_obj.tracking_code)
    assert persian in text or persian[::-1] in text
    glyphs = digit_glyphs()
    expected = "".join(glyphs[int(d)] for d in request_obj.tracking_code)
    drawn = ["".join(re.findall(r"<([0-9a-f]{4})>", run)) for run in tj_runs(response.content)]
    # Shown in groups of four (a gap between groups): the glyphs, joined, in code order.
    assert expected in "".join(drawn)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Vazirmatn" in name for name in fonts), fonts


def test_receipt_pdf_shapes_persian_letters(client, intake_page, service, officer):
    """Joined letters: the shaped glyphs map back to the words (ToUnicode), so the
    extracted text holds the Persian words, not isolated letters."""
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    reader = PdfReader(io.BytesIO(client.get(BASE + "receipt/pdf/").content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "رسید" in text and "پیگیری" in text
