"""`ogd audit`: the audit log of API writes, newest first (for sysadmins on the server)."""

from __future__ import annotations

import datetime as dt
import json

import click


@click.command("audit")
@click.option("--since", type=click.DateTime(), help="Only entries from this time on (UTC).")
@click.option("--user", "user_name", help="Only writes by this user.")
@click.option("--object", "object_id", help="Only writes about this dataset/resource id or name.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def audit(
    ctx: click.Context,
    since: dt.datetime | None,
    user_name: str | None,
    object_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Who wrote what through the API, when and from where (refused writes too)."""
    from ogd.catalog.audit import entries
    from ogd.cli import _settings, catalogue_session

    with catalogue_session(_settings(ctx)) as session:
        found = entries(session, since=since, user=user_name, object_id=object_id, limit=limit)
    for entry in found:
        row = {
            "time": entry.timestamp.isoformat(timespec="seconds") + "Z",
            "user": entry.user_name,
            "action": entry.action,
            "object": entry.object_id,
            "from": entry.remote_addr,
            "status": entry.status,
        }
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(
                f"{row['time']}  {row['status']}  {row['user'] or '(anonymous)'}  "
                f"{row['action']}  {row['object'] or '-'}  from {row['from'] or '?'}"
            )
    if not found and not as_json:
        click.echo("no entries", err=True)
