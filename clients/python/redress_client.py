"""A small typed helper for calling Redress (redress.v1.ComplaintService).

    from redress_client import RedressClient, Complaint, Complainant, CHANNEL_EMAIL

    with RedressClient("127.0.0.1:50051", actor="billing-service") as client:
        c = client.submit(Complaint(
            complainant=Complainant(display_name="Ada Lovelace", email="ada@example.org"),
            channel=CHANNEL_EMAIL, category="billing", description="Charged twice."))
        c = client.acknowledge(c.name, message="Thank you, we are looking into it.")
        assert c.state == Complaint.STATE_ACKNOWLEDGED

What it adds to the generated stubs:
- the channel: clients/service_config.json (per-method timeouts, retries of
  UNAVAILABLE), retries enabled, keepalive settings redressd accepts;
- the caller's identity on every call (`x-redress-actor` metadata);
- a fresh `request_id` (UUID) on every mutating request that has none. It is
  written into the request object, so retrying the same object is idempotent:
  the server returns the first answer and writes nothing (AIP-155);
- credentials: `token=` sends `authorization: Bearer <token>` on every call,
  tls_credentials() makes TLS (and mTLS) channel credentials;
- errors as RedressError: the gRPC code, the message and, for
  INVALID_ARGUMENT, the field violations decoded from the machine-readable
  detail (google.rpc.BadRequest in `grpc-status-details-bin`, AIP-193);
- iterators over all pages of the list methods.

The stubs are generated from proto/ on first import (see redress_stubs.py);
the message classes are re-exported here.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys
import uuid
from typing import Any, Iterator, Mapping, Optional, Sequence, Tuple

import grpc

from redress_stubs import ensure_stubs

_GEN_DIR = str(ensure_stubs())
if _GEN_DIR not in sys.path:
    sys.path.insert(0, _GEN_DIR)

from google.rpc import error_details_pb2  # noqa: E402
from google.rpc import status_pb2  # noqa: E402
from redress.v1 import complaint_pb2  # noqa: E402
from redress.v1 import complaint_service_pb2  # noqa: E402
from redress.v1 import complaint_service_pb2_grpc  # noqa: E402

# Message types and enums, re-exported for callers.
Complaint = complaint_pb2.Complaint
Complainant = complaint_pb2.Complainant
ComplaintEvent = complaint_pb2.ComplaintEvent
Assessment = complaint_pb2.Assessment
Response = complaint_pb2.Response
ComplainantDecision = complaint_pb2.ComplainantDecision
Dispute = complaint_pb2.Dispute
Money = complaint_pb2.Money
Attachment = complaint_pb2.Attachment
VISIBILITY_INTERNAL = complaint_service_pb2.AddComplaintNoteRequest.VISIBILITY_INTERNAL
VISIBILITY_EXTERNAL = complaint_service_pb2.AddComplaintNoteRequest.VISIBILITY_EXTERNAL
for _enum in ("Channel", "Level"):
    for _name, _number in getattr(complaint_pb2, _enum).items():
        globals()[_name] = _number  # CHANNEL_EMAIL, LEVEL_HIGH, ...
del _enum, _name, _number

#: The metadata entry that names the acting principal (until authentication
#: is configured on the server).
ACTOR_METADATA_KEY = "x-redress-actor"

#: clients/service_config.json; REDRESS_SERVICE_CONFIG overrides the path.
DEFAULT_SERVICE_CONFIG_PATH = pathlib.Path(__file__).resolve().parent.parent / "service_config.json"

#: Keepalive that redressd accepts with its gRPC defaults: no pings on an idle
#: connection, at most one every 5 minutes during calls (a server that sees
#: pings more often answers GOAWAY "too_many_pings").
KEEPALIVE_OPTIONS: Tuple[Tuple[str, int], ...] = (
    ("grpc.keepalive_time_ms", 360_000),  # 6 min: a margin over the server's 5
    ("grpc.keepalive_timeout_ms", 20_000),
    ("grpc.keepalive_permit_without_calls", 0),
)

#: The trailer holding a serialized google.rpc.Status with error details.
STATUS_DETAILS_KEY = "grpc-status-details-bin"


def field_violations(error: grpc.RpcError) -> list[Tuple[str, str]]:
    """The (field, description) pairs of the google.rpc.BadRequest detail of a
    failed call (redressd sends one with every INVALID_ARGUMENT that names a
    request field); [] when there is none."""
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    out: list[Tuple[str, str]] = []
    for key, value in trailers or ():
        if key != STATUS_DETAILS_KEY:
            continue
        status = status_pb2.Status()
        try:
            status.ParseFromString(value)
        except Exception:  # noqa: BLE001 - a malformed detail is not the caller's error
            continue
        for detail in status.details:
            bad = error_details_pb2.BadRequest()
            if detail.Is(bad.DESCRIPTOR) and detail.Unpack(bad):
                out.extend((v.field, v.description) for v in bad.field_violations)
    return out


class RedressError(Exception):
    """A failed call: the gRPC status code, its message and, for
    INVALID_ARGUMENT, the field violations [(field, description)] from the
    machine-readable detail; `field` is the first one's path (e.g.
    `complaint.complainant.email`) or None."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str,
                 violations: Sequence[Tuple[str, str]] = ()):
        super().__init__(f"{method}: {code.name}: {details}")
        self.method = method
        self.code = code
        self.details = details
        self.field_violations: list[Tuple[str, str]] = list(violations)
        self.field: Optional[str] = self.field_violations[0][0] if self.field_violations else None


