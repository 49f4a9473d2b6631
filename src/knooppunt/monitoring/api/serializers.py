"""Read-only serializers of the `queries` dataclasses (camelCase, every field described)."""

from __future__ import annotations

from rest_framework import serializers


class AreaSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="Niveau: buurt, wijk, gemeente, veiligheidsregio, "
                                  "politie-eenheid, provincie of land.")
    code = serializers.CharField(help_text="CBS-code, bijv. GM0153, WK015301, VR05, NL01.")
    name = serializers.CharField(help_text="Naam van het gebied.")
    population = serializers.IntegerField(allow_null=True, help_text="Inwoners op 1 januari "
                                          "2024 (CBS 85984NED).")


class PeriodSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="maand, kwartaal of jaar.")
    start = serializers.DateField(help_text="Eerste dag van de periode.")
    end = serializers.DateField(help_text="Laatste dag van de periode.")
    label = serializers.CharField(help_text="Naam van de periode, bijv. 2024 K1.")
    running = serializers.SerializerMethodField(help_text=(
        "De periode loopt nog (vandaag valt erin): het cijfer telt t/m vandaag en is niet "
        "af; vergelijk het niet met een hele periode. / The period is still running."))

    def get_running(self, period) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return period.start <= today <= period.end


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code van de indicator.")
    name = serializers.CharField(help_text="Naam van de indicator.")
    themeCode = serializers.CharField(source="theme_code", allow_null=True,
                                      help_text="Code van het thema, of leeg.")
    themeName = serializers.CharField(source="theme_name", allow_null=True,
                                      help_text="Naam van het thema, of leeg.")
    unit = serializers.CharField(help_text="Eenheid: aantal, euro, uren of procent.")
    definition = serializers.CharField(help_text="Wat precies geteld wordt.")
    source = serializers.CharField(help_text="Bron van de cijfers.")
    per1000 = serializers.BooleanField(source="per_1000", help_text="Of een cijfer per 1.000 "
                                       "inwoners zinvol is.")
    higherIsBetter = serializers.BooleanField(source="higher_is_better", allow_null=True,
                                              help_text="Richting; leeg als er geen is.")
    reference = serializers.CharField(help_text="Waar de indicator om gevraagd wordt.")
    public = serializers.BooleanField(help_text="Uit openbare bronnen (overal zichtbaar) of "
                                      "uit eigen registraties (need-to-know).")
    periodTypes = serializers.ListField(source="period_types", child=serializers.CharField(),
                                        help_text="Periodesoorten met waarden.")
    earlyWarning = serializers.BooleanField(source="early_warning",
                                            help_text="Of stijgingen getoetst worden.")


class FigureSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Code van de indicator.")
    area = AreaSerializer(help_text="Het gebied.")
    period = PeriodSerializer(help_text="De periode.")
    value = serializers.FloatField(allow_null=True, help_text="Aantal of bedrag; leeg als "
                                   "onderdrukt (klein aantal) of zonder gegevens.")
    per1000 = serializers.FloatField(source="per_1000", allow_null=True,
                                     help_text="Per 1.000 inwoners (1-1-2024).")
    suppressed = serializers.BooleanField(help_text="Klein aantal niet getoond.")
    incomplete = serializers.BooleanField(help_text=(
        "Geen gegevens: de periode begint voordat Knooppunt deze bron registreerde "
        "(niet 0, niet onderdrukt)."))
    source = serializers.CharField(help_text="Bron.")
    sourceDate = serializers.DateField(source="source_date", allow_null=True,
                                       help_text="Peildatum of publicatiedatum van de bron.")
    computedAt = serializers.DateTimeField(source="computed_at", allow_null=True,
                                           help_text="Moment van berekenen.")
    synthetic = serializers.BooleanField(help_text="Synthetische demogegevens.")


class ValuesSerializer(serializers.Serializer):
    indicator = IndicatorSerializer(help_text="De indicator.")
    results = FigureSerializer(many=True, help_text="De cijfers.")


