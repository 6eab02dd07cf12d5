"""Failed logins go to the log: address and outcome, never the typed username or password."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("inloggning")


@receiver(user_login_failed)
def inloggning_misslyckad(sender, credentials, request=None, **kwargs) -> None:
    logger.warning(
        "Inloggning misslyckades",
        extra={
            "event": "login_failed",
            "client_ip": getattr(request, "axes_ip_address", None),
            "path": getattr(request, "path", None),
        },
    )


@receiver(user_locked_out)
def inloggning_last(sender, request=None, ip_address=None, **kwargs) -> None:
    logger.warning(
        "Inloggning tillfälligt låst efter upprepade misslyckanden",
        extra={"event": "login_locked", "client_ip": ip_address},
    )


@receiver(user_logged_in)
def tvasteg_vid_inloggning(sender, request=None, user=None, **kwargs) -> None:
    """Mark the session: a second factor must follow the password (see middleware)."""
    if request is None or not hasattr(request, "session"):
        return
    from vardcentraler.behorighet import tvasteg_kravs

    from .middleware import lokal_inloggning
    from .services import totp_device_confirmed
    from .views import SESSION_BEHOV

    if not lokal_inloggning(request):
        return
    if totp_device_confirmed(user) is not None:
        request.session[SESSION_BEHOV] = "verifiera"
    elif tvasteg_kravs(user):
        request.session[SESSION_BEHOV] = "installera"