def tls_credentials(ca: Optional[str] = None, cert: Optional[str] = None,
                    key: Optional[str] = None) -> grpc.ChannelCredentials:
    """TLS channel credentials from PEM files: `ca` verifies the server (None:
    the system roots); `cert` and `key` (together) are the client certificate
    for mutual TLS."""
    if (cert is None) != (key is None):
        raise ValueError("a client certificate and its key go together")

    def read(path: Optional[str]) -> Optional[bytes]:
        if path is None:
            return None
        with open(path, "rb") as f:
            return f.read()

    return grpc.ssl_channel_credentials(root_certificates=read(ca), private_key=read(key),
                                        certificate_chain=read(cert))


def load_service_config(path: os.PathLike | str | None = None) -> dict:
    """Reads a gRPC service config (default: clients/service_config.json)."""
    path = path or os.environ.get("REDRESS_SERVICE_CONFIG") or DEFAULT_SERVICE_CONFIG_PATH
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def complaint_name(id_or_name: str) -> str:
    """`complaints/ID` for a bare ID; a resource name is returned unchanged."""
    return id_or_name if id_or_name.startswith("complaints/") else f"complaints/{id_or_name}"


def new_request_id() -> str:
    """A fresh idempotency key (a random UUID)."""
    return str(uuid.uuid4())


