"""`notify`: send what the subscriptions ask for, once each, and keep a record.

For each subscription: the pack or digest of its latest slot at or before `now`
that has not been sent yet (whenever the subscription was made), or, for KPI
alerts, every KPI whose status changed since the last alert (the first run: every
KPI now amber or red, measured against "on target"). What was sent is recorded
(`notify_sends`, `alert_states`), so running it every few minutes never sends
the same thing twice; a mail server that refuses or is down leaves a "failed"
record and the next run tries again. Content is built for the recipient as the
app would show it: their roles and scope from the users file (permissions.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Engine
from sqlmodel import select

from dashboard import auth, fmt, kpis, navigation, oplog, permissions, store, subscriptions
from dashboard.database import session
from dashboard.models import AlertState, NotifySend, Subscription
from metrics.catalog import METRICS

STATUS_WORD = {"green": "on target", "amber": "near target", "red": "breached", "grey": "no data"}
STATUS_COLOURS = {"green": "#2e7d32", "amber": "#b26a00", "red": "#c62828", "grey": "#757575"}
DEFAULT_BASE_URL = "http://localhost:8501"
DEFAULT_FROM = "ITAM dashboard <itam-dashboard@localhost>"
SMTP_KEYS = (
    "ITAM_SMTP_HOST",
    "ITAM_SMTP_PORT",
    "ITAM_SMTP_USER",
    "ITAM_SMTP_PASSWORD",
    "ITAM_SMTP_STARTTLS",
    "ITAM_MAIL_FROM",
)
# The starting point of an alert subscription: a KPI it has not told about counts as on target,
# so the first run reports every KPI now amber or red.
ALERT_START = "green"


# ------------------------------------------------------------------ settings


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = DEFAULT_FROM


def mail_settings(secrets_path: Path | None = None, env: dict | None = None) -> MailSettings:
    """SMTP from the environment, else the same keys in .streamlit/secrets.toml."""
    env = os.environ if env is None else env
    secrets = _secrets(secrets_path or auth.secrets_file())

    def get(key: str) -> str | None:
        value = env.get(key) or secrets.get(key) or secrets.get(key.lower())
        return str(value).strip() if value not in (None, "") else None

    starttls = get("ITAM_SMTP_STARTTLS") == "1"
    port = get("ITAM_SMTP_PORT")
    return MailSettings(
        host=get("ITAM_SMTP_HOST"),
        port=int(port) if port and port.isdigit() else (587 if starttls else 25),
        user=get("ITAM_SMTP_USER"),
        password=get("ITAM_SMTP_PASSWORD"),
        starttls=starttls,
        sender=get("ITAM_MAIL_FROM") or DEFAULT_FROM,
    )


def _secrets(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


def base_url(engine: Engine) -> str:
    """Where the dashboard is reached: ITAM_BASE_URL, else the `base_url` setting, else localhost."""
    url = (
        os.environ.get("ITAM_BASE_URL") or store.get_setting(engine, "base_url") or DEFAULT_BASE_URL
    )
    return url.rstrip("/")


# ------------------------------------------------------------------ sending


class MailError(RuntimeError):
    """The mail server refused the message or could not be reached."""


class Mailer:
    """One SMTP connection per run, opened at the first message; a failed connection is
    not tried again in the same run (every further message fails with the same reason)."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.broken: str | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if not s.host:
            raise MailError(
                "no mail server is set: set ITAM_SMTP_HOST (and ITAM_SMTP_PORT, ITAM_MAIL_FROM) "
                "in the environment or in .streamlit/secrets.toml"
            )
        try:
            smtp = smtplib.SMTP(s.host, s.port, timeout=30)
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot reach the mail server {s.host}:{s.port}: {exc}") from None
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self.broken:
            raise MailError(self.broken)
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            refused = self.smtp.send_message(msg)
        except MailError as exc:
            self.broken = str(exc)
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self.smtp = None  # the connection may be gone: the next message opens a new one
            raise MailError(f"the mail server refused the message to {msg['To']}: {exc}") from None
        if refused:
            raise MailError(f"the mail server refused {', '.join(refused)}")


