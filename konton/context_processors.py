from django.conf import settings


def konton(request) -> dict:
    """Login options for the templates. (Whether to show "Användare" is the policy's:
    ``behorighet.far_hantera_anvandare``.)"""
    return {
        "sso_pa": settings.SSO_PA,
        "sso_namn": settings.SSO_NAMN,
        "lokala_losenord": settings.LOKALA_LOSENORD,
        "giltig_dagar": settings.INBJUDAN_GILTIG_DAGAR,
        "aterstallning_timmar": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
