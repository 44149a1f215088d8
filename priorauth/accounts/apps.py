from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "priorauth.accounts"
    label = "accounts"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from priorauth.accounts.sessions import session_stamp_on_sign_in

        user_logged_in.connect(session_stamp_on_sign_in, dispatch_uid="accounts.session_stamp")
