// Start-up checks of `npm start` on the storage the configuration names, before anything is
// opened: DATA_DIR (a folder, created only when its parent exists, writable when the SQLite
// file lives in it) and, for SQLite elsewhere, the file's folder (never created).
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ConfigError, refuseWritableByOthers } from './config';
import type { HostConfig } from './impl/HostRuntime';
import { parseDbUrl } from './impl/db/dbUrl';

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? String(err);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Why a folder cannot be written, in words: read-only file system or no permission. */
function unwritable(folder: string, code: string): string {
  return code === 'EROFS' ? `${folder} is on a read-only file system (EROFS)` : `${folder} is read-only for this user (${code})`;
}

/** Creates and removes a file in `folder`; throws the error that stops SQLite there. */
function probeWritable(folder: string): void {
  const probe = path.join(folder, `.hostsim-write-test-${process.pid}`);
  fs.writeFileSync(probe, '', { flag: 'wx' });
  fs.unlinkSync(probe);
}

function createDataDir(dataDir: string): void {
  const parent = path.dirname(dataDir);
  const stat = statOrNull(parent);
  if (!stat) {
    throw new ConfigError('DATA_DIR', dataDir, `its parent folder ${parent} does not exist`, `create ${parent} first or choose another DATA_DIR`);
  }
  if (!stat.isDirectory()) {
    throw new ConfigError('DATA_DIR', dataDir, `${parent} is a file, not a folder`, 'choose a DATA_DIR inside a folder');
  }
  try {
    // Its user's only, whatever the umask: the SQLite database (and whatever else the host keeps) lives here.
    fs.mkdirSync(dataDir, { mode: 0o700 });
  } catch (err) {
    throw new ConfigError('DATA_DIR', dataDir, `cannot be created: ${unwritable(parent, codeOf(err))}`, 'create it yourself with write access for this user, or choose a DATA_DIR in a writable folder');
  }
}

function checkSqliteFolder(folder: string, file: string, setting: 'DATA_DIR' | 'DB_URL', value: string): void {
  try {
    probeWritable(folder);
  } catch (err) {
    const fix = setting === 'DATA_DIR'
      ? 'make it writable for the user running npm start or choose another DATA_DIR'
      : 'make the folder writable for the user running npm start or choose another file in DB_URL';
    throw new ConfigError(setting, value, `SQLite cannot write there: ${unwritable(folder, codeOf(err))}`, fix);
  }
  const stat = statOrNull(file);
  if (stat && !stat.isFile()) {
    throw new ConfigError('DB_URL', `sqlite:${file}`, `${file} is not a file`, 'set DB_URL to sqlite:<file> naming a file');
  }
  if (stat) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch (err) {
      throw new ConfigError('DB_URL', `sqlite:${file}`, `the database file is read-only for this user (${codeOf(err)})`, 'make it readable and writable for the user running npm start');
    }
  }
}

/**
 * Takes group and others' rights away from `file` when this user owns it: a database an earlier
 * version made under the umask (0644) let every local user read the password and token hashes,
 * the audit log and the mail outbox. Adds what was done to `notices`, for the console.
 */
function keepToOwner(file: string, mode: 0o600, notices: string[]): void {
  if (process.platform === 'win32') return;
  const stat = statOrNull(file);
  if (!stat || (stat.mode & 0o077) === 0 || stat.uid !== process.getuid?.()) return;
  try {
    fs.chmodSync(file, mode);
    notices.push(`${file} was open to other users of this machine (mode ${(stat.mode & 0o777).toString(8)}): chmod ${mode.toString(8)} ${file}`);
  } catch (err) {
    notices.push(`${file} is open to other users of this machine (mode ${(stat.mode & 0o777).toString(8)}) and could not be changed (${codeOf(err)}): run chmod ${mode.toString(8)} ${file}`);
  }
}

/**
 * Checks (and, for DATA_DIR only, creates) the folders `config` stores data in, and keeps
 * DATA_DIR and a SQLite database in it to this user. Throws a {@link ConfigError} naming
 * DATA_DIR or DB_URL when the host could not use them; returns notices for the console.
 */
export function prepareStorage(config: HostConfig): string[] {
  const notices: string[] = [];
  prepareFolders(config);
  // Only the database files: DATA_DIR may be a folder the user keeps other things in (a home
  // folder), whose rights are theirs; what is secret lies in the database (a new one is 0600).
  const url = parseDbUrl(config.dbUrl);
  if (url.dialect === 'sqlite' && isInside(path.dirname(url.file), config.dataDir)) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) keepToOwner(`${url.file}${suffix}`, 0o600, notices);
  }
  return notices;
}

