// Fuzz test of issue 11, part E: JSON bodies with prototype keys on every token endpoint that
// takes a body. Each generated body mixes valid fields of its endpoint with at least one of
// `__proto__`, `constructor`, `prototype` (anywhere, at any depth: in the body, in a value, in a
// list, inside the restrictions, under carrier objects) or `hasOwnProperty`, `toString`,
// `valueOf`, `__defineGetter__` (as a field name: of the body, of the restrictions, of a rule).
// The JSON text is built by hand (JSON.stringify drops a real "__proto__" key) and sent raw, in
// one session of the system admin inside a websudo window (a password per body would spend most of
// the suite's time in the host's PBKDF2).
//
// Asserted for every body: no 5xx; a 4xx (not 401/403) with `errorMessage`; for a reserved key, a 400 whose
// `errors` name its path; and, per endpoint, no state change: the token table (ids,
// descriptions, created, validUntil, scope, owner, restrictions), GET settings, and the rotate
// target's secret are identical before and after.
//
// Runs: 1,000 bodies per endpoint on SQLite and 200 per endpoint on MariaDB (7 endpoints each),
// so that the suite stays well under 90 s on both databases together. A failure prints the
// fast-check seed and the shrunk body; rerun one with FUZZ_SEED=<seed>.
import { expect } from 'chai';
import fc from 'fast-check';
import { forEachDatabase } from '../../support/databases';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUNS = { sqlite: 1000, mariadb: 200, postgres: 200 } as const;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Refused anywhere in a plugin REST body (jsonObjectBody). */
const RESERVED = ['__proto__', 'constructor', 'prototype'] as const;
/** Inherited from Object.prototype; an unknown field name wherever a field name is expected. */
const INHERITED = ['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'] as const;
/** Keys of carrier objects: never a field name of any endpoint, so never a duplicate key. */
const CARRIER_KEYS = ['a', 'data', 'nested', 'x.y', ''] as const;

// ---- JSON as a tree, serialised by hand so that any key survives -----------------------------

type J =
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, J]> }
  | { readonly kind: 'array'; readonly items: readonly J[] }
  | { readonly kind: 'leaf'; readonly text: string };

const obj = (entries: ReadonlyArray<readonly [string, J]>): J => ({ kind: 'object', entries });
const arr = (items: readonly J[]): J => ({ kind: 'array', items });
const leaf = (value: unknown): J => ({ kind: 'leaf', text: JSON.stringify(value) });
/** A plain value (no special keys) as a tree. */
function tree(value: unknown): J {
  if (Array.isArray(value)) return arr(value.map(tree));
  if (typeof value === 'object' && value !== null) {
    return obj(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, tree(v)] as const));
  }
  return leaf(value);
}

function serialise(node: J): string {
  switch (node.kind) {
    case 'object': return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`).join(',')}}`;
    case 'array': return `[${node.items.map(serialise).join(',')}]`;
    default: return node.text;
  }
}

/** Replaces the subtree at `path` (object keys and array indexes) by `fn` of it. */
function updateAt(node: J, path: ReadonlyArray<string | number>, fn: (n: J) => J): J {
  if (path.length === 0) return fn(node);
  const [step, ...rest] = path;
  if (node.kind === 'object') return obj(node.entries.map(([k, v]) => (k === step ? [k, updateAt(v, rest, fn)] as const : [k, v] as const)));
  if (node.kind === 'array' && typeof step === 'number') return arr(node.items.map((v, i) => (i === step ? updateAt(v, rest, fn) : v)));
  return node;
}

/** Adds `entry` to the object (at `pos`), or `{entry}` to the array, or replaces a leaf by `{entry}`. */
function putHere(node: J, entry: readonly [string, J], pos: number): J {
  if (node.kind === 'object') {
    const entries = [...node.entries];
    entries.splice(pos % (entries.length + 1), 0, entry);
    return obj(entries);
  }
  if (node.kind === 'array') {
    const items = [...node.items];
    items.splice(pos % (items.length + 1), 0, obj([entry]));
    return arr(items);
  }
  return obj([entry]);
}

