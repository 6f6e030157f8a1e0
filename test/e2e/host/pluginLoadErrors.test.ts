import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost } from '../../support/hostServer';

/** Writes a throwaway plugin (descriptor + CommonJS main) and returns the descriptor path. */
function writePlugin(dir: string, modules: unknown[], mainSource: string): string {
  fs.writeFileSync(path.join(dir, 'main.js'), mainSource);
  const file = path.join(dir, 'atlassian-plugin.json');
  fs.writeFileSync(file, JSON.stringify({ key: 'com.example.broken', name: 'Broken', version: '1', main: 'main.js', modules }));
  return file;
}

const EXPRESS = JSON.stringify(require.resolve('express'));

forEachDatabase('PluginLoader load errors', (dbKind) => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-broken-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function expectLoadError(descriptor: string, pattern: RegExp): Promise<void> {
    let error: unknown = null;
    try {
      const host = await startTestHost({ product: 'jira', dbKind, descriptors: [descriptor] });
      await host.stop();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.equal('PluginLoadError');
    expect((error as Error).message).to.match(pattern);
  }

  it('should refuse an unknown module type', async () => {
    await expectLoadError(writePlugin(dir, [{ type: 'gadget', key: 'g' }], 'exports.activate = async () => ({ modules: {}, deactivate: async () => {} });'), /unknown module type "gadget"/);
  });

  it('should refuse a declared module without an implementation', async () => {
    await expectLoadError(writePlugin(dir, [{ type: 'rest', key: 'api', path: '/broken', version: '1' }],
      'exports.activate = async () => ({ modules: {}, deactivate: async () => {} });'), /"api" \(rest\) has no implementation/);
  });

  it('should refuse an implementation the descriptor does not declare', async () => {
    await expectLoadError(writePlugin(dir, [],
      `const express = require(${EXPRESS}); exports.activate = async () => ({ modules: { extra: express.Router() }, deactivate: async () => {} });`),
    /does not declare/);
  });

  it('should refuse a main without activate', async () => {
    await expectLoadError(writePlugin(dir, [], 'exports.start = 1;'), /must export an "activate" function/);
  });
});
