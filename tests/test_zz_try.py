"""Scratch: build the small demo on a test DB and run the analysis."""
import datetime as dt, time
import pytest

@pytest.mark.django_db
def test_try():
    from knooppunt.demo.builder import build_demo
    from knooppunt.analytics import vulnerability_service as svc
    from knooppunt.analytics.vulnerability.validation import METHODS, SHARES
    from knooppunt.organisations.models import Membership
    from django.contrib.auth import get_user_model
    t=time.perf_counter()
    r = build_demo("VR05", scale=float(__import__("os").environ.get("SCALE","0.1")), years=3.0, today=dt.date(2026,11,30))
    print("demo", time.perf_counter()-t, r.signals.rural, r.signals.created)
    user = get_user_model().objects.get(username__startswith="coordinator.", memberships__organisation__name__contains=r.signals.rural and "")  if False else None
    from knooppunt.demo.rural import rural_municipality
    from knooppunt.demo.places import build_places
    users = get_user_model().objects.filter(username__startswith="coordinator.")
    print([u.username for u in users])
    u = [x for x in users if x.username != "coordinator.enschede"][0]
    m = svc.scope.vulnerable_place_municipalities(u).get()
    t=time.perf_counter()
    import cProfile, pstats
    pr = cProfile.Profile(); pr.enable()
    a = svc.analyse(u, m, dt.date(2026,11,30))
    pr.disable(); pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
    print("analyse", time.perf_counter()-t, m.name, len(a.places), a.addresses_in_municipality)
    v = a.validation
    print("events y5", v.events, "rr", [(f.key, rr) for f, rr in v.model.relative_risks()])
    for meth in METHODS:
        print(meth, [(s, round(v.score(meth,s).hit_rate,3), round(v.score(meth,s).pai,2)) for s in SHARES])
    i = a.ranked()[0]
    print(a.places[i], a.explain(i))
