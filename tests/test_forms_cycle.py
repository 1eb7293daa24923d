"""The post cycle every form page shares (outreach/forms_cycle.py): validate → service → commit
→ flash → redirect, a refusal rolled back and shown on the form as typed."""

from __future__ import annotations

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired

from outreach.domain import AlreadyRecorded, DomainError
from outreach.extensions import db
from outreach.forms_cycle import Asked, post_form, run_and_flash
from outreach.products.models import Product
from tests.factories import ProductFactory


class NameForm(FlaskForm):
    name = StringField(validators=[DataRequired()])
    kits = IntegerField()


def _products() -> int:
    return db.session.scalar(select(func.count()).select_from(Product))


def _add_product(form) -> str:
    ProductFactory(name=form.name.data)
    db.session.flush()
    return "/products/"


def _refuse(field):
    def act(form):
        _add_product(form)
        raise DomainError(field, "Not that name.")

    return act


def test_a_saved_form_is_committed_flashed_and_redirected_where_the_service_says(app):
    with app.test_request_context("/p", method="POST", data={"name": "Spray"}):
        posted = post_form(NameForm(), _add_product, "Saved.")
        assert posted.response.status_code == 302
        assert posted.response.location == "/products/"
        assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]
    db.session.rollback()
    assert _products() == 1  # committed: a rollback after it loses nothing


def test_a_refusal_rolls_back_and_is_shown_by_its_field_with_what_was_typed(app):
    with app.test_request_context("/p", method="POST", data={"name": "Spray", "kits": "7"}):
        form = NameForm()
        posted = post_form(form, _refuse("name"), "Saved.")
        assert posted.response is None and posted.status == 422
        assert form.name.errors == ["Not that name."]
        assert (form.name.data, form.kits.data) == ("Spray", 7)
        assert get_flashed_messages() == []
    assert _products() == 0


def test_a_refusal_of_a_field_the_page_does_not_show_is_shown_above_the_form(app):
    with app.test_request_context("/p", method="POST", data={"name": "Spray"}):
        form = NameForm()
        post_form(form, _refuse("kits"), hidden=("kits",))
        assert form.form_errors == ["Not that name."] and form.kits.errors == []


def test_an_invalid_form_calls_no_service_and_a_shown_form_answers_200(app):
    with app.test_request_context("/p", method="POST", data={}):
        posted = post_form(NameForm(), _add_product)
        assert posted.response is None and posted.status == 422
    with app.test_request_context("/p"):
        assert post_form(NameForm(), _add_product).status == 200
    assert _products() == 0


def test_a_form_already_recorded_saves_nothing_and_goes_where_again_says(app):
    def act(form):
        _add_product(form)
        raise AlreadyRecorded("form_key", "Already recorded.")

    with app.test_request_context("/p", method="POST", data={"name": "Spray"}):
        posted = post_form(NameForm(), act, "Saved.", again=lambda form: "/stock/holdings/3")
        assert posted.response.location == "/stock/holdings/3"
        assert get_flashed_messages(with_categories=True) == [("info", "Already recorded.")]
    assert _products() == 0


def test_a_question_is_asked_until_its_figure_is_confirmed(app):
    def ask(form):
        return Asked(form.kits.data, "Sure?", "Yes")

    with app.test_request_context("/p", method="POST", data={"name": "Spray", "kits": "5000"}):
        posted = post_form(NameForm(), _add_product, ask=ask)
        assert posted.waiting and posted.status == 200 and posted.response is None
    assert _products() == 0
    data = {"name": "Spray", "kits": "5000", "confirm": "4000"}  # another figure: asked again
    with app.test_request_context("/p", method="POST", data=data):
        assert post_form(NameForm(), _add_product, ask=ask).waiting
    data["confirm"] = "5000"
    with app.test_request_context("/p", method="POST", data=data):
        assert post_form(NameForm(), _add_product, ask=ask).response.status_code == 302
    db.session.rollback()
    assert _products() == 1


def test_a_button_refused_by_the_service_is_rolled_back_and_says_why(app):
    def act():
        ProductFactory()
        db.session.flush()
        raise DomainError(None, "Not now.")

    with app.test_request_context("/p", method="POST"):
        assert run_and_flash(act, "Done.") is False
        assert get_flashed_messages(with_categories=True) == [("error", "Not now.")]
    assert _products() == 0
