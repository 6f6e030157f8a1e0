import { expect } from 'chai';
import type { PasswordEncoder } from '../../../host-sim/impl/users/PasswordEncoder';
import { Pkcs5S2PasswordEncoder } from '../../../host-sim/impl/users/Pkcs5S2PasswordEncoder';
import { RememberingPasswordEncoder } from '../../../host-sim/impl/users/RememberingPasswordEncoder';

/** The real encoder, counting the PBKDF2 runs it is asked for. */
class CountingEncoder implements PasswordEncoder {
  readonly real = new Pkcs5S2PasswordEncoder();
  encodes = 0;
  checks = 0;
  encode(password: string): Promise<string> { this.encodes++; return this.real.encode(password); }
  matches(password: string, encoded: string | null): Promise<boolean> { this.checks++; return this.real.matches(password, encoded); }
}

describe('RememberingPasswordEncoder (test hosts only)', () => {
  it('should give the wrapped encoder\'s answers and check a verified password only once per stored hash', async () => {
    const inner = new CountingEncoder();
    const encoder = new RememberingPasswordEncoder(inner);
    const hash = await inner.real.encode('s3cret');
    for (let i = 0; i < 5; i++) expect(await encoder.matches('s3cret', hash)).to.equal(true);
    expect(inner.checks).to.equal(1);
    const other = await inner.real.encode('s3cret');
    expect(await encoder.matches('s3cret', other)).to.equal(true);
    expect(inner.checks).to.equal(2);
  });

  it('should check a wrong password in full every time, and never accept it after a right one', async () => {
    const inner = new CountingEncoder();
    const encoder = new RememberingPasswordEncoder(inner);
    const hash = await inner.real.encode('right');
    expect(await encoder.matches('right', hash)).to.equal(true);
    for (const wrong of ['wrong', 'right ', 'Right', '']) expect(await encoder.matches(wrong, hash)).to.equal(false);
    expect(await encoder.matches('wrong', hash)).to.equal(false);
    expect(inner.checks).to.equal(6);
  });

  it('should refuse a password against a damaged or missing hash, as the wrapped encoder does', async () => {
    const encoder = new RememberingPasswordEncoder(new Pkcs5S2PasswordEncoder());
    expect(await encoder.matches('x', null)).to.equal(false);
    expect(await encoder.matches('x', '{PKCS5S2}AAAA')).to.equal(false);
    expect(await encoder.matches('x', 'x')).to.equal(false);
  });

  it('should encode one password once and give hashes the real encoder verifies', async () => {
    const inner = new CountingEncoder();
    const encoder = new RememberingPasswordEncoder(inner);
    const [a, b] = await Promise.all([encoder.encode('pw'), encoder.encode('pw')]);
    expect(a).to.equal(b);
    expect(inner.encodes).to.equal(1);
    expect(await new Pkcs5S2PasswordEncoder().matches('pw', a)).to.equal(true);
    expect(await encoder.encode('other')).to.not.equal(a);
  });

  it('should leave the production encoder salting every hash anew', async () => {
    const real = new Pkcs5S2PasswordEncoder();
    expect(await real.encode('pw')).to.not.equal(await real.encode('pw'));
  });
});