/** Walks down along `route` (each step picks a child or stops), then puts the entry there. */
function putAnywhere(node: J, route: readonly number[], entry: readonly [string, J]): J {
  const [step, ...rest] = route;
  const children = node.kind === 'object' ? node.entries.length : node.kind === 'array' ? node.items.length : 0;
  if (step === undefined || step % (children + 1) === children) return putHere(node, entry, step ?? 0);
  const index = step % (children + 1);
  if (node.kind === 'object') return obj(node.entries.map(([k, v], i) => (i === index ? [k, putAnywhere(v, rest, entry)] as const : [k, v] as const)));
  if (node.kind === 'array') return arr(node.items.map((v, i) => (i === index ? putAnywhere(v, rest, entry) : v)));
  return putHere(node, entry, 0);
}

// ---- generators ----------------------------------------------------------------------------

const anyKey = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...RESERVED, ...INHERITED, 'tokenScope', 'rules', 'maxTokensPerUser', 'label'));
const anyLeaf: fc.Arbitrary<J> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, 1, 2, -1, 1e300, '', '.*', 'GET', '127.0.0.1', 'jira-admins', '{}', '__proto__'),
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 16 }),
).map(leaf);
const anyValue: fc.Arbitrary<J> = fc.letrec<{ value: J; object: J; array: J }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyLeaf, tie('object'), tie('array')),
  object: fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 3 }).map((entries) => obj(entries)),
  array: fc.array(tie('value'), { maxLength: 3 }).map((items) => arr(items)),
})).value;

/** `{key: value}` wrapped in up to three carrier lists/objects: the key sits that much deeper. */
const reservedEntry: fc.Arbitrary<readonly [string, J]> = fc.tuple(
  fc.constantFrom(...RESERVED), anyValue, fc.array(fc.option(fc.constantFrom(...CARRIER_KEYS), { nil: undefined }), { maxLength: 3 }),
  fc.constantFrom(...CARRIER_KEYS),
).map(([key, value, wraps, top]) => {
  if (wraps.length === 0) return [key, value] as const;
  let inner: J = obj([[key, value]]);
  for (const wrap of wraps) inner = wrap === undefined ? arr([inner]) : obj([[wrap, inner]]);
  return [top, inner] as const;
});

interface Injection { readonly reserved: boolean; readonly entry: readonly [string, J]; readonly route: readonly number[]; readonly site: number }
const route = fc.array(fc.nat(1000), { maxLength: 6 });
const injection: fc.Arbitrary<Injection> = fc.oneof(
  fc.record({ reserved: fc.constant(true), entry: reservedEntry, route, site: fc.nat(1000) }),
  fc.record({ reserved: fc.constant(false), entry: fc.tuple(fc.constantFrom(...INHERITED), anyValue), route, site: fc.nat(1000) }),
);

/** A subset of an endpoint's valid fields, each with a valid value. */
function validFields(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<J> {
  return fc.record(fields, { requiredKeys: [] }).map((record) => tree(record));
}

const validRule = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  urlPattern: fc.constantFrom('.*/rest/api/2/myself', '.*/rest/api/2/issue/.*', '.*'),
  headers: fc.constantFrom(undefined, { 'X-Client': 'bot-.*' }),
}, { requiredKeys: ['method', 'urlPattern'] });
const validRestrictions = fc.record({
  rules: fc.array(validRule, { minLength: 1, maxLength: 3 }),
  ipAllowlist: fc.constantFrom(undefined, ['127.0.0.1'], ['10.0.0.0/8', '::1']),
}, { requiredKeys: ['rules'] });

