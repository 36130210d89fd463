"""Signing in and choosing a password are bookkeeping, not changes to a person's
record: they write no history row and no audit entry (issue 17, item 9)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.models import AuditEntry
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def history_of(person):
    return person.history.count(), AuditEntry.objects.filter(object_id=str(person.pk)).count()


def test_a_sign_in_adds_no_history_row_and_no_audit_entry(client, psw):
    before = history_of(psw)
    response = client.post("/login/", {"username": psw.username, "password": PASSWORD})
    assert response.status_code == 302
    psw.refresh_from_db()
    assert psw.last_login is not None
    assert history_of(psw) == before


def test_choosing_a_password_from_an_invitation_adds_no_history_row(client):
    person = factories.psw()
    person.set_unusable_password()
    person.save()
    before = history_of(person)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    form = client.get(f"/login/welcome/{uid}/{token}/", follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-9", "new_password2": "a-new-long-password-9"},
    )
    person.refresh_from_db()
    assert person.check_password("a-new-long-password-9")
    assert history_of(person) == before


def test_a_real_change_to_a_person_is_still_kept(psw):
    before_rows, before_entries = history_of(psw)
    psw.organisation_unit = "Ward 4"
    psw.save()
    psw.last_login = None
    psw.save(update_fields=["last_login", "organisation_unit"])
    assert history_of(psw) == (before_rows + 2, before_entries + 2)
