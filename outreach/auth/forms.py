"""Login, second step, password and language forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from outreach.auth.passwords import MIN_LENGTH, PasswordRule

# Every form that sets a password (the admin's, the person's own) asks the same: the one rule
# of outreach.auth.passwords (the name is kept for the forms that import it).
PASSWORD_LENGTH = PasswordRule()
NEW_PASSWORD = {"autocomplete": "new-password", "minlength": MIN_LENGTH}
PASSWORD_HINT = _l(
    "At least %(n)d characters, not a common password. A few unrelated words are easy to remember.",
    n=MIN_LENGTH,
)


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("en", "English"),
            SelectChoice("cy", "Cymraeg"),
            SelectChoice("sv", "Svenska"),
        ],
    )
    next = HiddenField()
    submit = SubmitField(_l("Change language"))


class PasswordForm(FlaskForm):
    """A person changing their own password: the current one first."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=PASSWORD_HINT,
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", _l("The two new passwords are not the same.")),
        ],
        render_kw=NEW_PASSWORD,
    )
    submit = SubmitField(_l("Change password"))


ONE_TIME_CODE = {
    "autocomplete": "one-time-code",
    "autocapitalize": "none",
    "spellcheck": "false",
}


class CodeForm(FlaskForm):
    """The second step of a login, or confirming the authenticator app at enrolment."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("The 6-digit code from your authenticator app, or a recovery code."),
        render_kw=ONE_TIME_CODE,
    )
    submit = SubmitField(_l("Continue"))


class ConfirmPasswordForm(FlaskForm):
    """Turning two-step verification off, or new recovery codes: the password first."""

    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Confirm"))
