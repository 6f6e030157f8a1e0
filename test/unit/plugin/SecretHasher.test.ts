import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { TokenCredential } from '../../../plugin/ao/Token';
import { constantTimeEqual, hashSecret, newSalt, secretMatches } from '../../../plugin/token/SecretHasher';

describe('SecretHasher', () => {
  it('should accept the right secret and refuse a wrong one or another public id', () => {
    const salt = newSalt().toString('hex');
    const hash = hashSecret(Buffer.from(salt, 'hex'), 'pub', 'secret').toString('hex');
    expect(secretMatches(salt, hash, 'pub', 'secret')).to.equal(true);
    expect(secretMatches(salt, hash, 'pub', 'secreT')).to.equal(false);
    expect(secretMatches(salt, hash, 'other', 'secret')).to.equal(false);
    expect(secretMatches(newSalt().toString('hex'), hash, 'pub', 'secret')).to.equal(false);
    expect(secretMatches(salt, hash.slice(0, -2), 'pub', 'secret')).to.equal(false);
  });

  it('should compare strings by content and length only', () => {
    expect(constantTimeEqual('abc', 'abc')).to.equal(true);
    expect(constantTimeEqual('abc', 'abd')).to.equal(false);
    expect(constantTimeEqual('abc', 'abcd')).to.equal(false);
    expect(constantTimeEqual('', '')).to.equal(true);
  });

  it('should be SHA-256 over the hex salt, the public id and the secret', () => {
    const salt = Buffer.alloc(32, 7);
    const expected = createHash('sha256').update(`${'07'.repeat(32)}:pub:secret`).digest();
    expect(hashSecret(salt, 'pub', 'secret').equals(expected)).to.equal(true);
  });

  it('should never serialise or inspect the salt and hash of a credential', () => {
    const salt = newSalt();
    const hash = hashSecret(salt, 'pub', 'secret');
    const credential = new TokenCredential(7, 'pub', 'admin', 'd', 1, 2, null, 1, salt.toString('hex'), hash.toString('hex'));
    const json = JSON.stringify(credential);
    expect(json).to.not.include(hash.toString('hex'));
    expect(json).to.not.include(salt.toString('hex'));
    expect(inspect(credential)).to.equal('TokenCredential(7)');
    expect(credential.hashHex).to.equal(hash.toString('hex'));
  });
});
