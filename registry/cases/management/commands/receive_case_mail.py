"""manage.py receive_case_mail PATH: record replies to notices from a Maildir or one RFC 822 file."""

import mailbox

from django.core.management.base import BaseCommand, CommandError

from registry.cases.inbound import receive_path


class Command(BaseCommand):
    help = "Record replies to notices (matched by the case+<token>@ address) from a Maildir or an .eml file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A Maildir directory or a single RFC 822 message file.")
        parser.add_argument(
            "--delete", action="store_true", help="Remove processed messages from the Maildir."
        )

    def handle(self, *args, path, delete=False, **options):
        try:
            result = receive_path(path, delete=delete)
        except (OSError, mailbox.Error) as exc:
            raise CommandError(f"Cannot read {path}: {exc}")
        self.stdout.write(f"{len(result.recorded)} reply(ies) recorded, {result.refused} refused.")
