// REST bodies as user JSON: jsonObjectBody refuses the prototype keys `__proto__`,
// `constructor` and `prototype` at any depth (400 naming the path), and BodyValidation reads
// and reports only own properties (issue 11, part E).
import { expect } from 'chai';
import type { Request } from 'express';
import { ApiError } from '../../../plugin/errors/ApiError';
import { BodyValidation } from '../../../plugin/rest/BodyValidation';
import { jsonObjectBody } from '../../../plugin/rest/RestSupport';

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

describe('BodyValidation', () => {
  it('should report an inherited name as an unknown field, not read it from Object.prototype', () => {
    for (const key of ['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
      const v = new BodyValidation(JSON.parse(`{${JSON.stringify(key)}:"x"}`) as Record<string, unknown>, ['tokenDescription']);
      expect(ownKeys(validationErrorOf(() => v.done())), key).to.deep.equal([key]);
    }
  });

  it('should keep "__proto__" as an own unknown field in its errors', () => {
    const v = new BodyValidation(JSON.parse('{"__proto__":{"tokenDescription":"x"}}') as Record<string, unknown>, ['tokenDescription']);
    expect(v.description('tokenDescription', false)).to.equal(undefined);
    expect(ownKeys(validationErrorOf(() => v.done()))).to.deep.equal(['__proto__']);
  });

  it('should not take an allowed field name from the prototype chain', () => {
    const body = Object.create({ tokenDescription: 'inherited', label: 'inherited' }) as Record<string, unknown>;
    const v = new BodyValidation(body, ['tokenDescription', 'label']);
    expect(v.description('tokenDescription', false)).to.equal(undefined);
    expect(v.raw('label')).to.equal(undefined);
    v.done();
  });
});
