// Playwright records video with its own ffmpeg build, which cannot be downloaded here.
// Debian's ffmpeg works in its place: this installs it when missing (as root, with apt-get)
// and links it where Playwright looks: <registry>/ffmpeg-<rev>/ffmpeg-linux, the revision
// read from playwright-core's browsers.json (never hard-coded), the registry directory
// found as Playwright finds it (PLAYWRIGHT_BROWSERS_PATH, else $XDG_CACHE_HOME or ~/.cache).
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export function playwrightFfmpegPath() {
  const pkg = dirname(require.resolve('playwright-core/package.json'));
  const browsers = JSON.parse(readFileSync(join(pkg, 'browsers.json'), 'utf8'));
  const entry = browsers.browsers.find((b) => b.name === 'ffmpeg');
  if (!entry) throw new Error(`no ffmpeg entry in ${join(pkg, 'browsers.json')}`);
  const env = process.env.PLAYWRIGHT_BROWSERS_PATH;
  let registry = env === '0' ? join(pkg, '.local-browsers') : env || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ms-playwright');
  if (!isAbsolute(registry)) registry = resolve(process.env.INIT_CWD || process.cwd(), registry);
  const dir = join(registry, `ffmpeg-${entry.revision}`);
  return { revision: entry.revision, dir, path: join(dir, process.platform === 'darwin' ? 'ffmpeg-mac' : 'ffmpeg-linux') };
}

const which = (cmd) => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

/**
 * Makes sure Playwright can record video. Returns { ok: true, ffmpeg, linked } or
 * { ok: false, message } with one line saying what to do.
 */
export function ensureFfmpeg({ install = true, log = console.log } = {}) {
  let ffmpeg = which('ffmpeg');
  if (!ffmpeg && install) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && existsSync('/etc/debian_version') && which('apt-get')) {
      log('bindscope: installing ffmpeg with apt-get (one time)...');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
      if (!run(['install', '-y', '-qq', '--no-install-recommends', 'ffmpeg'])) {
        run(['update', '-qq']);
        run(['install', '-y', '-qq', '--no-install-recommends', 'ffmpeg']);
      }
      ffmpeg = which('ffmpeg');
    }
  }
  if (!ffmpeg) {
    return { ok: false, message: "bindscope: recording needs ffmpeg and it could not be installed: run 'sudo apt-get install --no-install-recommends ffmpeg' and try again" };
  }
  const target = playwrightFfmpegPath();
  let linked = false;
  try {
    const stat = lstatExists(target.path) ? lstatSync(target.path) : null;
    if (!stat || (stat.isSymbolicLink() && readlinkSync(target.path) !== ffmpeg)) {
      if (stat) unlinkSync(target.path);
      mkdirSync(target.dir, { recursive: true });
      symlinkSync(ffmpeg, target.path);
      // Playwright treats a directory with this marker as installed
      writeFileSync(join(target.dir, 'INSTALLATION_COMPLETE'), '');
      linked = true;
    }
  } catch (e) {
    return { ok: false, message: `bindscope: cannot link ${ffmpeg} to ${target.path} for Playwright: ${e.message}` };
  }
  return { ok: true, ffmpeg, linked, target: target.path };
}

function lstatExists(p) {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = ensureFfmpeg({ install: !process.argv.includes('--check') });
  if (!r.ok) {
    console.error(r.message);
    process.exit(1);
  }
  console.log(`bindscope: Playwright records with ${r.ffmpeg} (${r.target})`);
}
