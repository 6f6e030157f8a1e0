// `npm run build` (and `npm install`, as `prepare`): bundles the page scripts (client/*.ts) and
// writes them with their manifest to dist/ui/, where the plugin takes them from when it starts
// (ClientBundle.loadPrebuiltBundle). Fails on any bundling error.
import path from 'node:path';
import { buildClientBundle, PREBUILT_DIR, writePrebuiltBundle } from './ClientBundle';

buildClientBundle().then(async (bundle) => {
  await writePrebuiltBundle(bundle, PREBUILT_DIR);
  const sizes = [...bundle.files].filter(([name]) => name.endsWith('.js')).map(([name, f]) => `${name} ${(f.contents.length / 1024).toFixed(1)} KiB`);
  process.stdout.write(`UI bundles in ${path.relative(process.cwd(), PREBUILT_DIR)}: ${sizes.join(', ')}\n`);
}).catch((err: unknown) => {
  const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors;
  for (const e of errors ?? []) process.stderr.write(`${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}\n`);
  if (!errors) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
