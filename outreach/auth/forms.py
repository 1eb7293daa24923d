"""Login, password and language forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

# Every form that sets a password (the admin's, the person's own) asks the same.
PASSWORD_LENGTH = Length(min=10, max=256, message=_l("A password needs at least 10 characters."))
NEW_PASSWORD = {"autocomplete": "new-password"}


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
        description=_l("At least 10 characters. A few unrelated words are easy to remember."),
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
