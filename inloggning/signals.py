"""Failed logins go to the log: address and outcome, never the typed username or password."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
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
