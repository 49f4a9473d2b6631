"""Routes of the signal API: /signals and /signals/{reference}, without trailing slash."""

from rest_framework.routers import SimpleRouter

from .views import SignalViewSet

router = SimpleRouter(trailing_slash=False)
router.register("signals", SignalViewSet, basename="signal")

urlpatterns = router.urls