interface Endpoint {
  readonly name: string;
  readonly method: string;
  readonly path: (ids: Ids) => string;
  readonly base: fc.Arbitrary<J>;
  /** Where an inherited name is a field name; `restrictions` for the restriction endpoints. */
  readonly fieldSites: (body: J) => ReadonlyArray<ReadonlyArray<string | number>>;
  /** Where reserved keys go (the whole body, or only inside the restrictions). */
  readonly reservedRoot: ReadonlyArray<string | number>;
}

interface Ids { readonly adminToken: number }

const description = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `fuzz ${s.replace(/[\u0000-\u001f\u007f]/g, '')}`);
const createFields = {
  tokenDescription: description, tokenValidityTimeInMonths: fc.integer({ min: 1, max: 12 }), tokenScope: fc.constantFrom(1, 2),
  ipAllowlist: fc.constantFrom(['127.0.0.1'], ['192.168.0.0/16']),
};
const patchFields = { tokenDescription: description, tokenScope: fc.constant(1), ipAllowlist: fc.constantFrom(['127.0.0.1'], null) };
const topOnly = (): ReadonlyArray<ReadonlyArray<string | number>> => [[]];
const restrictionSites = (body: J): ReadonlyArray<ReadonlyArray<string | number>> => {
  const restrictions = body.kind === 'object' ? body.entries.find(([k]) => k === 'restrictions')?.[1] : undefined;
  const rules = restrictions?.kind === 'object' ? restrictions.entries.find(([k]) => k === 'rules')?.[1] : undefined;
  const ruleCount = rules?.kind === 'array' ? rules.items.length : 0;
  return [['restrictions'], ...Array.from({ length: ruleCount }, (_, i) => ['restrictions', 'rules', i])];
};
const withRestrictions = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<J> =>
  fc.record({ ...fields, restrictions: validRestrictions }, { requiredKeys: ['restrictions'] }).map((record) => tree(record));

const ENDPOINTS: readonly Endpoint[] = [
  { name: 'POST /user/token', method: 'POST', path: () => `${API}/user/token`, base: validFields(createFields), fieldSites: topOnly, reservedRoot: [] },
  { name: 'PATCH /user/token/{id}', method: 'PATCH', path: (ids) => `${API}/user/token/${ids.adminToken}`, base: validFields(patchFields), fieldSites: topOnly, reservedRoot: [] },
  { name: 'POST /user/token/{id}/rotate', method: 'POST', path: (ids) => `${API}/user/token/${ids.adminToken}/rotate`, base: fc.constant(obj([])), fieldSites: topOnly, reservedRoot: [] },
  {
    name: 'PUT /admin/settings', method: 'PUT', path: () => `${API}/admin/settings`, fieldSites: topOnly, reservedRoot: [],
    base: validFields({
      maxTokensPerUser: fc.integer({ min: 1, max: 1000 }), notifyOnNewIp: fc.boolean(), authSchemes: fc.constantFrom('basic', 'bearer', 'both'),
      createOnBehalfGroups: fc.constantFrom([], ['jira-admins'], ['token-managers', 'jira-software-users']),
      ipAllowlist: fc.constantFrom(['10.0.0.0/8'], ['127.0.0.1', '::1']), expiryWarningDays: fc.constantFrom([7, 1], [30]),
      revokeUnusedAfterDays: fc.integer({ min: 0, max: 400 }),
    }),
  },
  { name: 'POST /rest/api-tokens/latest/', method: 'POST', path: () => '/rest/api-tokens/latest/', base: validFields({ label: description }), fieldSites: topOnly, reservedRoot: [] },
  {
    name: 'restrictions in POST /user/token', method: 'POST', path: () => `${API}/user/token`, base: withRestrictions(createFields),
    fieldSites: restrictionSites, reservedRoot: ['restrictions'],
  },
  {
    name: 'restrictions in PATCH /user/token/{id}', method: 'PATCH', path: (ids) => `${API}/user/token/${ids.adminToken}`,
    base: withRestrictions({ tokenDescription: description }), fieldSites: restrictionSites, reservedRoot: ['restrictions'],
  },
];

