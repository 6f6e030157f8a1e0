// Attack review: the HTTP protocol layer. Each case tries to make the token filter and the host
// see two different requests, or one request twice, through the wire format — framing
// (Content-Length, Transfer-Encoding, chunks, trailers), kept-alive and pipelined connections,
// repeated headers, methods — and, through a real HAProxy, through the X-Forwarded-For the host
// believes from a trusted proxy. URL spellings are restrictionEscapeAttacks' and RequestTarget's.
// Pure protocol: one database is enough. The `// FINDING:` cases were red on the code before the
// host's header-line limit (host-sim/server.ts, MAX_HEADER_LINES).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { findCommand } from '../../../scripts/ensure-system-packages';
import { DATABASE_KINDS } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';
import { freePort } from '../../support/freePort';

/** The proxy every node of this suite trusts (HAProxy connects to the node from it). */
const PROXY_IP = '127.0.0.1';
/** Clients of the balancer: loopback addresses that are no trusted proxy. */
const CLIENT_A = '127.0.0.5';
const CLIENT_B = '127.0.0.6';
/** An address no client of this suite has: only a forged X-Forwarded-For names it. */
const FORGED_IP = '10.9.9.9';

interface Answer { readonly status: number; readonly head: string; readonly body: string }

/**
 * Splits what a server wrote on one connection into its answers (interim 1xx ones too), by
 * Content-Length or chunked framing. Whatever cannot be read is left out.
 */
function answersOf(raw: Buffer): Answer[] {
  const text = raw.toString('latin1');
  const out: Answer[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('HTTP/1.', at);
    if (start < 0) break;
    const end = text.indexOf('\r\n\r\n', start);
    if (end < 0) break;
    const head = text.slice(start, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    let pos = end + 4;
    let body = '';
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (status >= 200 && length) {
      body = text.slice(pos, pos + Number(length[1]));
      pos += Number(length[1]);
    } else if (status >= 200 && /\r\ntransfer-encoding: *chunked/i.test(head)) {
      for (;;) {
        const lineEnd = text.indexOf('\r\n', pos);
        if (lineEnd < 0) break;
        const size = parseInt(text.slice(pos, lineEnd), 16);
        pos = lineEnd + 2;
        if (!size) {
          pos = text.indexOf('\r\n', pos) + 2;
          break;
        }
        body += text.slice(pos, pos + size);
        pos += size + 2;
      }
    }
    out.push({ status, head, body: Buffer.from(body, 'latin1').toString('utf8') });
    at = pos;
  }
  return out;
}

/**
 * Writes `parts` on one connection exactly as given (a number waits that many ms) and reads what
 * comes back until the server closes it or nothing came for `quietMs`.
 */
function exchange(port: number, parts: ReadonlyArray<string | Buffer | number>, options: { localAddress?: string; quietMs?: number } = {}): Promise<Answer[]> {
  const quietMs = options.quietMs ?? 1500;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    let timer = setTimeout(() => socket.destroy(), quietMs);
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    };
    socket.on('data', (d: Buffer) => { chunks.push(d); quiet(); });
    socket.on('error', () => undefined);
    socket.on('close', () => { clearTimeout(timer); resolve(answersOf(Buffer.concat(chunks))); });
    void (async () => {
      for (const part of parts) {
        if (typeof part === 'number') await new Promise((r) => setTimeout(r, part));
        else if (!socket.destroyed) socket.write(part);
      }
    })();
  });
}

const statuses = (answers: readonly Answer[]): number[] => answers.map((a) => a.status);

/** A HAProxy process in front of one node, with a configuration of the test's choosing. */
interface Balancer { readonly port: number; stop(): Promise<void> }


/**
 * HAProxy as docs/data-center.md ("Behind a load balancer") configures it — `option forwardfor`,
 * round robin, the JSESSIONID cookie — with `global` and `backend` lines added by the test.
 */
