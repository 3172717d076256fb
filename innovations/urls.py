from django.urls import path

from innovations.views import public, worker

app_name = "innovations"

urlpatterns = [
    path("", public.innovation_list, name="list"),
    path("mine/", worker.my_innovations, name="mine"),
    path("new/", worker.innovation_create, name="create"),
    path("<int:pk>/", worker.innovation_detail, name="detail"),
    path("<int:pk>/edit/", worker.innovation_edit, name="edit"),
    path("<int:pk>/submit/", worker.innovation_submit, name="submit"),
    path("<int:pk>/delete/", worker.innovation_delete, name="delete"),
    path("<int:pk>/inventors/", worker.contributors_update, name="contributors"),
    path("<int:pk>/patents/", worker.patent_add, name="patent_add"),
    path("<int:pk>/patents/<int:patent_pk>/remove/", worker.patent_remove, name="patent_remove"),
    path("<int:pk>/files/", worker.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/files/<int:attachment_pk>/remove/",
        worker.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        worker.attachment_download,
        name="attachment_download",
    ),
]
