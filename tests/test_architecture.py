"""The shape of the house, checked on the source: small modules, and no import of our own code hidden in a
function (a function-level import dodges an import cycle instead of fixing it; AppConfig.ready is the one
place where it belongs). Migrations are history and are left out."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("registry", "accounts")
MAX_LINES = 500
OWN_CODE = ("registry", "accounts")


def modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def _imports_own_code(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    else:
        return []
    return [name for name in names if name.split(".")[0] in OWN_CODE]


def _is_app_config(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in node.bases
    )


def function_level_imports(tree: ast.Module) -> list[str]:
    """`line: name` for every import of registry.*/accounts.* inside a function (except AppConfig.ready)."""
    found: list[str] = []

    def visit(node: ast.AST, in_function: bool, in_app_config: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, in_function, _is_app_config(child))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not (in_app_config and child.name == "ready"):
                    visit(child, True, False)
            else:
                if in_function:
                    found.extend(f"{child.lineno}: {name}" for name in _imports_own_code(child))
                visit(child, in_function, in_app_config)

    visit(tree, False, False)
    return found


MODULES = modules()
IDS = [str(path.relative_to(ROOT)) for path in MODULES]


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_is_small(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by concern (at most {MAX_LINES})"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_no_import_of_our_code_inside_a_function(path: Path):
    found = function_level_imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    assert not found, f"imports inside functions (move them to the top, or move the code): {found}"


def test_the_check_sees_function_level_imports():
    source = """
from django.apps import AppConfig
import registry.core.models

class CoreConfig(AppConfig):
    def ready(self):
        from registry.core import checks

def helper():
    import json
    from accounts.roles import Role
    def inner():
        from registry.cases import models

class Thing:
    def ready(self):
        from registry.talent import models
"""
    assert function_level_imports(ast.parse(source)) == [
        "11: accounts.roles",
        "13: registry.cases",
        "17: registry.talent",
    ]
