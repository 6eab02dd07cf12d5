from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Inbjudan, Konto


@admin.register(Konto)
class KontoAdmin(SimpleHistoryAdmin):
    list_display = ["anvandare", "sso_hsa_id", "sso_kopplad"]
    search_fields = ["anvandare__username", "anvandare__email", "sso_hsa_id"]
    readonly_fields = ["sso_utfardare", "sso_subjekt", "sso_kopplad"]


@admin.register(Inbjudan)
class InbjudanAdmin(admin.ModelAdmin):
    """Read-only: invitations are made on the "Användare" page (the token is only a hash)."""

    list_display = ["anvandare", "skapad", "giltig_till", "anvand", "makulerad", "skapad_av_namn"]
    list_filter = ["makulerad"]
    search_fields = ["anvandare__username", "anvandare__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
