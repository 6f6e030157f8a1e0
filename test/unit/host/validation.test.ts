// The host's REST input reader: only own properties of the user's JSON are fields, and
// every field name (even "__proto__") can be reported as a problem (issue 11, part E).
import { expect } from 'chai';
import { HttpError } from '../../../host-sim/rest/HttpError';
import { FieldReader } from '../../../host-sim/rest/validation';

const parse = (json: string): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;

function fieldErrorsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HttpError);
    return Object.keys((err as HttpError).fieldErrors ?? {}).sort();
  }
  return [];
}

describe('FieldReader own-property checks', () => {
  it('should not see names inherited from Object.prototype as present fields', () => {
    const fields = new FieldReader(parse('{}'));
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']) {
      expect(fields.has(name), name).to.equal(false);
      expect(fields.string(name), name).to.equal(undefined);
      expect(fields.integer(name), name).to.equal(undefined);
      expect(fields.boolean(name), name).to.equal(undefined);
      expect(fields.oneOf(name, ['a'] as const), name).to.equal(undefined);
      expect(fields.object(name), name).to.equal(undefined);
    }
    expect(fieldErrorsOf(() => fields.done())).to.deep.equal([]);
  });

  it('should report a missing required field even when Object.prototype has that name', () => {
    const fields = new FieldReader(parse('{}'));
    fields.string('constructor', { required: true });
    fields.object('toString', { required: true });
    expect(fieldErrorsOf(() => fields.done())).to.deep.equal(['constructor', 'toString']);
  });

  it('should read "__proto__" given in the JSON as an ordinary own field', () => {
    const fields = new FieldReader(parse('{"__proto__": "text"}'));
    expect(fields.has('__proto__')).to.equal(true);
    expect(fields.string('__proto__')).to.equal('text');
  });

  it('should report a rejected "__proto__" field instead of losing it', () => {
    const fields = new FieldReader(parse('{"fields": {"__proto__": {"summary": "x"}}}'));
    const nested = fields.object('fields', { nestedPrefix: '' });
    nested?.reject('__proto__', { key: 'hostsim.validation.unknownField', args: ['__proto__'] });
    expect(nested?.string('summary')).to.equal(undefined);
    expect(fieldErrorsOf(() => fields.done())).to.deep.equal(['__proto__']);
  });
});