class RedressClient:
    """A channel to one Redress endpoint and typed wrappers of its RPCs.

    target: `host:port` (or any gRPC target, e.g. `dns:///redress.internal:50051`).
    actor: the principal sent as `x-redress-actor`; every method also takes
      `actor=` to act as someone else for one call.
    credentials: channel credentials for TLS (see tls_credentials()); None
      means plaintext.
    token: a bearer token sent as `authorization: Bearer <token>` on every
      call (servers with an access configuration); with a token the server
      takes the principal from it and ignores `actor`.
    service_config: a service-config dict; None loads clients/service_config.json,
      {} uses none.
    options: extra channel arguments; they override the defaults.
    timeout: a per-call deadline in seconds overriding the service config's.
    """

    def __init__(self, target: str, actor: Optional[str] = None, *,
                 credentials: Optional[grpc.ChannelCredentials] = None,
                 token: Optional[str] = None,
                 service_config: Optional[Mapping[str, Any]] = None,
                 options: Sequence[Tuple[str, Any]] = (),
                 timeout: Optional[float] = None):
        if service_config is None:
            service_config = load_service_config()
        merged = dict(KEEPALIVE_OPTIONS)
        merged["grpc.enable_retries"] = 1
        if service_config:
            merged["grpc.service_config"] = json.dumps(service_config)
        merged.update(dict(options))
        opts = list(merged.items())
        if credentials is None:
            self.channel = grpc.insecure_channel(target, options=opts)
        else:
            self.channel = grpc.secure_channel(target, credentials, options=opts)
        self.stub = complaint_service_pb2_grpc.ComplaintServiceStub(self.channel)
        self.actor = actor
        self.token = token
        self.timeout = timeout

    # -- plumbing -----------------------------------------------------------
    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> "RedressClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, request: Any, *, actor: Optional[str] = None,
             timeout: Optional[float] = None) -> Any:
        """Calls `method` (e.g. "AcknowledgeComplaint") with `request`.

        Sets request.request_id to a new UUID when the request has that field
        and it is empty (so the same request object can be retried safely).
        Raises RedressError.
        """
        if "request_id" in request.DESCRIPTOR.fields_by_name and not request.request_id:
            request.request_id = new_request_id()
        who = actor if actor is not None else self.actor
        metadata = [(ACTOR_METADATA_KEY, who)] if who else []
        if self.token:
            metadata.append(("authorization", f"Bearer {self.token}"))
        try:
            return getattr(self.stub, method)(
                request, metadata=metadata,
                timeout=timeout if timeout is not None else self.timeout)
        except grpc.RpcError as e:
            raise RedressError(method, e.code(), e.details() or "", field_violations(e)) from e

    def _mutate(self, method: str, request_type: Any, name: str, etag: str, request_id: str,
                actor: Optional[str], timeout: Optional[float], **fields: Any) -> Complaint:
        req = request_type(name=complaint_name(name), etag=etag, request_id=request_id, **fields)
        return self.call(method, req, actor=actor, timeout=timeout)

    # -- reads --------------------------------------------------------------
    def get(self, name: str, *, actor: Optional[str] = None,
            timeout: Optional[float] = None) -> Complaint:
        """GetComplaint."""
        return self.call("GetComplaint",
                         complaint_service_pb2.GetComplaintRequest(name=complaint_name(name)),
                         actor=actor, timeout=timeout)

    def list_complaints(self, filter: str = "", *, page_size: int = 0,
                        actor: Optional[str] = None) -> Iterator[Complaint]:
        """ListComplaints, every page, oldest first. `filter` e.g.
        `state = CLOSED AND category = "billing"`."""
        token = ""
        while True:
            page = self.call("ListComplaints", complaint_service_pb2.ListComplaintsRequest(
                filter=filter, page_size=page_size, page_token=token), actor=actor)
            yield from page.complaints
            token = page.next_page_token
            if not token:
                return

    def list_events(self, name: str, *, page_size: int = 0,
                    actor: Optional[str] = None) -> Iterator[ComplaintEvent]:
        """ListComplaintEvents, every page, in sequence order."""
        token = ""
        while True:
            page = self.call("ListComplaintEvents", complaint_service_pb2.ListComplaintEventsRequest(
                parent=complaint_name(name), page_size=page_size, page_token=token), actor=actor)
            yield from page.events
            token = page.next_page_token
            if not token:
                return

    # -- lifecycle ----------------------------------------------------------
    # Every mutating wrapper takes etag= (conditional update, ABORTED when
    # stale), request_id= (default: a new UUID), actor= and timeout=.
    def submit(self, complaint: Complaint, *, request_id: str = "",
               actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """SubmitComplaint: none -> RECEIVED."""
        return self.call("SubmitComplaint", complaint_service_pb2.SubmitComplaintRequest(
            complaint=complaint, request_id=request_id), actor=actor, timeout=timeout)

    def acknowledge(self, name: str, *, message: str = "", channel: int = 0, etag: str = "",
                    request_id: str = "", actor: Optional[str] = None,
                    timeout: Optional[float] = None) -> Complaint:
        """AcknowledgeComplaint: RECEIVED -> ACKNOWLEDGED."""
        return self._mutate("AcknowledgeComplaint", complaint_service_pb2.AcknowledgeComplaintRequest,
                            name, etag, request_id, actor, timeout, message=message, channel=channel)

    def assess(self, name: str, assessment: Assessment, *, etag: str = "", request_id: str = "",
               actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """AssessComplaint: no state change."""
        return self._mutate("AssessComplaint", complaint_service_pb2.AssessComplaintRequest,
                            name, etag, request_id, actor, timeout, assessment=assessment)

    def assign(self, name: str, assignee: str, *, etag: str = "", request_id: str = "",
               actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """AssignComplaint: no state change."""
        return self._mutate("AssignComplaint", complaint_service_pb2.AssignComplaintRequest,
                            name, etag, request_id, actor, timeout, assignee=assignee)

    def start_investigation(self, name: str, plan: str = "", *, etag: str = "",
                            request_id: str = "", actor: Optional[str] = None,
                            timeout: Optional[float] = None) -> Complaint:
        """StartInvestigation: -> INVESTIGATING."""
        return self._mutate("StartInvestigation", complaint_service_pb2.StartInvestigationRequest,
                            name, etag, request_id, actor, timeout, plan=plan)

    def add_note(self, name: str, text: str, *,
                 visibility: int = VISIBILITY_INTERNAL, etag: str = "",
                 request_id: str = "", actor: Optional[str] = None,
                 timeout: Optional[float] = None) -> Complaint:
        """AddComplaintNote: no state change."""
        return self._mutate("AddComplaintNote", complaint_service_pb2.AddComplaintNoteRequest,
                            name, etag, request_id, actor, timeout, text=text, visibility=visibility)

    def escalate(self, name: str, reason: str, *, etag: str = "", request_id: str = "",
                 actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """EscalateComplaint: escalation level + 1."""
        return self._mutate("EscalateComplaint", complaint_service_pb2.EscalateComplaintRequest,
                            name, etag, request_id, actor, timeout, reason=reason)

    def respond(self, name: str, response: Response, *, etag: str = "", request_id: str = "",
                actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """RespondToComplaint: -> RESPONDED."""
        return self._mutate("RespondToComplaint", complaint_service_pb2.RespondToComplaintRequest,
                            name, etag, request_id, actor, timeout, response=response)

    def record_decision(self, name: str, decision: ComplainantDecision, *, etag: str = "",
                        request_id: str = "", actor: Optional[str] = None,
                        timeout: Optional[float] = None) -> Complaint:
        """RecordComplainantDecision: RESPONDED -> CLOSED (accepted) / RESPONDED."""
        return self._mutate("RecordComplainantDecision",
                            complaint_service_pb2.RecordComplainantDecisionRequest,
                            name, etag, request_id, actor, timeout, decision=decision)

    def open_dispute(self, name: str, dispute: Dispute, *, etag: str = "", request_id: str = "",
                     actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """OpenDispute: -> DISPUTED."""
        return self._mutate("OpenDispute", complaint_service_pb2.OpenDisputeRequest,
                            name, etag, request_id, actor, timeout, dispute=dispute)

    def resolve_dispute(self, name: str, outcome: int, outcome_text: str, *, etag: str = "",
                        request_id: str = "", actor: Optional[str] = None,
                        timeout: Optional[float] = None) -> Complaint:
        """ResolveDispute: DISPUTED -> CLOSED or INVESTIGATING (remitted)."""
        return self._mutate("ResolveDispute", complaint_service_pb2.ResolveDisputeRequest,
                            name, etag, request_id, actor, timeout,
                            outcome=outcome, outcome_text=outcome_text)

    def close_complaint(self, name: str, reason: str, *, etag: str = "", request_id: str = "",
                        actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """CloseComplaint: RESPONDED -> CLOSED."""
        return self._mutate("CloseComplaint", complaint_service_pb2.CloseComplaintRequest,
                            name, etag, request_id, actor, timeout, reason=reason)

    def withdraw(self, name: str, reason: str = "", *, etag: str = "", request_id: str = "",
                 actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """WithdrawComplaint: any open state -> WITHDRAWN."""
        return self._mutate("WithdrawComplaint", complaint_service_pb2.WithdrawComplaintRequest,
                            name, etag, request_id, actor, timeout, reason=reason)

    def reopen(self, name: str, reason: str, *, etag: str = "", request_id: str = "",
               actor: Optional[str] = None, timeout: Optional[float] = None) -> Complaint:
        """ReopenComplaint: CLOSED -> INVESTIGATING."""
        return self._mutate("ReopenComplaint", complaint_service_pb2.ReopenComplaintRequest,
                            name, etag, request_id, actor, timeout, reason=reason)
