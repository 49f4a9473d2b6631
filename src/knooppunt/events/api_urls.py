"""Routes of the events API: /events and /events/{id}, without trailing slash."""

from rest_framework.routers import SimpleRouter

from .api import EventViewSet

router = SimpleRouter(trailing_slash=False)
router.register("events", EventViewSet, basename="event")

urlpatterns = router.urls
