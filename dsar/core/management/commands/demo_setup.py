"""Prepare a demo installation: seed data and a staff login. Safe to run twice."""

from __future__ import annotations

import datetime
import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from dsar.fulfilment.demo import seed_register, seed_tasks
from dsar.organizations.models import Membership, Organization, Role
from dsar.requests.demo import HISTORY_DAYS, SEED_ORGANIZATIONS

DEMO_USERNAME = "demo"
# The demo staff member's address: reminders and digests to staff go somewhere the demo mailbox
# shows (``.invalid`` is reserved, RFC 2606: nothing is ever delivered there by mistake).
DEMO_EMAIL = "officer@demo.dsar.invalid"
SEEDS_DIR = settings.BASE_DIR / "dsar" / "policies" / "seeds"


class Command(BaseCommand):
    help = (
        "Load the seed organizations and demo requests and (re)create the demo staff login, "
        "printing its password. Refuses to run unless DEBUG is on or --force is given, because "
        "it resets a staff password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    @transaction.atomic
    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not (settings.DEBUG or force):
            raise CommandError("demo_setup resets the demo staff password; use it with DEBUG=true.")
        # A fresh random password each run, unless the developer chose one: a fixed demo
        # password would be a known credential on any demo left running on a network.
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        # 1. The five seed organizations and their policies (an unchanged file loads nothing).
        #    In force since before the demo's oldest request, so the demo has a history.
        call_command(
            "load_policy",
            *[SEEDS_DIR / f"{slug}.yaml" for slug in SEED_ORGANIZATIONS],
            in_force_from=timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS + 1),
            stdout=self.stdout,
        )
        # 2. The login: a superuser, and also a privacy officer of every seed organization, so
        #    that the demo shows what a member sees, not only what a superuser may do.
        user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.email = DEMO_EMAIL
        user.set_password(password)
        user.save()
        role = Role.PRIVACY_OFFICER
        for organization in Organization.objects.filter(slug__in=SEED_ORGANIZATIONS):
            Membership.objects.update_or_create(
                user=user, organization=organization, defaults={"role": role}
            )
        group = Group.objects.filter(name=role.group_name).first()
        if group is not None:
            user.groups.add(group)
        # 3. Demo requests in every status (adds nothing when they exist).
        call_command("seed_demo_requests", actor=DEMO_USERNAME, stdout=self.stdout)
        # 4. A conversation with a requester, and a held message (adds nothing when any exists).
        call_command("seed_demo_messages", actor=DEMO_USERNAME, stdout=self.stdout)
        # 5. The register of systems and recipients each seed policy names, and tasks of the
        #    open requests in several states (adds nothing when the register exists).
        if seed_register(user):
            counts = seed_tasks(user)
            self.stdout.write(f"Register and tasks: {counts}")
        site = settings.DSAR_SITE_URL.rstrip("/") or "http://127.0.0.1:8000"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo staff login (open {site}/staff/):\n"
                f"  username: {DEMO_USERNAME}\n  password: {password}\n"
                f"The public request form of an organization: {site}/o/img/request/\n"
                + (
                    f"The emails the demo sent, to read in the browser: {site}/staff/mailbox/\n"
                    if settings.DSAR_DEMO_MAILBOX
                    else ""
                )
            )
        )
