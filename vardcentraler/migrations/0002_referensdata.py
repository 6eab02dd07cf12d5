from django.db import migrations


def load(apps, schema_editor):
    from vardcentraler.referensdata import referensdata_load

    referensdata_load(apps.get_model("vardcentraler", "Region"), apps.get_model("vardcentraler", "Kommun"))


class Migration(migrations.Migration):
    dependencies = [("vardcentraler", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
