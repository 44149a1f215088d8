"""A small SMTP sink on 127.0.0.1 that records every message it accepts (stdlib only).

The drills judge delivery by what a mail server received, not by what the rows say, so a row
marked sent whose message never arrived (or one sent twice) shows. The sink can be made slow
to accept: it holds its final reply to DATA for `accept_delay` seconds, so that a worker killed
or a database connection cut lands while a message is being sent. A message whose client went
away during that wait is discarded, as a real server discards a transaction it never answered.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
import time
from dataclasses import dataclass
from email.parser import BytesHeaderParser


@dataclass(frozen=True)
class Record:
    """One message the sink accepted: to whom, its subject and Message-ID, and when (time.time())."""

    recipient: str
    subject: str
    message_id: str
    at: float


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sink: Sink) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.sink = sink


class Sink:
    """The sink's state, shared by its sessions: the records, the delay, the sessions mid-accept."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.accept_delay = 0.0
        self.in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server(self)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="smtp-sink", daemon=True)

    def start(self) -> Sink:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def snapshot(self) -> list[Record]:
        """Return a copy of the records so far (sessions append while the caller counts)."""
        with self._lock:
            return list(self.records)

    def wait_in_flight(self, timeout: float) -> bool:
        """Return whether a message was being accepted within `timeout` seconds (polled every 20 ms)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.in_flight:
                return True
            time.sleep(0.02)
        return False

    def _accept(self, session: _Session, recipients: list[str], data: bytes) -> bool:
        delay = self.accept_delay
        if delay:
            with self._lock:
                self.in_flight += 1
            try:
                time.sleep(delay)
            finally:
                with self._lock:
                    self.in_flight -= 1
            if session.client_gone():
                return False
        headers = BytesHeaderParser().parsebytes(data)
        now = time.time()
        with self._lock:
            for recipient in recipients:
                self.records.append(
                    Record(
                        recipient=recipient.lower(),
                        subject=" ".join(str(headers.get("Subject", "")).split()),
                        message_id=str(headers.get("Message-ID", "")).strip(),
                        at=now,
                    )
                )
        return True


class _Session(socketserver.StreamRequestHandler):
    """One SMTP conversation: just enough of RFC 5321 for smtplib (EHLO, MAIL, RCPT, DATA, QUIT)."""

    server: _Server
    timeout = 120

    def client_gone(self) -> bool:
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        recipients: list[str] = []
        try:
            self._reply("220 drill-sink ESMTP")
            while line := self.rfile.readline(65536):
                verb = line[:4].upper()
                if verb == b"EHLO":
                    self._reply("250-drill-sink")
                    self._reply("250 8BITMIME")
                elif verb == b"MAIL":
                    recipients = []
                    self._reply("250 OK")
                elif verb == b"RCPT":
                    recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                    self._reply("250 OK")
                elif verb == b"DATA":
                    self._reply("354 End data with <CR><LF>.<CR><LF>")
                    if not self.server.sink._accept(self, recipients, self._read_data()):
                        return
                    self._reply("250 OK queued")
                elif verb == b"QUIT":
                    self._reply("221 Bye")
                    return
                elif verb in (b"HELO", b"RSET", b"NOOP"):
                    self._reply("250 OK")
                else:
                    self._reply("502 Command not implemented")
        except (ConnectionError, TimeoutError, OSError):
            return

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline(1 << 20)) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)
