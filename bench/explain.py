"""`python bench/explain.py [name …]`: EXPLAIN (ANALYZE, BUFFERS) of the hot queries on DATABASE_URL's data
(run it against a seed_bench database); the plans in docs/performance.md come from here."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django  # noqa: E402

django.setup()

from django.db.models.functions import Upper  # noqa: E402

from registry.talent import selectors  # noqa: E402
from registry.talent.models import TalentProfile  # noqa: E402


def sample():
    talent = TalentProfile.objects.filter(status="active").order_by("pk")[500]
    return talent


def candidates(needle: str):
    return selectors.fuzzy_candidate_queries(selectors.public_talent(), needle)  # (words, containing, KNN)


def queries():
    talent = sample()
    emails = list(TalentProfile.objects.order_by("pk").values_list("email", flat=True)[1000:2000])
    return {
        "fuzzy search 'kofi': names with the word (LIMIT 200)": candidates("kofi")[0],
        "fuzzy search 'kofi': names containing it (LIMIT 200)": candidates("kofi")[1],
        "fuzzy search 'mitchell': names containing it (LIMIT 200)": candidates("mitchell")[1],
        "fuzzy search 'lauren zimmermann': names with the words (LIMIT 200)": candidates("lauren zimmermann")[
            0
        ],
        "fuzzy search 'talyor': nearest names (KNN, LIMIT 200)": candidates("talyor")[2],
        "fuzzy search 'mitchel': names containing it (LIMIT 200)": candidates("mitchel")[1],
        "fuzzy search 'zimmermann lauren': nearest names (KNN, LIMIT 200)": candidates("zimmermann lauren")[
            1
        ],
        "fuzzy search 'Talyor': page 1 of the ranked ids": selectors.search_public_talent("Talyor")[:25],
        "search by registry ID": selectors.search_public_talent(talent.registry_id)[:26],
        "staff member search (name)": selectors.staff_talent_list(q=talent.stage_name.split()[-1])[:50],
        "staff member search (email)": selectors.staff_talent_list(q=talent.email)[:50],
        "import: 1,000 emails matched": TalentProfile.objects.annotate(email_upper=Upper("email")).filter(
            email_upper__in=[e.upper() for e in emails]
        ),
    }


def main() -> None:
    wanted = sys.argv[1:]
    for name, qs in queries().items():
        if wanted and not any(w in name for w in wanted):
            continue
        plan = qs.explain(analyze=True, buffers=True)
        lines = [line if len(line) <= 200 else line[:200] + " …" for line in plan.splitlines()]
        print(f"### {name}\n\n```\n" + "\n".join(lines) + "\n```\n")


if __name__ == "__main__":
    main()
