"""The house plan holds (DESIGN.md, "Rooms"): no import circle among our modules, and
imports run only downwards: portal's ground imports nothing of ours, services only
portal, and so on up to the demo app, which may import every app. Imports inside
functions count as much as those at the top of a module."""

import textwrap

import pytest

from tests.house import (
    ALLOWED_IMPORTS,
    PACKAGES,
    direction_offences,
    import_cycles,
    import_edges,
    read_sources,
)


def describe(cycle):
    route = " -> ".join([cycle[0].source, *(edge.target for edge in cycle)])
    return route + "\n" + "\n".join(f"    {edge}" for edge in cycle)


def test_no_import_circle_among_our_modules():
    cycles = import_cycles(import_edges(read_sources()))
    if cycles:
        pytest.fail(f"{len(cycles)} import circles:\n" + "\n".join(map(describe, cycles)), pytrace=False)


def test_imports_run_only_the_way_the_house_plan_allows():
    offences = direction_offences(import_edges(read_sources()))
    if offences:
        allowed = "\n".join(
            f"    {app}: {', '.join(sorted(ALLOWED_IMPORTS[app])) or 'nothing of ours'}" for app in PACKAGES
        )
        found = "\n".join(map(str, offences))
        pytest.fail(
            f"{len(offences)} imports against the plan:\n{found}\nThe plan:\n{allowed}", pytrace=False
        )


def test_every_app_of_ours_has_its_rule():
    assert set(ALLOWED_IMPORTS) == set(PACKAGES)


# The checks themselves, on small made-up modules.


def sources(**modules):
    """{dotted name: code}; a name ending in `__init__` is a package."""
    result = {}
    for name, code in modules.items():
        dotted = name.replace("__", ".").removesuffix(".init")
        is_package = name.endswith("__init")
        path = dotted.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        result[dotted] = (path, textwrap.dedent(code))
    return result


def test_a_circle_through_a_function_level_import_is_found():
    found = import_cycles(
        import_edges(
            sources(
                intake__init="",
                intake__models="from intake.workflow import advance\n",
                intake__workflow="def advance():\n    from . import notifications\n",
                intake__notifications="from .models import Request\n",
            )
        )
    )
    assert len(found) == 1
    assert describe(found[0]).splitlines()[0] == (
        "intake.models -> intake.workflow -> intake.notifications -> intake.models"
    )
    assert "intake/workflow.py:2: intake.workflow -> intake.notifications" in describe(found[0])


def test_a_package_init_that_imports_its_module_back_is_a_circle():
    package = {"search__init": "from search.views import results\n", "search__helpers": ""}
    # The view takes a name from the package whose __init__ imports the view: a circle.
    found = import_cycles(import_edges(sources(**package, search__views="from search import normalise\n")))
    assert [describe(cycle).splitlines()[0] for cycle in found] == ["search -> search.views -> search"]
    # Importing a submodule through the package is no edge to the package's __init__.
    assert import_cycles(import_edges(sources(**package, search__views="from search import helpers\n"))) == []


def test_no_circle_in_a_tree():
    edges = import_edges(
        sources(
            portal__init="",
            portal__persian="",
            services__init="",
            services__models="from portal.persian import digits\nimport portal\n",
            intake__init="",
            intake__models="from services.models import ServicePage\n",
        )
    )
    assert import_cycles(edges) == []
    assert direction_offences(edges) == []


@pytest.mark.parametrize(
    ("module", "code"),
    [
        ("portal.cache", "from search import cache\n"),
        ("portal.persian", "def f():\n    import intake.models\n"),
        ("services.models", "from intake.models import ServiceRequest\n"),
        ("intake.views", "from desk import scoping\n"),
        ("search.views", "from home.models import HomePage\n"),
        ("staffauth.views", "from desk.roles import DESK_STAFF\n"),
        ("cms_pages.models", "from importlib import import_module\nimport_module('intake.models')\n"),
        (
            "home.models",
            "from django.utils.module_loading import import_string\nx = import_string('search.views.f')\n",
        ),
    ],
)
def test_an_import_against_the_plan_is_reported(module, code):
    path = module.replace(".", "/") + ".py"
    target_app = {"portal.cache": "search", "portal.persian": "intake", "services.models": "intake"}.get(
        module
    )
    modules = {
        "search": ("search/__init__.py", ""),
        "search.cache": ("search/cache.py", ""),
        "search.views": ("search/views.py", ""),
        "intake": ("intake/__init__.py", ""),
        "intake.models": ("intake/models.py", ""),
        "desk": ("desk/__init__.py", ""),
        "desk.scoping": ("desk/scoping.py", ""),
        "desk.roles": ("desk/roles.py", ""),
        "home": ("home/__init__.py", ""),
        "home.models": ("home/models.py", ""),
        module: (path, code),
    }
    offences = direction_offences(import_edges(modules))
    assert offences, "not reported"
    assert {edge.source for edge in offences} == {module}
    assert all(edge.path == path and edge.line >= 1 and edge.snippet for edge in offences)
    if target_app:
        assert {edge.target.split(".")[0] for edge in offences} == {target_app}


def test_the_top_floor_and_the_demo_app_may_import_any_app():
    modules = {
        "portal.urls": ("portal/urls.py", "from desk.api import api\n"),
        "demo.management.commands.load_demo": (
            "demo/management/commands/load_demo.py",
            "import desk.demo\nimport home.demo\n",
        ),
        "desk.api": ("desk/api.py", ""),
        "desk.demo": ("desk/demo.py", ""),
        "home.demo": ("home/demo.py", ""),
    }
    assert direction_offences(import_edges(modules)) == []
