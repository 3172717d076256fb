from django.urls import path

from marketplace.views import catalogue, payments, purchases
from marketplace.views.goal import goal_page
from marketplace.views.live import lot_live

app_name = "marketplace"

urlpatterns = [
    path("auctions/", catalogue.session_list, name="session_list"),
    path("auctions/<int:pk>/", catalogue.session_detail, name="session_detail"),
    path("auctions/lots/", catalogue.lot_list, name="lot_list"),
    path("auctions/lots/<int:pk>/", catalogue.lot_detail, name="lot_detail"),
    path("auctions/lots/<int:pk>/bid/", catalogue.lot_bid, name="lot_bid"),
    path("auctions/lots/<int:pk>/live/", lot_live, name="lot_live"),
    path("auctions/lots/<int:pk>/watch/", catalogue.lot_watch, name="lot_watch"),
    path("auctions/lots/<int:pk>/unwatch/", catalogue.lot_unwatch, name="lot_unwatch"),
    path(
        "auctions/lots/<int:pk>/confidentiality/",
        catalogue.lot_confidentiality_accept,
        name="lot_confidentiality_accept",
    ),
    path(
        "auctions/lots/<int:pk>/documents/<int:document_pk>/",
        catalogue.lot_document_download,
        name="lot_document",
    ),
    path("goal/", goal_page, name="goal"),
    path("deposits/", payments.my_deposits, name="my_deposits"),
    path("deposits/checkout/", payments.deposit_checkout, name="deposit_checkout"),
    path(
        "deposits/checkout/simulated/<str:checkout_id>/",
        payments.simulated_checkout,
        name="simulated_checkout",
    ),
    path("deposits/<int:pk>/receipt/", payments.deposit_receipt, name="deposit_receipt"),
    path("purchases/", purchases.my_purchases, name="my_purchases"),
    path("purchases/<int:pk>/", purchases.purchase_detail, name="purchase_detail"),
    path("purchases/<int:pk>/pay/", purchases.purchase_pay, name="purchase_pay"),
    path(
        "purchases/checkout/simulated/<str:checkout_id>/",
        purchases.simulated_balance_checkout,
        name="simulated_balance_checkout",
    ),
]
