// Attack review (2026-12-04): the credential itself — how a presented token is parsed, looked up, hashed and
// compared, and whom it stands for afterwards. Driven directly on TokenFormat, SecretHasher,
// TokenAuthenticator/TokenCache (on the fake host's real SQLite) and the SPI's readAuthorization.
// A test that fails on the current code is a finding (see the FINDING comments); the others are
// kept as a regression catalogue. The HTTP side of the same attacks: test/e2e/plugin/credentialAttacks.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { readAuthorization } from '../../../host-sim/spi';
import type { HostUser } from '../../../host-sim/spi';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import type { TokenCredential } from '../../../plugin/ao/Token';
import { DefaultPermissionService } from '../../../plugin/service/PermissionService';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { TokenAuthenticator } from '../../../plugin/service/TokenAuthenticator';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { constantTimeEqual, hashSecret, newSalt, secretMatches } from '../../../plugin/token/SecretHasher';
import {
  CHECKSUM_LENGTH, formatToken, generateStringId, generateToken, parseToken, TOKEN_LENGTH, tokenChecksum, type GeneratedToken,
} from '../../../plugin/token/TokenFormat';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

const TOKEN_TABLE = 'Token';

/** Every spelling of a token that is close to it but not it: none may be taken for a token, none may reach the database. */
function closeVariants(token: string): Record<string, string> {
  const body = token.slice(0, -CHECKSUM_LENGTH);
  const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const swapCase = (s: string) => s.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  return {
    'upper-cased': token.toUpperCase(),
    'lower-cased': token.toLowerCase(),
    'case-swapped after the prefix': token.slice(0, 7) + swapCase(token.slice(7)),
    'prefix upper-cased': `APITOK_${token.slice(7)}`,
    'leading space': ` ${token}`,
    'trailing space': `${token} `,
    'trailing tab': `${token}\t`,
    'trailing newline': `${token}\n`,
    'double-quoted': `"${token}"`,
    'single-quoted': `'${token}'`,
    'NUL appended': `${token}\u0000`,
    'NUL in the secret': `${token.slice(0, 30)}\u0000${token.slice(31)}`,
    'percent-encoded separator': `apitok_${token.slice(7, 19)}%5F${token.slice(20)}`,
    'percent-encoded first secret character': `${token.slice(0, 20)}%${token.charCodeAt(20).toString(16)}${token.slice(21)}`,
    'full-width letters and digits': `apitok_${fullWidth(token.slice(7))}`,
    'full-width checksum only': body + fullWidth(token.slice(-CHECKSUM_LENGTH)),
    'Cyrillic a in the public id': `${token.slice(0, 7)}\u0430${token.slice(8)}`,
    'zero-width space inside': `${token.slice(0, 25)}\u200b${token.slice(25)}`,
    'one character short': token.slice(0, -1),
    'one character long': `${token}0`,
    'checksum missing': body,
    'separator replaced by a dash': `${token.slice(0, 19)}-${token.slice(20)}`,
    'separator doubled (secret shifted)': `${token.slice(0, 20)}_${token.slice(20, -1)}`,
    'checksum off by one digit': body + (token.endsWith('0') ? `${token.slice(-6, -1)}1` : `${token.slice(-6, -1)}0`),
    'base64 of the token': Buffer.from(token).toString('base64'),
    'apitok_ twice': `apitok_${token}`.slice(0, TOKEN_LENGTH),
  };
}

