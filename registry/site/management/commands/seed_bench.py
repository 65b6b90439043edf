"""`python manage.py seed_bench --talent N`: benchmark-scale data (registry.site.benchseed). Once per size."""

from django.core.management.base import BaseCommand, CommandError

from registry.site.benchseed import Seeder, Sizes
from registry.site.models import BenchSeed


class Command(BaseCommand):
    help = (
        "Write N talent with 1-3 signed term versions each, organizations, licenses, cases, timeline events "
        "(2,000 / 50,000 / 100,000 / 500,000 at N=1,000,000, in proportion below). One transaction; "
        "re-running with the same N does nothing. For benchmarks: never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--talent", type=int, required=True, help="How many talent (e.g. 2000, 1000000)")
        parser.add_argument("--organizations", type=int, help="Override the scaled number of organizations")
        parser.add_argument("--licenses", type=int, help="Override the scaled number of licenses")
        parser.add_argument("--cases", type=int, help="Override the scaled number of cases (5 events each)")
        parser.add_argument("--seed", type=int, default=17, help="Random seed (same seed, same data)")

    def handle(self, *args, talent, organizations=None, licenses=None, cases=None, seed=17, **options):
        if talent < 1:
            raise CommandError("--talent must be at least 1.")
        existing = BenchSeed.objects.filter(size=talent).first()
        if existing is not None:
            self.stdout.write(f"Benchmark data for {talent:,} talent already seeded: {existing.counts}")
            return
        sizes = Sizes.for_talent(talent, organizations=organizations, licenses=licenses, cases=cases)
        counts = Seeder(sizes, seed=seed, out=self.stderr._out).run()
        self.stdout.write(self.style.SUCCESS(f"Seeded {', '.join(f'{v:,} {k}' for k, v in counts.items())}."))