async function startBalancer(nodePort: number, extra: { global?: string[]; backend?: string[] } = {}): Promise<Balancer> {
  const haproxy = findCommand('haproxy');
  if (!haproxy) throw new Error('HAProxy is needed for the balancer cases: sudo apt-get install -y haproxy');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-protocol-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(config, [
    'global', '    maxconn 256', ...(extra.global ?? []).map((l) => `    ${l}`), '',
    'defaults', '    mode http', '    timeout connect 2s', '    timeout client 30s', '    timeout server 30s', '',
    'frontend jira', `    bind 127.0.0.1:${port}`, '    default_backend jira_nodes', '',
    'backend jira_nodes', '    balance roundrobin', '    cookie JSESSIONID prefix nocache', '    option forwardfor',
    ...(extra.backend ?? []).map((l) => `    ${l}`),
    `    server node1 127.0.0.1:${nodePort}`, '',
  ].join('\n'));
  const output: string[] = [];
  const child: ChildProcess = spawn(haproxy, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy exited while starting: ${output.join('')}`);
    const up = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`HAProxy did not listen: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const kind = DATABASE_KINDS[0];

describe(`HTTP protocol layer: the filter and the host read one request one way (attack review) (${kind})`, () => {
  let e2e: E2eEnv;
  let port: number;
  let ctx: string;
  let tokens: { readWrite: string; readOnly: string; bodyRule: string; sudo: string; forgedOnly: string; clientAOnly: string };

  before(async () => {
    // The node trusts the balancer on 127.0.0.1, as `npm run cluster` configures it.
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY_IP}` });
    const url = new URL(e2e.host.url);
    port = Number(url.port);
    ctx = url.pathname.replace(/\/$/, '');
    const settings = await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } });
    expect(settings.status, settings.text).to.equal(200);
    tokens = {
      readWrite: (await e2e.createToken('alice', { tokenScope: 2 })).plainTextToken,
      readOnly: (await e2e.createToken('alice', { tokenScope: 1 })).plainTextToken,
      bodyRule: (await e2e.createToken('alice', { restrictions: '[POST].*/rest/api/2/issue[JsonData::fields.summary==ok]' })).plainTextToken,
      sudo: (await e2e.createToken('admin', { sudo: true })).plainTextToken,
      forgedOnly: (await e2e.createToken('alice', { ipAllowlist: [FORGED_IP] })).plainTextToken,
      clientAOnly: (await e2e.createToken('alice', { ipAllowlist: [CLIENT_A] })).plainTextToken,
    };
  });
  after(() => stopAndCheckLeaks(e2e));

  // ---- requests as bytes ----
  const get = (p: string, headers: readonly string[] = []): string => `GET ${ctx}${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
  const bearer = (token: string): string => `Authorization: Bearer ${token}`;
  const issueJson = (summary: string): string => JSON.stringify({ fields: { project: { key: 'TEST' }, summary, issuetype: { name: 'Bug' } } });
  /** A complete issue-creating POST: what an attacker wants run without being decided. */
  const createIssue = (summary: string, headers: readonly string[] = [bearer(tokens.readWrite)]): string => {
    const body = issueJson(summary);
    return `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}`
      + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  const summaries = async (): Promise<string[]> => ((await e2e.as('admin', `/rest/api/2/search?jql=${encodeURIComponent('project = TEST')}&maxResults=1000`)).json?.issues as Array<{ fields: { summary: string } }>)
    .map((i) => i.fields.summary);
  const smuggled = async (): Promise<string[]> => (await summaries()).filter((s) => s.startsWith('evil'));
  const nameOf = (a: Answer | undefined): unknown => (a ? (JSON.parse(a.body) as { name?: unknown }).name : undefined);

  it('should decide each request of a kept-alive, pipelined connection on its own: no principal, run-as, verdict or body follows the socket', async () => {
    const answers = await exchange(port, [
      get('/rest/api/2/myself', [bearer(tokens.readWrite)]),
      get('/rest/api/2/myself'),
      get('/rest/api/2/myself', [bearer(tokens.sudo), 'X-Atlassian-Run-As: alice']),
      get('/rest/api/2/myself', [bearer(tokens.sudo)]),
      get('/rest/api/2/myself'),
      createIssue('ok', [bearer(tokens.bodyRule)]),
      createIssue('evil-after-admitted-body', [bearer(tokens.bodyRule)]),
      createIssue('evil-no-credentials', []),
      get('/rest/api/2/myself', ['Connection: close']),
    ]);
    expect(statuses(answers)).to.deep.equal([200, 401, 200, 200, 401, 201, 403, 401, 401]);
    expect([nameOf(answers[0]), nameOf(answers[2]), nameOf(answers[3])]).to.deep.equal(['alice', 'alice', 'admin']);
    expect(await smuggled()).to.deep.equal([]);
  });

  it('should never run a request carried in the body of a refused one: 401, 403, 413, Expect: 100-continue', async () => {
    const inner = createIssue('evil-in-body');
    const innerLength = Buffer.byteLength(inner);
    // 401 (wrong token), the body not read by anyone.
    expect(statuses(await exchange(port, [
      `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer('apitok_AAAAAAAAAAAA_wrong')}\r\nContent-Type: text/plain\r\nContent-Length: ${innerLength}\r\n\r\n${inner}`,
      get('/rest/api/2/myself', ['Connection: close']),
    ]))).to.deep.equal([401, 401]);
    // 403 (read-only token refused on its headers), a JSON body the filter never reads.
    expect(statuses(await exchange(port, [
      `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.readOnly)}\r\nContent-Type: application/json\r\nContent-Length: ${innerLength}\r\n\r\n${inner}`,
      get('/rest/api/2/myself', ['Connection: close']),
    ]))).to.deep.equal([403, 401]);
    // 413 (a JSON-body rule and a body over 1 MB, by Content-Length and chunked), the request inside it.
    const big = JSON.stringify({ fields: { summary: 'ok', padding: `${'x'.repeat(1100 * 1024)}\r\n\r\n${inner}` } });
    expect(statuses(await exchange(port, [
      `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.bodyRule)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(big)}\r\n\r\n${big}`,
      createIssue('evil-after-413', [bearer(tokens.bodyRule)]),
      get('/rest/api/2/myself', ['Connection: close']),
    ], { quietMs: 4000 }))).to.deep.equal([413, 403, 401]);
    expect(statuses(await exchange(port, [
      `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.bodyRule)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
        + `${Buffer.byteLength(big).toString(16)}\r\n${big}\r\n0\r\n\r\n`,
      createIssue('evil-after-chunked-413', [bearer(tokens.bodyRule)]),
      get('/rest/api/2/myself', ['Connection: close']),
    ], { quietMs: 4000 }))).to.deep.equal([413, 403, 401]);
    // Expect: 100-continue, refused (read-only): the body sent after the interim answer is still this request's body.
    expect(statuses(await exchange(port, [
      `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.readOnly)}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${innerLength}\r\n\r\n`,
      300, inner,
      get('/rest/api/2/myself', ['Connection: close']),
    ]))).to.deep.equal([100, 403, 401]);
    expect(await smuggled()).to.deep.equal([]);
  });

  it('should refuse ambiguous framing and run nothing that follows it on the connection', async () => {
    const ro = bearer(tokens.readOnly);
    const head = (extra: string, method = 'POST', version = 'HTTP/1.1'): string => `${method} ${ctx}/rest/api/2/issue ${version}\r\nHost: 127.0.0.1\r\n${ro}\r\nContent-Type: application/json\r\n${extra}`;
    const cases: Array<[string, string]> = [
      ['Content-Length and Transfer-Encoding', `${head('Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n')}0\r\n\r\n`],
      ['Transfer-Encoding and Content-Length', `${head('Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n')}0\r\n\r\n`],
      ['two Content-Length', `${head('Content-Length: 2\r\nContent-Length: 30\r\n\r\n')}{}`],
      ['Content-Length list', `${head('Content-Length: 2, 2\r\n\r\n')}{}`],
      ['Content-Length with a sign', `${head('Content-Length: +2\r\n\r\n')}{}`],
      ['chunked, identity', `${head('Transfer-Encoding: chunked, identity\r\n\r\n')}0\r\n\r\n`],
      ['two Transfer-Encoding', `${head('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n')}0\r\n\r\n`],
      ['chunked in HTTP/1.0', `${head('Transfer-Encoding: chunked\r\n\r\n', 'POST', 'HTTP/1.0')}0\r\n\r\n`],
      ['hex chunk size', `${head('Transfer-Encoding: chunked\r\n\r\n')}0x2\r\n{}\r\n0\r\n\r\n`],
      ['bare LF in a chunk extension', `${head('Transfer-Encoding: chunked\r\n\r\n')}2;a=b\n{}\r\n0\r\n\r\n`],
      ['chunk longer than its size', `${head('Transfer-Encoding: chunked\r\n\r\n')}2\r\n{}XX0\r\n\r\n`],
      ['obs-fold', `${head('X-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\n')}{}`],
      ['bare LF line ends', `${head('Content-Length: 2\r\n\r\n').replace(/\r\n/g, '\n')}{}`],
      ['bare CR in a header value', `${head('X-A: a\rContent-Length: 2\r\n\r\n')}{}`],
      ['NUL in a header value', `${head('X-A: a\u0000b\r\nContent-Length: 2\r\n\r\n')}{}`],
      ['space before the colon', `${head('Content-Length : 2\r\n\r\n')}{}`],
      ['lower-case method', `${head('Content-Length: 2\r\n\r\n', 'post')}{}`],
      ['unknown method', `${head('Content-Length: 2\r\n\r\n', 'FROB')}{}`],
    ];
    for (const [what, bytes] of cases) {
      const answers = await exchange(port, [bytes + createIssue(`evil-framing ${what}`)], { quietMs: 800 });
      expect(statuses(answers), what).not.to.include(201);
      expect(statuses(answers), what).not.to.include(200);
      expect(answers.length, `${what}: ${statuses(answers).join(',')}`).to.be.at.least(1);
    }
    // No Host in HTTP/1.1: refused by Node before any filter runs.
    const noHost = await exchange(port, [`POST ${ctx}/rest/api/2/issue HTTP/1.1\r\n${bearer(tokens.readWrite)}\r\nContent-Type: application/json\r\n`
      + `Content-Length: ${Buffer.byteLength(issueJson('evil-no-host'))}\r\n\r\n${issueJson('evil-no-host')}`], { quietMs: 800 });
    expect(statuses(noHost)).to.deep.equal([400]);
    expect(await smuggled()).to.deep.equal([]);
  });

  it('should read repeated Authorization, X-Atlassian-Run-As and Content-Type headers, and trailers, the one way the host reads them', async () => {
    // Two Authorization headers: the first decides (as the host's login reads it), never the stronger second.
    const twoAuth = await exchange(port, [
      get('/rest/api/2/myself', [bearer('apitok_AAAAAAAAAAAA_wrong'), bearer(tokens.readWrite)]),
      createIssue('evil-second-authorization', [bearer(tokens.readOnly), bearer(tokens.readWrite)]),
      get('/rest/api/2/myself', ['Connection: close']),
    ]);
    expect(statuses(twoAuth)).to.deep.equal([401, 403, 401]);
    // Two run-as headers, an empty one, one for a system admin: never admin's nor either user's request.
    for (const runAs of [['alice', 'bob'], ['alice', ''], [''], ['admin']]) {
      const answers = await exchange(port, [get('/rest/api/2/myself', [bearer(tokens.sudo), ...runAs.map((r) => `X-Atlassian-Run-As: ${r}`), 'Connection: close'])]);
      expect(statuses(answers), runAs.join('|')).to.deep.equal([403]);
    }
    // Two Content-Type headers on a JSON-body rule: whichever the host reads, the rule read the same.
    const evil = issueJson('evil-two-content-types');
    for (const types of [['text/plain', 'application/json'], ['application/json', 'text/plain'], ['application/x-www-form-urlencoded', 'application/json']]) {
      const answers = await exchange(port, [`POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.bodyRule)}\r\nX-Atlassian-Token: no-check\r\n`
        + `${types.map((t) => `Content-Type: ${t}\r\n`).join('')}Content-Length: ${Buffer.byteLength(evil)}\r\nConnection: close\r\n\r\n${evil}`]);
      expect(statuses(answers), types.join('|')).to.have.length(1);
      expect(statuses(answers)[0], types.join('|')).to.be.oneOf([400, 403, 415]);
    }
    // Trailers are no headers: not a credential, not the content type a rule reads, not a run-as.
    const chunked = (headers: string, body: string, trailers: string): string => `POST ${ctx}/rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}`
      + `Transfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n${trailers}\r\n`;
    const trailed = await exchange(port, [
      chunked(`${bearer(tokens.bodyRule)}\r\nContent-Type: application/json\r\n`, issueJson('evil-trailer-type'), `Content-Type: text/plain\r\n${bearer(tokens.readWrite)}\r\n`),
      chunked('Content-Type: application/json\r\n', issueJson('evil-trailer-credential'), `${bearer(tokens.readWrite)}\r\n`),
      get('/rest/api/2/myself', ['Connection: close']),
    ]);
    expect(statuses(trailed)).to.deep.equal([403, 401, 401]);
    const runAsTrailer = await exchange(port, [
      `GET ${ctx}/rest/api/2/myself HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.sudo)}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\nX-Atlassian-Run-As: alice\r\n\r\n`,
    ]);
    expect(statuses(runAsTrailer)).to.deep.equal([200]);
    expect(nameOf(runAsTrailer[0])).to.equal('admin');
    expect(await smuggled()).to.deep.equal([]);
  });

  it('should hold a read-only token to GET, HEAD and OPTIONS whatever method is sent', async () => {
    const victim = await e2e.createToken('alice', { tokenDescription: 'victim' });
    for (const method of ['TRACE', 'SEARCH', 'QUERY', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'PATCH', 'DELETE', 'Delete', 'delete']) {
      const answers = await exchange(port, [`${method} ${ctx}${API}/user/token/${victim.id} HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.readOnly)}\r\nConnection: close\r\n\r\n`], { quietMs: 800 });
      // Node refuses a method it does not know (or not in upper case) with 400; the filter refuses any other.
      expect(statuses(answers), method).to.have.length.at.most(1);
      if (answers.length) expect(answers[0].status, method).to.be.oneOf([400, 403]);
    }
    // CONNECT: the host has no tunnel; the connection is closed without an answer.
    expect(await exchange(port, [`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${bearer(tokens.readOnly)}\r\n\r\n`], { quietMs: 800 })).to.deep.equal([]);
    // HEAD and OPTIONS read; neither deletes.
    for (const method of ['HEAD', 'OPTIONS']) {
      const answers = await exchange(port, [`${method} ${ctx}${API}/user/token/${victim.id} HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer(tokens.readOnly)}\r\nX-HTTP-Method-Override: DELETE\r\nConnection: close\r\n\r\n`], { quietMs: 800 });
      expect(statuses(answers), method).not.to.include(204);
    }
    const listed = await e2e.as('alice', `${API}/user/token`);
    expect((listed.json as Array<{ id: number }>).map((t) => t.id)).to.include(victim.id);
  });

  describe('behind HAProxy as documented (option forwardfor)', () => {
    let balancer: Balancer;
    before(async () => { balancer = await startBalancer(port); });
    after(() => balancer?.stop());

    const via = (headers: readonly string[], from: string = CLIENT_A): Promise<Answer[]> =>
      exchange(balancer.port, [get('/rest/api/2/myself', [...headers, 'Connection: close'])], { localAddress: from });

    it('should take the client address from the balancer, whatever forwarding headers the client sends', async () => {
      expect(statuses(await via([bearer(tokens.clientAOnly)], CLIENT_A))).to.deep.equal([200]);
      expect(statuses(await via([bearer(tokens.clientAOnly)], CLIENT_B))).to.deep.equal([403]);
      for (const spoof of [
        [`X-Forwarded-For: ${FORGED_IP}`],
        [`X-Forwarded-For: ${FORGED_IP}`, `X-Forwarded-For: ${FORGED_IP}`],
        [`x-forwarded-for: ${FORGED_IP},`],
        [`X-Forwarded-For: ${FORGED_IP}, ${PROXY_IP}`],
        [`Forwarded: for=${FORGED_IP}`],
        [`X-Real-IP: ${FORGED_IP}`],
        // Hop-by-hop: a client asking the balancer to drop the header it adds.
        [`X-Forwarded-For: ${FORGED_IP}`, 'Connection: X-Forwarded-For'],
        [`X-Forwarded-For: ${FORGED_IP}`, 'Connection: keep-alive, X-Forwarded-For'],
      ]) {
        const answers = await via([bearer(tokens.forgedOnly), ...spoof]);
        expect(statuses(answers), spoof.join(' | ')).to.deep.equal([403]);
      }
      // Many headers before the balancer's own: HAProxy's default limit (101) refuses the request.
      const many = Array.from({ length: 2000 }, () => 'a:');
      expect(statuses(await via([bearer(tokens.forgedOnly), `X-Forwarded-For: ${FORGED_IP}`, ...many]))).to.deep.equal([400]);
    });

    it('should decide each request through the balancer on its own: pipelined, kept alive, a refused one first', async () => {
      const answers = await exchange(balancer.port, [
        createIssue('evil-through-balancer', [bearer(tokens.readOnly)]),
        get('/rest/api/2/myself', [bearer(tokens.readWrite)]),
        get('/rest/api/2/myself'),
        get('/rest/api/2/myself', [bearer(tokens.sudo), 'X-Atlassian-Run-As: alice']),
        get('/rest/api/2/myself', ['Connection: close']),
      ], { localAddress: CLIENT_A });
      expect(statuses(answers)).to.deep.equal([403, 200, 401, 200, 401]);
      expect(await smuggled()).to.deep.equal([]);
    });
  });

  describe('behind HAProxy sharing its node connections between clients (http-reuse always)', () => {
    let balancer: Balancer;
    before(async () => { balancer = await startBalancer(port, { backend: ['http-reuse always'] }); });
    after(() => balancer?.stop());

    it('should read the client address and the credential of each request, not of the connection the balancer reused', async () => {
      const clientA = [get('/rest/api/2/myself', [bearer(tokens.clientAOnly)]), 50, get('/rest/api/2/myself', [bearer(tokens.clientAOnly)]), 50, get('/rest/api/2/myself', [bearer(tokens.clientAOnly), 'Connection: close'])];
      const clientB = [get('/rest/api/2/myself', [bearer(tokens.clientAOnly)]), 50, get('/rest/api/2/myself'), 50, get('/rest/api/2/myself', [bearer(tokens.clientAOnly), 'Connection: close'])];
      for (let round = 0; round < 3; round++) {
        const [a, b] = await Promise.all([exchange(balancer.port, clientA, { localAddress: CLIENT_A }), exchange(balancer.port, clientB, { localAddress: CLIENT_B })]);
        expect(statuses(a), `round ${round}, client A`).to.deep.equal([200, 200, 200]);
        expect(statuses(b), `round ${round}, client B`).to.deep.equal([403, 401, 403]);
      }
    });
  });

  // FINDING: Node's HTTP server keeps only the first 2,000 header lines of a request
  // (`maxHeadersCount`) and silently drops the rest. A proxy that appends its X-Forwarded-For as a
  // header line of its own after the client's (HAProxy's `option forwardfor`) loses it to a
  // client that sends ~2,000 header lines first: the host then believes the client's own
  // X-Forwarded-For, so the client picks its address — past per-token and global IP allowlists,
  // the per-IP throttle, and into the audit log and new-IP mails. The request must be refused
  // (431) rather than read without the lines the proxy added.
  it('should not let a client push a trusted proxy\'s X-Forwarded-For past the header lines the host keeps', async () => {
    // The trusted proxy's request as it writes it: the client's own header lines, then its X-Forwarded-For.
    const clientLines = [bearer(tokens.forgedOnly), `X-Forwarded-For: ${FORGED_IP}`, ...Array.from({ length: 1999 }, () => 'a:')];
    const answers = await exchange(port, [get('/rest/api/2/myself', [...clientLines, 'X-Forwarded-For: 203.0.113.7', 'Connection: close'])], { localAddress: PROXY_IP });
    expect(statuses(answers)).to.have.length(1);
    expect(answers[0].status, answers[0].body.slice(0, 120)).to.be.oneOf([400, 403, 431]);
  });

  it('should serve a request of 100 header lines and refuse one of 101 with 431, as Tomcat\'s maxHeaderCount', async () => {
    // Host and Connection are two of the lines.
    const filler = (n: number) => Array.from({ length: n }, (_v, i) => `X-Filler-${i}: ${i}`);
    const [within] = await exchange(port, [get('/rest/api/2/serverInfo', [...filler(98), 'Connection: close'])]);
    expect(within.status).to.equal(200);
    const [over] = await exchange(port, [get('/rest/api/2/serverInfo', [...filler(99), 'Connection: close'])]);
    expect(over.status).to.equal(431);
    expect(JSON.parse(over.body)).to.have.property('errorMessage').that.is.a('string');
  });

  describe('behind HAProxy that allows many header lines (tune.http.maxhdr, tune.bufsize raised)', () => {
    let balancer: Balancer;
    before(async () => { balancer = await startBalancer(port, { global: ['tune.http.maxhdr 4000', 'tune.bufsize 65536'] }); });
    after(() => balancer?.stop());

    // FINDING: the same through a real HAProxy (`option forwardfor` as documented, header limits
    // raised as operators do for large cookies or many headers): the client on 127.0.0.5 is
    // admitted as 10.9.9.9.
    it('should take the client address from the balancer also after 2,000 client header lines', async () => {
      const many = Array.from({ length: 2000 }, () => 'a:');
      const answers = await exchange(balancer.port, [get('/rest/api/2/myself', [bearer(tokens.forgedOnly), `X-Forwarded-For: ${FORGED_IP}`, ...many, 'Connection: close'])], { localAddress: CLIENT_A });
      expect(statuses(answers)).to.have.length(1);
      expect(answers[0].status, answers[0].body.slice(0, 120)).to.be.oneOf([400, 403, 431]);
      // Control: below the host's limit the balancer's address wins.
      const few = await exchange(balancer.port, [get('/rest/api/2/myself', [bearer(tokens.forgedOnly), `X-Forwarded-For: ${FORGED_IP}`, ...many.slice(0, 50), 'Connection: close'])], { localAddress: CLIENT_A });
      expect(statuses(few)).to.deep.equal([403]);
    });
  });
});