def message(
    settings: MailSettings,
    user: auth.User,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: list[tuple[str, bytes]] = (),
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = formataddr((user.name, user.email))
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="itam-dashboard")
    msg["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg


# ------------------------------------------------------------------ records


@dataclass
class Outcome:
    """What a run did with one subscription (the CLI prints these)."""

    subscription: int
    user: str
    what: str
    status: str  # sent | failed | up to date | skipped
    slot: dt.datetime | None = None
    recipient: str | None = None
    subject: str | None = None
    detail: str | None = None
    attachments: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        out = dict(self.__dict__)
        out["slot"] = self.slot.isoformat(sep=" ") if self.slot else None
        return out


def _record(
    engine: Engine,
    sub: Subscription,
    slot: dt.datetime,
    now: dt.datetime,
    *,
    ok: bool,
    recipient: str | None,
    subject: str | None,
    detail: dict | str,
) -> NotifySend:
    """Write the slot's record: sent, or failed with one more attempt; a success supersedes
    older failed slots of the same subscription (their content is out of date). Also one
    `send` line of the operations log (subscription, kind, slot; never the mail's content)."""
    # Sends run only from `python -m dashboard notify` (cron), hence source "cli".
    oplog.record(None, kind="send", source="cli", user=sub.username, outcome="sent" if ok else "failed",
                 what=f"subscription {sub.id} ({sub.what}), slot {slot:%Y-%m-%d %H:%M}")  # fmt: skip
    with session(engine) as s:
        row = s.exec(
            select(NotifySend).where(NotifySend.subscription_id == sub.id, NotifySend.slot == slot)
        ).first()
        row = row or NotifySend(subscription_id=sub.id, slot=slot, status="failed", attempts=0)
        row.attempts += 1
        row.status = "sent" if ok else "failed"
        row.recipient, row.subject, row.tried_at = recipient, subject, now
        row.detail = detail if isinstance(detail, str) else json.dumps(detail, default=str)
        row.sent_at = now if ok else None
        s.add(row)
        if ok:
            older = s.exec(
                select(NotifySend).where(
                    NotifySend.subscription_id == sub.id,
                    NotifySend.status == "failed",
                    NotifySend.slot < slot,
                )
            )
            for old in older:
                old.status = "superseded"
                s.add(old)
        s.commit()
        s.refresh(row)
    return row


def _sent(engine: Engine, sub_id: int, slot: dt.datetime) -> bool:
    with session(engine) as s:
        row = s.exec(
            select(NotifySend).where(
                NotifySend.subscription_id == sub_id,
                NotifySend.slot == slot,
                NotifySend.status == "sent",
            )
        ).first()
    return row is not None


def alert_states(engine: Engine, sub_id: int) -> dict[str, str]:
    with session(engine) as s:
        return {
            r.kpi_id: r.status
            for r in s.exec(select(AlertState).where(AlertState.subscription_id == sub_id))
        }


def _save_states(engine: Engine, sub_id: int, statuses: dict[str, str], now: dt.datetime) -> None:
    with session(engine) as s:
        for kpi_id, status in statuses.items():
            row = s.get(AlertState, (sub_id, kpi_id))
            if row is None:
                s.add(AlertState(subscription_id=sub_id, kpi_id=kpi_id, status=status, since=now))
            elif row.status != status:
                row.status, row.since = status, now
                s.add(row)
        s.commit()


# ------------------------------------------------------------------ content


@dataclass
class Run:
    """What one `notify` run shares: the clock, the data's date, the users, the mail server."""

    engine: Engine
    now: dt.datetime
    as_of: dt.date | None  # --as-of; None: each slot's date (the demo's date in demo mode)
    config: dict
    mailer: Mailer
    settings: MailSettings

    @property
    def demo_mode(self) -> bool:
        return store.get_setting(self.engine, "demo_mode") == "true"

    def day(self, slot: dt.datetime) -> dt.date:
        """The as-of date of a slot's content."""
        if self.as_of:
            return self.as_of
        demo_day = store.get_setting(self.engine, "demo_as_of") if self.demo_mode else None
        return dt.date.fromisoformat(demo_day) if demo_day else slot.date()

    @property
    def organisation(self) -> str:
        return store.get_setting(self.engine, "organisation") or "Your organisation"


def _scope_words(access: permissions.Access) -> str:
    return " and ".join(" or ".join(v) for v in access.scope.values())


def _link(base: str, page: str, as_of: dt.date, filters: dict | None, **params) -> str:
    query = {**params, "as_of": as_of.isoformat(), **(filters or {})}
    return f"{base}/{page}?{urlencode(query, doseq=True)}"


def _kpi_lines(results, currency: str) -> list[str]:
    lines = []
    for r in results:
        m = METRICS[r.metric]
        lines.append(
            f"- {m.label}: {fmt.metric_value(r.value, m.unit, currency)} "
            f"(target {fmt.target_text(r.target_kind, r.target, m.unit, currency)}) - {STATUS_WORD[r.status]}"
        )
    return lines


def _document_mail(
    run: Run, sub: Subscription, user: auth.User, access: permissions.Access, slot: dt.datetime
) -> tuple[str, str, str, list[tuple[str, bytes]]]:
    """Subject, text, HTML and the PDF of a pack or digest for this user as of the slot's day."""
    # Not at the top: fpdf and the chart renderer load only when a pack or digest is sent,
    # never for `python -m dashboard --help` (dashboard.cli.notify_cmd imports this module).
    from dashboard import pdf

    as_of = run.day(slot)
    filters = access.scoped(None) or None
    scope = f" · {_scope_words(access)}" if access.is_scoped else ""
    if sub.what == "pack":
        data = pdf.pack_pdf(run.engine, as_of, None, access=access, made_for=user.name)
        name, title = f"executive-pack-{as_of.isoformat()}.pdf", "Executive pack"
        page = "scorecard"
    else:
        page = navigation.landing_page(access.roles)
        data = pdf.digest_pdf(run.engine, as_of, None, access=access, page=page, made_for=user.name)
        title = f"{pdf.PAGE_TITLES.get(page, page)} digest"
        name = f"{page.replace('_', '-')}-digest-{as_of.isoformat()}.pdf"
    subject = f"{title} · {run.organisation} · as of {as_of.isoformat()}{scope}"
    intro = (
        f"Attached is the {title.lower()} of {run.organisation} as of {as_of.strftime('%d %B %Y')}."
    )
    lines = [f"Hello {user.name},", "", intro, f"Scope: {access.scope_line()}."]
    summary, bad, cur = "", [], fmt.DEFAULT_CURRENCY
    if access.may("pack:scorecard") or page == "scorecard":
        results = pdf.kpi_results(run.engine, as_of, filters)
        bad = [r for r in results if r.status in ("red", "amber")]
        summary = pdf.status_summary(results) + "." if results else ""
        lines += ["", summary] if summary else []
        if bad:
            cur = (store.get_setting(run.engine, "currency") or fmt.DEFAULT_CURRENCY).upper()
            lines += ["", "Needing attention:"] + _kpi_lines(bad, cur)
    link = _link(base_url(run.engine), page, as_of, filters)
    footer = (
        f"You get this {subscriptions.describe(sub)} (subscription {sub.id}); change it on the "
        "Subscriptions page of the dashboard."
    )
    lines += ["", f"Open the dashboard: {link}", "", footer]
    html = _document_html(user.name, intro, access.scope_line(), summary, bad, cur, link, footer)
    return subject, "\n".join(lines) + "\n", html, [(name, data)]


def _document_html(
    name: str, intro: str, scope: str, summary: str, bad, cur: str, link: str, footer: str
) -> str:
    """The HTML twin of a pack or digest mail: the same words, the KPIs needing attention
    as a table with their status in words and colour, and a link to the dashboard."""
    rows = "".join(
        f"<tr><td>{escape(METRICS[r.metric].label)}</td>"
        f'<td align="right" style="white-space:nowrap">'
        f"{escape(fmt.metric_value(r.value, METRICS[r.metric].unit, cur))}</td>"
        f"<td>{escape(fmt.target_text(r.target_kind, r.target, METRICS[r.metric].unit, cur))}</td>"
        f'<td style="color:{STATUS_COLOURS.get(r.status, "#000")};font-weight:bold">'
        f"{STATUS_WORD[r.status]}</td></tr>"
        for r in bad
    )
    table = (
        '<p>Needing attention:</p><table cellpadding="6" style="border-collapse:collapse">'
        '<tr><th align="left">KPI</th><th>Value</th><th align="left">Target</th>'
        f'<th align="left">Status</th></tr>{rows}</table>'
        if bad
        else ""
    )
    return (
        f'<html><body style="font-family:Helvetica,Arial,sans-serif"><p>Hello {escape(name)},</p>'
        f"<p>{escape(intro)}<br>Scope: {escape(scope)}.</p>"
        + (f"<p>{escape(summary)}</p>" if summary else "")
        + table
        + f'<p><a href="{escape(link)}">Open the dashboard</a></p>'
        f'<p style="color:#757575">{escape(footer)}</p></body></html>'
    )


def _alert_mail(
    run: Run, user: auth.User, access: permissions.Access, changes: list, as_of: dt.date
) -> tuple[str, str, str]:
    """Subject, text and HTML naming each changed KPI: value, target, status in words, the link."""
    cur = (store.get_setting(run.engine, "currency") or fmt.DEFAULT_CURRENCY).upper()
    filters = access.scoped(None) or None
    base = base_url(run.engine)
    counts: dict[str, int] = {}
    for r, _before in changes:
        counts[r.status] = counts.get(r.status, 0) + 1
    words = [
        f"{counts[s]} {'back on target' if s == 'green' else STATUS_WORD[s]}"
        for s in ("red", "amber", "green")
        if counts.get(s)
    ]
    subject = f"KPI alert · {run.organisation}: {', '.join(words)}"
    text_lines = [
        f"Hello {user.name},",
        "",
        f"KPI status changes as of {as_of.isoformat()} (scope: {access.scope_line()}):",
        "",
    ]
    rows = []
    for r, before in changes:
        m = METRICS[r.metric]
        value = fmt.metric_value(r.value, m.unit, cur)
        target = fmt.target_text(r.target_kind, r.target, m.unit, cur)
        link = _link(base, "kpi", as_of, filters, kpi=r.id)
        text_lines += [
            f"* {m.label}: {STATUS_WORD[r.status]} ({_was(before)})",
            f"  value {value}, target {target}",
            f"  {link}",
            "",
        ]
        rows.append((m.label, value, target, r.status, before, link))
    text_lines.append(
        "You get these alerts when a KPI changes status; change it on the Subscriptions page."
    )
    return (
        subject,
        "\n".join(text_lines) + "\n",
        _alert_html(rows, as_of, access, user.name, run.organisation),
    )


def _was(before: str | None) -> str:
    return "first alert" if before is None else f"was {STATUS_WORD.get(before, before)}"


def _alert_html(rows, as_of: dt.date, access: permissions.Access, name: str, org: str) -> str:
    body = "".join(
        f'<tr><td><a href="{escape(link)}">{escape(label)}</a></td><td align="right" style="white-space:nowrap">{escape(value)}</td>'
        f'<td>{escape(target)}</td><td style="color:{STATUS_COLOURS.get(status, "#000")};font-weight:bold">'
        f"{STATUS_WORD[status]}</td><td>{_was(before)}</td></tr>"
        for label, value, target, status, before, link in rows
    )
    return (
        f'<html><body style="font-family:Helvetica,Arial,sans-serif"><p>Hello {escape(name)},</p>'
        f"<p>KPI status changes at {escape(org)} as of {as_of.isoformat()} "
        f"(scope: {escape(access.scope_line())}):</p>"
        '<table cellpadding="6" style="border-collapse:collapse"><tr><th align="left">KPI</th>'
        '<th>Value</th><th align="left">Target</th><th align="left">Status</th>'
        f'<th align="left">Before</th></tr>{body}</table><p style="color:#757575">You get these alerts '
        "when a KPI changes status; change it on the Subscriptions page of the dashboard.</p></body></html>"
    )


# ------------------------------------------------------------------ the run


def _who(
    run: Run, sub: Subscription
) -> tuple[auth.User | None, permissions.Access | None, str | None]:
    """The recipient and their access, or why there is none."""
    user = auth.get_user(run.config, sub.username, demo_mode=run.demo_mode)
    if user is None:
        return None, None, f"no user {sub.username!r} in the users file"
    if not user.email or "@" not in user.email:
        return None, None, f"{sub.username} has no email address in the users file"
    access = permissions.access_for(user)
    if sub.what == "pack" and not access.may("pack"):
        return None, None, f"the executive pack is not available to {sub.username}'s role(s)"
    if sub.what == "alerts" and not navigation.can_open(access.roles, "kpi"):
        return (
            None,
            None,
            f"KPI alerts link to the KPI detail page, which {sub.username}'s role(s) cannot open",
        )
    return user, access, None


def _send(
    run: Run,
    sub: Subscription,
    user: auth.User,
    slot: dt.datetime,
    subject: str,
    text: str,
    html: str | None,
    attachments: list,
    detail: dict,
) -> Outcome:
    msg = message(run.settings, user, subject, text, html, attachments)
    out = Outcome(
        sub.id,
        sub.username,
        sub.what,
        "sent",
        slot,
        user.email,
        subject,
        attachments=[name for name, _ in attachments],
    )
    try:
        run.mailer.send(msg)
    except MailError as exc:
        out.status, out.detail = "failed", str(exc)
        _record(
            run.engine,
            sub,
            slot,
            run.now,
            ok=False,
            recipient=user.email,
            subject=subject,
            detail=str(exc),
        )
        return out
    _record(
        run.engine,
        sub,
        slot,
        run.now,
        ok=True,
        recipient=user.email,
        subject=subject,
        detail=detail,
    )
    return out


def _document(run: Run, sub: Subscription, user: auth.User, access: permissions.Access) -> Outcome:
    slot = subscriptions.latest_slot(subscriptions.schedule_of(sub), run.now)
    if _sent(run.engine, sub.id, slot):
        return Outcome(sub.id, sub.username, sub.what, "up to date", slot)
    subject, text, html, attachments = _document_mail(run, sub, user, access, slot)
    return _send(
        run,
        sub,
        user,
        slot,
        subject,
        text,
        html,
        attachments,
        {"as_of": run.day(slot).isoformat(), "attachments": [a for a, _ in attachments]},
    )


def _alerts(run: Run, sub: Subscription, user: auth.User, access: permissions.Access) -> Outcome:
    as_of = run.day(run.now)
    kpis.ensure_default_kpis(run.engine)
    results = kpis.evaluate(run.engine, as_of, access.scoped(None) or None)
    known = alert_states(run.engine, sub.id)
    # A KPI with no data (grey) tells nothing: its last known status stands.
    # `before` is None for a KPI not told about yet (measured against ALERT_START).
    changes = [
        (r, known.get(r.id))
        for r in results
        if r.status != "grey" and r.status != known.get(r.id, ALERT_START)
    ]
    if not changes:
        return Outcome(sub.id, sub.username, sub.what, "up to date", run.now)
    subject, text, html = _alert_mail(run, user, access, changes, as_of)
    detail = {
        "as_of": as_of.isoformat(),
        "changes": [
            {"kpi": r.id, "metric": r.metric, "from": b, "to": r.status} for r, b in changes
        ],
    }
    out = _send(run, sub, user, run.now, subject, text, html, [], detail)
    if out.status == "sent":  # only what was told becomes the next run's baseline
        _save_states(run.engine, sub.id, {r.id: r.status for r, _ in changes}, run.now)
        out.detail = ", ".join(
            f"{r.metric}: {b or 'first alert'} -> {r.status}" for r, b in changes
        )
    return out


def run(
    engine: Engine,
    now: dt.datetime | None = None,
    as_of: dt.date | None = None,
    *,
    config: dict | None = None,
    settings: MailSettings | None = None,
    progress=None,
) -> list[Outcome]:
    """Send what is due for every subscription; one Outcome each (see the module's docstring)."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    settings = settings or mail_settings()
    with Mailer(settings) as mailer:
        r = Run(
            engine,
            now,
            as_of,
            config if config is not None else auth.load_config(),
            mailer,
            settings,
        )
        outcomes = []
        for sub in subscriptions.list_all(engine):
            user, access, why = _who(r, sub)
            if why:
                outcomes.append(Outcome(sub.id, sub.username, sub.what, "skipped", detail=why))
            elif sub.what == "alerts":
                outcomes.append(_alerts(r, sub, user, access))
            else:
                outcomes.append(_document(r, sub, user, access))
            if progress:
                progress(outcomes[-1])
    return outcomes
