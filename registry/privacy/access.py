"""Who may use the privacy tools for a talent: the talent themself, or a guardian acting for a minor."""

from __future__ import annotations

from registry.talent import selectors
from registry.talent.models import TalentProfile

# Agents never: their authority covers terms and license requests. Staff have their own audited pages.
PRIVACY_CAPACITIES = ("talent", "guardian")


def privacy_capacity(user, talent: TalentProfile | None) -> str | None:
    """ "talent" or "guardian" when the user may export or close this talent's data; None otherwise."""
    if talent is None:
        return None
    acting = selectors.acting_as(user, talent)
    return acting if acting in PRIVACY_CAPACITIES else None