describe('Credential attacks (unit): format, hashing, comparison, identity', () => {
  let host: FakeHost;
  let auth: TokenAuthenticator;
  let store: AoTokenStore;
  let bus: InvalidationBus;
  let cache: TokenCache;

  beforeEach(async () => {
    host = await createFakeHost();
    host.users.addUser({ name: 'alice', key: 'alice-key', email: 'alice@example.com' });
    host.users.addUser({ name: 'bob', key: 'bob-key', email: 'bob@example.com' });
    store = new AoTokenStore(host.ao);
    bus = new InvalidationBus(host.messaging, host.logger);
    const settings = new DefaultSettingsService(host.settings, host.audit, bus, host.logger, host.permissions);
    cache = new TokenCache(store, bus);
    auth = new TokenAuthenticator(cache, host.users, host.licence, new DefaultPermissionService(host.users, host.permissions, settings), host.clock);
  });
  afterEach(async () => {
    cache.close();
    await host.close();
  });

  async function issue(userKey: string | null, g: GeneratedToken = generateToken()): Promise<GeneratedToken & { id: number }> {
    const salt = newSalt();
    const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 0, createdBy: 'x',
      validUntil: host.clock.now() + 86_400_000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
    if (!r.ok) throw new Error('insert');
    return { ...g, id: r.token.id };
  }

  const reasonOf = async (token: string, claimed: string | null = null): Promise<string> => {
    const r = await auth.authenticate(token, claimed);
    return r.ok ? `OK as ${r.user.key}` : r.reason;
  };

  /** Writes a column of a token's row directly (a damaged or hand-edited row). */
  const setColumns = async (publicId: string, values: Record<string, string>) => {
    const n = await host.ao.update(TOKEN_TABLE, values, `${host.ao.quote('PUBLIC_ID')} = ?`, [publicId]);
    expect(n).to.equal(1);
    await bus.publish({ kind: 'tokens', publicIds: [publicId] });
  };

  /** Renames a user of the fake directory, keeping its key (Jira's rename). */
  const rename = (key: string, name: string) => {
    const byKey = (host.users as unknown as { byKey: Map<string, { user: HostUser }> }).byKey;
    const stored = byKey.get(key)!;
    stored.user = Object.freeze({ ...stored.user, name });
  };

  // ---- shape and checksum ------------------------------------------------------------------------

  it('should take no close spelling of a valid token for a token, and read the database for none of them', async () => {
    const g = await issue('alice-key');
    const reads = host.ao.statements.reads;
    for (const [name, variant] of Object.entries(closeVariants(g.plainText))) {
      expect(parseToken(variant).kind, name).to.not.equal('valid');
      expect(await reasonOf(variant), name).to.be.oneOf(['UNKNOWN_TOKEN', 'BAD_CHECKSUM']);
    }
    expect(host.ao.statements.reads - reads, 'database reads for malformed tokens').to.equal(0);
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
  });

  it('should read no row for a token with a wrong checksum, whatever digit of the checksum is wrong', async () => {
    const g = await issue('alice-key');
    const reads = host.ao.statements.reads;
    const body = g.plainText.slice(0, -CHECKSUM_LENGTH);
    const checksum = g.plainText.slice(-CHECKSUM_LENGTH);
    for (let i = 0; i < CHECKSUM_LENGTH; i++) {
      for (const digit of ['0', '9', 'A', 'Z', 'a', 'z']) {
        if (checksum[i] === digit) continue;
        const forged = body + checksum.slice(0, i) + digit + checksum.slice(i + 1);
        expect(parseToken(forged).kind, forged).to.equal('bad-checksum');
        expect(await reasonOf(forged)).to.equal('BAD_CHECKSUM');
      }
    }
    // A checksum written with a leading digit above '4' encodes more than 2^32: no CRC-32 equals it.
    expect(parseToken(`${body}zzzzzz`).kind).to.equal('bad-checksum');
    expect(host.ao.statements.reads - reads).to.equal(0);
  });

  it('should refuse a token whose checksum the forger recomputed over an altered secret (the checksum is no authenticator)', async () => {
    const g = await issue('alice-key');
    for (let i = 0; i < 28; i += 9) {
      const secret = g.secret.slice(0, i) + (g.secret[i] === 'x' ? 'y' : 'x') + g.secret.slice(i + 1);
      const forged = formatToken(g.publicId, secret);
      expect(parseToken(forged).kind).to.equal('valid');
      expect(await reasonOf(forged)).to.equal('WRONG_SECRET');
    }
    // Case-swapped secret with a recomputed checksum: still another secret.
    expect(await reasonOf(formatToken(g.publicId, g.secret.toUpperCase() === g.secret ? g.secret.toLowerCase() : g.secret.toUpperCase()))).to.equal('WRONG_SECRET');
    // The right secret under a public id in another letter case: another row (or none), never this one.
    const otherCase = g.publicId.toUpperCase() === g.publicId ? g.publicId.toLowerCase() : g.publicId.toUpperCase();
    expect(await reasonOf(formatToken(otherCase, g.secret))).to.equal('UNKNOWN_TOKEN');
  });

  it('should refuse one token\'s secret under another token\'s public id (the hash binds the public id)', async () => {
    const a = await issue('alice-key');
    const b = await issue('bob-key');
    expect(await reasonOf(formatToken(a.publicId, b.secret))).to.equal('WRONG_SECRET');
    expect(await reasonOf(formatToken(b.publicId, a.secret))).to.equal('WRONG_SECRET');
    // Even when b's salt and hash are copied onto a's row, b's secret does not open a's row.
    const [bRow] = await host.ao.find(TOKEN_TABLE, { where: `${host.ao.quote('PUBLIC_ID')} = ?`, params: [b.publicId] });
    await setColumns(a.publicId, { SALT: String(bRow.SALT), HASH: String(bRow.HASH) });
    expect(await reasonOf(formatToken(a.publicId, b.secret))).to.equal('WRONG_SECRET');
    expect(await reasonOf(a.plainText)).to.equal('WRONG_SECRET');
  });

  // ---- the stored hash and salt ------------------------------------------------------------------

  it('should refuse, never throw, for a row whose hash or salt is damaged', async () => {
    const g = await issue('alice-key');
    const [row] = await host.ao.find(TOKEN_TABLE, { where: `${host.ao.quote('PUBLIC_ID')} = ?`, params: [g.publicId] });
    const salt = String(row.SALT);
    const hash = String(row.HASH);
    const damaged: Record<string, Record<string, string>> = {
      'empty hash': { HASH: '' },
      'hash of 63 hex digits': { HASH: hash.slice(0, -1) },
      'hash of 65 hex digits': { HASH: `${hash}0` },
      'hash as 32 raw bytes in latin1': { HASH: Buffer.from(hash, 'hex').toString('latin1') },
      'hash as base64': { HASH: Buffer.from(hash, 'hex').toString('base64') },
      'hash of 64 non-hex characters': { HASH: 'z'.repeat(64) },
      'hash with a NUL': { HASH: `${hash.slice(0, -1)}\u0000` },
      'empty salt': { SALT: '' },
      'salt of 63 hex digits': { SALT: salt.slice(0, -1) },
      'salt of non-hex characters': { SALT: 'z'.repeat(64) },
      'empty salt and hash': { SALT: '', HASH: '' },
    };
    for (const [name, values] of Object.entries(damaged)) {
      await setColumns(g.publicId, { SALT: salt, HASH: hash, ...values });
      let reason: string;
      try {
        reason = await reasonOf(g.plainText);
      } catch (err) {
        reason = `threw ${String(err)}`;
      }
      expect(reason, name).to.equal('WRONG_SECRET');
    }
    // The hash in upper case is the same value: still the token (hex is case-blind, the secret is not).
    await setColumns(g.publicId, { SALT: salt.toUpperCase(), HASH: hash.toUpperCase() });
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
  });

  // FINDING (low, hardening; fixed): the stored salt was never checked to be the 32 bytes (64 hex digits)
  // docs/token-format.md promises; secretMatches hashes whatever text the SALT column holds. A row
  // with an empty or short salt whose hash was computed over it verifies: an import or migration
  // that loses the salts degrades every such token to an unsalted SHA-256 without anyone noticing.
  it('should refuse a row whose salt is not 64 hex digits even when its hash was computed over that salt', async () => {
    const g = await issue('alice-key');
    const unsalted = (salt: string) => createHash('sha256').update(`${salt}:${g.publicId}:${g.secret}`).digest('hex');
    for (const salt of ['', '00', 'not-hex', '0'.repeat(62)]) {
      await setColumns(g.publicId, { SALT: salt, HASH: unsalted(salt) });
      expect(await reasonOf(g.plainText), JSON.stringify(salt)).to.equal('WRONG_SECRET');
    }
  });

  it('should keep a salt per token: two tokens never share a salt, and the same secret hashes differently under each', async () => {
    const a = await issue('alice-key');
    const b = await issue('alice-key', (() => {
      const publicId = generateToken().publicId;
      return { publicId, secret: a.secret, plainText: formatToken(publicId, a.secret) };
    })());
    const rows = await host.ao.find(TOKEN_TABLE, { where: `${host.ao.quote('PUBLIC_ID')} IN (?, ?)`, params: [a.publicId, b.publicId] });
    expect(rows).to.have.length(2);
    expect(rows[0].SALT).to.not.equal(rows[1].SALT);
    expect(rows[0].HASH).to.not.equal(rows[1].HASH);
    expect(String(rows[0].SALT)).to.match(/^[0-9a-f]{64}$/);
    expect(String(rows[0].HASH)).to.match(/^[0-9a-f]{64}$/);
  });

  // FINDING (low, documentation; fixed in the docs): docs/token-format.md said the hash is
  // compared with `crypto.timingSafeEqual`; SecretHasher compares the two hex digests with its own
  // loop (a Buffer digest per request costs more, bench/README.md). The docs now say so; this test
  // keeps the loop honest: it reads every character of both digests whatever position differs.
  it('should compare the secret\'s hash over the whole of both digests, wherever they differ first', () => {
    const salt = newSalt();
    const hash = hashSecret(salt, 'pub', 'secret').toString('hex');
    expect(secretMatches(salt.toString('hex'), hash, 'pub', 'secret')).to.equal(true);
    expect(secretMatches(salt.toString('hex'), hash, 'pub', 'secreT')).to.equal(false);
    const original = String.prototype.charCodeAt;
    for (const at of [0, 31, 63]) {
      const other = `${hash.slice(0, at)}${hash[at] === '0' ? '1' : '0'}${hash.slice(at + 1)}`;
      let reads = 0;
      String.prototype.charCodeAt = function (this: string, index: number) {
        reads++;
        return original.call(this, index);
      };
      let equal: boolean;
      try {
        equal = constantTimeEqual(other, hash);
      } finally {
        String.prototype.charCodeAt = original;
      }
      expect(equal, `differing at ${at}`).to.equal(false);
      expect(reads, `characters read, differing at ${at}`).to.equal(128);
    }
    expect(secretMatches(salt.toString('hex'), '', 'pub', 'secret'), 'an empty stored hash').to.equal(false);
  });

  it('should keep no plain secret in the credential cache, only the salt and the hash', async () => {
    const g = await issue('alice-key');
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
    expect(await reasonOf(formatToken(g.publicId, 'A'.repeat(28)))).to.equal('WRONG_SECRET');
    const entries = (cache as unknown as { entries: { values(): IterableIterator<TokenCredential> } }).entries;
    const cached = [...entries.values()];
    expect(cached).to.have.length(1);
    const credential = cached[0];
    const seen = [JSON.stringify(credential), inspect(credential, { showHidden: true, depth: 5 }), credential.saltHex, credential.hashHex,
      ...Object.values(credential).map((v) => String(v))].join('\n');
    expect(seen).to.not.include(g.secret);
    expect(seen).to.not.include(g.plainText);
    expect(credential.hashHex).to.match(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(credential)).to.not.include(credential.hashHex);
  });

  // ---- whom the token stands for ---------------------------------------------------------------

  it('should refuse Basic naming anyone but the owner: another user, the owner\'s key, an empty name, a padded name', async () => {
    const g = await issue('alice-key');
    expect(await reasonOf(g.plainText, 'alice')).to.equal('OK as alice-key');
    expect(await reasonOf(g.plainText, 'bob')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, 'bob@example.com')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, 'alice-key')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, '')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, ' alice')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, 'alice ')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, 'ａｌｉｃｅ')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText, g.plainText)).to.equal('USER_MISMATCH');
  });

  it('should run as the owner, never as the user whose name equals the owner\'s e-mail address', async () => {
    const g = await issue('alice-key');
    host.users.addUser({ name: 'alice@example.com', key: 'impostor-key', email: 'imp@example.com' });
    // The name is also the owner's e-mail address, which Basic accepts: the request is the owner's.
    expect(await reasonOf(g.plainText, 'alice@example.com')).to.equal('OK as alice-key');
  });

  it('should follow a renamed owner by key: Bearer and the new name work, the old name is refused, and never acts as its new holder', async () => {
    const g = await issue('alice-key');
    expect(await reasonOf(g.plainText, 'alice')).to.equal('OK as alice-key');
    rename('alice-key', 'alice2');
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
    expect(await reasonOf(g.plainText, 'alice2')).to.equal('OK as alice-key');
    expect(await reasonOf(g.plainText, 'alice')).to.equal('USER_MISMATCH');
    // Someone else now holds the old name: the token still names its owner only.
    host.users.addUser({ name: 'alice', key: 'new-alice-key', email: 'other@example.com' });
    expect(await reasonOf(g.plainText, 'alice')).to.equal('USER_MISMATCH');
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
  });

  it('should not let the old token act as a user re-created under the same name with a new key', async () => {
    const g = await issue('alice-key');
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
    host.users.deleteUser('alice');
    host.users.addUser({ name: 'alice', key: 'alice-key-2', email: 'alice@example.com' });
    expect(await reasonOf(g.plainText)).to.equal('USER_NOT_FOUND');
    expect(await reasonOf(g.plainText, 'alice')).to.equal('USER_NOT_FOUND');
  });

  it('should refuse the token of a deactivated owner at once, also when everything is cached', async () => {
    const g = await issue('alice-key');
    expect(await reasonOf(g.plainText)).to.equal('OK as alice-key');
    host.users.setActive('alice', false);
    expect(await reasonOf(g.plainText)).to.equal('USER_INACTIVE');
    expect(await reasonOf(g.plainText, 'alice')).to.equal('USER_INACTIVE');
  });

  // ---- how the header is read (the SPI's one reading, shared by the filter and the login) -------

  it('should read Bearer in any case and with extra spaces as the same token, and everything else as malformed or no credential', () => {
    const t = generateToken().plainText;
    for (const header of [`Bearer ${t}`, `bearer ${t}`, `BEARER ${t}`, `bEaReR ${t}`, `Bearer  ${t}`, `Bearer ${t}   `]) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'bearer', token: t });
    }
    for (const header of [`Bearer\t${t}`, `Bearer ${t}\t`, `Bearer "${t}"`, `Bearer ${t}, Basic YTpi`, `Bearer ${t},`, `Bearer ${t} x`,
      `Bearer\u00a0${t}`, `Bearer ${t}\u0000`, `Bearer ${t.slice(0, 20)}%5F${t.slice(21)}`, 'Bearer', 'Bearer ']) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'bearer', token: null });
    }
    for (const header of [`Token ${t}`, `${t}`, `Bearer-${t}`, `Bearer=${t}`, `ApiToken ${t}`]) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'other' });
    }
  });

  it('should read every base64 form of the same Basic bytes alike, and an empty user name or no colon as malformed', () => {
    const t = generateToken().plainText;
    const bytes = Buffer.from(`alice:${t}`);
    const standard = bytes.toString('base64');
    const forms = [standard, standard.replace(/=+$/, ''), bytes.toString('base64url'), `${bytes.toString('base64url')}${'='.repeat((4 - (bytes.toString('base64url').length % 4)) % 4)}`];
    for (const form of forms) {
      expect(readAuthorization(`Basic ${form}`), form).to.deep.equal({ scheme: 'basic', credentials: { userName: 'alice', password: t } });
    }
    expect(readAuthorization(`Basic ${Buffer.from(`:${t}`).toString('base64')}`)).to.deep.equal({ scheme: 'basic', credentials: null });
    expect(readAuthorization(`Basic ${Buffer.from(t).toString('base64')}`)).to.deep.equal({ scheme: 'basic', credentials: null });
    expect(readAuthorization(`Basic ${standard}!`)).to.deep.equal({ scheme: 'basic', credentials: null });
    expect(readAuthorization(`Basic ${standard.slice(0, 8)}=${standard.slice(8)}`)).to.deep.equal({ scheme: 'basic', credentials: null });
    // A colon after the token stays in the password: no longer a token's length.
    const colon = readAuthorization(`Basic ${Buffer.from(`alice:${t}:x`).toString('base64')}`);
    expect(colon).to.deep.equal({ scheme: 'basic', credentials: { userName: 'alice', password: `${t}:x` } });
    expect(parseToken(`${t}:x`).kind).to.equal('not-a-token');
  });

  it('should compute the documented checksum of the worked example', () => {
    expect(tokenChecksum(`apitok_Abc123Def456_${'x'.repeat(28)}`)).to.equal('1gCk94');
  });
});
