import type { ChildProcess } from 'node:child_process';

/** Kills `child` with SIGKILL unless it has ended, and resolves once it has exited. */
export async function killAndWait(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
