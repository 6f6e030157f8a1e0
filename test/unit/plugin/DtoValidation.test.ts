// REST bodies as user JSON: jsonObjectBody refuses the prototype keys `__proto__`,
// `constructor` and `prototype` at any depth (400 naming the path), and the DTO check reads
// and reports only own properties (issue 11, part E; class-validator DTOs since issue 15).
import { expect } from 'chai';
import type { Request } from 'express';
import { ApiError } from '../../../plugin/errors/ApiError';
import { BulkDeleteBody, LookupBody, RevokeBody } from '../../../plugin/rest/dto/IncidentBodies';
import { ApiTokenBody, CreateTokenBody } from '../../../plugin/rest/dto/TokenBodies';
import { TokenFilterParams, TokensByFilterQuery } from '../../../plugin/rest/dto/TokenQueries';
import { jsonObjectBody } from '../../../plugin/rest/RestSupport';
import { SettingsChange } from '../../../plugin/service/SettingsChange';
import { checkDto } from '../../../plugin/validation/checkDto';

const requestWith = (json: string): Request => ({ body: JSON.parse(json) as unknown, headers: { 'content-length': String(json.length) } }) as unknown as Request;

function validationErrorOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ApiError);
    expect((err as ApiError).code).to.equal('VALIDATION_FAILED');
    return { ...(err as ApiError).fieldErrors };
  }
  expect.fail('expected a 400 VALIDATION_FAILED');
}

const ownKeys = (o: object): string[] => Object.keys(o).sort();

describe('jsonObjectBody', () => {
  it('should pass a body without prototype keys through unchanged', () => {
    const body = jsonObjectBody(requestWith('{"tokenDescription":"x","restrictions":{"rules":[{"method":"GET","urlPattern":".*"}]}}'));
    expect(body).to.deep.equal({ tokenDescription: 'x', restrictions: { rules: [{ method: 'GET', urlPattern: '.*' }] } });
  });

  it('should refuse __proto__, constructor and prototype at the top level', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const errors = validationErrorOf(() => jsonObjectBody(requestWith(`{"tokenDescription":"x",${JSON.stringify(key)}:{"a":1}}`)));
      expect(ownKeys(errors), key).to.deep.equal([key]);
      expect(Object.getOwnPropertyDescriptor(errors, key)?.value).to.deep.equal({ key: 'reservedKey' });
    }
  });

  it('should refuse them at any depth and name the path', () => {
    const errors = validationErrorOf(() => jsonObjectBody(requestWith(
      '{"restrictions":{"rules":[{"method":"GET"},{"conditions":{"constructor":{"prototype":1}}}]},"a":[[{"__proto__":null}]]}')));
    expect(ownKeys(errors)).to.deep.equal(['a[0][0].__proto__', 'restrictions.rules[1].conditions.constructor']);
  });

  it('should walk a deeply nested body without running out of stack', () => {
    const depth = 30000;
    const json = `${'{"a":'.repeat(depth)}{"prototype":1}${'}'.repeat(depth)}`;
    const errors = validationErrorOf(() => jsonObjectBody(requestWith(json)));
    expect(ownKeys(errors)).to.have.length(1);
    expect(ownKeys(errors)[0]).to.match(/\.prototype$/);
  });

  it('should name at most ten paths', () => {
    const json = `[${Array.from({ length: 50 }, () => '{"constructor":1}').join(',')}]`;
    const errors = validationErrorOf(() => jsonObjectBody(requestWith(`{"list":${json}}`)));
    expect(ownKeys(errors)).to.have.length(10);
  });
});

