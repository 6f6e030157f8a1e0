import { expect } from 'chai';
import { ConfigError } from '../../../host-sim/config';
import { CollationError } from '../../../host-sim/impl/db/collationCheck';
import { PluginLoadError } from '../../../host-sim/loader/PluginDescriptor';
import { describeStartupError, errorCodeOf } from '../../../host-sim/startupErrors';

function coded(code: string, message = `failed with ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeStartupError', () => {
  const dbUrl = 'mysql://jira:s3cret@db.example:3307/jiradb';

  it('should find the error code along the cause chain and in a driver error', () => {
    expect(errorCodeOf(new Error('Cannot open the host database', { cause: coded('ECONNREFUSED') }))).to.equal('ECONNREFUSED');
    expect(errorCodeOf(Object.assign(new Error('query failed'), { driverError: coded('ER_BAD_DB_ERROR') }))).to.equal('ER_BAD_DB_ERROR');
    expect(errorCodeOf(new Error('plain'))).to.equal(undefined);
  });

  it('should pass a ConfigError through as it is', () => {
    expect(describeStartupError(new ConfigError('PORT', '80', 'taken', 'set PORT to a free port'))).to.equal('PORT=80: taken; set PORT to a free port');
  });

  const databaseCases: Array<[string, RegExp]> = [
    ['ECONNREFUSED', /nothing accepts connections at db\.example:3307 \(ECONNREFUSED\); start the database server/],
    ['ENOTFOUND', /does not resolve \(ENOTFOUND\); fix the host in DB_URL/],
    ['ETIMEDOUT', /db\.example:3307 does not answer \(ETIMEDOUT\)/],
    ['ER_ACCESS_DENIED_ERROR', /refused the user name or password .*; fix the user and password in DB_URL/],
    ['ER_BAD_DB_ERROR', /the database jiradb does not exist .*CREATE DATABASE jiradb CHARACTER SET utf8mb4/],
    ['ER_DBACCESS_DENIED_ERROR', /may not use the database jiradb .*GRANT ALL ON jiradb\.\*/],
  ];
  for (const [code, expected] of databaseCases) {
    it(`should explain ${code} as a DB_URL problem without the password`, () => {
      const line = describeStartupError(new Error(`Cannot open the host database ${dbUrl}`, { cause: coded(code) }), { dbUrl });
      expect(line).to.match(/^DB_URL=mysql:\/\/jira:\*\*\*@db\.example:3307\/jiradb: /);
      expect(line).to.match(expected);
      expect(line).not.to.contain('s3cret');
      expect(line).not.to.contain('\n');
    });
  }

  it('should name a collation that is not binary, its tables and the ALTER that converts them', () => {
    const line = describeStartupError(new CollationError('jiradb', 'utf8mb4_general_ci', ['AO_5D4005_TOKEN']), { dbUrl });
    expect(line).to.match(/^DB_URL=mysql:\/\/jira:\*\*\*@db\.example:3307\/jiradb: the database jiradb compares text by the collation utf8mb4_general_ci \(tables AO_5D4005_TOKEN\)/);
    expect(line).to.match(/\(HOSTSIM_COLLATION\); use a database created with .*ALTER DATABASE jiradb CHARACTER SET utf8mb4 COLLATE utf8mb4_bin/);
    expect(line).not.to.contain('s3cret');
  });

  const pgUrl = 'postgres://jira:s3cret@db.example/jiradb';
  const pgCases: Array<[string, RegExp]> = [
    ['ECONNREFUSED', /nothing accepts connections at db\.example:5432 \(ECONNREFUSED\)/],
    ['28P01', /refused the user name or password \(28P01\); fix the user and password in DB_URL/],
    ['28000', /does not let this user connect .*pg_hba\.conf/],
    ['42501', /may not use the database jiradb \(42501\); GRANT ALL ON DATABASE jiradb/],
    ['3D000', /the database jiradb does not exist \(3D000\); create it: CREATE DATABASE jiradb ENCODING 'UTF8'/],
  ];
  for (const [code, expected] of pgCases) {
    it(`should explain PostgreSQL's ${code} as a DB_URL problem without the password`, () => {
      const line = describeStartupError(new Error(`Cannot open the host database ${pgUrl}`, { cause: coded(code) }), { dbUrl: pgUrl });
      expect(line).to.match(/^DB_URL=postgres:\/\/jira:\*\*\*@db\.example\/jiradb: /);
      expect(line).to.match(expected);
      expect(line).not.to.contain('s3cret');
    });
  }

  it('should name PLUGIN_DESCRIPTORS for a plugin that cannot be loaded when it was given', () => {
    const err = new PluginLoadError('/p/atlassian-plugin.json: not valid JSON: Unexpected token');
    expect(describeStartupError(err, { pluginDescriptors: '/p/atlassian-plugin.json' })).to.match(/^PLUGIN_DESCRIPTORS=\/p\/atlassian-plugin\.json: .*not valid JSON.*; fix that plugin/);
    expect(describeStartupError(err)).to.match(/^the plugin cannot be loaded: .*; fix atlassian-plugin\.json/);
  });

  it('should explain a database error inside a plugin error as a DB_URL problem', () => {
    const err = new PluginLoadError('activating p failed: migration failed', { cause: coded('ER_ACCESS_DENIED_ERROR') });
    expect(describeStartupError(err, { dbUrl, pluginDescriptors: '/p.json' })).to.match(/^DB_URL=.*ER_ACCESS_DENIED_ERROR/);
  });

  it('should cut anything else to its first line, hide the password and point at LOG_LEVEL=debug', () => {
    const line = describeStartupError(new Error(`migration 7 failed on ${dbUrl}\n    at Migration.up (x.ts:1:1)`), { dbUrl });
    expect(line).to.equal('migration 7 failed on mysql://jira:***@db.example:3307/jiradb; run with LOG_LEVEL=debug to see where it failed');
  });
});
