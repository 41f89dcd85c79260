"""`|url_breaks`: a long address wraps only after a slash or a hyphen."""

from portal.templatetags.persian import url_breaks


def test_breaks_after_slashes_and_hyphens_only():
    html = url_breaks("https://portal.example/verify/6887c076-ce56/?x=<b>")
    assert html == ("https://<wbr>portal.example/<wbr>verify/<wbr>6887c076-<wbr>ce56/<wbr>?x=&lt;b&gt;")
    assert url_breaks("") == "" and url_breaks(None) == ""
