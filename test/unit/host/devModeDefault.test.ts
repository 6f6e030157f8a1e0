// The dev toolbox (/rest/hostsim/1.0: the clock, licences, the mail outbox, users' active flag)
// is on by default and off with NODE_ENV=production. Only that exact spelling counted: an
// operator who wrote NODE_ENV=Production, PRODUCTION or "production " (a trailing space from a
// unit file or .env) got the toolbox of a development host (secure-defaults review,
// 2026-12-05). The word is read as the other switches are: trimmed, in any case.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../host-sim/config';

describe('DEV_MODE default', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-devmode-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should switch the dev toolbox off for NODE_ENV=production in any case and with spaces around it', () => {
    for (const spelling of ['production', 'Production', 'PRODUCTION', ' production', 'production ', '\tproduction\n']) {
      expect(loadConfig({ NODE_ENV: spelling, DATA_DIR: dir }).devMode, JSON.stringify(spelling)).to.equal(false);
    }
  });

  it('should keep it on for other environments, and let DEV_MODE decide either way', () => {
    for (const spelling of [undefined, '', 'development', 'test', 'productions']) {
      expect(loadConfig({ NODE_ENV: spelling, DATA_DIR: dir }).devMode, JSON.stringify(spelling)).to.equal(true);
    }
    expect(loadConfig({ NODE_ENV: 'Production', DEV_MODE: 'true', DATA_DIR: dir }).devMode).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'development', DEV_MODE: 'off', DATA_DIR: dir }).devMode).to.equal(false);
  });
});