describe('checkDto', () => {
  const refuse = { unknown: 'refuse' } as const;

  it('should report an inherited name as an unknown field, not read it from Object.prototype', () => {
    for (const key of ['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
      const { errors } = checkDto(CreateTokenBody, JSON.parse(`{${JSON.stringify(key)}:"x"}`) as Record<string, unknown>, refuse);
      expect(ownKeys(errors), key).to.deep.equal([key]);
      expect(Object.getOwnPropertyDescriptor(errors, key)?.value).to.deep.equal({ key: 'unknownField' });
    }
  });

  it('should keep "__proto__" as an own unknown field in its errors and never read through it', () => {
    const { value, errors } = checkDto(CreateTokenBody, JSON.parse('{"__proto__":{"tokenDescription":"x"}}') as Record<string, unknown>, refuse);
    expect(value.tokenDescription).to.equal(undefined);
    expect(ownKeys(errors)).to.deep.equal(['__proto__']);
  });

  it('should not take an allowed field name from the prototype chain', () => {
    const body = Object.create({ tokenDescription: 'inherited', label: 'inherited' }) as Record<string, unknown>;
    const { value, errors } = checkDto(ApiTokenBody, body, refuse);
    expect(value.label).to.equal(undefined);
    expect(ownKeys(errors)).to.deep.equal([]);
  });

  it('should report each wrong field with the documented key and real limits', () => {
    const { errors } = checkDto(CreateTokenBody, {
      tokenDescription: 'a\u0001b', tokenValidityTimeInMonths: 1e300, tokenExpirationDateTime: '', tokenExpirationDateTimeMillis: -1,
      tokenScope: 3, tokenForUserKey: 'x'.repeat(256), userless: 'yes', sudo: 1,
    }, refuse);
    expect({ ...errors }).to.deep.equal({
      tokenDescription: { key: 'description', args: [255] },
      tokenValidityTimeInMonths: { key: 'positiveInteger', args: [] },
      tokenExpirationDateTime: { key: 'stringLength', args: [1, 40] },
      tokenExpirationDateTimeMillis: { key: 'positiveInteger', args: [] },
      tokenScope: { key: 'oneOf', args: ['0, 1, 2'] },
      tokenForUserKey: { key: 'stringLength', args: [1, 255] },
      userless: { key: 'boolean', args: [] },
      sudo: { key: 'boolean', args: [] },
    });
  });

  it('should refuse a description with a C1 control, a line separator or a bidirectional mark, and keep other scripts', () => {
    // A right-to-left override could make a description read like another token's (review of 2026-12-02).
    for (const odd of ['evil\u202Etxt.exe', 'a\u2066b\u2069', 'a\u200Fb', 'a\u2028b', 'a\u0085b', 'a\u061Cb']) {
      const { errors } = checkDto(CreateTokenBody, { tokenDescription: odd }, refuse);
      expect({ ...errors }, JSON.stringify(odd)).to.deep.equal({ tokenDescription: { key: 'description', args: [255] } });
    }
    for (const fine of ['Nächtlicher Export', 'تصدير ليلي', 'ночной экспорт', 'بخش\u200Cها', 'CI 👨\u200D👩\u200D👧']) {
      expect(ownKeys(checkDto(CreateTokenBody, { tokenDescription: fine }, refuse).errors), fine).to.deep.equal([]);
    }
  });

  it('should trim a description and take null or a blank one as not given', () => {
    expect(checkDto(CreateTokenBody, { tokenDescription: '  CI  ' }, refuse).value.tokenDescription).to.equal('CI');
    for (const blank of [null, '', '   ']) {
      const { value, errors } = checkDto(CreateTokenBody, { tokenDescription: blank }, refuse);
      expect(value.tokenDescription, String(blank)).to.equal(undefined);
      expect(ownKeys(errors)).to.deep.equal([]);
    }
  });

  it('should hand restrictions and a bulk filter over exactly as given, inherited names included', () => {
    const restrictions = JSON.parse('{"hasOwnProperty":[],"rules":[{"method":"GET","urlPattern":".*"}]}') as unknown;
    expect(checkDto(CreateTokenBody, { restrictions }, refuse).value.restrictions).to.equal(restrictions);
    const filter = JSON.parse('{"toString":1,"userFilter":"admin"}') as Record<string, unknown>;
    expect(checkDto(BulkDeleteBody, { filter }, refuse).value.filter).to.equal(filter);
    expect(ownKeys(checkDto(TokenFilterParams, filter, { unknown: 'refuse', prefix: 'filter.' }).errors)).to.deep.equal(['filter.toString']);
  });

  it('should read query parameters as the documented types and name each problem', () => {
    const ok = checkDto(TokensByFilterQuery, { page: '00000000000000000000001', limit: '9007199254740993', sort: 'user', userFilter: ['a', '', 'b'], notValidAfter: '-1', tokenScope: '0' }, { unknown: 'ignore' });
    expect({ ...ok.errors }).to.deep.equal({});
    expect(ok.value).to.include({ page: 1, limit: Number.MAX_SAFE_INTEGER, sort: 'user', notValidAfter: -1, tokenScope: 0 });
    expect(ok.value.userFilter).to.deep.equal(['a', 'b']);
    const bad = checkDto(TokensByFilterQuery, {
      page: '-1', limit: '0', order: 'up', format: ['json', 'csv'], fromCreated: '1.5', tokenScope: '3', descriptionFilter: 'x'.repeat(256),
      userFilter: Array.from({ length: 101 }, (_, i) => `u${i}`), expand: 'anything',
    }, { unknown: 'ignore' });
    expect({ ...bad.errors }).to.deep.equal({
      page: { key: 'nonNegativeInteger', args: [] }, limit: { key: 'positiveInteger', args: [] }, order: { key: 'oneOf', args: ['asc, desc'] },
      format: { key: 'single', args: [] }, fromCreated: { key: 'epochMillis', args: [] }, tokenScope: { key: 'oneOf', args: ['0, 1, 2'] },
      descriptionFilter: { key: 'stringLength', args: [0, 255] }, userFilter: { key: 'stringList', args: [100] },
    });
  });

  it('should ask for exactly one of two alternatives', () => {
    expect({ ...checkDto(LookupBody, {}, refuse).errors }).to.deep.equal({ token: { key: 'oneOfFields', args: ['token, publicId'] } });
    expect({ ...checkDto(LookupBody, { token: 'a', publicId: 'b' }, refuse).errors }).to.deep.equal({ token: { key: 'oneOfFields', args: ['token, publicId'] } });
    expect({ ...checkDto(LookupBody, { publicId: '' }, refuse).errors }).to.deep.equal({ publicId: { key: 'stringLength', args: [1, 1000] } });
    expect({ ...checkDto(BulkDeleteBody, { ids: [1, 0] }, refuse).errors }).to.deep.equal({ ids: { key: 'idList', args: [1000] } });
    expect({ ...checkDto(BulkDeleteBody, { filter: [] }, refuse).errors }).to.deep.equal({ filter: { key: 'object', args: [] } });
    expect({ ...checkDto(RevokeBody, {}, refuse).errors }).to.deep.equal({ tokens: { key: 'tokenList', args: [100] } });
  });

  it('should check settings as documented: given values must be valid, null included', () => {
    const { errors } = checkDto(SettingsChange, {
      maxValidityMonths: null, maxTokensPerUser: 100001, authSchemes: 'token', notifyOnNewIp: 'yes', tokenUserGroups: ['a', ' '],
      ipAllowlist: ['10.0.0.0/8', '1.2.3.4/40'], expiryWarningDays: [7, 7], pruneExpiredAfterDays: 0,
    }, refuse);
    expect({ ...errors }).to.deep.equal({
      maxValidityMonths: { key: 'integerRange', args: [1, 1200] }, maxTokensPerUser: { key: 'integerRange', args: [1, 100000] },
      authSchemes: { key: 'oneOf', args: ['basic, bearer, both'] }, notifyOnNewIp: { key: 'boolean', args: [] },
      tokenUserGroups: { key: 'stringList', args: [100] }, ipAllowlist: { key: 'ipList', args: [100] }, expiryWarningDays: { key: 'dayList', args: [] },
    });
  });
});

