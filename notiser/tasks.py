"""Mail is sent by the background worker, never inside a request."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notis

logger = logging.getLogger(__name__)


def _mail(notis: Notis) -> EmailMultiAlternatives:
    context = {
        "notis": notis,
        "url": settings.SITE_URL.rstrip("/") + notis.lank,
        "installningar_url": settings.SITE_URL.rstrip("/") + "/notiser/installningar/",
        "namn": notis.mottagare.get_full_name() or notis.mottagare.username,
    }
    mail = EmailMultiAlternatives(
        subject=notis.rubrik,
        body=render_to_string("notiser/mail/notis.txt", context),
        to=[notis.mottagare.email],
    )
    mail.attach_alternative(render_to_string("notiser/mail/notis.html", context), "text/html")
    return mail


@task()
def notis_mail_send(notis_ids: list[int]) -> int:
    """Send each notice's mail once: claim it (skickad set), send, release it if sending fails."""
    skickade = 0
    for notis in Notis.objects.filter(pk__in=notis_ids, skickad__isnull=True).select_related(
        "mottagare"
    ):
        if not notis.mottagare.email:
            logger.warning("Notis %s: mottagaren saknar e-postadress", notis.pk)
            continue
        if not Notis.objects.filter(pk=notis.pk, skickad__isnull=True).update(
            skickad=timezone.now()
        ):
            continue  # another worker took it
        try:
            _mail(notis).send()
        except Exception:
            Notis.objects.filter(pk=notis.pk).update(skickad=None)
            logger.exception("Notis %s kunde inte skickas", notis.pk)
            raise
        skickade += 1
    return skickade
