from datetime import timedelta

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Claims: e-mail, name and the person's HSA-id (the provider's username here).

    A user whose e-mail starts with ``utgangen`` gets ID tokens that expired an hour
    ago: the app must refuse them.
    """

    oidc_claim_scope = {"sub": "openid", "email": "email", "name": "profile", "hsa_id": "profile"}

    def get_additional_claims(self, request):
        return {
            "email": request.user.email,
            "name": request.user.get_full_name(),
            "hsa_id": request.user.username,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.email.startswith("utgangen"):
            expiration = timezone.now() - timedelta(hours=1)
            claims["exp"] = int(expiration.timestamp())
        return claims, expiration
