from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "priorauth.members"
    label = "members"
    verbose_name = "Members, plans and provider organizations"
