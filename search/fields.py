"""Search fields that index the search key of their text (portal.persian.search_key).

`normalise_indexed_models()` replaces, in every indexed model's `search_fields`, each
SearchField and AutocompleteField (also inside RelatedFields) by one whose public
`get_value()` returns the normalised text: Arabic ي/ك and Persian ی/ک, either digit
script, harakat and ZWNJ all reach the index in one form, whichever backend stores it.
FilterFields are left alone (they filter on raw values). `SearchConfig.ready()` calls
it, so the models keep declaring Wagtail's plain fields and Wagtail's own indexed models
(images, documents, users in the admin) are normalised too."""

from django.utils.encoding import force_str
from modelsearch import index

from portal.persian import search_key


def normalised(value):
    """The search key of a field's value: of each string in a list or dict (rich text and
    StreamField give lists of strings), None left as None."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    return search_key(force_str(value))


class PersianSearchField(index.SearchField):
    def get_value(self, obj):
        return normalised(super().get_value(obj))


class PersianAutocompleteField(index.AutocompleteField):
    def get_value(self, obj):
        return normalised(super().get_value(obj))


def persian_field(field, converted):
    """The Persian-aware version of one search field; `converted` maps each field already
    seen to its version, so models sharing Page's fields keep sharing them (Wagtail's
    check that page models extend `Page.search_fields` compares the field objects)."""
    if id(field) in converted:
        return converted[id(field)][1]
    if isinstance(field, PersianSearchField | PersianAutocompleteField):
        new = field
    elif isinstance(field, index.SearchField):
        new = PersianSearchField(field.field_name, boost=field.boost, **field.kwargs)
    elif isinstance(field, index.AutocompleteField):
        new = PersianAutocompleteField(field.field_name, **field.kwargs)
    elif isinstance(field, index.RelatedFields):
        new = index.RelatedFields(field.field_name, [persian_field(sub, converted) for sub in field.fields])
    else:
        new = field
    converted[id(field)] = (field, new)  # the original is kept so its id stays its own
    return new


def normalise_indexed_models():
    """Every indexed model's search fields made Persian-aware (idempotent)."""
    converted = {}
    for model in index.get_indexed_models():
        model.search_fields = [persian_field(field, converted) for field in model.search_fields]
