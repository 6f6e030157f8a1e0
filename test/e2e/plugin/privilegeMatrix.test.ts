// Issue 11: caller kind × token-API operation × target, against a real Jira host on both
// databases, from one expectation table (docs/api.md "What a token may do"). Two caller
// identities: an on-behalf member who is a plain user ("manager", so the system admin outranks
// them) and a system admin (the only one who can hold a sudo token; the system-admin target is
// then a second system admin). Every cell gets fresh target tokens (6 months), the callers'
// tokens live longer (12 months) and are made once.
import { expect } from 'chai';
import type { ErrorCode } from '../../../plugin/errors/ErrorCode';
import { forEachDatabase } from '../../support/databases';
import { outcomeOf } from '../../support/errorCodes';
import type { TestRequestOptions } from '../../support/hostServer';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

type Identity = 'manager' | 'admin';
type Kind = 'password' | 'session' | 'readOnlyToken' | 'readWriteToken' | 'restrictedToken' | 'sudoToken' | 'sudoRunAs';
type Op = 'create' | 'rotate' | 'patchDescription' | 'patchScope' | 'patchExpiryLater' | 'patchExpiryEarlier' | 'patchRestrictions'
  | 'delete' | 'deleteAllFor' | 'putSettings';
type Target = 'own' | 'other' | 'sysadmin';
type Outcome = 200 | ErrorCode;
type Row = readonly [own: Outcome, other: Outcome, sysadmin: Outcome];

const OPS: readonly Op[] = ['create', 'rotate', 'patchDescription', 'patchScope', 'patchExpiryLater', 'patchExpiryEarlier', 'patchRestrictions',
  'delete', 'deleteAllFor', 'putSettings'];
const TARGETS: readonly Target[] = ['own', 'other', 'sysadmin'];

const OK = 200;
const NF: Outcome = 'TOKEN_NOT_FOUND';
const OUT: Outcome = 'TARGET_OUTRANKS_CALLER';
const SYS: Outcome = 'SYSADMIN_REQUIRED';
const EXT: Outcome = 'EXPIRY_EXTENSION_FORBIDDEN';
const RESTRICTED: Outcome = 'RESTRICTED_TOKEN_FORBIDDEN';
const RO: Outcome = 'TOKEN_READ_ONLY';
const SUDO: Outcome = 'SUDO_NOT_ALLOWED';
const WEAK: Outcome = 'SCOPE_TOO_WEAK';

const all = (o: Outcome): Row => [o, o, o];
const table = (rows: Partial<Record<Op, Row>>, rest: Row): Record<Op, Row> =>
  Object.fromEntries(OPS.map((op) => [op, rows[op] ?? rest])) as Record<Op, Row>;

/** The on-behalf member reaches its own and a plain user's tokens, not the system admin's. */
const MANAGER_PASSWORD = table({ create: [OK, OK, OUT], deleteAllFor: all(SYS), putSettings: all(SYS) }, [OK, OK, NF]);
const ADMIN_READ_WRITE_TOKEN = table({ patchExpiryLater: all(EXT) }, all(OK));

const EXPECTED: Record<Identity, Partial<Record<Kind, Record<Op, Row>>>> = {
  manager: {
    password: MANAGER_PASSWORD,
    session: MANAGER_PASSWORD,
    // A read-only token creates (read-only) tokens for its own owner only.
    readOnlyToken: table({ create: [OK, WEAK, WEAK] }, all(RO)),
    readWriteToken: table({ create: [OK, OK, OUT], patchExpiryLater: [EXT, EXT, NF], deleteAllFor: all(SYS), putSettings: all(SYS) }, [OK, OK, NF]),
    restrictedToken: table({}, all(RESTRICTED)),
  },
  admin: {
    password: table({}, all(OK)),
    session: table({}, all(OK)),
    readOnlyToken: table({ create: [OK, WEAK, WEAK] }, all(RO)),
    readWriteToken: ADMIN_READ_WRITE_TOKEN,
    restrictedToken: table({}, all(RESTRICTED)),
    // Without X-Atlassian-Run-As a sudo token is its owner's unrestricted token …
    sudoToken: ADMIN_READ_WRITE_TOKEN,
    // … with it, nothing of the token API (refused before the service).
    sudoRunAs: table({}, all(SUDO)),
  },
};

