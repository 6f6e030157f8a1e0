// The TypeScript files under a folder, for the suites that read the code's own literals (i18n
// keys, error codes, field messages) to hold the bundles and docs to them.
import fs from 'node:fs';
import path from 'node:path';

/** Every `.ts` file under `dir`, its subfolders included. */
export function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFilesUnder(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}
