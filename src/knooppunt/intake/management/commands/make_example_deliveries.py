"""`knooppunt make-example-deliveries DIR`: one realistic example file per profile."""

from pathlib import Path

from django.core.management.base import BaseCommand

from knooppunt.intake.examples import HEADERS, example_file, example_rows


class Command(BaseCommand):
    help = "Schrijft per aanleverprofiel een voorbeeldbestand (synthetische gegevens)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--rows", type=int, default=25)
        parser.add_argument("--bad-rows", type=int, default=0,
                            help="Aantal regels met een bewuste fout.")

    def handle(self, *args, directory, rows=25, bad_rows=0, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        for code in HEADERS:
            data, name = example_file(code, example_rows(code, rows, bad_rows=bad_rows))
            (target / name).write_bytes(data)
            self.stdout.write(f"{target / name}")
