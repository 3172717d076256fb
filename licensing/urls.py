from django.urls import path

from licensing import views

app_name = "licensing"

urlpatterns = [
    path("earnings/", views.earnings, name="earnings"),
    path("earnings/bank-details/", views.payout_details, name="payout_details"),
    path(
        "earnings/enterprise-bank-details/",
        views.enterprise_payout_details,
        name="enterprise_payout_details",
    ),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("agreements/<int:pk>/certificate/", views.certificate_download, name="certificate"),
]
