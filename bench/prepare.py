"""Inside the bench database (run by bench/run.py with the server's environment): mint an API key and a staff
session, sample the seeded data for request targets, and write the import file. Prints one JSON object."""

import json
import os
import random
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.models import User  # noqa: E402
from registry.brands.models import Organization  # noqa: E402
from registry.brands.services import create_api_key  # noqa: E402
from registry.talent.models import TalentProfile  # noqa: E402

# Typos a person makes: a transposition, a dropped letter, a wrong case and accent.
TYPOS = ["Talyor", "Mitchel", "lauren zimermann", "zoe", "jose garcia", "nguyen", "müller", "kofi"]


def staff_session() -> str:
    user = User.objects.get(email="staff@demo.example")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def sample_talent(rng: random.Random, k: int) -> list[tuple[str, str, str]]:
    top = TalentProfile.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = rng.sample(range(1, top + 1), min(top, k * 3))
    rows = TalentProfile.objects.filter(pk__in=picks, status="active").values_list(
        "registry_id", "stage_name", "email"
    )
    return list(rows)[:k]


def import_file(path: Path, size: int, existing: list[tuple[str, str, str]], rng: random.Random) -> None:
    """`size` talent: one in ten already registered (matched by email), the rest new; each with a paper
    version of terms, one in five with a license."""
    token = secrets.token_hex(3)
    org = Organization.objects.order_by("pk").values_list("name", flat=True).first() or "Bench Brand"
    rows = []
    for i in range(size):
        if i % 10 == 0 and i // 10 < len(existing):  # each registered talent once (a file names her once)
            _, name, email = existing[i // 10]
        else:
            name, email = f"Imported Member {token} {i}", f"import.{token}.{i}@example.org"
        row = {
            "stage_name": name,
            "email": email,
            "membership_number": f"I-{token}-{i}",
            "disciplines": ["actor"],
            "terms": [
                {
                    "effective_from": "2026-01-01",
                    "document_ref": f"paper form {token}-{i}",
                    "uses": {
                        "advertising": {
                            "decision": "allow",
                            "modalities": ["image"],
                            "territories": ["US"],
                            "channels": ["online"],
                        },
                        "ai_training": {"decision": "deny"},
                    },
                }
            ],
        }
        if i % 5 == 0:
            row["licenses"] = [
                {
                    "organization": org,
                    "use": "advertising",
                    "modalities": ["image"],
                    "territories": ["US"],
                    "channels": ["online"],
                    "valid_from": "2026-01-01",
                    "valid_until": "2026-12-31",
                    "description": "Imported license (benchmark data)",
                    "document_ref": f"license {token}-{i}",
                }
            ]
        rows.append(row)
    path.write_text(json.dumps({"talent": rows}))


def main() -> None:
    workdir, import_size = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(17)
    org, _ = Organization.objects.get_or_create(name="Bench Load Brand")
    _, key = create_api_key(organization=org, name="bench", scopes=["check", "licenses", "reports"])
    talent = sample_talent(rng, 500)
    import_file(workdir / "import.json", import_size, sample_talent(rng, (import_size + 9) // 10), rng)
    print(
        json.dumps(
            {
                "api_key": key,
                "staff_session": staff_session(),
                "registry_ids": [t[0] for t in talent],
                "names": [t[1] for t in talent[:200]],
                "talent_count": TalentProfile.objects.count(),
                "typos": TYPOS,
            }
        )
    )


if __name__ == "__main__":
    main()
