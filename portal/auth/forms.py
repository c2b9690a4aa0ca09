"""Account forms. They collect input only; services decide."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import EqualTo, ValidationError

from portal.auth.passwords import MAX_LENGTH as PASSWORD_MAX
from portal.auth.passwords import password_problem
from portal.forms import BaseForm, ascii_digit_filter, email_address, max_length, required
from portal.i18n import AUTONYMS, LOCALES


def email_field():
    return EmailField(_l("Email address"),
                      validators=[required(), max_length(254), email_address()],
                      render_kw={"autocomplete": "email"})


class AcceptablePassword:
    """Applies the password policy; the email comes from the form or from ``account_email``,
    which views set on forms for an existing account."""

    def __call__(self, form, field):
        email = form.email.data if "email" in form else getattr(form, "account_email", None)
        if problem := password_problem(field.data or "", email):
            raise ValidationError(str(problem))


def new_password_field(label):
    return PasswordField(
        label, validators=[required(), AcceptablePassword()],
        description=_l("At least 10 characters. A few unrelated words are easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field(other: str):
    return PasswordField(_l("Repeat the password"),
                         validators=[required(), EqualTo(other, _l("The passwords differ."))],
                         render_kw={"autocomplete": "new-password"})


def locale_field():
    choices = [SelectChoice(c, AUTONYMS[c], render_kw={"lang": c}) for c in LOCALES]
    return SelectField(_l("Preferred language"), choices=choices)


class RegisterForm(BaseForm):
    email = email_field()
    display_name = StringField(
        _l("Display name"), validators=[required(), max_length(80)],
        description=_l("Shown to the leaders of the councils you ask to join, and on a "
                       "council's page if you lead it."),
        render_kw={"autocomplete": "nickname"},
    )
    password = new_password_field(_l("Password"))
    password_confirm = confirm_field("password")
    locale = locale_field()
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that the portal keeps my data as it says."),
        validators=[required(_l("Please accept the privacy notice to register."))],
    )


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[required(), max_length(PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))


class EmailForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = new_password_field(_l("New password"))
    password_confirm = confirm_field("password")


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[required(), max_length(PASSWORD_MAX)],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("New password"))
    password_confirm = confirm_field("password")


class LanguageForm(BaseForm):
    locale = locale_field()


def code_field():
    # No numeric keyboard: a recovery code has letters, and a phone's digit pad has none.
    return StringField(_l("Code"), validators=[required(), max_length(32)],
                       filters=[ascii_digit_filter],
                       description=_l("The 6-digit code from your authenticator app, or one "
                                      "of your recovery codes."),
                       render_kw={"autocomplete": "one-time-code"})


def current_password_field():
    return PasswordField(_l("Current password"), validators=[required(), max_length(PASSWORD_MAX)],
                         render_kw={"autocomplete": "current-password"})


class CodeForm(BaseForm):
    code = code_field()


class EnableTwoFactorForm(BaseForm):
    code = StringField(_l("Code shown by the app"), validators=[required(), max_length(32)],
                       filters=[ascii_digit_filter],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    password = current_password_field()


class DisableTwoFactorForm(BaseForm):
    password = current_password_field()


class RecoveryCodesForm(BaseForm):
    password = current_password_field()
