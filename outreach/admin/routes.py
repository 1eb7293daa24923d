"""Administration pages: the organisation's users and sites, and the platform's organisations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from outreach.access import require
from outreach.admin import bp
from outreach.admin import services as admin
from outreach.admin.forms import (
    ActiveForm,
    OrganisationForm,
    OrgSettingsForm,
    UserEditForm,
    UserForm,
    set_area_choices,
    set_base_site_choices,
)
from outreach.admin.site_forms import SiteEditForm, SiteForm
from outreach.areas.queries import code_of
from outreach.areas.services import area_id_for
from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.forms_cycle import form_page, run_and_flash
from outreach.i18n import current_language
from outreach.orgs.models import Organisation, Site
from outreach.orgs.publish import facts_of
from outreach.orgs.services import set_organisation_active, update_settings
from outreach.tenancy import (
    get_visible_or_404,
    paginate,
    scoped_select,
    visible,
)


def _audit(action: str, record_type: str, record_id: int, detail: str | None = None) -> None:
    audit(
        action,
        record_type,
        record_id,
        user=current_user,
        detail=detail,
        remote_addr=request.remote_addr,
    )


@bp.get("/")
@require("administer_org")
def index():
    return render_template("admin/index.html", counts=admin.org_counts(current_user.org_id))


@bp.route("/settings", methods=["GET", "POST"])
@require("administer_org")
def settings():
    """The organisation's own settings: its time zone and correction period."""
    org = current_user.organisation
    form = OrgSettingsForm(obj=org if request.method == "GET" else None)
    if org.timezone not in {c.value for c in form.timezone.choices}:  # set by the command line
        form.timezone.choices = [*form.timezone.choices, *opts({org.timezone: org.timezone})]

    set_area_choices(form.home_area_code, current_language())
    if request.method == "GET":
        form.home_area_code.data = code_of(org.area_id)

    def act(form):
        changes = update_settings(
            org, timezone=form.timezone.data, correction_days=form.correction_days.data
        )
        home = area_id_for(db.session, form.home_area_code.data, "home_area_code")
        if home != org.area_id:
            org.area_id = home
            changes.append(f"area_id={home}")
        changes += admin.set_retention(org, form.retention_months.data)
        if bool(form.mfa_required.data) != org.mfa_required:
            org.mfa_required = bool(form.mfa_required.data)  # outreach/auth/mfa.py reads it
            changes.append(f"mfa_required={org.mfa_required}")
        if changes:
            _audit("update", "organisation", org.id, ", ".join(changes))
        return url_for("admin.settings")

    return form_page("admin/settings.html", form, act, _("Settings saved."), org=org)


# --- Organisations (platform administrator) ---


