// `npm start` prints how to log in, and the login page of a dev-mode node shows the default
// administrator. Both said "admin / admin" whenever ADMIN_PASSWORD was unset, also on a database
// whose admin had been given another password by ADMIN_PASSWORD at an earlier start (it keeps
// it): a newcomer who restarted without the variable was told a login that answered 401 (found by
// the newcomer walkthrough, 2026-12-05). They now follow the password admin really has.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { killAndWait, startUntilBanner, type StartedNode } from '../../support/childProcess';
import { TEST_PLUGIN_DESCRIPTOR, sendRequest } from '../../support/hostServer';

async function stop(running: StartedNode): Promise<void> {
  const exited = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGTERM');
  await exited;
}

describe('npm start: the default administrator shown only while its password is admin', function () {
  this.timeout(90_000);
  let dataDir: string;
  let running: StartedNode | null = null;
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-admin-hint-')); });
  afterEach(async () => {
    await killAndWait(running?.child ?? null);
    running = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should show admin / admin in the banner and on the login page of a new database', async () => {
    running = await startUntilBanner({ DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: '0' });
    expect(running.stdout).to.contain('admin / admin');
    const page = await sendRequest(`${running.url}/login.jsp`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('admin / admin');
    expect((await sendRequest(`${running.url}/rest/api/2/myself`, { auth: ['admin', 'admin'] })).status).to.equal(200);
  });

  it('should not show admin / admin after ADMIN_PASSWORD gave admin another password at an earlier start', async () => {
    await stop(await startUntilBanner({ DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: '0', ADMIN_PASSWORD: 'one-of-my-own' }));

    running = await startUntilBanner({ DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: '0' });
    expect(running.stdout).not.to.contain('admin / admin');
    expect(running.stdout).to.contain('ADMIN_PASSWORD');
    const page = await sendRequest(`${running.url}/login.jsp`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.contain('admin / admin');
    expect((await sendRequest(`${running.url}/rest/api/2/myself`, { auth: ['admin', 'admin'] })).status).to.equal(401);
    expect((await sendRequest(`${running.url}/rest/api/2/myself`, { auth: ['admin', 'one-of-my-own'] })).status).to.equal(200);
  });
});