/** The body with every injection applied. */
function bodyOf(endpoint: Endpoint, base: J, injections: readonly Injection[]): J {
  let body = base;
  for (const inj of injections) {
    if (inj.reserved) {
      body = updateAt(body, endpoint.reservedRoot, (root) => putAnywhere(root, inj.route, inj.entry));
    } else {
      const sites = endpoint.fieldSites(body);
      body = updateAt(body, sites[inj.site % sites.length], (site) => putHere(site, inj.entry, inj.route[0] ?? 0));
    }
  }
  return body;
}

// ---- the suite ------------------------------------------------------------------------------

forEachDatabase('prototype-key fuzz on the token endpoints', (kind) => {
  let e2e: E2eEnv;
  let ids: Ids;
  let adminSecret: string;
  let adminSession: string;
  before(async () => {
    e2e = await startE2e('jira', kind);
    adminSession = await e2e.webSudoSession('admin');
    const admin = await e2e.createToken('admin', { tokenDescription: 'fuzz target', restrictions: { rules: [{ method: 'GET', urlPattern: '.*' }] } });
    await e2e.createToken('alice', { tokenDescription: 'bystander' });
    ids = { adminToken: admin.id };
    adminSecret = admin.plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  const send = (method: string, path: string, json: string): Promise<TestResponse> =>
    e2e.req(path, { method, body: json, headers: { 'Content-Type': 'application/json', Cookie: adminSession } });

  const state = async (): Promise<unknown> => {
    const tokens = await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`);
    const settings = await e2e.as('admin', `${API}/admin/settings`);
    const secret = await e2e.req('/rest/api/2/myself', { bearer: adminSecret });
    expect(tokens.status).to.equal(200);
    expect(settings.status).to.equal(200);
    return {
      tokens: (tokens.json.content as Array<Record<string, unknown>>).map((t) => ({
        id: t.id, description: t.description, created: t.created, validUntil: t.validUntil, tokenScope: t.tokenScope,
        tokenForUserKey: t.tokenForUserKey, restrictions: t.restrictions, restrictionsText: t.restrictionsText,
      })),
      total: tokens.json.total,
      settings: settings.json,
      rotateTargetSecretWorks: secret.status,
    };
  };

  for (const endpoint of ENDPOINTS) {
    it(`should refuse ${RUNS[kind]} bodies with prototype keys on ${endpoint.name} and change nothing`, async function () {
      this.timeout(120_000);
      const before = await state();
      expect((before as { rotateTargetSecretWorks: number }).rotateTargetSecretWorks).to.equal(200);
      const body = endpoint.base.chain((base) => fc.array(injection, { minLength: 1, maxLength: 3 }).map((injs) => serialise(bodyOf(endpoint, base, injs))));
      await fc.assert(fc.asyncProperty(body, async (json) => {
        const res = await send(endpoint.method, endpoint.path(ids), json);
        const where = `${endpoint.method} ${json} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, where).to.be.within(400, 499);
        // The session may make every one of these calls: a refusal of the caller would hide the body's check.
        expect(res.status, where).to.not.be.oneOf([401, 403]);
        expect(res.json?.errorMessage, where).to.be.a('string');
        const parsed: unknown = JSON.parse(json);
        const reserved = reservedPathsOf(parsed);
        if (reserved.length > 0) {
          expect(res.status, where).to.equal(400);
          const named = Object.keys(res.json.errors ?? {});
          expect(named.some((k) => RESERVED.some((r) => k === r || k.endsWith(`.${r}`))), where).to.equal(true);
        }
      }), { numRuns: RUNS[kind], seed: SEED });
      expect(await state()).to.deep.equal(before);
    });
  }
});

/** The reserved keys anywhere in a parsed value (own keys, as JSON.parse makes them). */
function reservedPathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(reservedPathsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((k) => ((RESERVED as readonly string[]).includes(k) ? [k] : reservedPathsOf((value as Record<string, unknown>)[k])));
}