@bp.get("/organisations")
@require("administer_platform")
def organisations():
    return render_template(
        "admin/organisations.html", rows=admin.organisation_overview(), toggle=ActiveForm()
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("administer_platform")
def organisation_new():
    def act(form):
        org = admin.open_organisation(
            form.name.data,
            form.area.data,
            form.admin_username.data,
            form.admin_display_name.data,
            form.admin_password.data,
            form.timezone.data,
        )
        _audit("create", "organisation", org.id, org.name)
        flash(_("Organisation %(name)s created.", name=org.name), "success")
        return url_for("admin.organisations")

    return form_page("admin/organisation_new.html", OrganisationForm(), act)


@bp.post("/organisations/<int:org_id>/active")
@require("administer_platform")
def organisation_active(org_id: int):
    org = db.session.get(Organisation, org_id) or abort(404)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    if org.id == current_user.org_id and not active:
        flash(_("You cannot close your own organisation."), "error")
        return redirect(url_for("admin.organisations"))

    def act() -> None:
        set_organisation_active(org, active)
        _audit("update", "organisation", org.id, f"active={active}")

    if active:
        done = _("%(name)s is open again.", name=org.name)
    else:
        done = _("%(name)s is closed: its users cannot log in.", name=org.name)
    run_and_flash(act, done)
    return redirect(url_for("admin.organisations"))


# --- Users of the administrator's own organisation ---


@bp.get("/users")
@require("administer_org")
def users():
    stmt = scoped_select(User).order_by(User.active.desc(), User.display_name, User.id)
    sites = dict(db.session.execute(select(Site.id, Site.name).where(visible(Site))).all())
    return render_template("admin/users.html", page=paginate(db.session, stmt), sites=sites)


@bp.route("/users/new", methods=["GET", "POST"])
@require("administer_org")
def user_new():
    form = UserForm()
    form.role.choices = opts(admin.grantable_roles(current_user))
    set_base_site_choices(form.site_id, current_user.org_id)
    if request.method == "GET":
        form.role.data = "peer"

    def act(form):
        user = admin.create_member(
            current_user,
            form.username.data,
            form.display_name.data,
            form.role.data,
            form.password.data,
            site_id=form.site_id.data,
        )
        _audit("create", "user", user.id, admin.new_member_detail(user))
        flash(_("%(name)s can now log in.", name=user.display_name), "success")
        return url_for("admin.users")

    return form_page("admin/user_form.html", form, act, member=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("administer_org")
def user_edit(user_id: int):
    member = get_visible_or_404(db.session, User, user_id)
    if not admin.may_manage(current_user, member):
        abort(403)
    form = UserEditForm(obj=member)
    form.role.choices = opts(admin.grantable_roles(current_user))
    set_base_site_choices(form.site_id, member.org_id, kept=member.site_id)

    def act(form):
        changes = admin.update_member(
            current_user,
            member,
            display_name=form.display_name.data,
            role=form.role.data,
            active=form.active.data,
            site_id=form.site_id.data,
            new_password=form.new_password.data or None,
        )
        if changes:
            _audit("update", "user", member.id, ", ".join(changes))
        flash(_("Changes to %(name)s saved.", name=member.display_name), "success")
        return url_for("admin.users")

    return form_page("admin/user_form.html", form, act, member=member)


# --- Sites of the administrator's own organisation ---


@bp.get("/sites")
@require("administer_org")
def sites():
    stmt = scoped_select(Site).order_by(Site.active.desc(), Site.name, Site.id)
    return render_template("admin/sites.html", page=paginate(db.session, stmt))


@bp.route("/sites/new", methods=["GET", "POST"])
@require("administer_org")
def site_new():
    form = SiteForm()
    form.set_choices(current_language())

    def act(form):
        site, changes = admin.add_site(
            current_user.organisation,
            form.name.data,
            form.area.data,
            form.latitude.data,
            form.longitude.data,
            form.place_name.data,
            area_id_for(db.session, form.area_code.data, "area_code"),
            form.outlet_type.data,
            facts=form.public_facts(),
        )
        _audit("create", "site", site.id, _site_detail(site.name, changes))
        flash(_("Site %(name)s added.", name=site.name), "success")
        return url_for("admin.sites")

    return form_page("admin/site_form.html", form, act, site=None)


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@require("administer_org")
def site_edit(site_id: int):
    site = get_visible_or_404(db.session, Site, site_id)
    form = SiteEditForm(obj=site)
    form.set_choices(current_language())
    if request.method == "GET":
        form.area_code.data = code_of(site.area_id)
        form.show_facts(facts_of(site))

    def act(form):
        changes = admin.change_site(
            site,
            form.name.data,
            form.area.data,
            form.latitude.data,
            form.longitude.data,
            form.place_name.data,
            form.active.data,
            area_id_for(db.session, form.area_code.data, "area_code"),
            form.outlet_type.data,
            facts=form.public_facts(),
        )
        _audit("update", "site", site.id, _site_detail(site.name, changes))
        flash(_("Site %(name)s saved.", name=site.name), "success")
        return url_for("admin.sites")

    return form_page("admin/site_form.html", form, act, site=site)


def _site_detail(name: str, changes: list[str]) -> str:
    """The audit log's detail of a site saved: its name, then what it tells the public now."""
    return "; ".join([name, ", ".join(changes)]) if changes else name


from outreach.admin import routes_areas, routes_partnerships  # noqa: E402,F401  (their routes join this blueprint)
