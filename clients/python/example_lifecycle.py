#!/usr/bin/python3
"""Walks one complaint from submission to closure against a running redressd.

    make run                                          # in another terminal
    /usr/bin/python3 clients/python/example_lifecycle.py --target 127.0.0.1:50051

Against a server with TLS and an access configuration (see the README,
"Start with TLS and tokens"), add the credentials the way redressctl takes them:

    /usr/bin/python3 clients/python/example_lifecycle.py --target localhost:50051 \
        --tls-ca ca.pem --token "$TOKEN"            # + --tls-cert/--tls-key for mTLS

With a token the server takes the principal from it; --actor/--handler are
then only sent, not trusted.

Prints each state and the audit history; exits 1 if a step does not end in
the expected state.
"""
from __future__ import annotations

import argparse
import os
import sys

from redress_client import (CHANNEL_EMAIL, LEVEL_HIGH, LEVEL_LOW, LEVEL_MEDIUM, Assessment,
                            ComplainantDecision, Complainant, Complaint, ComplaintEvent, Money,
                            RedressClient, RedressError, Response, tls_credentials)


def state(c: Complaint) -> str:
    return Complaint.State.Name(c.state)


def run(target: str, actor: str, handler: str, **connection) -> Complaint:
    with RedressClient(target, actor=actor, **connection) as client:
        # A request the server refuses: INVALID_ARGUMENT carries the offending
        # field in machine-readable form (google.rpc.BadRequest).
        try:
            client.submit(Complaint(
                complainant=Complainant(display_name="Ada Lovelace", email="ada at example.org"),
                channel=CHANNEL_EMAIL, description="Charged twice."))
        except RedressError as e:
            for field, description in e.field_violations:
                print(f"invalid      {field}: {description}")

        c = client.submit(Complaint(
            complainant=Complainant(display_name="Ada Lovelace", email="ada@example.org"),
            channel=CHANNEL_EMAIL,
            category="billing",
            description="Charged twice for one card payment on 3 November.",
            remedy_sought="Refund the duplicate charge",
        ))
        print(f"submitted    {c.name} {c.reference} {state(c)}")

        c = client.acknowledge(c.name, message="Thank you, we are looking into it.",
                               channel=CHANNEL_EMAIL)
        print(f"acknowledged {state(c)}")

        c = client.assess(c.name, Assessment(severity=LEVEL_MEDIUM, priority=LEVEL_HIGH,
                                             complexity=LEVEL_LOW, impact=LEVEL_MEDIUM))
        print(f"assessed     {state(c)} by {c.assessment.assessor}")

        c = client.assign(c.name, handler)
        # The handler acts under their own identity; `etag=` makes the call
        # fail with ABORTED if someone changed the complaint in between.
        c = client.start_investigation(c.name, "Check the card processor's settlement file",
                                       etag=c.etag, actor=handler)
        print(f"assigned to  {c.assignee}, {state(c)}")

        c = client.respond(c.name, Response(
            decision=Response.DECISION_UPHELD,
            text="We have refunded the duplicate charge.",
            communicated_via=CHANNEL_EMAIL,
            redress_amount=Money(currency_code="GBP", amount_minor=4250),
        ), actor=handler)
        print(f"responded    {state(c)} ({Response.Decision.Name(c.response.decision)})")

        c = client.record_decision(c.name, ComplainantDecision(
            outcome=ComplainantDecision.OUTCOME_ACCEPTED, comment="Thanks"))
        print(f"decided      {state(c)}: {c.closure_reason}")

        try:
            client.acknowledge(c.name)
        except RedressError as e:
            print(f"ack again    {e.code.name}: {e.details}")

        print("history:")
        for ev in client.list_events(c.name):
            print(f"  {ev.sequence:>2} {ComplaintEvent.Type.Name(ev.type):<36} "
                  f"{Complaint.State.Name(ev.to_state):<20} {ev.actor:<6} {ev.hash[:12]}")
        return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="127.0.0.1:50051", help="redressd address")
    ap.add_argument("--actor", default="alice", help="who submits and acknowledges")
    ap.add_argument("--handler", default="bob", help="who investigates and responds")
    ap.add_argument("--token", help="bearer token (default: $REDRESS_TOKEN)")
    ap.add_argument("--tls-ca", help="PEM CA that signed the server certificate (enables TLS)")
    ap.add_argument("--tls-cert", help="PEM client certificate (mutual TLS; with --tls-key)")
    ap.add_argument("--tls-key", help="PEM key of --tls-cert")
    args = ap.parse_args()
    if (args.tls_cert is None) != (args.tls_key is None):
        ap.error("--tls-cert and --tls-key go together")
    tls = args.tls_ca or args.tls_cert
    credentials = tls_credentials(args.tls_ca, args.tls_cert, args.tls_key) if tls else None
    token = args.token or os.environ.get("REDRESS_TOKEN") or None
    try:
        c = run(args.target, args.actor, args.handler, credentials=credentials, token=token)
    except RedressError as e:
        print(f"example_lifecycle: {e}", file=sys.stderr)
        return 1
    return 0 if c.state == Complaint.STATE_CLOSED else 1


if __name__ == "__main__":
    sys.exit(main())
