from django.db import migrations

STATUS_MAP = {"submitted": "received", "in_progress": "in_review"}


def forwards(apps, schema_editor):
    from intake import survey

    ServiceRequest = apps.get_model("intake", "ServiceRequest")
    RequestEvent = apps.get_model("intake", "RequestEvent")
    for old, new in STATUS_MAP.items():
        ServiceRequest.objects.filter(status=old).update(status=new)
        RequestEvent.objects.filter(status=old).update(status=new)
    survey.seed(apps.get_model("intake", "SurveyAxis"), apps.get_model("intake", "SurveyQuestion"))


def backwards(apps, schema_editor):
    ServiceRequest = apps.get_model("intake", "ServiceRequest")
    RequestEvent = apps.get_model("intake", "RequestEvent")
    for old, new in STATUS_MAP.items():
        ServiceRequest.objects.filter(status=new).update(status=old)
        RequestEvent.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_workflow_response_survey")]

    operations = [migrations.RunPython(forwards, backwards)]
