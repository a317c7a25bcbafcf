"""Covering indexes for public() in list order (issue 7, measured in docs/benchmarks.md).

See the comments beside them in `Release.Meta.indexes` and `Speech.Meta.indexes`.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_search_index'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='release',
            index=models.Index(fields=['status', '-published_at', '-id'], name='release_public_order_idx'),
        ),
        migrations.AddIndex(
            model_name='speech',
            index=models.Index(fields=['status', '-delivered_on', '-published_at', '-id'], name='speech_public_order_idx'),
        ),
    ]
