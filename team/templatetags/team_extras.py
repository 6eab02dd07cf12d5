from django import template

register = template.Library()


@register.simple_tag
def team_hamta(per_nyckel, nyckel):
    """``{% team_hamta teamspridning tema.pk as ts %}``: one value of a dict keyed by pk (or
    None, also when the dict itself is None: a round without team assessment)."""
    return (per_nyckel or {}).get(nyckel)
