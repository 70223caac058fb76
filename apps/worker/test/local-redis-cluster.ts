import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './support';

const run = promisify(execFile);

/** One node as CLUSTER NODES describes it. */
export interface ClusterNodeView {
  id: string;
  port: number;
  flags: string[];
  master: boolean;
  failed: boolean;
  /** The master's id, for a replica. */
  masterId: string | null;
  /** Slot ranges served, for a master: [from, to] inclusive. */
  slots: [number, number][];
}

export interface LocalRedisCluster {
  readonly ports: number[];
  /** `redis+cluster://127.0.0.1:p1,…` — every node as a seed. */
  readonly url: string;
  readonly dir: string;
  /** Runs one command on the node at `port` (a short-lived connection). */
  command(port: number, ...args: (string | number)[]): Promise<unknown>;
  /** The cluster as the node at `port` (default: the first live one) sees it. */
  view(port?: number): Promise<ClusterNodeView[]>;
  /** The port of the master serving `slot`, as every live node agrees, or null while they disagree. */
  masterOfSlot(slot: number): Promise<number | null>;
  /** The port of the replica of the master at `port`. */
  replicaOf(port: number): Promise<number>;
  /** Every live node reports cluster_state:ok and agrees on a live master for every one of the three ranges' slots; every live replica is in sync. */
  healthy(): Promise<boolean>;
  waitHealthy(what: string): Promise<void>;
  signal(port: number, signal: NodeJS.Signals): void;
  /** SIGKILL, and wait for the process to be gone. */
  kill(port: number): Promise<void>;
  isAlive(port: number): boolean;
  stop(): Promise<void>;
}

/** Whether a redis-server binary is on the PATH (the test skips, saying so, without one). */
export async function redisServerAvailable(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** Free ports chosen at run time; each node's cluster bus port (port + 10000) is free too. */
async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  let candidate = 20_000 + Math.floor(Math.random() * 30_000);
  while (ports.length < n) {
    candidate += 1 + Math.floor(Math.random() * 50);
    if (candidate > 54_000) candidate = 20_000;
    if (ports.includes(candidate)) continue;
    if ((await canListen(candidate)) && (await canListen(candidate + 10_000))) ports.push(candidate);
  }
  return ports;
}

function parseNodes(text: string): ClusterNodeView[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flagList, masterId, , , , , ...slotSpecs] = line.trim().split(' ');
      const flags = flagList.split(',');
      return {
        id,
        port: Number(/:(\d+)@/.exec(addr)?.[1]),
        flags,
        master: flags.includes('master'),
        failed: flags.includes('fail') || flags.includes('fail?'),
        masterId: masterId === '-' ? null : masterId,
        slots: slotSpecs
          .filter((s) => /^\d+(-\d+)?$/.test(s))
          .map((s) => {
            const [a, b] = s.split('-').map(Number);
            return [a, b ?? a] as [number, number];
          }),
      };
    });
}

/**
 * Starts `nodes` redis-server processes in cluster mode on free local ports, each with its own
 * directory under a fresh temporary one (append-only file on), joins them with
 * `redis-cli --cluster create … --cluster-replicas <replicas>` and waits until every node says
 * the cluster is ok and every replica is in sync.
 *
 * `nodeTimeoutMs` is the cluster's failure detection time (a master silent that long is failed
 * over). The replica validity factor is 0: a replica may always be promoted, however long ago it
 * last heard from its master (a busy test machine must not leave the cluster without a master).
 */
export async function startLocalRedisCluster(opts: { nodes?: number; replicas?: number; nodeTimeoutMs?: number } = {}): Promise<LocalRedisCluster> {
  const count = opts.nodes ?? 6;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fascia-redis-cluster-'));
  const ports = await freePorts(count);
  const procs = new Map<number, { child: ChildProcess; exited: Promise<void>; alive: boolean }>();
  for (const port of ports) {
    const nodeDir = path.join(dir, String(port));
    mkdirSync(nodeDir);
    // The arguments the brief names, plus a short node timeout (the failover takes about twice it).
    const child = spawn(
      'redis-server',
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', path.join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 3000),
        '--cluster-replica-validity-factor', '0',
        '--appendonly', 'yes',
        '--save', '',
        '--dir', nodeDir,
        '--logfile', path.join(nodeDir, 'redis.log'),
        '--daemonize', 'no',
      ],
      { stdio: 'ignore' },
    );
    const entry = { child, alive: true, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
    child.once('exit', () => (entry.alive = false));
    procs.set(port, entry);
  }

  // redis-cli, so the test needs nothing the CI machine's Redis does not bring.
  const command = async (port: number, ...args: (string | number)[]): Promise<unknown> => {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args.map(String)], { timeout: 10_000 });
    return stdout.replace(/\n$/, '');
  };
  const live = (): number[] => ports.filter((p) => procs.get(p)?.alive);
  const view = async (port?: number): Promise<ClusterNodeView[]> => parseNodes(String(await command(port ?? live()[0], 'CLUSTER', 'NODES')));
  const masterIn = (nodes: ClusterNodeView[], slot: number): ClusterNodeView | undefined =>
    nodes.find((n) => n.master && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b));

  const masterOfSlot = async (slot: number): Promise<number | null> => {
    const seen = new Set<number | null>();
    for (const p of live()) seen.add(masterIn(await view(p), slot)?.port ?? null);
    const [only] = [...seen];
    return seen.size === 1 && only !== null && live().includes(only) ? only : null;
  };

  const healthy = async (): Promise<boolean> => {
    for (const p of live()) {
      if (!/cluster_state:ok/.test(String(await command(p, 'CLUSTER', 'INFO')))) return false;
      const info = String(await command(p, 'INFO', 'replication'));
      if (/role:slave/.test(info) && !/master_link_status:up/.test(info)) return false;
    }
    // One slot from each of the three ranges `--cluster create` makes.
    for (const slot of [0, 8192, 16383]) if ((await masterOfSlot(slot)) === null) return false;
    return true;
  };

  const cluster: LocalRedisCluster = {
    ports,
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    dir,
    command,
    view,
    masterOfSlot,
    replicaOf: async (port) => {
      const nodes = await view();
      const master = nodes.find((n) => n.port === port);
      const replica = nodes.find((n) => n.masterId === master?.id && !n.failed);
      if (!replica) throw new Error(`no replica of ${port}`);
      return replica.port;
    },
    healthy,
    waitHealthy: async (what) => {
      await waitFor(what, () => healthy().catch(() => false), { everyMs: 200 });
    },
    signal: (port, signal) => {
      procs.get(port)?.child.kill(signal);
    },
    kill: async (port) => {
      const p = procs.get(port);
      if (!p) return;
      p.child.kill('SIGKILL');
      await p.exited;
    },
    isAlive: (port) => procs.get(port)?.alive ?? false,
    stop: async () => {
      for (const p of procs.values()) if (p.alive) p.child.kill('SIGKILL');
      await Promise.all([...procs.values()].map((p) => p.exited));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    // Every node answers before the cluster is made.
    await waitFor('the redis-server processes', async () => (await Promise.all(ports.map((p) => command(p, 'PING').catch(() => null)))).every((r) => r === 'PONG'));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(opts.replicas ?? 1), '--cluster-yes']);
    await cluster.waitHealthy('the new cluster to be ok');
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
