"""The chain's rules are data a beheerder edits here: forum kinds, forums and their
members and deadlines, stages, transitions with roles, decision kinds, the intervention
catalogue. Cases themselves are not in the admin: that would bypass the scope."""

from django.contrib import admin

from .models import DecisionKind, Forum, ForumKind, InterventionType, Stage, Transition


@admin.register(ForumKind)
class ForumKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "decision_months", "order"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "decision_months", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["municipalities", "members", "partners"]
    search_fields = ["name"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_initial", "is_closed", "counts_as_weighed",
                    "signal_status"]


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["from_stage", "to_stage", "roles"]
    filter_horizontal = ["forum_kinds"]


@admin.register(DecisionKind)
class DecisionKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "next_stage", "next_forum_kind", "active"]


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "has_duration", "has_amount", "stops_case", "active"]
    list_editable = ["active"]