class TargetSerializer(serializers.Serializer):
    indicator = IndicatorSerializer(help_text="De indicator.")
    area = AreaSerializer(help_text="Het gebied.")
    year = serializers.IntegerField(help_text="Jaar.")
    target = serializers.FloatField(help_text="Streefcijfer.")
    direction = serializers.CharField(help_text="minstens of hoogstens.")
    realised = serializers.FloatField(allow_null=True, help_text="Gerealiseerd; leeg als "
                                      "onderdrukt of nog zonder gegevens.")
    realisedSuppressed = serializers.BooleanField(source="realised_suppressed",
                                                  help_text="Realisatie is een klein aantal.")
    realisedIncomplete = serializers.BooleanField(
        source="realised_incomplete",
        help_text="Geen gegevens: het jaar begint voordat Knooppunt deze bron registreerde.")
    shareOfTarget = serializers.FloatField(source="share_of_target", allow_null=True,
                                           help_text="Realisatie als percentage van het "
                                           "streefcijfer.")
    met = serializers.BooleanField(allow_null=True, help_text="Gehaald (na afloop van het "
                                   "jaar).")
    expectedSoFar = serializers.FloatField(source="expected_so_far", allow_null=True,
                                           help_text="Naar rato verwacht in een lopend jaar.")
    onTrack = serializers.BooleanField(source="on_track", allow_null=True,
                                       help_text="Op koers in een lopend jaar.")
    section = serializers.CharField(help_text="Onderdeel in het format streefcijfers.")
    sectionLabel = serializers.CharField(source="section_label", help_text="Naam van het "
                                         "onderdeel.")
    basis = serializers.CharField(help_text="Onderbouwing.")
    setBy = serializers.CharField(source="set_by", help_text="Vastgesteld door.")
    setOn = serializers.DateField(source="set_on", allow_null=True,
                                  help_text="Vastgesteld op.")


class StatisticSerializer(serializers.Serializer):
    table = serializers.CharField(help_text="CBS/Politie-tabel, bijv. 47022NED.")
    crimeTypeCode = serializers.CharField(source="crime_type_code",
                                          help_text="Code soort misdrijf (0.0.0 = totaal).")
    crimeTypeLabel = serializers.CharField(source="crime_type_label",
                                           help_text="Soort misdrijf.")
    area = AreaSerializer(help_text="Het gebied.")
    period = PeriodSerializer(help_text="De periode.")
    value = serializers.IntegerField(allow_null=True, help_text="Aantal; leeg als niet "
                                     "gepubliceerd of onderdrukt.")
    withheld = serializers.BooleanField(help_text="Niet gepubliceerd (leeg in de bron).")
    suppressed = serializers.BooleanField(help_text="Klein aantal niet getoond.")
    source = serializers.CharField(help_text="Bron.")
    sourceDate = serializers.DateField(source="source_date", allow_null=True,
                                       help_text="Publicatiedatum.")
    synthetic = serializers.BooleanField(help_text="Synthetische demogegevens.")


class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Nummer van de signalering.")
    indicator = IndicatorSerializer(help_text="De indicator.")
    area = AreaSerializer(help_text="Het gebied.")
    period = PeriodSerializer(help_text="De getoetste periode.")
    method = serializers.CharField(help_text="poisson of cusum.")
    observed = serializers.FloatField(allow_null=True, help_text="Waargenomen (leeg als "
                                      "onderdrukt).")
    expected = serializers.FloatField(help_text="Verwacht op grond van de eigen historie.")
    statistic = serializers.FloatField(help_text="Overschrijdingskans (Poisson) of "
                                       "opgetelde afwijking (CUSUM).")
    threshold = serializers.FloatField(help_text="De drempel.")
    reason = serializers.CharField(help_text="Waarom de signalering afging.")
    status = serializers.CharField(help_text="open, bekeken of terzijde.")
    createdAt = serializers.DateTimeField(source="created_at", help_text="Gesignaleerd op.")
    reviewedBy = serializers.CharField(source="reviewed_by", help_text="Beoordeeld door.")
    reviewedAt = serializers.DateTimeField(source="reviewed_at", allow_null=True,
                                           help_text="Beoordeeld op.")
    reviewReason = serializers.CharField(source="review_reason",
                                         help_text="Reden van de beoordeling.")


class PeerGroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code van de vergelijkingsgroep.")
    name = serializers.CharField(help_text="Naam.")
    kind = serializers.CharField(help_text="grootte, stedelijkheid of gekozen.")
    description = serializers.CharField(help_text="Toelichting.")
    size = serializers.IntegerField(help_text="Aantal gemeenten.")


class BenchmarkMemberSerializer(serializers.Serializer):
    area = AreaSerializer(help_text="De gemeente.")
    per1000 = serializers.FloatField(source="per_1000", allow_null=True,
                                     help_text="Per 1.000 inwoners.")
    index = serializers.FloatField(allow_null=True, help_text="Index (groepsgemiddelde = 100).")
    hidden = serializers.BooleanField(help_text="Buiten uw gebied (eigen registraties).")


class BenchmarkSerializer(serializers.Serializer):
    indicator = IndicatorSerializer(help_text="De indicator.")
    area = AreaSerializer(help_text="De gemeente.")
    group = PeerGroupSerializer(help_text="De vergelijkingsgroep.")
    year = serializers.IntegerField(help_text="Jaar.")
    per1000 = serializers.FloatField(source="per_1000", allow_null=True,
                                     help_text="Per 1.000 inwoners.")
    groupAverage = serializers.FloatField(source="group_average", allow_null=True,
                                          help_text="Ongewogen groepsgemiddelde per 1.000.")
    index = serializers.FloatField(allow_null=True, help_text="Index (groepsgemiddelde = 100).")
    members = BenchmarkMemberSerializer(many=True, help_text="De gemeenten in de groep.")
    method = serializers.CharField(help_text="De methode.")
    incomplete = serializers.BooleanField(help_text=(
        "Geen gegevens: het jaar begint voordat Knooppunt deze bron registreerde."))


class RankingRowSerializer(serializers.Serializer):
    area = AreaSerializer(help_text="Het gebied.")
    values = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="Per indicator het cijfer (per 1.000).")
    indices = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                    help_text="Per indicator de index (regio = 100).")
    ranks = serializers.DictField(child=serializers.IntegerField(allow_null=True),
                                  help_text="Per indicator de rang (1 = gunstigst).")
    classes = serializers.DictField(child=serializers.CharField(),
                                    help_text="Per indicator de kleurklasse.")
    meanRank = serializers.FloatField(source="mean_rank", allow_null=True,
                                      help_text="Gemiddelde rang.")
    hidden = serializers.BooleanField(help_text="Buiten uw gebied (eigen registraties).")


class RankingSerializer(serializers.Serializer):
    region = AreaSerializer(help_text="De regio.")
    year = serializers.IntegerField(help_text="Jaar.")
    indicators = IndicatorSerializer(many=True, help_text="De indicatoren.")
    rows = RankingRowSerializer(many=True, help_text="De gebieden, beste eerst.")
    method = serializers.CharField(help_text="De methode.")
    incomplete = serializers.ListField(child=serializers.CharField(), help_text=(
        "Indicatoren zonder gegevens voor het jaar: het begint voordat Knooppunt de bron "
        "registreerde."))


class DisplacementSerializer(serializers.Serializer):
    indicator = IndicatorSerializer(help_text="De indicator.")
    target = AreaSerializer(help_text="Het doelgebied.")
    buffer = AreaSerializer(many=True, help_text="De buurgemeenten.")
    control = AreaSerializer(many=True, help_text="Het controlegebied.")
    before = serializers.ListField(child=serializers.DateField(),
                                   help_text="Begin en einde van de periode voor.")
    after = serializers.ListField(child=serializers.DateField(),
                                  help_text="Begin en einde van de periode na.")
    counts = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="Aantallen per gebied en periode.")
    successMeasure = serializers.FloatField(source="success_measure", allow_null=True,
                                            help_text="Succesmaat (onder 0: verbeterd).")
    bufferMeasure = serializers.FloatField(source="buffer_measure", allow_null=True,
                                           help_text="Maat voor de buffer.")
    wdq = serializers.FloatField(allow_null=True, help_text="Weighted Displacement Quotient.")
    interpretation = serializers.CharField(help_text="Wat de uitkomst betekent.")
    method = serializers.CharField(help_text="De methode.")
