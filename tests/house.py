"""The house rules read from the source (ast): no private API of our dependencies,
no import circle, imports only in the directions docs' DESIGN.md allows.

Used by tests/test_private_api.py and tests/test_house.py; every function here
takes source text or file paths, so the tests can feed it small snippets.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Our packages, lowest floor first. Tests, benchmarks and migrations are not scanned.
PACKAGES = [
    "portal",
    "services",
    "home",
    "cms_pages",
    "intake",
    "desk",
    "search",
    "staffauth",
    "demo",
    "tools",
]

# Which of our apps each app may import (besides itself). DESIGN.md, "Rooms".
ALLOWED_IMPORTS = {
    "portal": set(),
    "services": {"portal"},
    "home": {"portal", "services"},
    "cms_pages": {"portal", "services"},
    "intake": {"portal", "services"},
    "desk": {"portal", "services", "intake"},
    "search": {"portal", "services", "cms_pages"},
    "staffauth": {"portal"},
    "demo": set(PACKAGES),
    "tools": set(PACKAGES),
}

# portal's configuration sits on top of the house (settings, the root URLconf, the WSGI
# entry point): it names every app. The rest of portal is the ground floor.
TOP_FLOOR = ("portal.urls", "portal.wsgi", "portal.settings")

# Underscored names that are public API.
PUBLIC_UNDERSCORED = {"_meta", "_replace", "_asdict", "_fields", "_make"}
REFLECTION = {"getattr", "setattr", "hasattr", "delattr", "attrgetter"}


def is_private(name):
    """`_x` or `__x`, not a dunder `__x__` and not the bare `_` (gettext's alias)."""
    if not name.startswith("_") or name == "_":
        return False
    return not (name.startswith("__") and name.endswith("__"))


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    rule: str
    snippet: str

    def __str__(self):
        return f"{self.path}:{self.line}: [{self.rule}] {self.snippet}"


def source_files(packages=PACKAGES, root=ROOT):
    """(dotted module name, path) of every .py file of our packages, migrations left out."""
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts or "__pycache__" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def resolve_relative(module, is_pkg, level, name):
    """The absolute module a `from <level dots><name> import ...` in `module` names."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_pkg:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def top(module):
    return module.split(".")[0]


def snippet_of(lines, node):
    line = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
    return line[:120]


# --- The private-API scan -------------------------------------------------------------


def defined_private_names(trees):
    """Underscored names our own code defines: functions, classes, class and module level
    assignments, and attributes assigned on self/cls. Maps name -> {(module, class or None)}."""
    defined = {}

    def add(name, owner):
        if is_private(name):
            defined.setdefault(name, set()).add(owner)

    def targets_of(node):
        if isinstance(node, ast.Assign):
            return node.targets
        if isinstance(node, ast.AnnAssign | ast.AugAssign):
            return [node.target]
        return []

    def flatten(target):
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                yield from flatten(element)
        elif isinstance(target, ast.Starred):
            yield from flatten(target.value)
        else:
            yield target

    for module, tree in trees.items():

        def visit(node, cls, module=module):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    add(child.name, (module, cls))
                    visit(child, child.name)
                    continue
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    add(child.name, (module, cls if isinstance(node, ast.ClassDef) else None))
                    visit(child, cls)
                    continue
                for target in targets_of(child):
                    for element in flatten(target):
                        if isinstance(element, ast.Name) and isinstance(node, ast.ClassDef | ast.Module):
                            add(element.id, (module, cls if isinstance(node, ast.ClassDef) else None))
                        elif (
                            isinstance(element, ast.Attribute)
                            and isinstance(element.value, ast.Name)
                            and element.value.id in {"self", "cls"}
                        ):
                            add(element.attr, (module, cls))
                visit(child, cls)

        visit(tree, None)
    return defined


def class_bases(trees):
    """{class name: [(module, [simple names of its bases])]} for our classes."""
    bases = {}
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = [
                    base.id if isinstance(base, ast.Name) else base.attr
                    for base in node.bases
                    if isinstance(base, ast.Name | ast.Attribute)
                ]
                bases.setdefault(node.name, []).append((module, names))
    return bases


def inherited_from_ours(name, cls, module, defined, bases):
    """Whether a base class of ours (found by name, through our own bases) defines `name`."""
    owners = {owner_class for _, owner_class in defined.get(name, set())}
    seen, todo = set(), [base for m, names in bases.get(cls, []) if m == module for base in names]
    while todo:
        base = todo.pop()
        if base in seen:
            continue
        seen.add(base)
        if base in owners:
            return True
        todo += [grand for _, names in bases.get(base, []) for grand in names]
    return False


def is_super_call(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def private_api_offences(sources, packages=PACKAGES):
    """Offences against the private-API rule in `sources`: {module: (path, text)}.

    (a) importing an underscored name, or from an underscored module, of a dependency;
    (b) `x._name` read or set where x is not self/cls (public `_meta` and namedtuple's
        methods excepted);
    (c) `self._name` or `cls._name` where our own code does not define `_name`, and
        `super()._name` where no base class of ours defines it, which is how
        overriding or calling a dependency's private member looks;
    (d) getattr/setattr/hasattr/delattr/attrgetter with an underscored string literal,
        and `vars(x)["_name"]` / `x.__dict__["_name"]`.
    """
    ours = set(packages)
    trees, lines_of, paths = {}, {}, {}
    offences = []
    for module, (path, text) in sources.items():
        try:
            trees[module] = ast.parse(text, filename=str(path))
        except SyntaxError as error:
            offences.append(Offence(str(path), error.lineno or 0, "syntax", str(error)))
            continue
        lines_of[module] = text.splitlines()
        paths[module] = str(path)
    defined = defined_private_names(trees)
    bases = class_bases(trees)

    for module, tree in trees.items():
        path, lines = paths[module], lines_of[module]
        is_pkg = Path(path).name == "__init__.py"

        def report(node, rule, path=path, lines=lines):
            offences.append(Offence(path, node.lineno, rule, snippet_of(lines, node)))

        def walk(node, cls, report=report, module=module, is_pkg=is_pkg):
            for child in ast.iter_child_nodes(node):
                check(child, cls, report, module, is_pkg)
                walk(child, child.name if isinstance(child, ast.ClassDef) else cls)

        def check(node, cls, report, module, is_pkg):
            # (a) imports
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if top(alias.name) not in ours and any(map(is_private, alias.name.split("."))):
                        report(node, "a: private module of a dependency")
            elif isinstance(node, ast.ImportFrom):
                source = resolve_relative(module, is_pkg, node.level, node.module)
                if node.level == 0 and top(source) not in ours:
                    if any(map(is_private, source.split("."))):
                        report(node, "a: private module of a dependency")
                    elif any(is_private(alias.name) for alias in node.names):
                        report(node, "a: private name of a dependency")
            # (b) and (c) attributes
            elif isinstance(node, ast.Attribute) and is_private(node.attr):
                if node.attr in PUBLIC_UNDERSCORED:
                    return
                value = node.value
                if isinstance(value, ast.Name) and value.id in {"self", "cls"}:
                    if node.attr not in defined:
                        report(node, f"c: {value.id}.{node.attr} is not ours")
                elif is_super_call(value):
                    if not inherited_from_ours(node.attr, cls, module, defined, bases):
                        report(node, f"c: super().{node.attr} is not ours")
                else:
                    report(node, f"b: private attribute {node.attr}")
            # (d) reflection with an underscored name
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in REFLECTION:
                    for argument in node.args:
                        if (
                            isinstance(argument, ast.Constant)
                            and isinstance(argument.value, str)
                            and is_private(argument.value)
                            and argument.value not in PUBLIC_UNDERSCORED
                        ):
                            report(node, f"d: {name}() with {argument.value!r}")
            elif isinstance(node, ast.Subscript):
                key = node.slice
                container = node.value
                reaches_dict = (isinstance(container, ast.Attribute) and container.attr == "__dict__") or (
                    isinstance(container, ast.Call)
                    and isinstance(container.func, ast.Name)
                    and container.func.id == "vars"
                )
                if (
                    reaches_dict
                    and isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and is_private(key.value)
                ):
                    report(node, f"d: __dict__[{key.value!r}]")

        walk(tree, None)
    return sorted(set(offences), key=lambda o: (o.path, o.line, o.rule))


def private_override_offences(sources, load, packages=PACKAGES):
    """(e) A class of ours defining `_name` that a dependency class in its MRO already
    defines: an override of that dependency's private member. Needs the classes
    themselves, so `load(module)` imports the module (only modules with such a class)."""
    ours = set(packages)
    offences = []
    for module, (path, text) in sources.items():
        tree = ast.parse(text, filename=str(path))
        lines = text.splitlines()
        candidates = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef) or not node.bases:
                continue
            for member in node.body:
                names = []
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    names = [member.name]
                elif isinstance(member, ast.Assign):
                    names = [t.id for t in member.targets if isinstance(t, ast.Name)]
                elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                    names = [member.target.id]
                candidates += [
                    (node, member, name)
                    for name in names
                    if is_private(name) and name not in PUBLIC_UNDERSCORED
                ]
        if not candidates:
            continue
        try:
            loaded = load(module)
        except Exception as error:
            offences.append(Offence(str(path), 1, "e: cannot import to check overrides", repr(error)))
            continue
        classes = [value for value in vars(loaded).values() if isinstance(value, type)]
        for class_node, member, name in candidates:
            for cls in classes:
                if cls.__name__ != class_node.name or name not in vars(cls):
                    continue
                for base in cls.__mro__[1:]:
                    if top(base.__module__) not in ours and name in vars(base):
                        rule = f"e: overrides {base.__module__}.{base.__qualname__}.{name}"
                        offences.append(Offence(str(path), member.lineno, rule, snippet_of(lines, member)))
                        break
    return sorted(set(offences), key=lambda o: (o.path, o.line, o.rule))


def read_sources(packages=PACKAGES, root=ROOT):
    return {
        module: (path.relative_to(root), path.read_text(encoding="utf-8"))
        for module, path in source_files(packages, root)
    }


# --- The import graph ----------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str
    line: int
    snippet: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.source} -> {self.target}: {self.snippet}"


DYNAMIC_IMPORTERS = {"import_module", "import_string", "__import__"}


def import_edges(sources, packages=PACKAGES):
    """Every import of one of our modules by another, module and function level alike
    (and importlib.import_module / import_string with a literal dotted path)."""
    ours = set(packages)
    known = set(sources)
    edges = []

    def owner_module(name):
        """The module of ours `name` is, or the nearest package of ours holding it."""
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        return ".".join(parts) if parts else None

    def with_parents(name):
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        parts = name.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts)) if ".".join(parts[: i + 1]) in known]

    for module, (path, text) in sources.items():
        tree = ast.parse(text, filename=str(path))
        lines = text.splitlines()
        is_pkg = Path(str(path)).name == "__init__.py"

        def add(node, name, module=module, path=path, lines=lines):
            if not name or top(name) not in ours:
                return
            for target in with_parents(name):
                # A package of this module is already being initialised: importing a
                # submodule through it is no edge to it, taking a name from it is.
                if target == module or (target != name and module.startswith(target + ".")):
                    continue
                edges.append(Edge(module, target, str(path), node.lineno, snippet_of(lines, node)))

        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(node, owner_module(alias.name))
            elif isinstance(node, ast.ImportFrom):
                source = resolve_relative(module, is_pkg, node.level, node.module)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}" if source else alias.name
                    add(node, submodule if submodule in known else owner_module(source))
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if (
                    name in DYNAMIC_IMPORTERS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    add(node, owner_module(node.args[0].value))
    return edges


def import_cycles(edges):
    """Each import circle (a strongly connected group of modules) as a list of the edges
    of one cycle through it."""
    graph = {}
    for edge in edges:
        graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def strongconnect(node):
        # Iterative Tarjan: the graph may be deep.
        work = [(node, iter(graph.get(node, {})))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == current:
                        break
                if len(group) > 1:
                    groups.append(group)

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)

    cycles = []
    for group in groups:
        start = min(group)
        # Shortest way back to start inside the group (breadth first).
        previous = {start: None}
        queue = [start]
        found = None
        while queue and found is None:
            current = queue.pop(0)
            for target, edge in sorted(graph.get(current, {}).items()):
                if target not in group:
                    continue
                if target == start:
                    found = edge
                    break
                if target not in previous:
                    previous[target] = edge
                    queue.append(target)
        path = [found]
        while path[0].source != start:
            path.insert(0, previous[path[0].source])
        cycles.append(path)
    return sorted(cycles, key=lambda cycle: cycle[0].source)


def direction_offences(edges, allowed=ALLOWED_IMPORTS):
    """Imports that run against the house plan (portal's top floor may import anything)."""
    offences = []
    for edge in edges:
        source_app, target_app = top(edge.source), top(edge.target)
        if source_app == target_app:
            continue
        if any(edge.source == name or edge.source.startswith(name + ".") for name in TOP_FLOOR):
            continue
        if target_app not in allowed.get(source_app, set()):
            offences.append(edge)
    return sorted(set(offences), key=lambda e: (e.path, e.line, e.target))
