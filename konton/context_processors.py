from django.conf import settings

from vardcentraler import behorighet


def konton(request) -> dict:
    """Login options for the templates, and whether to show "Användare" (lazy, no query
    unless a template asks)."""
    return {
        "sso_pa": settings.SSO_PA,
        "sso_namn": settings.SSO_NAMN,
        "lokala_losenord": settings.LOKALA_LOSENORD,
        "giltig_dagar": settings.INBJUDAN_GILTIG_DAGAR,
        "aterstallning_timmar": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "kan_hantera_anvandare": lambda: behorighet.far_hantera_anvandare(request.user),
    }
