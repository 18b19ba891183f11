'use strict';
// A small helper for calling Redress (redress.v1.ComplaintService) from
// Node.js >= 18 with @grpc/grpc-js. The .proto files are loaded at runtime
// from proto/ of this repository (REDRESS_PROTO_DIR overrides), so nothing is
// generated or committed.
//
//   const { RedressClient } = require('./redress_client');
//   const client = new RedressClient('127.0.0.1:50051', { actor: 'billing-service' });
//   let c = await client.submit({
//     complainant: { display_name: 'Ada Lovelace', email: 'ada@example.org' },
//     channel: 'CHANNEL_EMAIL', category: 'billing', description: 'Charged twice.',
//   });
//   c = await client.acknowledge(c.name, { message: 'Thank you.' });
//   // c.state === 'STATE_ACKNOWLEDGED'
//   client.close();
//
// Messages are plain objects with the proto field names (snake_case), enums
// are their names as strings, int64 fields are numbers, timestamps are
// { seconds, nanos }. What the helper adds to the generated client:
// - the channel: clients/service_config.json (per-method timeouts, retries
//   of UNAVAILABLE), keepalive settings redressd accepts;
// - the caller's identity on every call (`x-redress-actor` metadata), or a
//   bearer token (`authorization: Bearer <token>`); tlsCredentials() makes
//   TLS / mutual-TLS channel credentials from PEM files;
// - a fresh `request_id` (UUID) on every mutating request without one,
//   written into the request object, so retrying the same object is
//   idempotent (AIP-155);
// - promises, and RedressError with the gRPC code name, the message and, for
//   INVALID_ARGUMENT, the field violations decoded from the machine-readable
//   detail (google.rpc.BadRequest in `grpc-status-details-bin`, AIP-193;
//   google/rpc/*.proto from Debian's golang-github-gogo-googleapis-dev,
//   REDRESS_GOOGLEAPIS_PROTO_DIR overrides);
// - async iterators over all pages of the list methods.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const PROTO_DIR = process.env.REDRESS_PROTO_DIR || path.resolve(__dirname, '..', '..', 'proto');
const SERVICE_CONFIG_PATH =
  process.env.REDRESS_SERVICE_CONFIG || path.resolve(__dirname, '..', 'service_config.json');
const ACTOR_METADATA_KEY = 'x-redress-actor';
const GOOGLEAPIS_PROTO_DIR = process.env.REDRESS_GOOGLEAPIS_PROTO_DIR ||
  '/usr/share/gocode/src/github.com/gogo/googleapis';
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

// Keepalive that redressd accepts with its gRPC defaults: no pings on an idle
// connection, at most one every 5 minutes during calls (a server that sees
// pings more often answers GOAWAY "too_many_pings").
const KEEPALIVE_OPTIONS = Object.freeze({
  'grpc.keepalive_time_ms': 360000, // 6 min: a margin over the server's 5
  'grpc.keepalive_timeout_ms': 20000,
  'grpc.keepalive_permit_without_calls': 0,
});

