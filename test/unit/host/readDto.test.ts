// The host's REST input: request bodies and queries read into class-validator DTOs. Only own
// properties of the user's JSON are fields, every field name (even "__proto__") can be reported,
// unknown fields are refused, and each message names the field and its real limits.
import { expect } from 'chai';
import type { Request } from 'express';
import { ClockBody, AuditQuery, SessionBody } from '../../../host-sim/rest/common/commonDtos';
import { NewContentBody } from '../../../host-sim/rest/confluence/confluenceDtos';
import { MAX_BODY_DEPTH, readBody, readQuery } from '../../../host-sim/rest/dto/readDto';
import { HttpError, type Message } from '../../../host-sim/rest/HttpError';
import { IssueEditBody, NewFilterBody, NewIssueBody, NewUserBody, SearchQuery } from '../../../host-sim/rest/jira/jiraDtos';

const ISSUE = { unprefixed: ['fields'] };
const body = (json: string): Request => ({ body: JSON.parse(json) as unknown }) as Request;
const query = (q: Record<string, string | string[]>): Request => ({ query: q }) as unknown as Request;

/** The HttpError a read throws (fails the test when it does not throw). */
function refusal(read: () => unknown): HttpError {
  try {
    read();
  } catch (err) {
    expect(err).to.be.instanceOf(HttpError);
    return err as HttpError;
  }
  return expect.fail('expected a 400') as never;
}

function fieldErrors(read: () => unknown): Record<string, Message> {
  const err = refusal(read);
  expect(err.code).to.equal('VALIDATION_FAILED');
  return { ...(err.fieldErrors ?? {}) };
}

