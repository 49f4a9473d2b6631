"""`knooppunt import-bag`: a small generated extract, upserted and placed by point."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from knooppunt.geo.models import Neighbourhood
from knooppunt.registers.models import Address

pytestmark = pytest.mark.django_db

HEADER = ("nummeraanduiding_id;openbareruimte;huisnummer;huisletter;toevoeging;postcode;"
          "woonplaats;verblijfsobject_id;gebruiksdoel;oppervlakte;status;pand_id;bouwjaar;x;y;"
          "buurtcode\n")


def _write(tmp_path, rows, name="bag.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding=encoding)
    return path


def _row(n, x=258000.0, y=471700.0, postcode="7511GA", street="Oude Markt", buurt=""):
    return (f"01532000000{n:05d};{street};{n};;;{postcode};Enschede;01530100000{n:05d};"
            f"woonfunctie;{80 + n};Verblijfsobject in gebruik;01531000000{n:05d};19{n:02d};"
            f"{x};{y};{buurt}\n")


def test_import_upserts_and_places(tmp_path):
    buurt = Neighbourhood.objects.filter(municipality__code="GM0153").first()
    rows = [_row(n) for n in range(1, 21)]
    rows.append(_row(21, buurt=buurt.code))
    rows.append(_row(22, x=10.0, y=10.0))  # outside every municipality
    rows.append("123;Fout;1;;;7511GA;Enschede;;;;;;;258000;471700;\n")  # bad id
    rows.append(_row(24, postcode="0000AA"))  # bad postcode
    out, err = StringIO(), StringIO()
    call_command("import-bag", str(_write(tmp_path, rows)), stdout=out, stderr=err)
    assert "opgeslagen 22" in out.getvalue() and "geweigerd 2" in out.getvalue()
    assert "regel 24" in err.getvalue() and "regel 25" in err.getvalue()
    first = Address.objects.get(nummeraanduiding_id="0153200000000001")
    assert first.municipality.code == "GM0153"
    assert 52.1 < first.latitude < 52.3 and first.construction_year == 1901
    with_buurt = Address.objects.get(nummeraanduiding_id="0153200000000021")
    assert with_buurt.neighbourhood == buurt and with_buurt.district_id == buurt.district_id
    assert Address.objects.get(nummeraanduiding_id="0153200000000022").municipality is None

    # Re-delivery with a changed street: updated in place, nothing added.
    changed = [_row(n, street="Nieuwe Markt") for n in range(1, 21)]
    call_command("import-bag", str(_write(tmp_path, changed, encoding="cp1252")),
                 stdout=StringIO(), stderr=StringIO())
    assert Address.objects.count() == 22
    assert Address.objects.get(nummeraanduiding_id="0153200000000001").street == "Nieuwe Markt"


def test_missing_columns_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("postcode;huisnummer\n7511GA;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ontbrekende kolommen"):
        call_command("import-bag", str(path), stdout=StringIO())
