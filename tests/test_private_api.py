"""No module of ours uses a private part of Django, Wagtail, modelsearch or any other
dependency: an underscored name, module or attribute (DESIGN.md, "Speed, the
ecosystem's way"). The scan is in tests/house.py; the snippet tests below prove
each rule catches its case and lets clean code through."""

import importlib
import textwrap
import types

import pytest

from tests.house import private_api_offences, private_override_offences, read_sources


def report(offences):
    return "\n".join(str(offence) for offence in offences)


def test_no_module_of_ours_uses_private_api_of_a_dependency():
    offences = private_api_offences(read_sources())
    if offences:
        pytest.fail(f"{len(offences)} uses of private API:\n{report(offences)}", pytrace=False)


def test_no_class_of_ours_overrides_a_private_member_of_a_dependency():
    offences = private_override_offences(read_sources(), importlib.import_module)
    if offences:
        pytest.fail(f"{len(offences)} overrides of private members:\n{report(offences)}", pytrace=False)


def scan(code, module="intake.example", extra=None):
    sources = {module: ("intake/example.py", textwrap.dedent(code))}
    sources.update(extra or {})
    return private_api_offences(sources)


BAD = {
    "a: a private name": "from django.db.models.sql.compiler import _get_order_dir\n",
    "a: a private name among others": "from wagtail.models import Page, _copy\n",
    "a: import of a private module": "import modelsearch._utils\n",
    "a: from a private module": "from django.utils._os import safe_join\n",
    "a: a private package deeper": "from wagtail.admin._views.pages import x\n",
    "a: inside a function": "def f():\n    from django.db import _private\n",
    "b: reading": "def f(request):\n    return request._cached_user\n",
    "b: setting": "def f(user):\n    user._desk_groups = set()\n",
    "b: on a call's result": "def f(qs):\n    return qs.all()._result_cache\n",
    "b: on a class": "def f(model):\n    return model._default_manager.all()\n",
    "b: name-mangled": "def f(x):\n    return x.__secret\n",
    "c: a dependency's private method": "class Q(Base):\n    def f(self):\n        return self._clone()\n",
    "c: on cls": "class Q(Base):\n    @classmethod\n    def f(cls):\n        return cls._base_manager\n",
    "c: super() of an override": (
        "class Backend(Base):\n    def _search(self, q):\n        return super()._search(q)\n"
    ),
    "c: super() never defined": "class Q(Base):\n    def f(self):\n        return super()._fetch_all()\n",
    "d: getattr": "def f(request):\n    return getattr(request, '_csp_nonce', None)\n",
    "d: setattr": "def f(request):\n    setattr(request, '_cache_update_cache', False)\n",
    "d: hasattr": "def f(obj):\n    return hasattr(obj, '_prefetched_objects_cache')\n",
    "d: delattr": "def f(obj):\n    delattr(obj, '_state')\n",
    "d: attrgetter": "import operator\nkey = operator.attrgetter('_order')\n",
    "d: __dict__": "def f(obj):\n    return obj.__dict__['_state']\n",
    "d: vars()": "def f(obj):\n    return vars(obj)['_state']\n",
}


@pytest.mark.parametrize("code", BAD.values(), ids=BAD.keys())
def test_each_rule_catches_its_case(code):
    offences = scan(code)
    assert offences, "not caught"
    rule = next(key for key, value in BAD.items() if value == code)[0]
    assert {offence.rule[0] for offence in offences} == {rule}, report(offences)
    assert all(offence.path == "intake/example.py" and offence.line >= 1 for offence in offences)
    assert all(offence.snippet for offence in offences)


CLEAN = """
    from __future__ import annotations

    import functools
    from collections import namedtuple

    from django.utils.translation import gettext_lazy as _

    from intake._internal import _helper
    from ._local import _private_of_ours

    Point = namedtuple("Point", "x y")
    _CACHE_SECONDS = 60


    class Counter:
        _step = 1

        def __init__(self):
            self._count = 0
            self.__hidden = 1

        def _advance(self):
            self._count += self._step
            return self.__hidden

        def __repr__(self):
            return f"{self.__class__.__name__}({self._count})"


    class Faster(Counter):
        def _advance(self):
            return super()._advance() * 2


    def label(model, point):
        meta = model._meta
        moved = point._replace(x=1)
        return _("نام"), meta.verbose_name, moved._asdict(), Point._fields, Point._make((1, 2))


    def dunders(obj):
        return getattr(obj, "__name__"), obj.__dict__["name"], hasattr(obj, "_meta")
"""


def test_clean_code_passes():
    assert scan(CLEAN) == []


def test_one_message_lists_every_offence_with_file_line_and_code():
    offences = scan("def f(r):\n    r._a = 1\n    return getattr(r, '_b')\n")
    assert [str(offence) for offence in offences] == [
        "intake/example.py:2: [b: private attribute _a] r._a = 1",
        "intake/example.py:3: [d: getattr() with '_b'] return getattr(r, '_b')",
    ]


def test_self_attributes_defined_in_another_module_of_ours_pass():
    helper = ("portal/base.py", "class Base:\n    def _shared(self):\n        return 1\n")
    code = "class Q(Base):\n    def f(self):\n        return self._shared() + super()._shared()\n"
    assert scan(code, extra={"portal.base": helper}) == []


def load_snippet(code):
    def load(name):
        module = types.ModuleType(name)
        exec(textwrap.dedent(code), module.__dict__)  # noqa: S102 (the test's own snippet)
        return module

    return load


def test_an_override_of_a_dependencys_private_method_is_caught():
    code = """
        from django import forms

        class ContactForm(forms.Form):
            def _clean_fields(self):
                return None

            def _own(self):
                return None
    """
    sources = {"intake.example": ("intake/example.py", textwrap.dedent(code))}
    offences = private_override_offences(sources, load_snippet(code))
    assert [(o.line, o.rule) for o in offences] == [
        (5, "e: overrides django.forms.forms.BaseForm._clean_fields")
    ]


def test_two_overrides_of_one_private_method_do_not_vouch_for_each_other():
    other = (
        "search/backends/other.py",
        "class Other(ElasticsearchBackend):\n    def _search(self, q):\n        return super()._search(q)\n",
    )
    code = "class Backend(DatabaseBackend):\n    def _search(self, q):\n        return super()._search(q)\n"
    offences = scan(code, extra={"search.backends.other": other})
    assert [(o.path, o.line, o.rule) for o in offences] == [
        ("intake/example.py", 3, "c: super()._search is not ours"),
        ("search/backends/other.py", 3, "c: super()._search is not ours"),
    ]
