"""Importing 47022NED/47018NED-shaped files: the quirks of the published tables."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.monitoring.models import Statistic, StatisticImport
from knooppunt.monitoring.statistics_import import (
    ImportRefused,
    import_statistics,
    parse_period,
    parse_value,
)

pytestmark = pytest.mark.django_db

HEADER = '"ID";"SoortMisdrijf";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"\n'


def shaped(*rows: tuple[str, str, str, str]) -> bytes:
    body = "".join(
        f'{i};"{crime}";"{area}";"{period}";"{value}"\n'
        for i, (crime, area, period, value) in enumerate(rows)
    )
    return (HEADER + body).encode("utf-8")


def test_47022ned_quirks_are_handled():
    data = shaped(
        ("0.0.0   ", "GM0153  ", "2024MM01", "   1234"),
        ("1.1.1   ", "GM0153  ", "2024MM01", "  25"),
        ("1.1.1   ", "GM0153  ", "2024MM02", "       "),  # withheld
        ("0.0.0   ", "GM0153  ", "2024JJ00", "15000"),  # a year in the same file
        ("0.0.0   ", "LD01    ", "2024MM01", "99999"),  # landsdeel: not used
        ("0.0.0   ", "NL01    ", "2024MM01", "70000"),
    )
    report = import_statistics(data, file_name="47022NED.csv", table="47022NED",
                               published_on=dt.date(2024, 3, 15))

    assert report.rows == 5
    assert report.withheld == 1
    assert sum(report.skipped.values()) == 1
    total = Statistic.objects.get(crime_type_code="0.0.0", area_code="GM0153",
                                  period_type="maand")
    assert (total.value, total.period_start) == (1234, dt.date(2024, 1, 1))
    assert total.crime_type_label == "Totaal misdrijven"
    assert total.source_date == dt.date(2024, 3, 15)
    assert "47022NED" in total.source
    withheld = Statistic.objects.get(crime_type_code="1.1.1", period_start=dt.date(2024, 2, 1))
    assert withheld.value is None
    year = Statistic.objects.get(crime_type_code="0.0.0", area_code="GM0153",
                                 period_type="jaar")
    assert year.value == 15000
    assert StatisticImport.objects.get().original == data


def test_same_file_twice_changes_nothing():
    data = shaped(("0.0.0", "GM0164", "2024MM03", "10"))
    first = import_statistics(data, file_name="a.csv", table="47022NED")
    second = import_statistics(data, file_name="a.csv", table="47022NED")
    assert second.already_imported
    assert second.statistic_import.pk == first.statistic_import.pk
    assert Statistic.objects.filter(area_code="GM0164").count() == 1


def test_a_bad_line_refuses_the_whole_file_with_line_numbers():
    data = shaped(
        ("0.0.0", "GM0153", "2024MM01", "12"),
        ("0.0.0", "GM0153", "2024MM13", "12"),
        ("0.0.0", "GM0153", "2024MM02", "twaalf"),
        ("0.0.0", "GM0153", "2024MM01", "12"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_statistics(data, file_name="b.csv", table="47022NED")
    lines = [line for line, _ in refused.value.errors]
    assert lines == [3, 4, 5]
    assert "maand 13" in refused.value.errors[0][1]
    assert "dubbel" in refused.value.errors[2][1]
    assert not Statistic.objects.exists()
    assert not StatisticImport.objects.exists()


def test_missing_columns_are_named():
    with pytest.raises(ImportRefused) as refused:
        import_statistics(b"ID;RegioS;Perioden\n1;GM0153;2024MM01\n", file_name="c.csv",
                          table="47022NED")
    assert "SoortMisdrijf" in str(refused.value)


def test_47018ned_buurt_rows_and_a_newer_publication_replaces_the_figure():
    header = "ID;SoortMisdrijf;WijkenEnBuurten;Perioden;TotaalGeregistreerdeMisdrijven_1\n"
    old = (header + "1;0.0.0   ;BU01530000;2023JJ00;40\n").encode()
    new = (header + "1;0.0.0   ;BU01530000;2023JJ00;42\n").encode()
    import_statistics(old, file_name="old.csv", table="47018NED")
    import_statistics(new, file_name="new.csv", table="47018NED")
    figure = Statistic.objects.get(area_code="BU01530000")
    assert figure.area_level == "buurt"
    assert figure.value == 42


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024MM01", ("maand", dt.date(2024, 1, 1))), ("2023KW04", ("kwartaal", dt.date(2023, 10, 1))),
     ("2022JJ00", ("jaar", dt.date(2022, 1, 1))), (" 2024MM12 ", ("maand", dt.date(2024, 12, 1)))],
)
def test_period_codes(text, expected):
    assert parse_period(text) == expected


@given(st.text(max_size=12))
def test_any_period_text_is_parsed_or_refused_in_dutch(text):
    try:
        period_type, start = parse_period(text)
    except ValueError as error:
        assert "periode" in str(error) or "bestaat niet" in str(error) or "JJ00" in str(error)
    else:
        assert period_type in {"maand", "kwartaal", "jaar"}
        assert start.day == 1


@given(st.text(max_size=10))
def test_any_value_text_is_a_count_withheld_or_refused(text):
    try:
        value = parse_value(text)
    except ValueError as error:
        assert "waarde" in str(error)
    else:
        assert value is None or value >= 0


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_import_or_refuse_without_a_crash(data):
    try:
        import_statistics(data, file_name="x.csv", table="47022NED")
    except ImportRefused as refused:
        assert refused.errors


def test_command_imports_the_shipped_example_and_refuses_a_bad_file(tmp_path, capsys):
    import io
    from importlib import resources

    from django.core.management import call_command

    example = resources.files("knooppunt.monitoring") / "examples" / "47022NED-voorbeeld.csv"
    out = io.StringIO()
    call_command("import-statistics", str(example), "--table", "47022NED",
                 "--published", "2025-03-20", stdout=out)
    text = out.getvalue()
    assert "11 cijfers, waarvan 1 niet gepubliceerd" in text
    assert "overgeslagen: 1 regels (gebiedsniveau LD niet gebruikt)" in text
    assert "misdrijven-totaal-maand" in text  # recomputed after the import
    bad = tmp_path / "fout.csv"
    bad.write_text(HEADER + '1;"0.0.0";"GM0153";"2025XX01";"5"\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import-statistics", str(bad), "--table", "47022NED", stdout=out)
    assert "regel 2" in out.getvalue()
    assert Statistic.objects.count() == 11


def test_buurt_figures_roll_up_to_wijk_and_municipality():
    from knooppunt.geo.models import Neighbourhood
    from knooppunt.monitoring.compute import compute_indicator
    from knooppunt.monitoring.models import Indicator, IndicatorValue

    buurten = list(Neighbourhood.objects.filter(municipality__code="GM0164")
                   .select_related("district").order_by("code")[:3])
    header = "ID;SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1\n"
    body = "".join(f"{i};0.0.0   ;{b.code}  ;2023JJ00;{10 * (i + 1)}\n"
                   for i, b in enumerate(buurten))
    import_statistics((header + body).encode(), file_name="buurt.csv", table="47018NED")
    indicator = Indicator.objects.create(
        code="misdrijven-buurt", name="Misdrijven per buurt", definition="x", source="y",
        measure="police_yearly",
        parameters={"table": "47018NED", "crime_type": "0.0.0", "level": "buurt"})
    compute_indicator(indicator)

    def value(level, code):
        return IndicatorValue.objects.get(indicator=indicator, area_level=level,
                                          area_code=code).value

    assert value("buurt", buurten[0].code) == 10
    assert value("gemeente", "GM0164") == 60
    district = buurten[0].district.code
    assert value("wijk", district) == sum(
        10 * (i + 1) for i, b in enumerate(buurten) if b.district.code == district)


def test_figures_name_the_source_and_date_of_the_import():
    from knooppunt.monitoring.compute import compute_all
    from knooppunt.monitoring.models import IndicatorValue

    data = shaped(("0.0.0", "GM0153", "2024MM01", "900"))
    import_statistics(data, file_name="demo.csv", table="47022NED",
                      published_on=dt.date(2024, 2, 20), source="Synthetisch (demo)")
    compute_all(codes=["misdrijven-totaal-maand"])
    value = IndicatorValue.objects.get(indicator__code="misdrijven-totaal-maand",
                                       area_code="GM0153", period_type="maand")
    assert (value.source, value.source_date) == ("Synthetisch (demo)", dt.date(2024, 2, 20))