const LOADER_OPTIONS = Object.freeze({
  keepCase: true, // request_id, display_name: as in the .proto files
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** Loads redress.v1 from protoDir; returns the package object (ComplaintService, ...). */
function loadRedressPackage(protoDir = PROTO_DIR) {
  const files = fs
    .readdirSync(path.join(protoDir, 'redress', 'v1'))
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `redress/v1/${f}`);
  const definition = protoLoader.loadSync(files, { ...LOADER_OPTIONS, includeDirs: [protoDir] });
  return grpc.loadPackageDefinition(definition).redress.v1;
}

/** Reads a gRPC service config (default clients/service_config.json). */
function loadServiceConfig(file = SERVICE_CONFIG_PATH) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** `complaints/ID` for a bare ID; a resource name is returned unchanged. */
function complaintName(idOrName) {
  return idOrName.startsWith('complaints/') ? idOrName : `complaints/${idOrName}`;
}

const newRequestId = () => crypto.randomUUID();

let rpcTypes = null;

/** google.rpc.Status and google.rpc.BadRequest (protobufjs types), loaded once. */
function loadRpcTypes(dir = GOOGLEAPIS_PROTO_DIR) {
  if (rpcTypes && dir === GOOGLEAPIS_PROTO_DIR) return rpcTypes;
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  const types = {
    Status: root.lookupType('google.rpc.Status'),
    BadRequest: root.lookupType('google.rpc.BadRequest'),
  };
  if (dir === GOOGLEAPIS_PROTO_DIR) rpcTypes = types;
  return types;
}

/**
 * The field violations [{ field, description }] of the google.rpc.BadRequest
 * detail of a failed call's trailers (redressd sends one with every
 * INVALID_ARGUMENT that names a request field); [] when there is none.
 * @param {grpc.Metadata} [metadata] the error's trailers (err.metadata)
 */
function fieldViolations(metadata) {
  const values = metadata ? metadata.get(STATUS_DETAILS_KEY) : [];
  const out = [];
  for (const value of values) {
    const { Status, BadRequest } = loadRpcTypes();
    let status;
    try {
      status = Status.decode(value);
    } catch {
      continue; // a malformed detail is not the caller's error
    }
    for (const any of status.details || []) {
      if (!String(any.type_url).endsWith('/google.rpc.BadRequest')) continue;
      const bad = BadRequest.decode(any.value);
      for (const v of bad.field_violations || []) {
        out.push({ field: v.field, description: v.description });
      }
    }
  }
  return out;
}

/**
 * A failed call: code (number), codeName, details (the message) and, for
 * INVALID_ARGUMENT, fieldViolations [{ field, description }] and `field`
 * (the first one's path, or null).
 */
class RedressError extends Error {
  constructor(method, code, details, violations = []) {
    const codeName = grpc.status[code] || String(code);
    super(`${method}: ${codeName}: ${details}`);
    this.name = 'RedressError';
    this.method = method;
    this.code = code;
    this.codeName = codeName;
    this.details = details;
    this.fieldViolations = violations;
    this.field = violations.length > 0 ? violations[0].field : null;
  }
}

/**
 * TLS channel credentials from PEM files: `ca` verifies the server (default:
 * the system roots); `cert` and `key` (together) are the client certificate
 * for mutual TLS.
 */
function tlsCredentials({ ca, cert, key } = {}) {
  if (!cert !== !key) throw new TypeError('a client certificate and its key go together');
  const read = (f) => (f ? fs.readFileSync(f) : null);
  return grpc.credentials.createSsl(read(ca), read(key), read(cert));
}

let cachedPackage = null;

class RedressClient {
  /**
   * @param {string} target `host:port` or any gRPC target (`dns:///redress.internal:50051`)
   * @param {object} [o]
   * @param {string} [o.actor] principal sent as x-redress-actor (per call: opts.actor)
   * @param {grpc.ChannelCredentials} [o.credentials] default: plaintext (see tlsCredentials())
   * @param {string} [o.token] bearer token sent on every call (servers with an
   *   access configuration take the principal from it and ignore the actor)
   * @param {object|null} [o.serviceConfig] default: clients/service_config.json; null: none
   * @param {object} [o.channelOptions] extra channel arguments, overriding the defaults
   * @param {number} [o.timeoutMs] per-call deadline overriding the service config's
   * @param {string} [o.protoDir] where redress/v1/*.proto are
   */
  constructor(target, o = {}) {
    const pkg = o.protoDir ? loadRedressPackage(o.protoDir) : (cachedPackage ||= loadRedressPackage());
    const serviceConfig = o.serviceConfig === undefined ? loadServiceConfig() : o.serviceConfig;
    const options = { ...KEEPALIVE_OPTIONS, 'grpc.enable_retries': 1 };
    if (serviceConfig) options['grpc.service_config'] = JSON.stringify(serviceConfig);
    Object.assign(options, o.channelOptions || {});
    this.types = pkg;
    this.stub = new pkg.ComplaintService(
      target, o.credentials || grpc.credentials.createInsecure(), options);
    this.actor = o.actor;
    this.token = o.token;
    this.timeoutMs = o.timeoutMs;
  }

  close() {
    this.stub.close();
  }

  /**
   * Calls `method` (e.g. 'AcknowledgeComplaint'). Sets request.request_id to
   * a new UUID when the method takes one and it is empty.
   * @returns {Promise<object>} the response; rejects with RedressError
   */
  call(method, request, opts = {}) {
    const fn = this.stub[method];
    if (typeof fn !== 'function') throw new TypeError(`unknown method ${method}`);
    const requestType = fn.requestType && fn.requestType.type;
    const takesRequestId =
      requestType && requestType.field.some((f) => f.name === 'request_id');
    if (takesRequestId && !request.request_id) request.request_id = newRequestId();
    const metadata = new grpc.Metadata();
    const actor = opts.actor !== undefined ? opts.actor : this.actor;
    if (actor) metadata.set(ACTOR_METADATA_KEY, actor);
    if (this.token) metadata.set('authorization', `Bearer ${this.token}`);
    const timeoutMs = opts.timeoutMs !== undefined ? opts.timeoutMs : this.timeoutMs;
    const callOptions = timeoutMs !== undefined ? { deadline: Date.now() + timeoutMs } : {};
    return new Promise((resolve, reject) => {
      fn.call(this.stub, request, metadata, callOptions, (err, response) => {
        if (err) {
          reject(new RedressError(method, err.code, err.details || err.message,
            fieldViolations(err.metadata)));
        } else {
          resolve(response);
        }
      });
    });
  }

  // -- reads ----------------------------------------------------------------
  get(name, opts) {
    return this.call('GetComplaint', { name: complaintName(name) }, opts);
  }

  /** Every complaint matching `filter` (AIP-160 subset), oldest first, across pages. */
  async *listComplaints({ filter = '', page_size = 0 } = {}, opts) {
    let page_token = '';
    do {
      const page = await this.call('ListComplaints', { filter, page_size, page_token }, opts);
      yield* page.complaints;
      page_token = page.next_page_token;
    } while (page_token);
  }

  /** A complaint's events in sequence order, across pages. */
  async *listEvents(name, { page_size = 0 } = {}, opts) {
    let page_token = '';
    do {
      const page = await this.call(
        'ListComplaintEvents', { parent: complaintName(name), page_size, page_token }, opts);
      yield* page.events;
      page_token = page.next_page_token;
    } while (page_token);
  }

  // -- lifecycle --------------------------------------------------------------
  // Mutating wrappers: (name, fields, opts). `fields` are the request's own
  // fields plus optional `etag` (conditional update: ABORTED when stale) and
  // `request_id` (default: a new UUID); opts: { actor, timeoutMs }.
  submit(complaint, fields = {}, opts) {
    return this.call('SubmitComplaint', { ...fields, complaint }, opts);
  }

  acknowledge(name, fields = {}, opts) { return this.#mutate('AcknowledgeComplaint', name, fields, opts); }
  assess(name, fields, opts) { return this.#mutate('AssessComplaint', name, fields, opts); }
  assign(name, fields, opts) { return this.#mutate('AssignComplaint', name, fields, opts); }
  startInvestigation(name, fields = {}, opts) { return this.#mutate('StartInvestigation', name, fields, opts); }
  addNote(name, fields, opts) {
    return this.#mutate('AddComplaintNote', name, { visibility: 'VISIBILITY_INTERNAL', ...fields }, opts);
  }
  escalate(name, fields, opts) { return this.#mutate('EscalateComplaint', name, fields, opts); }
  respond(name, fields, opts) { return this.#mutate('RespondToComplaint', name, fields, opts); }
  recordDecision(name, fields, opts) { return this.#mutate('RecordComplainantDecision', name, fields, opts); }
  openDispute(name, fields, opts) { return this.#mutate('OpenDispute', name, fields, opts); }
  resolveDispute(name, fields, opts) { return this.#mutate('ResolveDispute', name, fields, opts); }
  closeComplaint(name, fields, opts) { return this.#mutate('CloseComplaint', name, fields, opts); }
  withdraw(name, fields = {}, opts) { return this.#mutate('WithdrawComplaint', name, fields, opts); }
  reopen(name, fields, opts) { return this.#mutate('ReopenComplaint', name, fields, opts); }

  #mutate(method, name, fields, opts) {
    return this.call(method, { ...fields, name: complaintName(name) }, opts);
  }
}

module.exports = {
  RedressClient,
  RedressError,
  ACTOR_METADATA_KEY,
  GOOGLEAPIS_PROTO_DIR,
  STATUS_DETAILS_KEY,
  KEEPALIVE_OPTIONS,
  PROTO_DIR,
  SERVICE_CONFIG_PATH,
  complaintName,
  fieldViolations,
  loadRpcTypes,
  tlsCredentials,
  loadRedressPackage,
  loadServiceConfig,
  newRequestId,
  grpc,
};