function prepareFolders(config: HostConfig): void {
  const dataDir = config.dataDir;
  const dataStat = statOrNull(dataDir);
  if (dataStat && !dataStat.isDirectory()) {
    throw new ConfigError('DATA_DIR', dataDir, 'this is a file, not a folder', 'set DATA_DIR to a folder (it is created when its parent folder exists)');
  }
  const url = parseDbUrl(config.dbUrl);
  if (url.dialect !== 'sqlite') return;
  const folder = path.dirname(url.file);
  if (isInside(folder, dataDir)) {
    refuseWritableByOthers(folder, 'DATA_DIR', dataDir);
    refuseWritableByOthers(url.file, 'DATA_DIR', dataDir);
    if (!dataStat) createDataDir(dataDir);
    try {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new ConfigError('DATA_DIR', dataDir, `cannot create ${folder}: ${unwritable(dataDir, codeOf(err))}`, 'make DATA_DIR writable for the user running npm start');
    }
    checkSqliteFolder(folder, url.file, 'DATA_DIR', dataDir);
    return;
  }
  const folderStat = statOrNull(folder);
  if (!folderStat) {
    throw new ConfigError('DB_URL', config.dbUrl, `the folder ${folder} does not exist (a SQLite file outside DATA_DIR gets no folder created)`, `create ${folder} first, or put the file in DATA_DIR (${dataDir})`);
  }
  if (!folderStat.isDirectory()) {
    throw new ConfigError('DB_URL', config.dbUrl, `${folder} is a file, not a folder`, 'set DB_URL to sqlite:<file> in an existing folder');
  }
  refuseWritableByOthers(folder, 'DB_URL', config.dbUrl);
  refuseWritableByOthers(url.file, 'DB_URL', config.dbUrl);
  checkSqliteFolder(folder, url.file, 'DB_URL', config.dbUrl);
}

/** The open lock of {@link claimSqliteDatabase}: kept for the life of the process. */
let claim: BetterSqlite3.Database | null = null;

/**
 * Claims a SQLite database for this process, or throws a {@link ConfigError} naming the process
 * that has it. SQLite serves one node: a second process on the file would be a second `node1`,
 * and the first would stop answering tokens and passwords once it read the second's change-log
 * rows under its own name. The claim is a write lock on `<file>.lock` beside the file its symbolic
 * links lead to, held open and released by the operating system when the process ends, however
 * it ends (no stale lock after a crash). A hard link is another file to it: not detected.
 */
export function claimSqliteDatabase(config: HostConfig): void {
  const url = parseDbUrl(config.dbUrl);
  if (url.dialect !== 'sqlite' || claim) return;
  const inDataDir = isInside(path.dirname(url.file), config.dataDir);
  // Beside the file itself, not the name DB_URL gives it: a second name (a symbolic link) would
  // otherwise take a claim of its own on the same database.
  const lockFile = `${realFile(url.file)}.lock`;
  refuseWritableByOthers(path.dirname(lockFile), inDataDir ? 'DATA_DIR' : 'DB_URL', inDataDir ? config.dataDir : config.dbUrl);
  fs.closeSync(fs.openSync(lockFile, 'a', 0o600));
  const db = new BetterSqlite3(lockFile, { timeout: 0 });
  try {
    db.exec('CREATE TABLE IF NOT EXISTS HOLDER (PID INTEGER NOT NULL, URL TEXT NOT NULL)');
    // Committing the holder's row ends the transaction; the claim is the one begun right after.
    db.exec('BEGIN IMMEDIATE');
    db.exec('DELETE FROM HOLDER');
    // PORT=0 is chosen at listen, after the claim: no URL is better than one with port 0.
    db.prepare('INSERT INTO HOLDER (PID, URL) VALUES (?, ?)').run(process.pid, config.port === 0 ? '' : config.baseUrl);
    db.exec('COMMIT');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    const holder = (err as { code?: string }).code === 'SQLITE_BUSY' ? readHolder(db) : null;
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    const who = holder ? `another host process (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})` : 'another host process';
    throw new ConfigError(inDataDir ? 'DATA_DIR' : 'DB_URL', inDataDir ? config.dataDir : config.dbUrl,
      `${who} is using the SQLite database ${url.file}, and SQLite serves one node`,
      `stop that process first${holder ? ` (Ctrl-C where it runs, or kill ${holder.pid})` : ''}, or give this one ${inDataDir ? 'another DATA_DIR' : 'another file in DB_URL'}`);
  }
  claim = db;
}

/**
 * The path of `file` with its symbolic links resolved (of its folder, while the file does not
 * exist yet); `file` itself when neither can be resolved.
 */
function realFile(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

function readHolder(db: BetterSqlite3.Database): { pid: number; url: string } | null {
  try {
    const row = db.prepare('SELECT PID, URL FROM HOLDER').get() as { PID: number; URL: string } | undefined;
    return row ? { pid: row.PID, url: row.URL } : null;
  } catch {
    return null;
  }
}
