"""One idea of the client's address behind a proxy (issue 15, finding 4)."""

import json
import logging

import pytest
from django.test import Client, RequestFactory

from people.security_log import client_address
from tests.factories import PASSWORD

PROXY = "10.0.0.5"


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(request(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_behind_one_proxy_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 1
    # The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended what it saw.
    assert client_address(request(PROXY, "198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_with_a_list_a_forged_header_from_an_untrusted_client_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_address(request(PROXY, "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request(PROXY, "nonsense")) == PROXY


def proxied(address):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.django_db
def test_five_failures_behind_the_proxy_do_not_lock_the_user_out_for_another_client(settings, psw):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    stranger, owner = proxied("198.51.100.7"), proxied("203.0.113.9")
    for _ in range(5):
        stranger.post("/login/", {"username": psw.username, "password": "wrong"})
    assert (
        stranger.post("/login/", {"username": psw.username, "password": PASSWORD}).status_code
        == 429
    )
    assert (
        owner.post("/login/", {"username": psw.username, "password": PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
def test_the_security_log_names_the_client_not_the_proxy(settings, psw, caplog):
    settings.TRUSTED_PROXIES = 1
    with caplog.at_level(logging.INFO, logger="alongside.security"):
        proxied("203.0.113.9").post("/login/", {"username": psw.username, "password": "wrong"})
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "alongside.security"]
    assert events[0]["address"] == "203.0.113.9"


@pytest.mark.django_db
def test_the_certificate_check_limit_counts_each_client_behind_the_proxy(settings):
    from certificates.views import CHECKS_PER_MINUTE

    settings.TRUSTED_PROXIES = 1
    busy, other = proxied("198.51.100.7"), proxied("203.0.113.9")
    answers = [
        busy.get("/verify/AAAA-AAAA-AAAA/").status_code for _ in range(CHECKS_PER_MINUTE + 1)
    ]
    assert answers[-1] == 429
    assert other.get("/verify/AAAA-AAAA-AAAA/").status_code == 404
