"""Background tasks (django-tasks). In production the database backend
(django-tasks-db) stores them and `manage.py db_worker` runs them."""

from django_tasks import task


@task()
def send_sms(message_pk):
    from .sms import deliver

    message = deliver(message_pk)
    return message.status if message is not None else None
