// The throwaway database servers of `npm test`, `npm run cluster` and the bench listen on
// 127.0.0.1, where every user of the machine can connect. They let in a fixed user and password
// (MariaDB test/test with every privilege, PostgreSQL test/test, and jira/jira or
// confluence/confluence under `npm run cluster`): another local user wrote a token row or a
// session into the cluster's database and was its administrator (secure-defaults review,
// 2026-12-05). Each server now gets a random password, which only its URL carries; the
// statement that sets it goes to the client on stdin, not on its command line.
import childProcess from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { createConnection } from 'mysql2/promise';
import { Client as PgClient } from 'pg';

type Server = { url: string; stop(): Promise<void> };
const SCRIPTS = path.join(__dirname, '..', '..', '..', 'scripts');

/**
 * The scripts loaded afresh with child_process recording every command line they run: the
 * arguments of a process are every local user's to read (`ps`), its stdin is not.
 */
function withRecordedCommands(): { startMariaDb(o?: object): Promise<Server>; startPostgres(o?: object): Promise<Server>; commands: string[][]; restore(): void } {
  const commands: string[][] = [];
  const originals = { execFileSync: childProcess.execFileSync, spawnSync: childProcess.spawnSync, spawn: childProcess.spawn };
  const record = <F extends (...a: never[]) => unknown>(f: F): F => ((command: string, args?: readonly string[], ...rest: unknown[]) => {
    commands.push([command, ...(Array.isArray(args) ? args : [])]);
    return (f as unknown as (...a: unknown[]) => unknown)(command, args, ...rest);
  }) as unknown as F;
  Object.assign(childProcess, { execFileSync: record(originals.execFileSync), spawnSync: record(originals.spawnSync), spawn: record(originals.spawn) });
  for (const name of ['mariadb-server.js', 'postgres-server.js']) delete require.cache[path.join(SCRIPTS, name)];
  const { startMariaDb } = require(path.join(SCRIPTS, 'mariadb-server.js')) as { startMariaDb(o?: object): Promise<Server> };
  const { startPostgres } = require(path.join(SCRIPTS, 'postgres-server.js')) as { startPostgres(o?: object): Promise<Server> };
  return { startMariaDb, startPostgres, commands, restore: () => Object.assign(childProcess, originals) };
}

async function pgError(url: URL, user: string, password: string): Promise<string | null> {
  const client = new PgClient({ host: url.hostname, port: Number(url.port), user, password, database: url.pathname.slice(1) });
  try {
    await client.connect();
    return null;
  } catch (err) {
    return String((err as { code?: string }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function mysqlError(url: URL, user: string, password: string): Promise<string | null> {
  try {
    const c = await createConnection({ host: url.hostname, port: Number(url.port), user, password, database: url.pathname.slice(1) });
    await c.end();
    return null;
  } catch (err) {
    return String((err as { code?: string }).code);
  }
}

describe('Throwaway database servers: no password anyone on the machine could guess', function () {
  this.timeout(120_000);
  let scripts: ReturnType<typeof withRecordedCommands>;
  before(() => { scripts = withRecordedCommands(); });
  after(() => scripts.restore());

  function expectNotOnACommandLine(password: string): void {
    for (const command of scripts.commands) expect(command.join(' '), command[0]).to.not.include(password);
  }

  it('should let PostgreSQL in with its URL\'s random password only, as npm test and npm run cluster start it', async () => {
    for (const options of [{}, { database: 'jiradb', user: 'jira' }]) {
      const server = await scripts.startPostgres(options);
      try {
        const url = new URL(server.url);
        expect(decodeURIComponent(url.password)).to.have.length.of.at.least(16);
        expectNotOnACommandLine(decodeURIComponent(url.password));
        expect(await pgError(url, decodeURIComponent(url.username), decodeURIComponent(url.password))).to.equal(null);
        for (const guess of ['test', 'jira', decodeURIComponent(url.username)]) {
          expect(await pgError(url, decodeURIComponent(url.username), guess), guess).to.equal('28P01');
        }
      } finally {
        await server.stop();
      }
    }
  });

  it('should let MariaDB in with its URL\'s random password only', async () => {
    const server = await scripts.startMariaDb();
    try {
      const url = new URL(server.url);
      expect(decodeURIComponent(url.password)).to.have.length.of.at.least(16);
      expectNotOnACommandLine(decodeURIComponent(url.password));
      expect(await mysqlError(url, decodeURIComponent(url.username), decodeURIComponent(url.password))).to.equal(null);
      for (const guess of ['test', decodeURIComponent(url.username), '']) {
        expect(await mysqlError(url, decodeURIComponent(url.username), guess), guess).to.equal('ER_ACCESS_DENIED_ERROR');
      }
    } finally {
      await server.stop();
    }
  });
});
