"""Serializers that describe the problem document in OpenAPI (`Problem`, `ValidationProblem`).

They document the shape built by `problems.problem_body`; responses are not rendered
through them.
"""

from __future__ import annotations

from rest_framework import serializers


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="Het veld of de parameter met de fout, bijv. `postcode` of `history[0].note`; "
        "`nonFieldErrors` voor een fout die het geheel betreft."
    )
    code = serializers.CharField(
        help_text="Korte, stabiele foutcode voor programma's, bijv. `required` of `invalid`."
    )
    reason = serializers.CharField(help_text="Uitleg in het Nederlands, voor mensen.")


class ProblemSerializer(serializers.Serializer):
    type = serializers.URLField(
        help_text="URI die het soort probleem aanduidt, bijv. https://knooppunt.nl/problemen/404."
    )
    title = serializers.CharField(
        help_text="Korte omschrijving van het soort probleem, in het Nederlands en Engels."
    )
    status = serializers.IntegerField(help_text="De HTTP-statuscode van dit antwoord.")
    detail = serializers.CharField(help_text="Uitleg bij dit specifieke geval, in het Nederlands.")
    instance = serializers.CharField(
        help_text="Het pad (met querystring) van het verzoek waarop dit antwoord volgt."
    )


class ValidationProblemSerializer(ProblemSerializer):
    invalidParams = InvalidParamSerializer(
        many=True, help_text="Per ongeldig veld of ongeldige parameter: naam, code en reden."
    )
