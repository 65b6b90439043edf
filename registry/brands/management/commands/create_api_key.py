"""`manage.py create_api_key --organization NAME`: makes the organization if needed, prints a new key last."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.brands import services


class Command(BaseCommand):
    help = (
        "Create an API key for an organization (created if it does not exist yet). The key is printed as the "
        "last line of output, once: only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="Organization name (case-insensitive)")
        parser.add_argument(
            "--scopes",
            default=",".join(services.API_KEY_SCOPES),
            help=f"Comma-separated scopes (default: {','.join(services.API_KEY_SCOPES)})",
        )
        parser.add_argument("--name", default="", help="A label for the key, e.g. 'ad server'")

    def handle(self, *args, **options):
        try:
            organization, created = services.ensure_organization(options["organization"])
            scopes = [s for s in options["scopes"].split(",") if s.strip()]
            api_key, plaintext = services.create_api_key(
                organization=organization,
                name=options["name"] or "Created with create_api_key",
                scopes=scopes,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        if created:
            self.stdout.write(f"Created organization {organization.name!r}.")
        self.stdout.write(
            f"API key {api_key.prefix} for {organization.name!r}, scopes: {', '.join(api_key.scopes)}. "
            "Store it now; it is not shown again:"
        )
        self.stdout.write(plaintext)
