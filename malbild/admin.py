from django.contrib import admin

from .models import Exempel, Kriterium, MalbildVersion, Nivabeskrivning, Tema


class NivabeskrivningInline(admin.TabularInline):
    model = Nivabeskrivning
    extra = 0


@admin.register(MalbildVersion)
class MalbildVersionAdmin(admin.ModelAdmin):
    list_display = ["slug", "nummer", "titel", "publicerad", "last"]
    readonly_fields = ["innehall_hash", "skapad"]


@admin.register(Tema)
class TemaAdmin(admin.ModelAdmin):
    list_display = ["ordning", "kortnamn", "version", "konsensus_procent"]
    list_filter = ["version"]


@admin.register(Kriterium)
class KriteriumAdmin(admin.ModelAdmin):
    list_display = ["kod", "text", "tema"]
    list_filter = ["tema__version", "tema"]
    search_fields = ["kod", "text"]
    inlines = [NivabeskrivningInline]


@admin.register(Exempel)
class ExempelAdmin(admin.ModelAdmin):
    list_display = ["titel", "plats", "ursprung", "region", "biblioteksversion"]
    list_filter = ["ursprung", "region"]
    search_fields = ["titel", "plats", "beskrivning"]
    filter_horizontal = ["kriterier"]
    readonly_fields = ["skapad"]