describe('readDto', () => {
  describe('bodies', () => {
    it('should read a valid body into the DTO class', () => {
      const issue = readBody(body('{"fields":{"project":{"key":"TEST"},"summary":"s","issuetype":{"name":"Bug"}}}'), NewIssueBody, ISSUE);
      expect(issue).to.be.instanceOf(NewIssueBody);
      expect(issue.fields.project.key).to.equal('TEST');
      expect(issue.fields.issuetype.name).to.equal('Bug');
    });

    it('should refuse a body that is not a JSON object, and one nested too deeply', () => {
      for (const json of ['[]', 'null', '"text"', '42']) {
        const err = refusal(() => readBody(body(json), SessionBody));
        expect(err.code, json).to.equal('BAD_REQUEST');
        expect(err.detail?.key, json).to.equal('hostsim.validation.body');
      }
      const deep = `{"username":"a","password":"b","x":${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}}`;
      expect(refusal(() => readBody(body(deep), SessionBody)).detail).to.deep.equal({ key: 'hostsim.validation.depth', args: [MAX_BODY_DEPTH] });
    });

    it('should report missing, wrong and unknown fields at once, one message each', () => {
      const errors = fieldErrors(() => readBody(body('{"name":["a"],"password":{},"emailAddress":1,"colour":"red"}'), NewUserBody));
      expect(errors).to.deep.equal({
        name: { key: 'hostsim.validation.string', args: ['name', 255] },
        password: { key: 'hostsim.validation.string', args: ['password', 32767] },
        emailAddress: { key: 'hostsim.validation.string', args: ['emailAddress', 255] },
        displayName: { key: 'hostsim.validation.required', args: ['displayName'] },
        colour: { key: 'hostsim.validation.unknownField', args: ['colour'] },
      });
    });

    it('should treat null and "" as absent, and report them as missing when required', () => {
      expect(readBody(body('{"name":"x","favourite":null,"jql":""}'), NewFilterBody)).to.include({ name: 'x', favourite: undefined, jql: undefined });
      expect(fieldErrors(() => readBody(body('{"name":""}'), NewFilterBody))).to.deep.equal({ name: { key: 'hostsim.validation.required', args: ['name'] } });
      expect(fieldErrors(() => readBody(body('{"name":null}'), NewFilterBody))).to.deep.equal({ name: { key: 'hostsim.validation.required', args: ['name'] } });
    });

    it('should name the real limits of a number, not only its type', () => {
      for (const value of ['1e300', '1.5', '"5"', '-3162240000001']) {
        expect(fieldErrors(() => readBody(body(`{"offsetMillis":${value}}`), ClockBody)), value).to.deep.equal({
          offsetMillis: { key: 'hostsim.validation.integerRange', args: ['offsetMillis', -3162240000000, 3162240000000] },
        });
      }
      expect(readBody(body('{"offsetMillis":-3162240000000}'), ClockBody).offsetMillis).to.equal(-3162240000000);
    });

    it('should report Jira issue fields without the "fields." prefix and nested ones with their path', () => {
      const errors = fieldErrors(() => readBody(body('{"fields":{"project":{"key":"lower"},"summary":"x","issuetype":[]}}'), NewIssueBody, ISSUE));
      expect(errors).to.deep.equal({
        'project.key': { key: 'hostsim.issue.project', args: ['project.key'] },
        issuetype: { key: 'hostsim.validation.object', args: ['issuetype'] },
      });
      expect(fieldErrors(() => readBody(body('{"fields":{"project":{"key":5},"summary":"x","issuetype":{}}}'), NewIssueBody, ISSUE)))
        .to.deep.equal({ 'project.key': { key: 'hostsim.validation.string', args: ['project.key', 10] } });
      expect(fieldErrors(() => readBody(body('{"fields":"nope"}'), NewIssueBody, ISSUE))).to.have.keys(['fields']);
      expect(fieldErrors(() => readBody(body('{"space":{"key":"a b"},"type":"page","title":"t","body":{"storage":{"representation":"wiki"}}}'), NewContentBody)))
        .to.have.keys(['space.key', 'body.storage.representation']);
    });

    it('should keep an edit\'s absent summary, and refuse an empty one', () => {
      expect(readBody(body('{"fields":{"description":"d"}}'), IssueEditBody, ISSUE).fields.summary).to.equal(undefined);
      expect(fieldErrors(() => readBody(body('{"fields":{"summary":""}}'), IssueEditBody, ISSUE))).to.have.keys(['summary']);
    });
  });

  describe('prototype keys', () => {
    it('should report "__proto__" and "constructor" as unknown fields at every level instead of losing them', () => {
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const top = fieldErrors(() => readBody(body(`{${JSON.stringify(name)}:{},"username":"a","password":"b"}`), SessionBody));
        expect(top, name).to.deep.equal({ [name]: { key: 'hostsim.validation.unknownField', args: [name] } });
        const nested = fieldErrors(() => readBody(body(`{"fields":{${JSON.stringify(name)}:{"summary":"x"},"summary":"Changed"}}`), IssueEditBody, ISSUE));
        expect(Object.keys(nested), name).to.deep.equal([name]);
      }
    });

    it('should not take a missing field from Object.prototype or from a "__proto__" object', () => {
      const errors = fieldErrors(() => readBody(body('{"fields":{"__proto__":{"project":{"key":"TEST"},"summary":"s","issuetype":{"name":"Bug"}}}}'), NewIssueBody, ISSUE));
      expect(Object.keys(errors).sort()).to.deep.equal(['__proto__', 'issuetype', 'project', 'summary']);
      const login = fieldErrors(() => readBody(body('{"__proto__":{"username":"admin","password":"admin"}}'), SessionBody));
      expect(Object.keys(login).sort()).to.deep.equal(['__proto__', 'password', 'username']);
      expect(({} as Record<string, unknown>).username).to.equal(undefined);
    });
  });

  describe('queries', () => {
    it('should convert whole numbers, ignore unknown parameters and refuse repeated or malformed ones', () => {
      expect(readQuery(query({ jql: 'project = TEST', startAt: '10', maxResults: '5000', expand: 'names' }), SearchQuery))
        .to.include({ jql: 'project = TEST', startAt: 10, maxResults: 5000 });
      expect(fieldErrors(() => readQuery(query({ jql: ['a', 'b'] }), SearchQuery))).to.have.keys(['jql']);
      for (const bad of ['-1', '1e9', 'x', '2147483648']) {
        expect(fieldErrors(() => readQuery(query({ jql: 'project = TEST', startAt: bad }), SearchQuery)), bad).to.deep.equal({
          startAt: { key: 'hostsim.validation.integerRange', args: ['startAt', 0, 2147483647] },
        });
      }
      expect(fieldErrors(() => readQuery(query({}), SearchQuery))).to.deep.equal({ jql: { key: 'hostsim.validation.required', args: ['jql'] } });
    });

    it('should accept epoch millis or ISO dates for the audit window', () => {
      expect(readQuery(query({ from: '1700000000000', to: '2026-01-01T00:00:00Z' }), AuditQuery)).to.include({ from: '1700000000000', to: '2026-01-01T00:00:00Z' });
      expect(fieldErrors(() => readQuery(query({ from: 'yesterday' }), AuditQuery))).to.deep.equal({ from: { key: 'hostsim.validation.instant', args: ['from'] } });
    });
  });
});
