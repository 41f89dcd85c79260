from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "جستجو"

    def ready(self):
        from .fields import normalise_indexed_models

        # The index stores the search key of every searchable text (search.fields).
        normalise_indexed_models()
