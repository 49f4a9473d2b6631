"""Routes: /cases, /cases/{reference}[/transitions|/decisions|/interventions],
/meetings, /meetings/{id}[/agenda|/attendance|/decisions],
/interventions, /interventions/{id}, /follow-up (no trailing slash)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .meetings import MeetingViewSet
from .views import CaseViewSet, FollowUpView, InterventionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("cases", CaseViewSet, basename="case")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("interventions", InterventionViewSet, basename="intervention")

urlpatterns = [path("follow-up", FollowUpView.as_view(), name="follow-up"), *router.urls]
