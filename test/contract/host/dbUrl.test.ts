import { expect } from 'chai';
import path from 'node:path';
import { isBusyError, isConnectionError, isTransactionConflict } from '../../../host-sim/impl/db/connectionErrors';
import { parseDbUrl, redactDbUrl } from '../../../host-sim/impl/db/dbUrl';

describe('parseDbUrl', () => {
  it('should parse SQLite file URLs relative to the working directory', () => {
    expect(parseDbUrl('sqlite:./data/jira.db')).to.deep.equal({ dialect: 'sqlite', file: path.resolve('data/jira.db'), redacted: 'sqlite:./data/jira.db' });
    expect(parseDbUrl('sqlite:/var/lib/x.db')).to.include({ file: '/var/lib/x.db' });
  });

  it('should parse MySQL URLs with encoded credentials and hide the password', () => {
    expect(parseDbUrl('mysql://jira%40dc:p%3Ass@127.0.0.1:3307/jiradb')).to.deep.equal({
      dialect: 'mysql', host: '127.0.0.1', port: 3307, user: 'jira@dc', password: 'p:ss', database: 'jiradb',
      redacted: 'mysql://jira%40dc:***@127.0.0.1:3307/jiradb',
    });
    expect(parseDbUrl('mysql://u@localhost/db')).to.include({ port: 3306, password: '' });
  });

  it('should parse PostgreSQL URLs (postgres:// and postgresql://) with the default port 5432', () => {
    expect(parseDbUrl('postgres://jira:p%40ss@127.0.0.1:5433/jiradb')).to.deep.equal({
      dialect: 'postgres', host: '127.0.0.1', port: 5433, user: 'jira', password: 'p@ss', database: 'jiradb',
      redacted: 'postgres://jira:***@127.0.0.1:5433/jiradb',
    });
    expect(parseDbUrl('postgresql://u@localhost/db')).to.include({ dialect: 'postgres', port: 5432, password: '' });
  });

  it('should reject other schemes and URLs without a database, without echoing the password', () => {
    expect(() => parseDbUrl('oracle://u:secret@h/db')).to.throw(Error).with.property('message').that.does.not.include('secret');
    expect(() => parseDbUrl('postgres://u:secret@h:5432/')).to.throw(Error).with.property('message').that.does.not.include('secret');
    expect(() => parseDbUrl('mysql://u:secret@h:3306/')).to.throw(Error).with.property('message').that.does.not.include('secret');
    expect(() => parseDbUrl('sqlite:')).to.throw(Error);
    expect(redactDbUrl('mysql://u:secret@h/db')).to.equal('mysql://u:***@h/db');
  });
});

describe('connectionErrors', () => {
  it('should tell outages from other errors', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).to.equal(true);
    expect(isConnectionError({ driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })).to.equal(true);
    expect(isConnectionError(new Error('Pool is closed.'))).to.equal(true);
    expect(isConnectionError(new TypeError('The database connection is not open'))).to.equal(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'SQLITE_IOERR_WRITE' }))).to.equal(true);
    expect(isConnectionError(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }))).to.equal(false);
    expect(isConnectionError(Object.assign(new Error('syntax'), { code: 'SQLITE_ERROR' }))).to.equal(false);
    expect(isBusyError(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).to.equal(true);
  });

  it('should tell PostgreSQL outages (SQLSTATE classes 08 and 57P) from other errors', () => {
    expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).to.equal(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: '08006' }))).to.equal(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).to.equal(true);
    expect(isConnectionError(new Error('Client has encountered a connection error and is not queryable'))).to.equal(true);
    expect(isConnectionError(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).to.equal(false);
    expect(isConnectionError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).to.equal(false);
  });

  it('should recognise deadlocks and serialization failures as transaction conflicts, and nothing else', () => {
    expect(isTransactionConflict(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 }))).to.equal(true);
    expect(isTransactionConflict({ driverError: { errno: 1213 } })).to.equal(true);
    expect(isTransactionConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).to.equal(true);
    expect(isTransactionConflict(Object.assign(new Error('could not serialize access'), { code: '40001' }))).to.equal(true);
    expect(isTransactionConflict(Object.assign(new Error('Lock wait timeout'), { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }))).to.equal(false);
    expect(isTransactionConflict(Object.assign(new Error('dup'), { code: '23505' }))).to.equal(false);
    expect(isTransactionConflict(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).to.equal(false);
  });
});
