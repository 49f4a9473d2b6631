from django.urls import path

from knooppunt.entities import network_pages

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_create, name="create"),
    path("opvolging/", views.follow_up, name="follow_up"),
    path("interventies/", views.intervention_list, name="interventions"),
    path("interventies/<int:pk>/", views.intervention_detail, name="intervention"),
    path("overleggen/", views.meeting_list, name="meetings"),
    path("overleggen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("overleggen/<int:pk>/notulen/", views.meeting_minutes, name="minutes"),
    path("overleggen/<int:pk>/aanwezigen/", views.meeting_attendance, name="attendance"),
    path("overleggen/<int:pk>/agenda/<str:reference>/verwijderen/", views.meeting_unlist,
         name="unlist"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/fase/", views.case_stage, name="stage"),
    # The case's network (entities app, decision 0049).
    path("<str:reference>/netwerk/", network_pages.case_page, name="network"),
    path("<str:reference>/netwerk/netwerk.json", network_pages.case_data,
         name="network_data"),
    path("<str:reference>/netwerk/netwerk.svg", network_pages.case_svg, name="network_svg"),
    path("<str:reference>/besluit/", views.case_decide, name="decide"),
    path("<str:reference>/interventie/", views.case_intervention, name="add_intervention"),
    path("<str:reference>/signalen/", views.case_link, name="link"),
    path("<str:reference>/subject/", views.case_subject, name="subject"),
    path("<str:reference>/preweegdocument/", views.case_preweigh, name="preweigh"),
    path("<str:reference>/preweegdocument/<int:number>/", views.case_preweigh_version,
         name="preweigh_version"),
]