forEachDatabase('privilege matrix: caller kind × token operation × target (Jira)', (kind) => {
  let e2e: E2eEnv;
  const sessions: Partial<Record<Identity, string>> = {};
  const callerTokens: Partial<Record<Identity, Partial<Record<Kind, string>>>> = {};
  let admin2Key: string;

  /**
   * A cookie session by POST /rest/auth/1/session that has confirmed the password on the websudo
   * page, as an administrator does before administrative calls (without it they are refused:
   * webSudoAdminCallsRefused.test.ts).
   */
  async function login(identity: Identity): Promise<string> {
    const user = e2e.users[identity];
    const res = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: user.name, password: user.password } });
    expect(res.status, res.text).to.equal(200);
    const cookie = `${res.json.session.name}=${res.json.session.value}`;
    await e2e.host.enterWebSudo(cookie, user.password);
    return cookie;
  }

  async function makeCallerTokens(identity: Identity): Promise<void> {
    const make = async (body: Record<string, unknown>) => (await e2e.createToken(identity, { tokenValidityTimeInMonths: 12, ...body })).plainTextToken;
    callerTokens[identity] = {
      readOnlyToken: await make({ tokenScope: 1, tokenDescription: 'caller ro' }),
      readWriteToken: await make({ tokenDescription: 'caller rw' }),
      restrictedToken: await make({ tokenDescription: 'caller restricted', ipAllowlist: ['127.0.0.1'] }),
      ...(identity === 'admin' ? { sudoToken: await make({ sudo: true, tokenDescription: 'caller sudo' }) } : {}),
    };
  }

  before(async () => {
    e2e = await startE2e('jira', kind);
    const admin2 = await e2e.host.runtime.users.createUser({ name: 'admin2', password: 'admin2-pw-1', email: 'admin2@example.com', displayName: 'ADMIN2',
      groups: ['jira-software-users', 'jira-administrators'] });
    admin2Key = admin2.key;
    const put = await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true, maxTokensPerUser: 100000 } });
    expect(put.status, put.text).to.equal(200);
    for (const identity of ['manager', 'admin'] as const) {
      sessions[identity] = await login(identity);
      await makeCallerTokens(identity);
    }
  });
  after(() => stopAndCheckLeaks(e2e));

  const targetKey = (identity: Identity, target: Target): string =>
    target === 'own' ? e2e.users[identity].key : target === 'other' ? e2e.users.bob.key : identity === 'admin' ? admin2Key : e2e.users.admin.key;

  /** A fresh 6-month read/write token of the target user, made by the system admin's session. */
  async function freshTarget(ownerKey: string): Promise<number> {
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', cookie: sessions.admin, headers: { 'X-Atlassian-Token': 'no-check' },
      body: { tokenForUserKey: ownerKey, tokenValidityTimeInMonths: 6, tokenDescription: 'target' } });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    return res.json.id;
  }

  function request(op: Op, ownerKey: string, id: number): [string, TestRequestOptions] {
    const token = `${API}/user/token/${id}`;
    switch (op) {
      case 'create': return [`${API}/user/token`, { method: 'POST', body: { tokenForUserKey: ownerKey, tokenDescription: 'matrix' } }];
      case 'rotate': return [`${token}/rotate`, { method: 'POST' }];
      case 'patchDescription': return [token, { method: 'PATCH', body: { tokenDescription: 'renamed' } }];
      case 'patchScope': return [token, { method: 'PATCH', body: { tokenScope: 1 } }];
      case 'patchExpiryLater': return [token, { method: 'PATCH', body: { tokenValidityTimeInMonths: 9 } }];
      case 'patchExpiryEarlier': return [token, { method: 'PATCH', body: { tokenValidityTimeInMonths: 3 } }];
      case 'patchRestrictions': return [token, { method: 'PATCH', body: { ipAllowlist: ['10.0.0.0/8'] } }];
      case 'delete': return [token, { method: 'DELETE' }];
      case 'deleteAllFor': return [`${API}/user/token/deleteAllFor/${ownerKey}`, { method: 'DELETE' }];
      case 'putSettings': return [`${API}/admin/settings`, { method: 'PUT', body: { notifyOnNewIp: true } }];
    }
  }

  function credentials(identity: Identity, callerKind: Kind): Partial<TestRequestOptions> {
    const user = e2e.users[identity];
    const tokens = callerTokens[identity] ?? {};
    switch (callerKind) {
      case 'password': return { auth: [user.name, user.password] };
      case 'session': return { cookie: sessions[identity], headers: { 'X-Atlassian-Token': 'no-check' } };
      case 'sudoRunAs': return { bearer: tokens.sudoToken, headers: { 'X-Atlassian-Run-As': 'bob' } };
      default: return { bearer: tokens[callerKind] };
    }
  }

  for (const identity of ['manager', 'admin'] as const) {
    for (const [callerKind, expected] of Object.entries(EXPECTED[identity]) as Array<[Kind, Record<Op, Row>]>) {
      it(`should answer every operation and target of ${identity} by ${callerKind} as the table says`, async () => {
        const actual: Record<string, Array<Outcome | string>> = {};
        for (const op of OPS) {
          actual[op] = [];
          for (const target of TARGETS) {
            const ownerKey = targetKey(identity, target);
            const needsToken = op !== 'create' && op !== 'deleteAllFor' && op !== 'putSettings';
            const id = needsToken ? await freshTarget(ownerKey) : 0;
            const [path, options] = request(op, ownerKey, id);
            const res = await e2e.req(path, { ...options, ...credentials(identity, callerKind) });
            if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken);
            actual[op].push(outcomeOf(res));
            // Deleting all of one's own tokens took the caller tokens too: make new ones.
            if (op === 'deleteAllFor' && target === 'own' && res.status === 200) await makeCallerTokens(identity);
          }
        }
        expect(actual).to.deep.equal(expected);
      });
    }
  }
});
