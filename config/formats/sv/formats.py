"""Swedish formats, with date input restricted to ISO 8601.

Django's own sv locale also accepts "%m/%d/%Y", which would read 03/04/2026
as the 4th of March; planners write dates the Swedish way, so only ISO is taken.
"""

from django.conf.locale.sv.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
