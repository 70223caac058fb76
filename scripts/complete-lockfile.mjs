#!/usr/bin/env node
// The registry these machines reach serves Linux builds of native packages but answers
// 404 for other platforms' (darwin, win32, android…). npm then leaves those optional
// packages out of package-lock.json, and `npm ci` rejects the lockfile it wrote itself
// ("Missing: @swc/core-darwin-arm64@ from lock file"). This records each missing
// platform package with the os/cpu its name states, so `npm ci` validates and skips it
// here, and installs it from the registry on that platform. Run after `npm install`
// changes the lockfile: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = { darwin: 'darwin', linux: 'linux', win32: 'win32', windows: 'win32', android: 'android', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', sunos: 'sunos', aix: 'aix', openharmony: 'openharmony' };
const CPU = { x64: 'x64', 64: 'x64', amd64: 'x64', arm64: 'arm64', aarch64: 'arm64', arm: 'arm', ia32: 'ia32', x86: 'ia32', ppc64: 'ppc64', ppc64le: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mips64el', wasm32: 'wasm32' };
const LIBC = { gnu: 'glibc', gnueabihf: 'glibc', musl: 'musl', musleabihf: 'musl' };

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.map((t) => OS[t]).find(Boolean);
  const cpu = tokens.map((t) => CPU[t]).find(Boolean);
  const libc = tokens.map((t) => LIBC[t]).find(Boolean);
  if (!os && !cpu) return null;
  return { ...(os ? { os: [os] } : {}), ...(cpu && cpu !== 'wasm32' ? { cpu: [cpu] } : {}), ...(libc && os === 'linux' ? { libc: [libc] } : {}) };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // Where npm would place it: beside the parent's node_modules, else hoisted to the root.
    const nested = `${location ? `${location}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    // npm writes `version` first, then the other keys in alphabetical order.
    const rest = { ...platform, ...(entry.dev ? { dev: true } : {}), optional: true };
    packages[hoisted] = { version, ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))) };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`package-lock.json: recorded ${added} platform package(s) this registry does not serve\n`);
