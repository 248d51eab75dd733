"""A real SMTP server on loopback that keeps every message it receives, for the demo and the tests.

Each message is appended to ``<mailbox_dir>/mailbox.mbox`` (locked and flushed) and saved as one
``<mailbox_dir>/messages/*.eml`` file that a mail client opens. :class:`SmtpSink` runs in a thread of the
calling process; :func:`ensure_running` keeps one in a background process for the ``newsmon`` CLI
(``python -m newsmon.devstack.smtp_sink --mailbox DIR --port N``).
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import logging
import mailbox
import signal
import smtplib
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from newsmon.devstack.processes import (
    free_port,
    read_process_record,
    reap,
    terminate_group,
    write_process_record,
)

__all__ = ["SmtpSink", "ensure_running", "read_record", "run_detached", "stop_recorded"]

log = logging.getLogger(__name__)

MBOX_NAME = "mailbox.mbox"
EML_DIR = "messages"
RECORD_NAME = "smtp.json"


class _MailboxHandler:
    """The aiosmtpd handler: writes each accepted message to the mbox file and to a new ``.eml`` file."""

    def __init__(self, mailbox_dir: Path) -> None:
        self.mailbox_dir = mailbox_dir
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        trace = (f"X-Peer: {session.peer[0]}\nX-MailFrom: {envelope.mail_from}\n"
                 f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\n").encode()
        raw = trace + (envelope.original_content or b"").replace(b"\r\n", b"\n")  # Unix line ends on disk
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        eml = self.mailbox_dir / EML_DIR / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        with self._lock:
            partial = eml.with_suffix(".partial")
            partial.write_bytes(raw)
            partial.rename(eml)  # a reader never sees half a message
            box = mailbox.mbox(self.mailbox_dir / MBOX_NAME, create=True)
            box.lock()
            try:
                message = mailbox.mboxMessage(raw)
                message.set_from(envelope.mail_from or "MAILER-DAEMON", True)
                box.add(message)
                box.flush()
            finally:
                box.unlock()
                box.close()
        log.info("received a message from %s to %s: %s", envelope.mail_from, envelope.rcpt_tos, eml.name)
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's Controller, also for port 0: it learns the bound port before its self-test connection."""

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """An SMTP server in a background thread that stores every message under ``mailbox_dir``."""

    def __init__(self, mailbox_dir: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.mailbox_dir = Path(mailbox_dir).absolute()
        self.host = host
        self.port = port
        self._controller: _Controller | None = None

    def start(self) -> tuple[str, int]:
        """Start listening and return ``(host, port)``; port 0 picks a free port."""
        (self.mailbox_dir / EML_DIR).mkdir(parents=True, exist_ok=True)
        self._controller = _Controller(_MailboxHandler(self.mailbox_dir), hostname=self.host, port=self.port)
        self._controller.start()
        self.port = self._controller.port
        log.info("SMTP sink listening on %s:%d, storing mail in %s", self.host, self.port, self.mailbox_dir)
        return self.host, self.port

    def stop(self) -> None:
        """Stop listening; safe to call twice."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def messages(self) -> list[EmailMessage]:
        """Every stored message, oldest first, read back from the ``.eml`` files."""
        return read_messages(self.mailbox_dir)

    def __enter__(self) -> Self:
        if self._controller is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def read_messages(mailbox_dir: Path) -> list[EmailMessage]:
    """The messages stored under ``mailbox_dir``, oldest first."""
    paths = sorted((Path(mailbox_dir) / EML_DIR).glob("*.eml"))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]


# --- the background process for the CLI demo ---------------------------------------------------------------


def _answers(host: str, port: int) -> bool:
    """True if an SMTP server greets us at ``host:port``."""
    with contextlib.suppress(OSError, smtplib.SMTPException), smtplib.SMTP(host, port, timeout=2) as client:
        return client.noop()[0] == 250
    return False


def read_record(state_dir: Path) -> dict | None:
    """The sink recorded in ``<state_dir>/smtp.json`` if its process still runs, else None."""
    return read_process_record(Path(state_dir) / RECORD_NAME)


def run_detached(mailbox_dir: Path, log_path: Path, host: str = "127.0.0.1", port: int = 0,
                 timeout: float = 20.0) -> tuple[int, str, int]:
    """Start a sink in its own session that outlives us; return ``(pid, host, port)`` once it answers."""
    port = port or free_port(host)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "newsmon.devstack.smtp_sink", "--mailbox", str(mailbox_dir), "--host", host,
               "--port", str(port)]
    with log_path.open("ab") as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + timeout
    while not _answers(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"the SMTP sink did not start on {host}:{port} (is the port taken? choose "
                               f"another with --port). Last lines of {log_path}:\n{tail}")
        time.sleep(0.2)
    return process.pid, host, port


def ensure_running(state_dir: Path, mailbox_dir: Path, port: int = 0) -> tuple[str, int]:
    """Return ``(host, port)`` of the recorded background sink, starting and recording one if none answers."""
    state_dir, mailbox_dir = Path(state_dir).absolute(), Path(mailbox_dir).absolute()
    record = read_record(state_dir)
    if record and record["mailbox_dir"] == str(mailbox_dir) and _answers(record["host"], record["port"]):
        log.info("reusing the SMTP sink on %s:%d (pid %d)", record["host"], record["port"], record["pid"])
        return record["host"], record["port"]
    if record:  # stuck, or storing mail elsewhere
        stop_recorded(state_dir)
    pid, host, port = run_detached(mailbox_dir, state_dir / "smtp.log", port=port)
    write_process_record(state_dir / RECORD_NAME, pid, host=host, port=port, mailbox_dir=str(mailbox_dir))
    log.info("started the SMTP sink on %s:%d (pid %d), mail in %s", host, port, pid, mailbox_dir)
    return host, port


def stop_recorded(state_dir: Path, timeout: float = 10.0) -> bool:
    """Stop the background sink recorded in ``state_dir``; return False if none was running."""
    record = read_record(state_dir)
    (Path(state_dir) / RECORD_NAME).unlink(missing_ok=True)
    if record is None:
        return False
    pid = record["pid"]  # the sink runs in its own session: its process group is just itself
    terminate_group(pid, timeout, lambda: reap(pid), "the SMTP sink", kill_wait=5.0)
    return True


def main(argv: list[str] | None = None) -> None:
    """Run a sink in the foreground until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m newsmon.devstack.smtp_sink", description=__doc__.splitlines()[0])
    parser.add_argument("--mailbox", type=Path, required=True, help="directory for mailbox.mbox and messages/")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025, help="0 picks a free port (default 1025)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with SmtpSink(args.mailbox, args.host, args.port), contextlib.suppress(KeyboardInterrupt):
        stopping.wait()
    log.info("SMTP sink stopped")


if __name__ == "__main__":
    main()
