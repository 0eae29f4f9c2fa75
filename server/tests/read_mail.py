"""Reads a message as a mail client would (Python's email package) and prints
it as JSON: its headers (decoded), and its plain-text and HTML parts.

Usage: read_mail.py FILE.eml
"""

import email
import email.policy
import json
import sys


def main() -> None:
    with open(sys.argv[1], "rb") as file:
        message = email.message_from_binary_file(file, policy=email.policy.default)
    parts = {"text/plain": "", "text/html": ""}
    other = []
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_multipart():
            continue
        if kind in parts:
            parts[kind] += part.get_content()
        else:
            other.append(kind)
    headers = {name.lower(): str(value) for name, value in message.items()}
    print(
        json.dumps(
            {
                "headers": headers,
                "text": parts["text/plain"],
                "html": parts["text/html"],
                "other_parts": other,
            }
        )
    )


if __name__ == "__main__":
    main()
