import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, loadStartOptions, redactDbUrl, withBoundPort } from '../../../host-sim/config';

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
    it(`should reject an invalid ${name} with one line naming it, its value and the fix (${JSON.stringify(env)})`, () => {
      expect(() => loadConfig({ ...env, DATA_DIR: dir })).to.throw(ConfigError, new RegExp(`^${name}=\\S.*: .+; .*\\b(set|unset)\\b[^\\n]*$`));
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

  it('should never show a database password in a DB_URL error', () => {
    expect(() => loadConfig({ DB_URL: 'mysql://u:s3cret@/db', DATA_DIR: dir })).to.throw(ConfigError, /^DB_URL=mysql:\/\/u:\*\*\*@\/db: /);
  });

  it('should quote an empty value or one with spaces', () => {
    expect(() => loadConfig({ NODE_ID: 'a b', DATA_DIR: dir })).to.throw(ConfigError, /^NODE_ID="a b": /);
  });
});

describe('loadStartOptions', () => {
  const defaults = { cwd: '/srv/app', defaultDescriptor: '/srv/app/atlassian-plugin.json', stderrIsTty: false };

  it('should bind 127.0.0.1, load the product plugin and log JSON when stderr is not a terminal', () => {
    expect(loadStartOptions({}, defaults)).to.deep.equal({ bindAddress: '127.0.0.1', descriptorPaths: ['/srv/app/atlassian-plugin.json'], logFormat: 'json' });
  });

  it('should log text by default on a terminal, and as LOG_FORMAT says otherwise', () => {
    expect(loadStartOptions({}, { ...defaults, stderrIsTty: true }).logFormat).to.equal('text');
    expect(loadStartOptions({ LOG_FORMAT: 'JSON' }, { ...defaults, stderrIsTty: true }).logFormat).to.equal('json');
    expect(loadStartOptions({ LOG_FORMAT: 'text' }, defaults).logFormat).to.equal('text');
    expect(() => loadStartOptions({ LOG_FORMAT: 'xml' }, defaults)).to.throw(ConfigError, /^LOG_FORMAT=xml: .*set LOG_FORMAT to text or json$/);
  });

  it('should take BIND_ADDRESS as an IP address or a host name', () => {
    expect(loadStartOptions({ BIND_ADDRESS: '0.0.0.0' }, defaults).bindAddress).to.equal('0.0.0.0');
    expect(loadStartOptions({ BIND_ADDRESS: '::' }, defaults).bindAddress).to.equal('::');
    expect(loadStartOptions({ BIND_ADDRESS: 'localhost' }, defaults).bindAddress).to.equal('localhost');
    expect(() => loadStartOptions({ BIND_ADDRESS: 'http://x' }, defaults)).to.throw(ConfigError, /^BIND_ADDRESS=/);
  });

  it('should resolve PLUGIN_DESCRIPTORS against the working folder and require every file to exist', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-descriptors-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.json'), '{}');
      fs.writeFileSync(path.join(dir, 'b.json'), '{}');
      expect(loadStartOptions({ PLUGIN_DESCRIPTORS: 'a.json, b.json' }, { ...defaults, cwd: dir }).descriptorPaths).to.deep.equal([path.join(dir, 'a.json'), path.join(dir, 'b.json')]);
      expect(() => loadStartOptions({ PLUGIN_DESCRIPTORS: 'a.json,c.json' }, { ...defaults, cwd: dir })).to.throw(ConfigError, /^PLUGIN_DESCRIPTORS=a.json,c.json: .*c\.json is not a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
