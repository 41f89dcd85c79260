"""StreamField blocks shared by the content pages."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="عنوان", required=False)
    text = blocks.TextBlock(label="متن")

    class Meta:
        icon = "warning"
        label = "نکته برجسته"
        template = "cms_pages/blocks/callout.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="سند")
    title = blocks.CharBlock(label="عنوان", required=False)

    class Meta:
        icon = "doc-full"
        label = "سند برای دریافت"
        template = "cms_pages/blocks/document.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="پرسش")
    answer = blocks.RichTextBlock(label="پاسخ", features=RICH_FEATURES)

    class Meta:
        icon = "help"
        label = "پرسش و پاسخ"


class QuestionGroupBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="عنوان گروه")
    questions = blocks.ListBlock(QuestionBlock(), label="پرسش‌ها")

    class Meta:
        icon = "folder-open-inverse"
        label = "گروه پرسش‌ها"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="عنوان", form_classname="title", template="cms_pages/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label="متن", features=RICH_FEATURES)
    callout = CalloutBlock()
    document = DocumentLinkBlock()

    class Meta:
        label = "بدنه"
