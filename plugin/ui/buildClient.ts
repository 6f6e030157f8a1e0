// `npm run build`: bundles the page scripts (client/*.ts) as the plugin does when it starts,
// and writes them to dist/ui/ for inspection. Fails on any bundling error.
import fs from 'node:fs';
import path from 'node:path';
import { buildClientBundle } from './ClientBundle';

const OUT = path.resolve(__dirname, '..', '..', 'dist', 'ui');

buildClientBundle().then((bundle) => {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [name, file] of bundle.files) fs.writeFileSync(path.join(OUT, name), file.contents);
  const sizes = [...bundle.files].filter(([name]) => name.endsWith('.js')).map(([name, f]) => `${name} ${(f.contents.length / 1024).toFixed(1)} KiB`);
  process.stdout.write(`UI bundles in ${path.relative(process.cwd(), OUT)}: ${sizes.join(', ')}\n`);
}, (err: unknown) => {
  const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors;
  for (const e of errors ?? []) process.stderr.write(`${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}\n`);
  if (!errors) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
