from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrMobileBackend(ModelBackend):
    """Log in with an email address, an 11-digit mobile number or the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        user_model = get_user_model()
        matches = list(
            user_model._default_manager.filter(
                Q(username=identifier) | Q(email__iexact=identifier) | Q(mobile=identifier)
            )[:2]
        )
        if len(matches) != 1:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
