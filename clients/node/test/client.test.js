'use strict';
// Tests of redress_client.js against a real redressd (SQLite in a temp dir),
// plus retry behaviour against an in-process fake server.
//
//   REDRESSD=build/server/redressd node --test test/client.test.js
//
// REDRESSD defaults to ../../$BUILD_DIR/server/redressd (BUILD_DIR: build).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const {
  RedressClient, RedressError, ACTOR_METADATA_KEY, grpc, loadRedressPackage, loadServiceConfig,
  newRequestId, tlsCredentials,
} = require('../redress_client');

const REPO = path.resolve(__dirname, '..', '..', '..');
const REDRESSD = process.env.REDRESSD ? path.resolve(process.env.REDRESSD)
  : path.resolve(REPO, process.env.BUILD_DIR || 'build', 'server', 'redressd');
const ACTOR = 'node-client-test';

let server; // { proc, dir, target }
let client;

// prepare(dir) -> extra redressd flags; host: the name clients dial (a TLS
// server's certificate must match it).
async function startServer(prepare = () => [], host = '127.0.0.1') {
  fs.accessSync(REDRESSD, fs.constants.X_OK);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-nodeclient-'));
  const extra = prepare(dir);
  const portFile = path.join(dir, 'port');
  const log = fs.openSync(path.join(dir, 'redressd.log'), 'w');
  // In its own directory: files redressd keeps under var/ by default (e.g.
  // the audit signing key) stay out of the repository.
  fs.mkdirSync(path.join(dir, 'var'));
  const proc = spawn(REDRESSD, ['--listen', '127.0.0.1:0', '--port-file', portFile,
    '--database', `sqlite:${dir}/redress.db`,
    // Development mode withholds personal data unless told otherwise.
    ...(extra.includes('--access-config') ? [] : ['--dev-allow-personal-data']), ...extra], { cwd: dir, stdio: ['ignore', log, log] });
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`redressd exited with ${exited}: ${fs.readFileSync(path.join(dir, 'redressd.log'), 'utf8')}`);
    }
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^[1-9][0-9]*$/.test(port)) return { proc, dir, target: `${host}:${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error('redressd did not write its port file within 30 s');
}

before(async () => {
  server = await startServer();
  client = new RedressClient(server.target, { actor: ACTOR });
});

async function stopServer(s) {
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await exited;
  fs.rmSync(s.dir, { recursive: true, force: true });
}

after(async () => {
  if (client) client.close();
  if (server) await stopServer(server);
});

const newComplaint = (category = 'billing') => ({
  complainant: { display_name: 'Ada Lovelace', email: 'ada@example.org' },
  channel: 'CHANNEL_EMAIL',
  category,
  description: 'Charged twice for one card payment.',
});
const ASSESSMENT = { severity: 'LEVEL_MEDIUM', priority: 'LEVEL_HIGH', complexity: 'LEVEL_LOW', impact: 'LEVEL_MEDIUM' };
const RESPONSE = {
  decision: 'DECISION_UPHELD', text: 'Refunded.', communicated_via: 'CHANNEL_EMAIL',
  redress_amount: { currency_code: 'GBP', amount_minor: 4250 },
};

async function rejectsWith(promise, codeName) {
  const err = await promise.then(
    () => assert.fail(`expected ${codeName}`),
    (e) => e);
  assert.ok(err instanceof RedressError, String(err));
  assert.equal(err.codeName, codeName, err.message);
  return err;
}

test('lifecycle: submit to closed, with a hash-linked history', async () => {
  let c = await client.submit(newComplaint());
  assert.equal(c.state, 'STATE_RECEIVED');
  assert.match(c.name, /^complaints\/[0-9a-f-]{36}$/);
  assert.match(c.reference, /^CMP-\d{4}-\d{6}$/);
  c = await client.acknowledge(c.name, { message: 'Thanks' });
  assert.equal(c.state, 'STATE_ACKNOWLEDGED');
  c = await client.assess(c.name, { assessment: ASSESSMENT });
  assert.equal(c.assessment.assessor, ACTOR);
  c = await client.assign(c.name, { assignee: 'bob' });
  assert.equal(c.assignee, 'bob');
  c = await client.startInvestigation(c.name, { plan: 'plan', etag: c.etag }, { actor: 'bob' });
  assert.equal(c.state, 'STATE_INVESTIGATING');
  c = await client.respond(c.name, { response: RESPONSE }, { actor: 'bob' });
  assert.equal(c.state, 'STATE_RESPONDED');
  assert.equal(c.response.responder, 'bob');
  assert.equal(c.response.redress_amount.amount_minor, 4250);
  c = await client.recordDecision(c.name, { decision: { outcome: 'OUTCOME_ACCEPTED' } });
  assert.equal(c.state, 'STATE_CLOSED');
  assert.equal(c.event_count, 7);

  const events = [];
  for await (const ev of client.listEvents(c.name, { page_size: 2 })) events.push(ev);
  assert.deepEqual(events.map((e) => e.sequence), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(events.map((e) => e.type), [
    'TYPE_SUBMITTED', 'TYPE_ACKNOWLEDGED', 'TYPE_ASSESSED', 'TYPE_ASSIGNED',
    'TYPE_INVESTIGATION_STARTED', 'TYPE_RESPONDED', 'TYPE_COMPLAINANT_DECISION_RECORDED']);
  assert.equal(events[0].prev_hash, '0'.repeat(64));
  for (let i = 1; i < events.length; i++) assert.equal(events[i].prev_hash, events[i - 1].hash);
  // A read adds the derived deadlines (mutation answers carry none).
  const got = await client.get(c.name);
  assert.ok(got.deadlines.length > 0);
  assert.deepEqual({ ...got, deadlines: [] }, c);
});

test('idempotent retry returns the same answer and writes nothing', async () => {
  const req = { complaint: newComplaint() };
  const first = await client.call('SubmitComplaint', req);
  assert.match(req.request_id, /^[0-9a-f-]{36}$/); // filled in by the helper
  const again = await client.call('SubmitComplaint', req);
  assert.equal(again.name, first.name);
  assert.equal(again.etag, first.etag);

  const request_id = newRequestId();
  const acked = await client.acknowledge(first.name, { message: 'm', request_id });
  const retried = await client.acknowledge(first.name, { message: 'm', request_id });
  assert.equal(retried.etag, acked.etag);
  assert.equal((await client.get(first.name)).event_count, 2);
});

test('a request_id reused for a different request is ALREADY_EXISTS', async () => {
  const a = await client.submit(newComplaint());
  const b = await client.submit(newComplaint());
  const request_id = newRequestId();
  await client.acknowledge(a.name, { request_id });
  await rejectsWith(client.acknowledge(b.name, { request_id }), 'ALREADY_EXISTS');
});

test('FAILED_PRECONDITION names the current state', async () => {
  let c = await client.submit(newComplaint());
  let err = await rejectsWith(client.respond(c.name, { response: RESPONSE }), 'FAILED_PRECONDITION');
  assert.match(err.details, /RECEIVED/);
  c = await client.withdraw(c.name, { reason: 'resolved elsewhere' });
  assert.equal(c.state, 'STATE_WITHDRAWN');
  err = await rejectsWith(client.acknowledge(c.name), 'FAILED_PRECONDITION');
  assert.match(err.details, /WITHDRAWN/);
});

test('NOT_FOUND for an unknown complaint', async () => {
  const missing = `complaints/${crypto.randomUUID()}`;
  await rejectsWith(client.get(missing), 'NOT_FOUND');
  await rejectsWith(client.acknowledge(missing), 'NOT_FOUND');
});

test('INVALID_ARGUMENT names the field', async () => {
  const bad = newComplaint();
  bad.complainant.email = 'not-an-address';
  let err = await rejectsWith(client.submit(bad), 'INVALID_ARGUMENT');
  assert.equal(err.field, 'complaint.complainant.email');
  // Decoded from the machine-readable detail, consistent with the message.
  assert.deepEqual(err.fieldViolations,
    [{ field: 'complaint.complainant.email', description: 'not an e-mail address' }]);
  assert.equal(err.details, 'complaint.complainant.email: not an e-mail address');
  const badHash = newComplaint();
  badHash.attachments = [{ file_name: 'a.pdf', sha256: 'not-hex' }];
  err = await rejectsWith(client.submit(badHash), 'INVALID_ARGUMENT');
  assert.deepEqual(err.fieldViolations.map((v) => v.field), ['complaint.attachments[0].sha256']);
  err = await rejectsWith(client.get(`complaints/${crypto.randomUUID()}`), 'NOT_FOUND');
  assert.deepEqual(err.fieldViolations, []);
  assert.equal(err.field, null);
  err = await rejectsWith(client.submit(newComplaint(), { request_id: 'not-a-uuid' }), 'INVALID_ARGUMENT');
  assert.equal(err.field, 'request_id');
});

test('UNAUTHENTICATED without an actor', async () => {
  const anonymous = new RedressClient(server.target);
  try {
    await rejectsWith(anonymous.submit(newComplaint()), 'UNAUTHENTICATED');
  } finally {
    anonymous.close();
  }
});

test('a stale etag is ABORTED and nothing changes', async () => {
  const c = await client.submit(newComplaint());
  await client.assign(c.name, { assignee: 'carol' });
  await rejectsWith(client.acknowledge(c.name, { etag: c.etag }), 'ABORTED');
  assert.equal((await client.get(c.name)).state, 'STATE_RECEIVED');
});

test('list: filter and pages, oldest first', async () => {
  const category = `nodeclient-${crypto.randomBytes(4).toString('hex')}`;
  const names = [];
  for (let i = 0; i < 5; i++) names.push((await client.submit(newComplaint(category))).name);
  await client.acknowledge(names[1]);
  const got = [];
  for await (const c of client.listComplaints({ filter: `category = "${category}"`, page_size: 2 })) got.push(c.name);
  assert.deepEqual(got, names);
  const acked = [];
  for await (const c of client.listComplaints({ filter: `category = "${category}" AND state = ACKNOWLEDGED` })) acked.push(c.name);
  assert.deepEqual(acked, [names[1]]);
});

test('the example walks a complaint to CLOSED', async () => {
  const { stdout } = await promisify(execFile)(process.execPath,
    [path.join(__dirname, '..', 'example_lifecycle.js'), '--target', server.target], { timeout: 60000 });
  assert.match(stdout, /decided {6}STATE_CLOSED/);
  assert.match(stdout, /ack again {4}FAILED_PRECONDITION/);
  assert.match(stdout, /invalid {6}complaint\.complainant\.email: not an e-mail address/);
});

// --- TLS, mutual TLS and bearer tokens -------------------------------------

const TOKEN = `node-test-token-${crypto.randomBytes(12).toString('hex')}`;

// A CA, a server certificate for localhost/127.0.0.1, a client certificate
// (CN=node-mtls) and an access configuration with a token principal and a
// certificate principal; returns the redressd flags.
function makePki(dir) {
  const script = `set -e
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Node Test CA" -keyout ca.key -out ca.pem
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem
openssl req -newkey rsa:2048 -nodes -subj "/CN=node-mtls" -keyout client.key -out client.csr
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem
`;
  execFileSync('bash', ['-c', script], { cwd: dir, stdio: 'pipe' });
  const digest = crypto.createHash('sha256').update(TOKEN).digest('hex');
  fs.writeFileSync(path.join(dir, 'access.textproto'),
    `principals { name: "node-token" roles: ROLE_SUPERVISOR token_sha256: "${digest}" }\n` +
    'principals { name: "node-mtls" roles: ROLE_SUPERVISOR client_cert_subjects: "CN=node-mtls" }\n');
  return ['--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'server.key'),
    '--client-ca', path.join(dir, 'ca.pem'), '--access-config', path.join(dir, 'access.textproto')];
}

test('TLS, mutual TLS and bearer tokens', async (t) => {
  const tlsServer = await startServer(makePki, 'localhost');
  const files = {
    ca: path.join(tlsServer.dir, 'ca.pem'),
    cert: path.join(tlsServer.dir, 'client.pem'),
    key: path.join(tlsServer.dir, 'client.key'),
  };
  const connect = (o) => {
    const c = new RedressClient(tlsServer.target, { timeoutMs: 10000, ...o });
    t.after(() => c.close());
    return c;
  };
  const submitter = async (c) => {
    const made = await c.submit(newComplaint());
    for await (const ev of c.listEvents(made.name)) return ev.actor;
    return null;
  };
  try {
    await t.test('the token names the principal', async () => {
      assert.equal(await submitter(connect({ credentials: tlsCredentials(files), token: TOKEN })), 'node-token');
    });
    await t.test('without a token the client certificate does', async () => {
      assert.equal(await submitter(connect({ credentials: tlsCredentials(files), actor: 'ignored' })), 'node-mtls');
    });
    await t.test('an unknown token is UNAUTHENTICATED', async () => {
      await rejectsWith(connect({ credentials: tlsCredentials(files), token: `x${TOKEN}` })
        .submit(newComplaint()), 'UNAUTHENTICATED');
    });
    await t.test('no client certificate, no connection', async () => {
      await rejectsWith(connect({ credentials: tlsCredentials({ ca: files.ca }), token: TOKEN })
        .submit(newComplaint()), 'UNAVAILABLE');
    });
    await t.test('certificate and key go together', () => {
      assert.throws(() => tlsCredentials({ ca: files.ca, cert: files.cert }), TypeError);
    });
    await t.test('the example with --tls-* and --token', async () => {
      const example = path.join(__dirname, '..', 'example_lifecycle.js');
      const tlsArgs = ['--target', tlsServer.target, '--tls-ca', files.ca,
        '--tls-cert', files.cert, '--tls-key', files.key];
      let { stdout } = await promisify(execFile)(process.execPath,
        [example, ...tlsArgs, '--token', TOKEN], { timeout: 60000 });
      assert.match(stdout, /decided {6}STATE_CLOSED/);
      assert.match(stdout, /invalid {6}complaint\.complainant\.email: not an e-mail address/);
      // Every event was caused by the token's principal, whatever --actor said.
      assert.match(stdout, /STATE_CLOSED\s+node-token/);
      assert.doesNotMatch(stdout, / alice /);
      ({ stdout } = await promisify(execFile)(process.execPath, [example, ...tlsArgs], { timeout: 60000 }));
      assert.match(stdout, /STATE_CLOSED\s+node-mtls/);
    });
  } finally {
    await stopServer(tlsServer);
  }
});

test('service config: every ComplaintService method, writes only with request_id', () => {
  const cfg = loadServiceConfig();
  const pkg = loadRedressPackage();
  const methods = Object.values(pkg.ComplaintService.service)
    .map((m) => ({ ...m, originalName: m.path.split('/').pop() }));
  const listed = new Map();
  for (const mc of cfg.methodConfig) {
    for (const n of mc.name) {
      assert.equal(n.service, 'redress.v1.ComplaintService');
      assert.ok(!listed.has(n.method), `${n.method} listed twice`);
      listed.set(n.method, mc);
    }
  }
  assert.deepEqual([...listed.keys()].sort(), methods.map((m) => m.originalName).sort());
  for (const m of methods) {
    const mc = listed.get(m.originalName);
    assert.match(mc.timeout, /^\d+(\.\d+)?s$/);
    assert.deepEqual(mc.retryPolicy.retryableStatusCodes, ['UNAVAILABLE']);
    if (!/^(Get|List)/.test(m.originalName)) {
      assert.ok(m.requestType.type.field.some((f) => f.name === 'request_id'), m.originalName);
    }
  }
});

// A fake ComplaintService whose SubmitComplaint fails `failures` times with
// UNAVAILABLE, recording each attempt's request_id and actor.
async function flakyServer(failures) {
  const pkg = loadRedressPackage();
  const seen = [];
  const fake = new grpc.Server();
  fake.addService(pkg.ComplaintService.service, {
    SubmitComplaint(call, callback) {
      seen.push([call.request.request_id, call.metadata.get(ACTOR_METADATA_KEY)[0]]);
      if (seen.length <= failures) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'database unreachable' });
      } else {
        callback(null, { name: 'complaints/x', etag: `etag-${seen.length}`, state: 'STATE_RECEIVED' });
      }
    },
  });
  const port = await promisify(fake.bindAsync.bind(fake))('127.0.0.1:0', grpc.ServerCredentials.createInsecure());
  return { seen, target: `127.0.0.1:${port}`, stop: () => fake.forceShutdown() };
}

test('UNAVAILABLE is retried with the same request_id', async () => {
  const fake = await flakyServer(2);
  const c = new RedressClient(fake.target, { actor: ACTOR });
  try {
    const got = await c.submit(newComplaint());
    assert.equal(got.etag, 'etag-3');
    assert.equal(fake.seen.length, 3);
    assert.equal(new Set(fake.seen.map(([rid]) => rid)).size, 1);
    assert.ok(fake.seen.every(([, actor]) => actor === ACTOR));
  } finally {
    c.close();
    fake.stop();
  }
});

test('retries stop after maxAttempts', async () => {
  const fake = await flakyServer(100);
  const c = new RedressClient(fake.target, { actor: ACTOR });
  try {
    await rejectsWith(c.submit(newComplaint()), 'UNAVAILABLE');
    const write = loadServiceConfig().methodConfig.find((mc) =>
      mc.name.some((n) => n.method === 'SubmitComplaint'));
    assert.equal(fake.seen.length, write.retryPolicy.maxAttempts);
  } finally {
    c.close();
    fake.stop();
  }
});

test('without a service config nothing is retried', async () => {
  const fake = await flakyServer(1);
  const c = new RedressClient(fake.target, { actor: ACTOR, serviceConfig: null });
  try {
    await rejectsWith(c.submit(newComplaint()), 'UNAVAILABLE');
    assert.equal(fake.seen.length, 1);
  } finally {
    c.close();
    fake.stop();
  }
});
