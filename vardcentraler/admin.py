from django.contrib import admin
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
class VardcentralAdmin(admin.ModelAdmin):
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
class OmgangAdmin(admin.ModelAdmin):
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
