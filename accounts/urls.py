from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import enterprise_views
from accounts.forms import EmailOrMobileAuthenticationForm
from accounts.views import WorkerRegisterView
from api import views as api_token_views

app_name = "accounts"

# Django's auth views, pointed at our templates and, because they are namespaced, at our URL
# names. reverse_lazy resolves at request time, so /en/ pages link on to /en/ pages.
urlpatterns = [
    path("register/", WorkerRegisterView.as_view(), name="register"),
    path(
        "enterprise/register/",
        enterprise_views.EnterpriseRegisterView.as_view(),
        name="enterprise_register",
    ),
    path("enterprise/", enterprise_views.enterprise_detail, name="enterprise_detail"),
    path("enterprise/invite/", enterprise_views.enterprise_invite, name="enterprise_invite"),
    path(
        "enterprise/resubmit/",
        enterprise_views.enterprise_resubmit_view,
        name="enterprise_resubmit",
    ),
    path("enterprise/api-tokens/", api_token_views.api_token_list, name="api_tokens"),
    path(
        "enterprise/api-tokens/<int:pk>/revoke/",
        api_token_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path(
        "enterprise/join/<str:token>/",
        enterprise_views.enterprise_join_view,
        name="enterprise_join",
    ),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailOrMobileAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
]
