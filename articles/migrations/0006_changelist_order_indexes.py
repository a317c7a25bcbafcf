"""Indexes for the admin changelists' order (every status), measured in issue 7.

See the comments beside them in `Release.Meta.indexes` and `Speech.Meta.indexes`.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_public_order_indexes'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='release',
            index=models.Index(fields=['-published_at', '-id'], name='release_order_idx'),
        ),
        migrations.AddIndex(
            model_name='speech',
            index=models.Index(fields=['-delivered_on', '-published_at', '-id'], name='speech_order_idx'),
        ),
    ]
