import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startScriptCommand } from './hostServer';

/** Kills `child` with SIGKILL unless it has ended, and resolves once it has exited. */
export async function killAndWait(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** How a run of npm start's command ended, and what it printed. */
export interface StartOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunStartOptions {
  /** Kill the node as soon as it says it is running (a start that should have been refused). */
  readonly untilRunning?: boolean;
  /** Run as this user and group (the caller checks it may). */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/**
 * Runs npm start's command (without npm) from the checkout, with `env` over a bare environment
 * (PATH, HOME, NODE_ENV=development), until it exits; killed after 40 s. For the suites that
 * check how a start is refused.
 */
export function runStartCommand(env: Record<string, string>, options: RunStartOptions = {}): Promise<StartOutcome> {
  const [command, ...args] = startScriptCommand();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ?? {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (options.untilRunning && stdout.includes('running at')) child.kill('SIGKILL');
  });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

/** A node started by {@link startUntilBanner}, running. */
export interface StartedNode {
  readonly child: ChildProcess;
  /** What it printed on stdout up to its banner's last line. */
  readonly stdout: string;
  /** The URL the banner names, with 127.0.0.1 for the host (as the suites reach it). */
  readonly url: string;
}

/**
 * Runs npm start's command (without npm) from the checkout, with `env` over a bare environment
 * (PATH, HOME, NODE_ENV=development, LOG_LEVEL=warn); resolves once its whole banner is printed,
 * rejects when it exits first. The caller stops it ({@link killAndWait}, or a signal).
 */
export function startUntilBanner(env: Record<string, string>): Promise<StartedNode> {
  const [command, ...args] = startScriptCommand();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const port = /running at http:\/\/localhost(:\d+\S*)\n[\s\S]*Database: .*\n/.exec(stdout)?.[1];
      if (port) resolve({ child, stdout, url: `http://127.0.0.1${port}` });
    });
    child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${stdout}${stderr}`)));
  });
}
