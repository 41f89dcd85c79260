"""One-time codes already written in clear in the SMS log (SmsMessage.text) are
masked. They are recognised by the one and only template the portal ever used for
them (intake.otp), the whole text matched, so no other message is touched: the
receipt and status SMS keep the tracking code, which is the request's own.

A code still pending delivery is then never sent (the citizen would get «******»;
intake.tasks marks it failed) and the citizen asks for a new one: codes live
five minutes. Not reversible: the codes are gone, by design."""

import re

from django.db import migrations

DIGIT = "[0-9\u06f0-\u06f9\u0660-\u0669]"
OTP_TEXT = re.compile(rf"\A(کد تایید میز خدمت: ){DIGIT}{{6}}(\nاین کد را در اختیار دیگران قرار ندهید\.)\Z")
MASK = "******"


def mask_one_time_codes(apps, schema_editor):
    SmsMessage = apps.get_model("intake", "SmsMessage")
    rows = SmsMessage.objects.filter(text__startswith="کد تایید میز خدمت: ").only("pk", "text")
    for row in rows.iterator(chunk_size=500):
        masked = OTP_TEXT.sub(rf"\g<1>{MASK}\g<2>", row.text)
        if masked != row.text:
            SmsMessage.objects.filter(pk=row.pk).update(text=masked)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_report_permission"),
    ]

    operations = [
        migrations.RunPython(mask_one_time_codes, migrations.RunPython.noop, elidable=True),
    ]
