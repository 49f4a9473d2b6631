"""Routes: /reports, /reports/{id}, /reports/{id}/pdf (no trailing slash)."""

from rest_framework.routers import SimpleRouter

from .api import ReportViewSet

router = SimpleRouter(trailing_slash=False)
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls
