"""A real OpenID Connect provider for the tests: django-oauth-toolkit in a tiny Django project.

It runs as its own process (``runserver`` on a free loopback port) with its own SQLite
database and an RSA signing key made by the test run, so the app's SSO client is tested
against real discovery-free endpoints, real signed ID tokens and a real login page.
"""
