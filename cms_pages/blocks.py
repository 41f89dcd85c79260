"""StreamField blocks shared by the content pages. What an editor types is shown
with Persian digits; a document to download says its kind and size."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.persian import document_description, persian_digits_html

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class PersianRichTextBlock(blocks.RichTextBlock):
    """Rich text shown with Persian digits (markup, links and addresses untouched)."""

    def render_basic(self, value, context=None):
        return persian_digits_html(super().render_basic(value, context=context))


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

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["description"] = document_description(value["document"]) if value.get("document") else ""
        return context


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="پرسش")
    answer = PersianRichTextBlock(label="پاسخ", features=RICH_FEATURES)

    class Meta:
        icon = "help"
        label = "پرسش و پاسخ"
        template = "cms_pages/blocks/question.html"


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
    paragraph = PersianRichTextBlock(label="متن", features=RICH_FEATURES)
    callout = CalloutBlock()
    document = DocumentLinkBlock()

    class Meta:
        label = "بدنه"
