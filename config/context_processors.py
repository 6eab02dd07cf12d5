"""Which section of the main menu the current page belongs to (for aria-current)."""

RAPPORTER = ("rapport_", "kravstallning_", "fardplan_", "krav_")


def navigering(request) -> dict:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"aktiv_sektion": ""}
    namn = match.url_name or ""
    if match.app_name == "malbild":
        sektion = "malbild"
    elif match.app_name == "vardcentraler":
        sektion = "vardcentraler" if namn.startswith("vardcentral_") else "omgangar"
    elif match.app_name == "uppfoljning":
        sektion = "rapporter" if namn.startswith(RAPPORTER) else "uppfoljning"
    elif match.app_name == "konton":
        sektion = "anvandare" if namn.startswith(("anvandare_", "inbjudan_create")) else namn
    else:
        sektion = namn
    return {"aktiv_sektion": sektion}
