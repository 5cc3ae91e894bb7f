/**
 * `npm run build` step: bundles the contact workflow code once, at build time, into
 * `dist/workflow-bundle.js` (Temporal's recommendation for production workers), so a worker process
 * starts without running webpack. The worker falls back to bundling at start when the file is absent.
 */
import fs from 'node:fs';
import { contactWorkflowBundle, PREBUILT_BUNDLE } from '../worker';

async function main(): Promise<void> {
  const t0 = Date.now();
  const { code } = await contactWorkflowBundle();
  fs.writeFileSync(PREBUILT_BUNDLE, code);
  process.stdout.write(`workflow bundle: ${PREBUILT_BUNDLE} (${(code.length / 1024).toFixed(0)} KiB, ${Date.now() - t0} ms)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bundling the workflows failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
