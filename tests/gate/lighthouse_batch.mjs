// Lighthouse's own command line, for several pages in one Node process: each job is the argument
// list of one `lighthouse URL …` command, parsed and run by the CLI's own code (cli-flags.js,
// run.js: a fresh Chrome for every page, killed after it), one after the other. The same runs as
// the command one page at a time, without starting Node and loading Lighthouse again for each.
// Usage: node lighthouse_batch.mjs jobs.json   (a JSON list of argument lists)
import fs from 'fs';

import log from 'lighthouse-logger';
import {getFlags} from 'lighthouse/cli/cli-flags.js';
import {runLighthouse} from 'lighthouse/cli/run.js';

const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
for (const args of jobs) {
  const flags = getFlags(args, {noExitOnFailure: true});
  // As cli/bin.js does for --quiet, and without its error-reporting prompt.
  flags.logLevel = flags.quiet ? 'silent' : 'info';
  log.setLevel(flags.logLevel);
  flags.enableErrorReporting = false;
  // Exits the process with the CLI's message and code when a page cannot be audited.
  await runLighthouse(flags._[0], flags, undefined);
}
