"""Command-line work on a DuckDB file the running app holds: handed to the app.

DuckDB lets one process open a file. The app owns it; a CLI command (cron's
`import`, `snapshot`, `notify`, `history import`...) that finds a live app
serving its file writes the command into a spool folder beside the file
(`<file>.jobs/`) and waits; the app's worker thread runs it in-process, one at
a time, on the app's own engine, and writes its output and exit status back.
The CLI prints them and exits with that status, so cron sees no difference.

Why this and not opening the file per request: an import holds the file for
seconds to minutes, and the app must keep answering and writing (sessions,
throttle counters, audit) meanwhile; inside one process DuckDB runs those
small writes beside the import. Crash safety is DuckDB's: every write is one
transaction, so killing the app mid-job leaves the file before or after it;
killing the CLI leaves the job running to its end in the app.

Files of one job `<id>`: `<id>.job` (the request, renamed into place whole),
`<id>.running` (claimed), `<id>.out` / `<id>.err` (its output, as it comes),
`<id>.result` (exit status, written last, whole). `server.json` names the
serving process; its modification time is the worker's heartbeat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import secrets
import sys
import threading
import time
from pathlib import Path

from dashboard import database, failures, oplog

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 1.0
STALE_SECONDS = 15.0  # a heartbeat older than this: the app is gone or frozen
JOB_PADDING = 16 * 1024
KEEP_SECONDS = 24 * 3600  # finished jobs' files are removed after a day
log = logging.getLogger("itam.jobs")

_workers: dict[str, threading.Thread] = {}
_workers_lock = threading.Lock()
_out = threading.local()  # where this thread's print() goes while it runs a job


class AppGone(RuntimeError):
    """The app serving the file stopped while a handed-over command was running."""


def spool_dir(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".jobs")


# --------------------------------------------------------------- the app's side


def start_worker(url: str | None = None) -> bool:
    """Serve command-line jobs for this process's DuckDB file (idempotent); False on a server database."""
    url = url or database.database_url()
    path = database.duckdb_path(url)
    if path is None or path == ":memory:" or os.environ.get("ITAM_JOBS", "1") == "0":
        return False
    with _workers_lock:
        worker = _workers.get(url)
        if worker is not None and worker.is_alive():
            return True
        folder = spool_dir(path)
        folder.mkdir(mode=0o700, exist_ok=True)
        _write_server_file(folder)
        _fail_interrupted(folder)
        worker = threading.Thread(target=_serve, args=(url, folder), name="itam-jobs", daemon=True)
        _workers[url] = worker
        worker.start()
    return True


def _write_server_file(folder: Path) -> None:
    info = {"pid": os.getpid(), "started": dt.datetime.now().isoformat(timespec="seconds")}
    _write_whole(folder / "server.json", json.dumps(info))


