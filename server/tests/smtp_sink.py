"""A real SMTP server on loopback for the mail tests (aiosmtpd).

Usage: smtp_sink.py PORT FOLDER [--auth USER:PASSWORD] [--refuse DOMAIN]
                     [--slow-first-rcpt SECONDS]

Writes each message it takes into FOLDER as N.eml, with the envelope's
recipients in N.rcpt; with --auth it asks for a sign-in (over plain SMTP:
loopback only); with --refuse it answers 550 to recipients at DOMAIN; with
--slow-first-rcpt it waits that long before answering the first recipient
(writing FOLDER/waiting first), so that a client can be killed mid-send.
Prints "ready" once it listens, and runs until killed.
"""

import argparse
import asyncio
import itertools
import logging
import pathlib
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--auth")
    parser.add_argument("--refuse")
    parser.add_argument("--slow-first-rcpt", type=float, default=0)
    args = parser.parse_args()
    # Signing in over plain SMTP is what this loopback server is for.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    args.folder.mkdir(parents=True, exist_ok=True)
    numbers = itertools.count(1)
    slow = [args.slow_first_rcpt]

    class Sink:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if slow[0]:
                wait, slow[0] = slow[0], 0
                (args.folder / "waiting").write_text(address)
                await asyncio.sleep(wait)
            if args.refuse and address.lower().endswith("@" + args.refuse):
                return "550 5.1.1 no such mailbox here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            number = next(numbers)
            (args.folder / f"{number}.rcpt").write_text("\n".join(envelope.rcpt_tos))
            (args.folder / f"{number}.eml").write_bytes(envelope.original_content)
            return "250 Message accepted"

    def authenticate(server, session, envelope, mechanism, auth_data):
        if not args.auth or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = args.auth.split(":", 1)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # Not handled: aiosmtpd answers 535 itself.
        return AuthResult(success=ok, handled=False)

    options = {}
    if args.auth:
        options = dict(
            authenticator=authenticate,
            auth_required=True,
            auth_require_tls=False,
        )
    controller = Controller(
        Sink(), hostname="127.0.0.1", port=args.port, server_kwargs=options
    )
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
