import { expect } from 'chai';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { viewStoredRestrictions } from '../../../plugin/restrictions/storedRestrictions';
import type { RestrictionRequest } from '../../../plugin/restrictions/RestrictionSupport';

const request: RestrictionRequest = { method: 'GET', path: '/rest/api/2/myself', query: {}, headers: {}, ip: '10.1.2.3' };

/** Stored values: what this version writes, and what another version (or damage) may leave. */
const STORED = [
  '{"rules":[{"method":"GET","urlPattern":".*/myself"}],"ipAllowlist":[]}',
  '{"rules":[],"ipAllowlist":["10.0.0.0/8"]}',
  '{"rules":[{"urlPattern":".*"}],"ipAllowlist":["10.0.0.0/8","::1"]}',
  '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":["10.9.9.9"',
  '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":[],"countries":["DE"]}',
  '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":"10.9.9.9/32"}',
  '{"rules":[{"urlPattern":".*","timeWindow":"09:00-17:00"}],"ipAllowlist":[]}',
  '{"rules":[{"urlPattern":"(a"}],"ipAllowlist":[]}',
  '{"rules":[],"ipAllowlist":[{"cidr":"10.0.0.0/8"}]}',
  '{"v":2,"allow":[{"path":"/rest/api/2/myself"}]}',
  '{"rules":[],"ipAllowlist":[]}',
  '{"rules":"[GET].*"}',
  '[]', '{}', 'null', '"[GET].*"', '', '[GET].*/rest/api/2/myself',
];

describe('readStoredRestrictions', () => {
  it('should read exactly the stored values the request path admits, and refuse the rest', async () => {
    const engine = new EngineRestrictionSupport();
    for (const json of STORED) {
      const refusedOnUse = (await engine.compile(json)).evaluate(request);
      const invalid = !refusedOnUse.allowed && refusedOnUse.reason === 'RESTRICTIONS_INVALID';
      expect(engine.readStored(json) === undefined, json).to.equal(invalid);
    }
  });

  it('should read back what the engine stores', () => {
    const engine = new EngineRestrictionSupport();
    const saved = engine.parse('[GET].*/rest/api/2/myself\n[POST].*/rest/api/2/issue', ['10.0.0.0/8']);
    expect(saved.ok).to.equal(true);
    const json = (saved as { json: string }).json;
    expect(engine.readStored(json)).to.deep.equal(JSON.parse(json));
  });

  it('should view without compiling what it reads with compiling, but for a pattern that fails only when compiled', () => {
    const engine = new EngineRestrictionSupport();
    const onlyWhenCompiled = '{"rules":[{"urlPattern":"(a"}],"ipAllowlist":[]}';
    for (const json of STORED) {
      const read = engine.readStored(json);
      const viewed = viewStoredRestrictions(json);
      if (json === onlyWhenCompiled) {
        expect(read, json).to.equal(undefined);
        expect(viewed, json).to.not.equal(undefined);
      } else {
        expect(viewed, json).to.deep.equal(read);
      }
    }
  });
});
