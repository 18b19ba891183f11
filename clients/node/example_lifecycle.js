#!/usr/bin/env node
'use strict';
// Walks one complaint from submission to closure against a running redressd.
//
//   make run                                               # in another terminal
//   (cd clients/node && npm ci && node example_lifecycle.js --target 127.0.0.1:50051)
//
// Against a server with TLS and an access configuration (README, "Start with
// TLS and tokens"), add the credentials the way redressctl takes them:
//
//   node example_lifecycle.js --target localhost:50051 --tls-ca ca.pem --token "$TOKEN"
//   # + --tls-cert client.pem --tls-key client.key for mutual TLS
//
// With a token the server takes the principal from it (--actor/--handler are
// then only sent, not trusted). Prints each state and the audit history;
// exits 1 if the complaint does not end CLOSED or a call fails.
const { parseArgs } = require('node:util');
const { RedressClient, RedressError, tlsCredentials } = require('./redress_client');

async function run(target, actor, handler, connection = {}) {
  const client = new RedressClient(target, { actor, ...connection });
  try {
    // A request the server refuses: INVALID_ARGUMENT carries the offending
    // field in machine-readable form (google.rpc.BadRequest).
    try {
      await client.submit({
        complainant: { display_name: 'Ada Lovelace', email: 'ada at example.org' },
        channel: 'CHANNEL_EMAIL', description: 'Charged twice.' });
    } catch (e) {
      if (!(e instanceof RedressError)) throw e;
      for (const v of e.fieldViolations) console.log(`invalid      ${v.field}: ${v.description}`);
    }

    let c = await client.submit({
      complainant: { display_name: 'Ada Lovelace', email: 'ada@example.org' },
      channel: 'CHANNEL_EMAIL',
      category: 'billing',
      description: 'Charged twice for one card payment on 3 November.',
      remedy_sought: 'Refund the duplicate charge',
    });
    console.log(`submitted    ${c.name} ${c.reference} ${c.state}`);

    c = await client.acknowledge(c.name, {
      message: 'Thank you, we are looking into it.', channel: 'CHANNEL_EMAIL' });
    console.log(`acknowledged ${c.state}`);

    c = await client.assess(c.name, { assessment: {
      severity: 'LEVEL_MEDIUM', priority: 'LEVEL_HIGH', complexity: 'LEVEL_LOW', impact: 'LEVEL_MEDIUM' } });
    console.log(`assessed     ${c.state} by ${c.assessment.assessor}`);

    c = await client.assign(c.name, { assignee: handler });
    // The handler acts under their own identity; `etag` makes the call fail
    // with ABORTED if someone changed the complaint in between.
    c = await client.startInvestigation(c.name,
      { plan: "Check the card processor's settlement file", etag: c.etag }, { actor: handler });
    console.log(`assigned to  ${c.assignee}, ${c.state}`);

    c = await client.respond(c.name, { response: {
      decision: 'DECISION_UPHELD',
      text: 'We have refunded the duplicate charge.',
      communicated_via: 'CHANNEL_EMAIL',
      redress_amount: { currency_code: 'GBP', amount_minor: 4250 },
    } }, { actor: handler });
    console.log(`responded    ${c.state} (${c.response.decision})`);

    c = await client.recordDecision(c.name, {
      decision: { outcome: 'OUTCOME_ACCEPTED', comment: 'Thanks' } });
    console.log(`decided      ${c.state}: ${c.closure_reason}`);

    try {
      await client.acknowledge(c.name);
    } catch (e) {
      if (!(e instanceof RedressError)) throw e;
      console.log(`ack again    ${e.codeName}: ${e.details}`);
    }

    console.log('history:');
    for await (const ev of client.listEvents(c.name)) {
      console.log(`  ${String(ev.sequence).padStart(2)} ${ev.type.padEnd(36)} ` +
        `${ev.to_state.padEnd(20)} ${ev.actor.padEnd(6)} ${ev.hash.slice(0, 12)}`);
    }
    return c;
  } finally {
    client.close();
  }
}

async function main() {
  const { values } = parseArgs({ options: {
    target: { type: 'string', default: '127.0.0.1:50051' },
    actor: { type: 'string', default: 'alice' },
    handler: { type: 'string', default: 'bob' },
    token: { type: 'string', default: process.env.REDRESS_TOKEN },
    'tls-ca': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  } });
  const tls = { ca: values['tls-ca'], cert: values['tls-cert'], key: values['tls-key'] };
  const connection = { token: values.token || undefined };
  if (tls.ca || tls.cert || tls.key) connection.credentials = tlsCredentials(tls);
  const c = await run(values.target, values.actor, values.handler, connection);
  return c.state === 'STATE_CLOSED' ? 0 : 1;
}

main().then((rc) => { process.exitCode = rc; }, (e) => {
  console.error(`example_lifecycle: ${e.message}`);
  process.exitCode = 1;
});
