import { AoTokenStore } from '../../../../plugin/ao/AoTokenStore';
import type { Token } from '../../../../plugin/ao/Token';
import { generateStringId, generateToken, type GeneratedToken } from '../../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../../plugin/token/SecretHasher';
import type { FakeHost } from '../../../support/spi-fakes';

/** Stores a token row directly (no service, no invalidation): `userKey`'s, of `generated` (default: a fresh token). */
export async function insertToken(host: FakeHost, userKey = 'alice', generated: GeneratedToken = generateToken()): Promise<Token> {
  const salt = newSalt();
  const r = await new AoTokenStore(host.ao).insert({
    publicId: generated.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1, createdBy: userKey,
    validUntil: 2, scope: 2, salt, hash: hashSecret(salt, generated.publicId, generated.secret), restrictions: null,
  }, 100);
  if (!r.ok) throw new Error('insert');
  return r.token;
}
