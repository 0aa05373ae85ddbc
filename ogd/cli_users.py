"""`ogd user …` and `ogd token …`: accounts, organisation roles and API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ogd.errors import OgdError

if TYPE_CHECKING:
    from ogd.instance import Instance


def _instance(ctx: click.Context) -> Instance:
    from ogd.cli import _settings
    from ogd.instance import open_instance

    try:
        return open_instance(_settings(ctx))
    except OgdError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


def _fail(exc: OgdError) -> None:
    from ogd.cli import _fail as fail

    fail(exc)


@click.group()
def user() -> None:
    """Users of the API and their roles in organisations."""


@user.command("create")
@click.argument("name")
@click.option("--sysadmin", is_flag=True, help="May do everything (create organisations…).")
@click.option("--email", default=None, help="E-mail address.")
@click.option("--fullname", default=None, help="Full name shown on the portal.")
@click.option("--org", "orgs", multiple=True, help="Organisation to join (repeatable).")
@click.option(
    "--role",
    type=click.Choice(["member", "editor", "admin"]),
    default="editor",
    show_default=True,
    help="Role in the organisations given with --org.",
)
@click.pass_context
def user_create(
    ctx: click.Context,
    name: str,
    sysadmin: bool,
    email: str | None,
    fullname: str | None,
    orgs: tuple[str, ...],
    role: str,
) -> None:
    """Create user NAME (then `ogd token create NAME` gives it an API token)."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    try:
        with instance.sessions() as session, session.begin():
            account = authz.create_user(
                session, name, sysadmin=sysadmin, email=email, fullname=fullname
            )
            for org_name in orgs:
                authz.set_member(session, authz.ensure_org(session, org_name), account, role)
    except OgdError as exc:
        _fail(exc)
    roles = f" ({role} in {', '.join(orgs)})" if orgs else ""
    click.echo(f"created user {name}{' (sysadmin)' if sysadmin else ''}{roles}")


@user.command("role")
@click.argument("name")
@click.argument("org")
@click.argument("role", type=click.Choice(["member", "editor", "admin", "none"]))
@click.pass_context
def user_role(ctx: click.Context, name: str, org: str, role: str) -> None:
    """Give user NAME the ROLE in organisation ORG (`none` removes it)."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    try:
        with instance.sessions() as session, session.begin():
            account = authz.get_user(session, name)
            organisation = authz.ensure_org(session, org)
            if role == "none":
                authz.remove_member(session, organisation, account)
            else:
                authz.set_member(session, organisation, account, role)
    except OgdError as exc:
        _fail(exc)
    click.echo(f"{name}: {role} in {org}")


@user.command("password")
@click.argument("name")
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
@click.pass_context
def user_password(ctx: click.Context, name: str, from_stdin: bool) -> None:
    """Set the portal login password of user NAME (asked twice, not echoed)."""
    import sys

    from ogd.catalog import authz

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    instance = _instance(ctx)
    try:
        with instance.sessions() as session, session.begin():
            authz.set_password(authz.get_user(session, name), password)
    except OgdError as exc:
        _fail(exc)
    click.echo(f"password of {name} set")


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List users with their roles."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    with instance.sessions() as session:
        for account, roles in authz.list_users(session):
            flag = " sysadmin" if account.sysadmin else ""
            text = ", ".join(f"{role} in {org}" for org, role in roles)
            click.echo(f"{account.name}{flag}{': ' + text if text else ''}")


@click.group()
def token() -> None:
    """API tokens (sent raw in the Authorization header)."""


@token.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown by `token list`).")
@click.pass_context
def token_create(ctx: click.Context, name: str, label: str) -> None:
    """Create an API token for user NAME and print it alone on stdout (shown once)."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    try:
        with instance.sessions() as session, session.begin():
            raw = authz.create_token(session, authz.get_user(session, name), label)
    except OgdError as exc:
        _fail(exc)
    click.echo(raw)


@token.command("list")
@click.argument("name")
@click.pass_context
def token_list(ctx: click.Context, name: str) -> None:
    """List the tokens of user NAME (ids and labels; the tokens themselves are not kept)."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    try:
        with instance.sessions() as session:
            account = authz.get_user(session, name)
            for item in authz.list_tokens(session, account):
                click.echo(f"{item.id}  {item.created:%Y-%m-%d %H:%M}  {item.name}")
    except OgdError as exc:
        _fail(exc)


@token.command("revoke")
@click.argument("token_id")
@click.pass_context
def token_revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke the token with id TOKEN_ID (see `ogd token list`)."""
    from ogd.catalog import authz

    instance = _instance(ctx)
    try:
        with instance.sessions() as session, session.begin():
            authz.revoke_token(session, token_id)
    except OgdError as exc:
        _fail(exc)
    click.echo(f"revoked {token_id}")
