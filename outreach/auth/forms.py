"""Login and language forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


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
