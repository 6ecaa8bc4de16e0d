#!/usr/bin/env node
// Browser tests: make sure a Chromium exists (installing Debian's package when we are
// root on Debian), then run Playwright. Prints one actionable line instead of a stack
// trace when the browser is missing and cannot be installed here.
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureFfmpeg } from './ffmpeg.mjs';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const chromium = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd, args, extraEnv = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } }).status ?? 1;

function giveUp(what) {
  console.error(`bindscope: browser tests need ${what}`);
  process.exit(1);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canApt = existsSync('/etc/debian_version') && onPath('apt-get');
const aptEnv = { DEBIAN_FRONTEND: 'noninteractive' };
let aptUpdated = false;
const aptInstall = (args) => {
  if (!aptUpdated && run('apt-get', ['update', '-qq'], aptEnv) !== 0) return false;
  aptUpdated = true;
  return run('apt-get', ['install', '-y', '-qq', ...args], aptEnv) === 0;
};

if (!isExecutable(chromium)) {
  if (process.env.CHROMIUM_PATH) {
    giveUp(`Chromium, but CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file: fix CHROMIUM_PATH or unset it and run 'sudo apt-get install chromium'`);
  }
  if (!(isRoot && canApt)) {
    giveUp(`Chromium: run 'sudo apt-get install chromium' or set CHROMIUM_PATH`);
  }
  console.log('bindscope: installing chromium with apt-get (one time, about a minute)...');
  if (!aptInstall(['chromium']) || !isExecutable(chromium)) {
    giveUp(`Chromium, and 'apt-get install chromium' failed (see above): install it by hand or set CHROMIUM_PATH`);
  }
}

// Recorded walkthroughs use Debian's ffmpeg in place of Playwright's (scripts/ffmpeg.mjs):
// installed when we are root on Debian, linked where Playwright looks. Without it the
// recording test checks that `npm run record` says so in one line.
const ff = ensureFfmpeg();
if (!ff.ok) console.log(ff.message);

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
process.exit(run(npx, ['playwright', 'test', ...process.argv.slice(2)], { CHROMIUM_PATH: chromium }));