def _write_whole(path: Path, content: str) -> None:
    """Write a file so that readers see all of it or none of it."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(content)
    tmp.replace(path)


def _fail_interrupted(folder: Path) -> None:
    """Jobs a previous app process was running when it died: report them as interrupted."""
    for running in folder.glob("*.running"):
        job_id = running.stem
        if not (folder / f"{job_id}.result").exists():
            _write_whole(folder / f"{job_id}.result", json.dumps({"code": 3, "interrupted": True}))


def _serve(url: str, folder: Path) -> None:
    _install_streams()
    # The heartbeat has its own thread: a long job must not look like a dead app.
    threading.Thread(target=_beat, args=(folder,), name="itam-jobs-heartbeat", daemon=True).start()
    while True:
        try:
            for job in sorted(folder.glob("*.job")):
                _run_job(url, folder, job)
            _clean(folder)
        except Exception:  # noqa: BLE001 - the worker must outlive any one bad job file
            log.exception("job worker")
        time.sleep(POLL_SECONDS)


def _beat(folder: Path) -> None:
    while True:
        try:
            if not (folder / "server.json").exists():
                _write_server_file(folder)
            os.utime(folder / "server.json")
        except OSError:  # a full disk or a removed folder: try again next beat
            pass
        time.sleep(HEARTBEAT_SECONDS)


def _claim(job: Path) -> Path | None:
    running = job.with_suffix(".running")
    try:
        job.rename(running)
    except FileNotFoundError:
        return None
    return running


def _run_job(url: str, folder: Path, job: Path) -> None:
    if job.stat().st_uid != os.getuid():
        log.warning("ignored job %s: not owned by the app's user", job.name)
        job.unlink(missing_ok=True)
        return
    running = _claim(job)
    if running is None:
        return
    request = json.loads(running.read_text())
    job_id = running.stem
    argv = [str(a) for a in request["argv"]]
    started = time.monotonic()
    log.info(json.dumps({"event": "job_start", "id": job_id, "argv": argv}))
    out, err = _Flushing(folder / f"{job_id}.out"), _Flushing(folder / f"{job_id}.err")
    try:
        code = run_here(url, argv, out, err)
    finally:
        out.close(), err.close()
    result = {"code": code, "seconds": round(time.monotonic() - started, 3)}
    # Output that could not be written (a full disk) travels in the result instead.
    result.update({k: v for k, v in (("stdout_lost", out.lost), ("stderr_lost", err.lost)) if v})
    _write_result(running, folder / f"{job_id}.result", result)
    log.info(json.dumps({"event": "job_end", "id": job_id, "command": argv[:1], **result}))
    _record(url, argv, code, result["seconds"])


def run_here(url: str, argv: list[str], out, err) -> int:
    """Run a CLI command in this process against the app's engine, output to `out`/`err`."""
    from dashboard import cli  # not at the top: dashboard.cli imports this module

    _out.streams = (out, err)
    try:
        with database.default_url(url):
            return cli.main(argv)
    except SystemExit as exc:  # argparse errors end in sys.exit
        return exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # noqa: BLE001 - reported to the waiting CLI, never lost
        print(failures.describe(exc).text, file=err)
        return 1
    finally:
        _out.streams = None


def _record(url: str, argv: list[str], code: int, seconds: float) -> None:
    with contextlib.suppress(Exception):
        oplog.record(
            database.get_engine(url),
            kind="job",
            source="cli",
            what=_summary(argv),
            outcome="ok" if code == 0 else f"failed (exit {code})",
            seconds=seconds,
        )


def _summary(argv: list[str]) -> str:
    """The command and its file names (no option values: they may hold addresses)."""
    words = [argv[0]] + [
        os.path.basename(a) for a in argv[1:] if not a.startswith("-") and os.sep in a
    ]
    return " ".join(words)


