import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { aoPrefixForNamespace, aoTableName, upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

describe('aoNaming', () => {
  it('should name pinned-prefix token tables as Jira and Confluence do', () => {
    expect(aoTableName('AO_5D4005', 'Token')).to.equal('AO_5D4005_TOKEN');
    expect(aoTableName('AO_2DF51C', 'Token')).to.equal('AO_2DF51C_TOKEN');
  });

  it('should compute the prefix from the last 6 hex digits of the MD5 of the namespace', () => {
    // MD5("com.example.apitokenauth") = 71345bdbd2df6b74ea84084c76b83fc8 (checked with `md5sum`).
    expect(createHash('md5').update('com.example.apitokenauth').digest('hex')).to.equal('71345bdbd2df6b74ea84084c76b83fc8');
    expect(aoPrefixForNamespace('com.example.apitokenauth')).to.equal('AO_B83FC8');
    expect(aoTableName(aoPrefixForNamespace('com.example.apitokenauth'), 'TokenUsage')).to.equal('AO_B83FC8_TOKEN_USAGE');
  });

  it('should convert entity names to upper snake case', () => {
    expect(upperSnake('Token')).to.equal('TOKEN');
    expect(upperSnake('TokenUsageDaily')).to.equal('TOKEN_USAGE_DAILY');
    expect(upperSnake('APIToken')).to.equal('API_TOKEN');
    expect(upperSnake('TOKEN_SCOPE')).to.equal('TOKEN_SCOPE');
  });

  it('should keep names at most 30 characters and distinct when shortened', () => {
    const a = aoTableName('AO_5D4005', 'AVeryLongEntityNameThatDoesNotFit');
    const b = aoTableName('AO_5D4005', 'AVeryLongEntityNameThatDoesNotFitEither');
    expect(a.length).to.be.at.most(30);
    expect(b.length).to.be.at.most(30);
    expect(a).not.to.equal(b);
    expect(a.startsWith('AO_5D4005_A_VERY_LONG')).to.equal(true);
  });

  it('should reject malformed prefixes', () => {
    expect(() => aoTableName('AO_XYZ', 'Token')).to.throw(Error);
  });
});

forEachDatabase('ActiveObjects.tableName', (kind) => {
  let cluster: HostCluster;

  before(async () => { cluster = await HostCluster.create(kind); });
  after(async () => { await cluster.cleanup(); });

  it('should give each product its pinned token table', async () => {
    const jira = await cluster.start({ product: 'jira' });
    const confluence = await cluster.start({ product: 'confluence' });
    expect(jira.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).activeObjects.tableName('Token')).to.equal('AO_5D4005_TOKEN');
    expect(confluence.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_2DF51C' }).activeObjects.tableName('Token')).to.equal('AO_2DF51C_TOKEN');
  });
});
