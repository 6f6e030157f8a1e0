// The nesting-depth measures behind the host's JSON body limit: a scan of the raw UTF-8 text
// (brackets outside strings) and a walk of a parsed value, both without recursion.
import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, jsonTextNestsDeeper, jsonValueNestsDeeper } from '../../../host-sim/web/jsonDepth';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('jsonDepth', () => {
  describe('jsonTextNestsDeeper', () => {
    it('should count the body itself as level 1 and refuse one level above the limit', () => {
      expect(jsonTextNestsDeeper(utf8('{}'), 1)).to.equal(false);
      expect(jsonTextNestsDeeper(utf8('{"a":[]}'), 1)).to.equal(true);
      expect(jsonTextNestsDeeper(utf8(arrays(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).to.equal(false);
      expect(jsonTextNestsDeeper(utf8(arrays(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).to.equal(true);
      expect(jsonTextNestsDeeper(utf8(`[${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}]`), MAX_JSON_DEPTH)).to.equal(true);
    });

    it('should measure the deepest point, not the number of brackets', () => {
      const wide = `[${Array.from({ length: 10_000 }, () => '[{}]').join(',')}]`;
      expect(jsonTextNestsDeeper(utf8(wide), 3)).to.equal(false);
      expect(jsonTextNestsDeeper(utf8(wide), 2)).to.equal(true);
    });

    it('should not count brackets inside strings, escaped quotes and backslashes included', () => {
      for (const text of [
        `{"a":"${'[{'.repeat(500)}"}`,
        `{"a":"\\"${'['.repeat(500)}"}`,
        `{"a":"\\\\","b":"${'['.repeat(500)}"}`,
        `{"${'['.repeat(500)}":1}`,
        `{"a":"é€😀${'{'.repeat(500)}"}`,
      ]) {
        expect(JSON.parse(text), text.slice(0, 20)).to.be.an('object');
        expect(jsonTextNestsDeeper(utf8(text), 1), text.slice(0, 20)).to.equal(false);
      }
      expect(jsonTextNestsDeeper(utf8(`{"a":"\\\\",${'"b":{'.repeat(3)}}}}}`), 3)).to.equal(true);
    });

    it('should scan a million levels (the whole 1 MB) without recursion', () => {
      expect(jsonTextNestsDeeper(utf8('['.repeat(1_000_000)), MAX_JSON_DEPTH)).to.equal(true);
      expect(jsonTextNestsDeeper(utf8(`"${'['.repeat(1_000_000)}"`), MAX_JSON_DEPTH)).to.equal(false);
    });
  });

  describe('jsonValueNestsDeeper', () => {
    it('should count the value itself as level 1; scalars nest 0 levels', () => {
      for (const scalar of [undefined, null, 1, 'x', true]) expect(jsonValueNestsDeeper(scalar, 0)).to.equal(false);
      expect(jsonValueNestsDeeper({}, 0)).to.equal(true);
      expect(jsonValueNestsDeeper({ a: [1, { b: 'c' }] }, 3)).to.equal(false);
      expect(jsonValueNestsDeeper({ a: [1, { b: {} }] }, 3)).to.equal(true);
    });

    it('should walk a parsed value 100,000 levels deep without recursion', () => {
      expect(jsonValueNestsDeeper(JSON.parse(arrays(100_000)), MAX_JSON_DEPTH)).to.equal(true);
    });

    it('should agree with the text scan on any JSON value', () => {
      fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(jsonTextNestsDeeper(utf8(text), max)).to.equal(jsonValueNestsDeeper(JSON.parse(text), max));
      }), { numRuns: 500 });
    });
  });
});