def _clean(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.name != "server.json" and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class _Flushing(io.TextIOBase):
    """A job's output file, flushed at each write so the waiting CLI can show progress.

    When the disk is full the text is kept (its end) in `lost` for the result to carry."""

    LOST_LIMIT = 4000

    def __init__(self, path: Path) -> None:
        self.lost = ""
        try:
            self._f = open(path, "w")  # noqa: SIM115 - closed by close()
        except OSError:
            self._f = None

    def write(self, s: str) -> int:
        if self._f is not None and not self.lost:
            try:
                n = self._f.write(s)
                self._f.flush()
                return n
            except OSError:
                pass
        self.lost = (self.lost + s)[-self.LOST_LIMIT :]
        return len(s)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self._f is not None:
            with contextlib.suppress(OSError):
                self._f.close()


def _write_result(running: Path, path: Path, result: dict) -> None:
    """The result file; on a full disk, written over the claimed job file's own padding
    (the CLI pads every job file) and renamed, which needs no new space."""
    body = json.dumps(result)
    try:
        _write_whole(path, body)
        return
    except OSError:
        pass
    size = running.stat().st_size
    data = body.encode()[:size].ljust(size)
    fd = os.open(running, os.O_WRONLY)
    try:
        os.pwrite(fd, data, 0)
    finally:
        os.close(fd)
    running.rename(path)


class _ThreadStream(io.TextIOBase):
    """sys.stdout/sys.stderr: a job thread's output goes to its files, all else as before."""

    def __init__(self, original, index: int) -> None:
        self._original, self._index = original, index

    def _target(self):
        streams = getattr(_out, "streams", None)
        return streams[self._index] if streams else self._original

    def write(self, s: str) -> int:
        return self._target().write(s)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return False if getattr(_out, "streams", None) else self._original.isatty()

    def fileno(self) -> int:
        return self._original.fileno()

    @property
    def encoding(self):  # noqa: D401 - mirrors the real stream
        return getattr(self._original, "encoding", "utf-8")


def _install_streams() -> None:
    if not isinstance(sys.stdout, _ThreadStream):
        sys.stdout = _ThreadStream(sys.stdout, 0)
    if not isinstance(sys.stderr, _ThreadStream):
        sys.stderr = _ThreadStream(sys.stderr, 1)


# --------------------------------------------------------------- the CLI's side


def server_pid(db_path: str) -> int | None:
    """The pid of a live app serving jobs for this file, else None."""
    folder = spool_dir(db_path)
    try:
        info = json.loads((folder / "server.json").read_text())
        beat = (folder / "server.json").stat().st_mtime
    except (OSError, ValueError):
        return None
    pid = int(info.get("pid") or 0)
    if pid == os.getpid() or time.time() - beat > STALE_SECONDS or not _alive(pid):
        return None
    return pid


def server_pid_is_me(url: str) -> bool:
    """True when this process serves the jobs of the DuckDB file of `url`."""
    worker = _workers.get(url)
    return worker is not None and worker.is_alive()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def absolute_argv(argv: list[str], cwd: str) -> list[str]:
    """Paths in the command made absolute: the app runs it from its own folder.

    A token is a path when it names an existing file or folder, or follows an
    output option (`--out`, `--output`, `--dir`...) whose file may not exist yet.
    """
    out_options = {"--out", "--output", "-o", "--dir", "--folder", "--to", "--file", "--db"}
    result, expect_path = [], False
    for token in argv:
        opt, eq, value = token.partition("=")
        if eq and opt in out_options:
            result.append(f"{opt}={os.path.join(cwd, value)}")
        elif expect_path or (
            not token.startswith("-") and os.path.exists(os.path.join(cwd, token))
        ):
            result.append(os.path.join(cwd, token))
        else:
            result.append(token)
        expect_path = token in out_options
    return result


def submit(
    argv: list[str], db_path: str, *, stdout=None, stderr=None, pid: int | None = None
) -> int:
    """Hand a command to the app serving `db_path`; relay its output; its exit status."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    folder = spool_dir(db_path)
    job_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f") + "-" + secrets.token_hex(3)
    request = {"argv": absolute_argv(argv, os.getcwd()), "client": os.getpid()}
    # Padded with spaces: room for the result even if the job fills the disk (_write_result).
    _write_whole(folder / f"{job_id}.job", json.dumps(request).ljust(JOB_PADDING))
    print(
        f"The dashboard (process {pid}) holds {db_path}: it runs this command (job {job_id}).",
        file=stderr,
    )
    return _wait(folder, job_id, stdout, stderr)


def _wait(folder: Path, job_id: str, stdout, stderr) -> int:
    err_pos = out_pos = 0
    result = folder / f"{job_id}.result"
    db_path = str(folder)[: -len(".jobs")]
    while True:
        done = result.exists()
        err_pos = _relay(folder / f"{job_id}.err", err_pos, stderr, final=done)
        out_pos = _relay(folder / f"{job_id}.out", out_pos, stdout, final=done)
        if done:
            got = json.loads(result.read_text())
            code = int(got.get("code", 1))
            stdout.write(got.get("stdout_lost", ""))
            stderr.write(got.get("stderr_lost", ""))
            for suffix in (".running", ".out", ".err", ".result"):
                (folder / f"{job_id}{suffix}").unlink(missing_ok=True)
            if code == 3:
                print(_gone_message(db_path), file=stderr)
            return code
        if server_pid(db_path) is None:
            print(_gone_message(db_path), file=stderr)
            return 3
        time.sleep(0.2)


def _gone_message(db_path: str) -> str:
    return (
        f"The dashboard serving {db_path} stopped while running this command. Every write is one "
        "transaction, so the database holds the state from before the command or after it, never "
        "between: check with `python -m dashboard ...` once the dashboard is back, and run the "
        "command again if needed."
    )


def _relay(path: Path, pos: int, stream, *, final: bool = False) -> int:
    """Copy what a job wrote since `pos` (whole lines until the end) to `stream`."""
    try:
        with open(path, "rb") as f:
            f.seek(pos)
            chunk = f.read()
    except FileNotFoundError:
        return pos
    if not final:
        chunk = chunk[: chunk.rfind(b"\n") + 1]
    if chunk:
        stream.write(chunk.decode("utf-8", errors="replace"))
        stream.flush()
    return pos + len(chunk)
