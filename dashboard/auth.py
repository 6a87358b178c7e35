"""Who may log in: the users file, their roles and scopes, the cookie key and
the demo users. Which pages a role may open is the page registry
(dashboard/navigation.py); sessions and login throttling live in the database
(dashboard/sessions.py).

Pure Python (no streamlit): the router (`dashboard/app.py`), the users CLI and
the tests share it. streamlit-authenticator reads the same users file format
(`credentials: usernames: <name>: {name, email, password, roles}`); we add an
optional `scope` per user and a `demo: true` marker on demo users.
"""

from __future__ import annotations

import math
import os
import secrets
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt
import yaml

from dashboard import store
from metrics import dimensions
from metrics.catalog.base import ROLES  # the one definition of the roles

ROOT = Path(__file__).resolve().parent.parent

# The dimensions a user can be limited to (the registry's `scopes_users`).
SCOPE_DIMS: tuple[str, ...] = dimensions.names(scopes_users=True)

# ------------------------------------------------------------------ users file


@dataclass
class User:
    username: str
    name: str
    email: str | None
    roles: tuple[str, ...]
    scope: dict[str, list[str]] = field(default_factory=dict)
    demo: bool = False

    @property
    def scoped(self) -> bool:
        return bool(self.scope)


def auth_file() -> Path:
    """ITAM_AUTH_FILE, else .streamlit/auth.yaml (never committed)."""
    env = os.environ.get("ITAM_AUTH_FILE")
    return Path(env) if env else ROOT / ".streamlit" / "auth.yaml"


def load_config(path: Path | None = None) -> dict:
    """The users file as a dict (an empty one when the file does not exist)."""
    path = path or auth_file()
    if not path.exists():
        return {"credentials": {"usernames": {}}}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    creds = data.setdefault("credentials", {}) or {}
    data["credentials"] = creds
    users = creds.get("usernames") or {}
    # streamlit-authenticator lower-cases usernames: so do we, everywhere.
    creds["usernames"] = {str(k).strip().lower(): v or {} for k, v in users.items()}
    return data


def save_config(config: dict, path: Path | None = None) -> None:
    """Write atomically, readable by the owner only (it holds password hashes)."""
    path = path or auth_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def display_name(entry: dict, username: str) -> str:
    if entry.get("name"):
        return str(entry["name"])
    parts = [entry.get("first_name"), entry.get("last_name")]
    return " ".join(str(p) for p in parts if p) or username


