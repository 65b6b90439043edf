"""The apps' privacy.py hooks, found like admin.py modules (PrivacyConfig.ready runs autodiscover_modules).

A hook module `registry/<app>/privacy.py` may define:

    EXPORT_ORDER = 30                               # where its part goes in the export document (lower first)
    def export(talent, context: Export) -> dict     # its top-level keys of the export document
    ERASE_ORDER = 10                                # when it erases during a closure (lower first)
    def erase(talent, *, actor, closure: Closure) -> dict   # what it erased (merged into closure.erased)
    def preview(talent) -> dict                     # counts for the closure confirmation page

`Export` and `Closure` are in registry.core.personal_data. Every hook runs inside the caller's transaction.
"""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import apps

MODULE_NAME = "privacy"
_MODULES: list[ModuleType] = []


def collect() -> None:
    """Remember the hook modules autodiscovery imported (called once from PrivacyConfig.ready)."""
    found = (sys.modules.get(f"{config.name}.{MODULE_NAME}") for config in apps.get_app_configs())
    _MODULES[:] = [m for m in found if m is not None]


def exporters() -> list[ModuleType]:
    return sorted((m for m in _MODULES if hasattr(m, "export")), key=lambda m: m.EXPORT_ORDER)


def erasers() -> list[ModuleType]:
    return sorted((m for m in _MODULES if hasattr(m, "erase")), key=lambda m: m.ERASE_ORDER)


def previewers() -> list[ModuleType]:
    return [m for m in _MODULES if hasattr(m, "preview")]
