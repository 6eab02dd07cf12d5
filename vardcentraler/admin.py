from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Atgard,
    Kommun,
    Krav,
    Malniva,
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "lan"]
    search_fields = ["namn", "kod"]


@admin.register(Kommun)
class KommunAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "region"]
    list_filter = ["region"]
    search_fields = ["namn", "kod"]


@admin.register(Vardcentral)
class VardcentralAdmin(SimpleHistoryAdmin):
    list_display = [
        "namn",
        "hsa_id",
        "region",
        "kommun",
        "driftsform",
        "listade_patienter",
        "aktiv",
    ]
    list_filter = ["region", "driftsform", "aktiv"]
    search_fields = ["namn", "hsa_id"]
    autocomplete_fields = ["kommun"]


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["anvandare", "roll", "region"]
    list_filter = ["roll", "region"]
    autocomplete_fields = ["vardcentraler"]


@admin.register(Omgang)
class OmgangAdmin(SimpleHistoryAdmin):
    list_display = ["namn", "region", "malbild_version", "sista_dag", "status"]
    list_filter = ["region", "status"]


@admin.register(Sjalvskattning)
class SjalvskattningAdmin(SimpleHistoryAdmin):
    list_display = ["vardcentral", "omgang", "status", "senast_andrad"]
    list_filter = ["status", "omgang__region"]


@admin.register(Svar)
class SvarAdmin(SimpleHistoryAdmin):
    list_display = ["sjalvskattning", "kriterium", "typ", "niva", "andrad"]


@admin.register(Atgard)
class AtgardAdmin(SimpleHistoryAdmin):
    list_display = ["beskrivning", "vardcentral", "kriterium", "status", "klar_senast"]
    list_filter = ["status"]


admin.site.register(Malniva, SimpleHistoryAdmin)
admin.site.register(Krav, SimpleHistoryAdmin)


# Users are deactivated, never deleted: a deleted user's past changes would lose their author
# (history rows also keep the name, lib/historik.py). Delete is off, "Inaktivera" is the action.
Anvandare = get_user_model()
admin.site.unregister(Anvandare)


@admin.register(Anvandare)
class AnvandareAdmin(UserAdmin):
    actions = ["inaktivera"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Inaktivera valda användare (de kan inte logga in)")
    def inaktivera(self, request, queryset) -> None:
        antal = 0
        for anvandare in queryset.filter(is_active=True):
            anvandare.is_active = False
            anvandare.save(update_fields=["is_active"])
            antal += 1
        self.message_user(request, f"{antal} användare är inaktiverade.", messages.SUCCESS)
