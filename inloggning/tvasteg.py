"""Who is offered and who must use the second factor (TOTP).

MOVES TO vardcentraler/behorighet.py when that module lands on main (the one home of
role rules); kept here only until then.
"""

from django.conf import settings

from vardcentraler.selectors import roll_for


def tvasteg_kravs(user) -> bool:
    """An administrator with a local password must use a second factor (outside DEBUG).

    No query: a superuser is an administrator without looking at a profile.
    """
    return (
        settings.TVASTEG_KRAVS_FOR_ADMIN
        and user.is_authenticated
        and user.is_superuser
        and user.has_usable_password()
    )


def tvasteg_erbjuds(user) -> bool:
    """Planners and administrators with a local password may turn on a second factor.

    Accounts that sign in through the region's identity provider (no usable password)
    get their second factor there. At most one query (the profile, cached on the user).
    """
    return (
        user.is_authenticated
        and user.has_usable_password()
        and roll_for(user) in ("admin", "planerare")
    )
