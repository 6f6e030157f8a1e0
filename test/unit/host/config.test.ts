import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, redactDbUrl, withBoundPort } from '../../../host-sim/config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-config-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should default to Jira on port 2990 under /jira with SQLite in the data dir', () => {
    const config = loadConfig({ DATA_DIR: dir }, '/');
    expect(config.product).to.equal('jira');
    expect(config.port).to.equal(2990);
    expect(config.contextPath).to.equal('/jira');
    expect(config.baseUrl).to.equal('http://localhost:2990/jira');
    expect(config.dbUrl).to.equal(`sqlite:${path.join(dir, 'jira.db')}`);
    expect(config.logLevel).to.equal('info');
    expect(config.nodeId).to.equal('node1');
    expect(config.devMode).to.equal(true);
    expect(config.maxFailedLogins).to.equal(3);
    expect(config.clusterPollIntervalMs).to.equal(250);
  });

  it('should use port 1990 and /confluence for Confluence', () => {
    const config = loadConfig({ PRODUCT: 'confluence', DATA_DIR: dir });
    expect(config.port).to.equal(1990);
    expect(config.contextPath).to.equal('/confluence');
    expect(config.dbUrl).to.match(/confluence\.db$/);
  });

  it('should honour overrides', () => {
    const config = loadConfig({
      PORT: '8080', CONTEXT_PATH: '', BASE_URL: 'https://jira.example.com/', DB_URL: 'mysql://u:p@127.0.0.1:3306/db',
      LOG_LEVEL: 'debug', NODE_ID: 'node2', DEV_MODE: 'false', MAX_FAILED_LOGINS: '5', CLUSTER_POLL_MS: '100', DATA_DIR: dir,
    });
    expect(config).to.include({ port: 8080, contextPath: '', baseUrl: 'https://jira.example.com', dbUrl: 'mysql://u:p@127.0.0.1:3306/db', logLevel: 'debug', nodeId: 'node2', devMode: false, maxFailedLogins: 5, clusterPollIntervalMs: 100 });
  });

  it('should turn dev mode off by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: dir }).devMode).to.equal(false);
  });

  it('should merge system properties from host.properties, HOSTSIM_SYSPROPS and APITOKENAUTH_SECURE_MODE', () => {
    fs.writeFileSync(path.join(dir, 'host.properties'), '# comment\nfile.only=1\nshared=file\n');
    const config = loadConfig({ DATA_DIR: dir, HOSTSIM_SYSPROPS: 'shared=env, a.b=c', APITOKENAUTH_SECURE_MODE: 'true' });
    expect(config.systemProperties).to.deep.equal({ 'file.only': '1', shared: 'env', 'a.b': 'c', 'apitokenauth.secure.mode': 'true' });
  });

  const invalid: Array<[string, Record<string, string>]> = [
    ['PRODUCT', { PRODUCT: 'bamboo' }], ['PORT', { PORT: 'abc' }], ['PORT', { PORT: '70000' }],
    ['CONTEXT_PATH', { CONTEXT_PATH: 'jira' }], ['BASE_URL', { BASE_URL: 'ftp://x' }], ['DB_URL', { DB_URL: 'postgres://x' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }], ['DEV_MODE', { DEV_MODE: 'maybe' }], ['MAX_FAILED_LOGINS', { MAX_FAILED_LOGINS: '0' }],
    ['CLUSTER_POLL_MS', { CLUSTER_POLL_MS: '5000' }], ['NODE_ID', { NODE_ID: 'a b' }], ['HOSTSIM_SYSPROPS', { HOSTSIM_SYSPROPS: 'novalue' }],
  ];
  for (const [name, env] of invalid) {
    it(`should reject an invalid ${name} with an error naming it (${JSON.stringify(env)})`, () => {
      expect(() => loadConfig({ ...env, DATA_DIR: dir })).to.throw(ConfigError, name);
    });
  }

  it('should follow a bound port only when the base URL was derived', () => {
    const derived = loadConfig({ PORT: '0', DATA_DIR: dir, NODE_ENV: 'test' });
    expect(withBoundPort(derived, 4321, { NODE_ENV: 'test' }).baseUrl).to.equal('http://127.0.0.1:4321/jira');
    const explicit = loadConfig({ PORT: '0', BASE_URL: 'http://lb.example/jira', DATA_DIR: dir });
    expect(withBoundPort(explicit, 4321).baseUrl).to.equal('http://lb.example/jira');
  });

  it('should redact the database password for printing', () => {
    expect(redactDbUrl('mysql://user:secret@127.0.0.1:3306/db')).to.equal('mysql://user:***@127.0.0.1:3306/db');
    expect(redactDbUrl('sqlite:/tmp/x.db')).to.equal('sqlite:/tmp/x.db');
  });
});
