// Code snippets with secure mode off: the create/rotate answer (`?snippets=true`) carries ready
// calls with the plain token, which actually work when run with sh and node against the host;
// `GET /user/token/{id}/snippets` gives the same calls with a placeholder.
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

interface Snippet { id: string; scheme: string; language: string; code: string }

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout: 20000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
  });
}

for (const product of ['jira', 'confluence'] as const) {
  forEachDatabase(`Code snippets on ${product}`, (kind) => {
    let e2e: E2eEnv;

    before(async () => { e2e = await startE2e(product, kind); });
    after(() => stopAndCheckLeaks(e2e));

    it('should give snippets that work as they are (curl with sh, fetch with node)', async () => {
      const res = await e2e.as('alice', `${API}/user/token?snippets=true`, { method: 'POST', body: { tokenDescription: 'snippet test' } });
      expect(res.status).to.equal(200);
      e2e.issued.push(res.json.plainTextToken);
      const snippets = res.json.snippets as Snippet[];
      expect(snippets.map((s) => s.id)).to.deep.equal(['curl-basic', 'js-basic', 'curl-bearer', 'js-bearer']);
      for (const snippet of snippets) {
        expect(snippet.code).to.include(res.json.plainTextToken);
        const out = snippet.language === 'curl'
          ? await run('sh', ['-c', snippet.code])
          : await run(process.execPath, ['--input-type=module', '-e', snippet.code]);
        expect(out, snippet.id).to.include('alice');
      }
    });

    it('should give placeholders (never the token) for an existing token, for owner and managers', async () => {
      const created = await e2e.createToken('bob');
      for (const who of ['bob', 'manager'] as const) {
        const res = await e2e.as(who, `${API}/user/token/${created.id}/snippets`);
        expect(res.status, who).to.equal(200);
        expect(res.json.id).to.equal(created.id);
        expect(res.text).to.not.include(created.plainTextToken);
        expect((res.json.snippets as Snippet[]).every((s) => s.code.includes('<your-token>'))).to.equal(true);
        expect((res.json.snippets as Snippet[])[0].code).to.include("'bob:<your-token>'");
      }
      expect((await e2e.as('alice', `${API}/user/token/${created.id}/snippets`)).status).to.equal(404);
    });

    it('should follow authSchemes and include snippets on rotate', async () => {
      const created = await e2e.createToken('alice');
      expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'bearer' } })).status).to.equal(200);
      try {
        const rotated = await e2e.as('alice', `${API}/user/token/${created.id}/rotate?snippets=true`, { method: 'POST' });
        expect(rotated.status).to.equal(200);
        e2e.issued.push(rotated.json.plainTextToken);
        const snippets = rotated.json.snippets as Snippet[];
        expect(snippets.map((s) => s.id)).to.deep.equal(['curl-bearer', 'js-bearer']);
        expect(await run('sh', ['-c', snippets[0].code])).to.include('alice');
      } finally {
        await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'both' } });
      }
      const plain = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: {} });
      e2e.issued.push(plain.json.plainTextToken);
      expect(plain.json).to.not.have.property('snippets');
    });
  });
}
