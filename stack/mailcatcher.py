#!/usr/bin/env python3
"""The demo's mail catcher: an SMTP server on 127.0.0.1 (aiosmtpd) that keeps
every message it receives in a Maildir, and a reader of the latest ones.

    mailcatcher.py serve --port PORT --maildir DIR
        accept every message for any address and keep it under DIR
        (Maildir: written to tmp/, then renamed into new/, so a message is
        either stored whole or not at all, even when the server is killed);
        runs until TERM or INT
    mailcatcher.py show --maildir DIR [-n N]
        print the N latest messages (5 by default), oldest first: From, To,
        Subject, Date and the text body, decoded

No CKAN import: the stack runs it with the virtualenv's Python, for any CKAN.
"""
from __future__ import annotations

import argparse
import email.errors
import email.header
import email.policy
import email.utils
import mailbox
import os
import signal
import sys
import threading

# Headers as str (RFC 2047 words decoded), bodies decoded from their charset
# and transfer encoding.
POLICY = email.policy.default


class Keeper:
    """aiosmtpd handler: each message received is added to the Maildir."""

    def __init__(self, maildir: str):
        for sub in ("tmp", "new", "cur"):  # the directory may exist already
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
        self.box = mailbox.Maildir(maildir, create=True)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = mailbox.MaildirMessage(envelope.original_content or envelope.content)
        if "X-Envelope-To" not in message:
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            self.box.add(message)
        return "250 Message accepted for delivery"


def serve(port: int, maildir: str, host: str = "127.0.0.1") -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Keeper(maildir), hostname=host, port=port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    controller.start()
    print(f"mail catcher: SMTP on {host}:{port}, messages kept in {maildir}", flush=True)
    try:
        stop.wait()
    finally:
        controller.stop()
    print("mail catcher: stopped", flush=True)


def latest(maildir: str, n: int) -> list[email.message.EmailMessage]:
    """The n latest messages of the Maildir, oldest first (by time of
    delivery, then name: Maildir names begin with it). Only new/ and cur/:
    what tmp/ holds was never delivered whole."""
    found = []
    for sub in ("new", "cur"):
        directory = os.path.join(maildir, sub)
        for entry in os.scandir(directory) if os.path.isdir(directory) else ():
            if entry.is_file() and not entry.name.startswith("."):
                found.append((entry.stat().st_mtime, entry.name, entry.path))
    found.sort()
    out = []
    for mtime, _, path in found[-n:] if n > 0 else []:
        with open(path, "rb") as f:
            message = email.message_from_binary_file(f, policy=POLICY)
        if "Date" not in message:  # when it was received, then
            message["Date"] = email.utils.formatdate(mtime, localtime=True)
        out.append(message)
    return out


def text_of(message: email.message.EmailMessage) -> str:
    """The text body: the text/plain part (else the HTML one), decoded."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        return part.get_payload(decode=True).decode("utf-8", "replace")


def header_text(message: email.message.EmailMessage, name: str) -> str:
    """A header as people read it: its encoded words decoded and joined as
    RFC 2047 says (a long name folded into two encoded words reads whole)."""
    try:
        return str(email.header.make_header(email.header.decode_header(_raw(message, name))))
    except (LookupError, UnicodeError, email.errors.HeaderParseError):
        return str(message.get(name, ""))


def _raw(message: email.message.EmailMessage, name: str) -> str:
    """The header as it came, unfolded, before the policy parsed it."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return " ".join(str(value).split())
    return ""


def render(message: email.message.EmailMessage) -> str:
    lines = [f"{name}: {header_text(message, name)}" for name in ("From", "To", "Subject", "Date")]
    return "\n".join(lines) + "\n\n" + text_of(message).rstrip() + "\n"


def show(maildir: str, n: int, out=None) -> int:
    out = out or sys.stdout
    messages = latest(maildir, n)
    if not messages:
        print(f"No mail in {maildir} yet.", file=out)
        return 0
    rule = "=" * 72
    for message in messages:
        print(rule, file=out)
        print(render(message), file=out)
    print(rule, file=out)
    print(f"{len(messages)} latest message(s), oldest first, from {maildir}", file=out)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="run the SMTP server")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--maildir", required=True)
    p = commands.add_parser("show", help="print the latest messages")
    p.add_argument("--maildir", required=True)
    p.add_argument("-n", type=int, default=5, help="how many (default 5)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port, args.maildir, args.host)
        return 0
    # accents intact whatever the terminal's locale says
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    return show(args.maildir, args.n)


if __name__ == "__main__":
    sys.exit(main())