def clean_roles(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(r for r in ROLES if r in {str(v).strip().lower() for v in values or ()})


def clean_scope(scope) -> dict[str, list[str]]:
    """Only known scope keys, values as lists of trimmed strings, empty keys dropped."""
    out: dict[str, list[str]] = {}
    for key in SCOPE_DIMS:
        values = (scope or {}).get(key)
        if values is None:
            continue
        if isinstance(values, str):
            values = [values]
        values = [str(v).strip() for v in values if str(v).strip()]
        if values:
            out[key] = values
    return out


def user_from_entry(username: str, entry: dict) -> User:
    return User(
        username=username,
        name=display_name(entry, username),
        email=entry.get("email"),
        roles=clean_roles(entry.get("roles")),
        scope=clean_scope(entry.get("scope")),
        demo=bool(entry.get("demo")),
    )


def list_users(config: dict, demo_mode: bool = True) -> list[User]:
    """The users who may log in: demo users only while demo mode lasts."""
    out = []
    for username, entry in config["credentials"]["usernames"].items():
        user = user_from_entry(username, entry)
        if user.demo and not demo_mode:
            continue
        out.append(user)
    return out


def get_user(config: dict, username: str | None, demo_mode: bool = True) -> User | None:
    if not username:
        return None
    entry = config["credentials"]["usernames"].get(username.strip().lower())
    if entry is None:
        return None
    user = user_from_entry(username.strip().lower(), entry)
    if user.demo and not demo_mode:
        return None
    return user


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        return False
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


class UserError(ValueError):
    """A users-file change that cannot be made (unknown user, bad role, ...)."""


def validate_username(username: str) -> str:
    name = username.strip().lower()
    if not name or any(c.isspace() for c in name) or len(name) > 64:
        raise UserError(f"not a valid username: {username!r} (no spaces, 1-64 characters)")
    return name


def validate_password(password: str) -> str:
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    return password


def parse_roles(text: str | list[str]) -> list[str]:
    items = text if isinstance(text, list) else [r for r in text.replace(" ", ",").split(",")]
    roles = [r.strip().lower() for r in items if r.strip()]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UserError(f"unknown role(s): {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    if not roles:
        raise UserError(f"give at least one role of {', '.join(ROLES)}")
    return [r for r in ROLES if r in roles]


def parse_scope(pairs: list[str]) -> dict[str, list[str]]:
    """`department=Finance` pairs (repeatable) into a scope dict."""
    scope: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower()
        if not sep or key not in SCOPE_DIMS or not value.strip():
            raise UserError(f"expected KEY=VALUE with KEY one of {', '.join(SCOPE_DIMS)}: {pair!r}")
        scope.setdefault(key, []).append(value.strip())
    return scope


def add_user(
    config: dict,
    username: str,
    password: str,
    roles: list[str],
    *,
    name: str | None = None,
    email: str | None = None,
    scope: dict | None = None,
    demo: bool = False,
) -> dict:
    username = validate_username(username)
    users = config["credentials"]["usernames"]
    if username in users:
        raise UserError(f"user {username!r} exists already")
    entry: dict = {
        "name": name or username,
        "email": email or "",
        "password": hash_password(validate_password(password)),
        "roles": parse_roles(roles),
    }
    if scope:
        entry["scope"] = clean_scope(scope)
    if demo:
        entry["demo"] = True
    else:
        # A real user ends demo mode: the demo users go at once.
        remove_demo_users(config)
    users[username] = entry
    return entry


def _entry(config: dict, username: str) -> dict:
    entry = config["credentials"]["usernames"].get(username.strip().lower())
    if entry is None:
        raise UserError(f"no such user: {username!r}")
    return entry


def remove_user(config: dict, username: str) -> None:
    _entry(config, username)
    del config["credentials"]["usernames"][username.strip().lower()]


def set_password(config: dict, username: str, password: str) -> None:
    _entry(config, username)["password"] = hash_password(validate_password(password))


def set_roles(config: dict, username: str, roles: list[str]) -> None:
    _entry(config, username)["roles"] = parse_roles(roles)


def set_scope(config: dict, username: str, scope: dict | None) -> None:
    entry = _entry(config, username)
    scope = clean_scope(scope)
    if scope:
        entry["scope"] = scope
    else:
        entry.pop("scope", None)


def has_real_users(config: dict) -> bool:
    return any(not e.get("demo") for e in config["credentials"]["usernames"].values())


# ------------------------------------------------------------------ demo users

# Known on purpose: shown on the login page while demo mode lasts, refused after.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    # username, password, role, name
    ("cio", "demo-cio", "cio", "Casey Chief (CIO)"),
    ("cfo", "demo-cfo", "cfo", "Frances Finance (CFO)"),
    ("assets", "demo-assets", "asset_manager", "Alex Asset (asset manager)"),
    ("tech", "demo-tech", "technician", "Toni Tech (technician)"),
    ("admin", "demo-admin", "admin", "Ada Admin (administrator)"),
)


def add_demo_users(config: dict) -> bool:
    """Add the missing demo users (never over a real user of the same name)."""
    users = config["credentials"]["usernames"]
    changed = False
    for username, password, role, name in DEMO_USERS:
        if username in users:
            continue
        users[username] = {
            "name": name,
            "email": f"{username}@demo.invalid",
            "password": hash_password(password),
            "roles": [role],
            "demo": True,
        }
        changed = True
    return changed


def remove_demo_users(config: dict) -> bool:
    users = config["credentials"]["usernames"]
    demo = [u for u, e in users.items() if e.get("demo")]
    for u in demo:
        del users[u]
    return bool(demo)


def sync_demo_users(demo_mode: bool, path: Path | None = None) -> bool:
    """Make the users file agree with demo mode; True when it changed.

    Demo mode on and no real user: the demo users exist. Demo mode off (an
    organisation's data was imported, or a real user was added): they are gone.
    """
    path = path or auth_file()
    config = load_config(path)
    if demo_mode and not has_real_users(config):
        changed = add_demo_users(config)
    else:
        changed = remove_demo_users(config)
    if changed:
        save_config(config, path)
    return changed


# ------------------------------------------------------------------ cookie key

MIN_KEY_BYTES = 32
MIN_KEY_BITS = 100
EXAMPLE_KEYS = frozenset(
    {
        "replace-me-with-a-random-string-of-at-least-32-bytes",
        "some_key",
        "some_signature_key",
        "abcdef",
        "changeme",
        "change-me",
        "secret",
    }
)


def secrets_file(root: Path = ROOT) -> Path:
    return root / ".streamlit" / "secrets.toml"


def read_secrets_key(path: Path | None = None) -> str | None:
    path = path or secrets_file()
    if not path.exists():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("cookie_key")
    except tomllib.TOMLDecodeError:
        return None


def cookie_key_problem(key: str | None) -> str | None:
    """Why `key` cannot sign login cookies, or None when it can."""
    if not key:
        return (
            "No cookie key is set. Set ITAM_COOKIE_KEY or `cookie_key` in "
            ".streamlit/secrets.toml to a random string of at least 32 bytes "
            '(`make run` makes one; or: python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    if key.strip().lower() in EXAMPLE_KEYS or "replace-me" in key.lower():
        return (
            "The cookie key is the example value: anyone who knows it can forge "
            "a login. Set ITAM_COOKIE_KEY or `cookie_key` in .streamlit/secrets.toml "
            "to your own random string of at least 32 bytes."
        )
    if len(key.encode()) < MIN_KEY_BYTES:
        return (
            f"The cookie key is {len(key.encode())} bytes long; at least {MIN_KEY_BYTES} "
            "are needed so that login cookies cannot be forged. Set ITAM_COOKIE_KEY or "
            "`cookie_key` in .streamlit/secrets.toml to a longer random string."
        )
    if key_entropy_bits(key) < MIN_KEY_BITS:
        return (
            "The cookie key looks guessable (blank, one repeated character or a short "
            f"repeated pattern: about {key_entropy_bits(key):.0f} bits, {MIN_KEY_BITS} needed). "
            "Set ITAM_COOKIE_KEY or `cookie_key` in .streamlit/secrets.toml to a random string: "
            'python -c "import secrets; print(secrets.token_urlsafe(48))".'
        )
    return None


def key_entropy_bits(key: str) -> float:
    """An estimate of a key's randomness: its length times the Shannon entropy of its characters.

    32 random URL-safe characters give about 150 bits, 32 random hex digits about 115;
    32 spaces or 'a' * 32 give 0 and 'Zq3-' * 12 gives 96.
    """
    if not key:
        return 0.0
    counts = Counter(key)
    n = len(key)
    return n * -sum(c / n * math.log2(c / n) for c in counts.values())


def new_cookie_key() -> str:
    return secrets.token_urlsafe(48)


def ensure_cookie_key(path: Path | None = None) -> bool:
    """Write a random `cookie_key` into secrets.toml when none is usable; True if written.

    Used by `python -m dashboard setup` (hence `make run`) on first start. An
    environment key (ITAM_COOKIE_KEY) wins and is left alone.
    """
    if os.environ.get("ITAM_COOKIE_KEY"):
        return False
    path = path or secrets_file()
    if cookie_key_problem(read_secrets_key(path)) is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    if path.exists():
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if not ln.strip().startswith("cookie_key")
        ]
    lines.insert(0, f'cookie_key = "{new_cookie_key()}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return True


# ------------------------------------------------------------------ scopes


def scoped_filters(
    filters: dict[str, list[str]] | None, scope: dict[str, list[str]] | None
) -> dict[str, list[str]] | None:
    """The user's filters narrowed to their scope; None when they select nothing in it.

    A scoped dimension keeps only the chosen values inside the scope (all of
    the scope when none is chosen); choosing only values outside it leaves
    nothing to show, hence None.
    """
    out = {k: list(v) for k, v in (filters or {}).items() if v}
    for dim, allowed in (scope or {}).items():
        chosen = out.get(dim)
        if chosen:
            kept = [v for v in chosen if v in allowed]
            if not kept:
                return None
            out[dim] = kept
        else:
            out[dim] = list(allowed)
    return out


# ------------------------------------------------------------------ first start


def first_start(engine) -> None:
    """`python -m dashboard setup` / `demo` hook: a cookie key, and demo users while demo mode lasts.

    Idempotent: a usable key is kept; demo users are added once and removed
    once demo mode has ended (an import, or a real user in the users file).
    """
    if ensure_cookie_key():
        print(f"wrote a random cookie key to {secrets_file()}")
    demo = store.get_setting(engine, "demo_mode") == "true"
    if demo and has_real_users(load_config()):
        store.set_setting(engine, "demo_mode", "false")
        demo = False
    if sync_demo_users(demo):
        print(f"{'added' if demo else 'removed'} the demo users in {auth_file()}")
