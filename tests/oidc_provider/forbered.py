"""Prepare the provider's database: migrate, one confidential client, the given users.

``python -m tests.oidc_provider.forbered CONFIG_JSON`` with DJANGO_SETTINGS_MODULE set to
``tests.oidc_provider.settings``. CONFIG_JSON: client_id, client_secret, redirect_uri,
post_logout_redirect_uri and users [{username, email, password, first_name, last_name}].
"""

import json
import sys

import django


def main(config: dict) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    Application.objects.create(
        name="Målbild psykisk ohälsa (test)",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=config["redirect_uri"],
        post_logout_redirect_uris=config["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    User = get_user_model()
    for u in config["users"]:
        User.objects.create_user(**u)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
