/**
 * Renders every Kustomize overlay with `kubectl kustomize`, validates each object against the
 * Kubernetes schemas (kubernetes-models), and checks the manifests against the apps themselves:
 * the environment each container gets must pass the API's and the worker's own config loaders
 * (their zod schemas), secrets come from the Secret by reference, probes hit the apps' ports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { QUEUE_ENV_KEYS, queueBackendFromEnv } from '@fascia/jobs';
import { apiEnvSchema, loadConfig as loadApiConfig } from '../../apps/api/src/config';
import { workerEnvSchema, loadConfig as loadWorkerConfig } from '../../apps/worker/src/config';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const ROOT = __dirname;
const OVERLAYS = ['staging', 'production'] as const;
const SECRET_NAME = 'fascia-secrets';
/** Variables that must never have a literal value in git: only secretKeyRef. */
const SECRET_KEYS = new Set(['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'REDIS_URL', 'APP_SECRET', 'SMTP_URL', 'RUNTIME_DB_PASSWORD']);
/** Read by packages/db/src/cli/migrate.ts and apps/admin/server/serve.mjs (no zod schema there). */
const MIGRATE_KEYS = ['MIGRATION_DATABASE_URL', 'RUNTIME_DB_PASSWORD', 'RUNTIME_DB_ROLE', 'QUEUE_PG_SCHEMA'];
const ADMIN_KEYS = ['ADMIN_PORT', 'ADMIN_HOST', 'ADMIN_DIST', 'API_URL'];
const RECOMMENDED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
];

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  [k: string]: any;
}

function render(dir: string): K8sObject[] {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      `kubectl not found at ${KUBECTL}: install it (Debian: apt-get install kubectl from the Kubernetes apt repository, or any kubectl ≥ 1.27 binary on PATH) or set KUBECTL to its path`,
    );
  }
  const out = execFileSync(KUBECTL, ['kustomize', path.join(ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => {
    if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('\n'));
    return d.toJS() as K8sObject;
  });
}

const byKind = (objs: K8sObject[], kind: string): K8sObject[] => objs.filter((o) => o.kind === kind);
const named = (objs: K8sObject[], kind: string, name: string): K8sObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind} ${name} is not in the render`);
  return o;
};
const containerOf = (objs: K8sObject[], kind: string, name: string): Container => named(objs, kind, name).spec.template.spec.containers[0] as Container;

/** A stand-in for a secret's value that passes the apps' format checks. */
function placeholder(key: string): string {
  if (key.includes('REDIS')) return 'redis://placeholder.invalid:6379';
  if (key.includes('SMTP')) return 'smtps://placeholder.invalid:465';
  if (key.includes('DATABASE')) return 'postgres://placeholder.invalid/fascia';
  return 'p'.repeat(48);
}

/** The environment a container starts with, secrets replaced by placeholders; `fromSecret` lists the keys a Secret supplies. */
function environmentOf(objs: K8sObject[], c: Container): { env: Record<string, string>; fromSecret: Set<string>; literal: Set<string> } {
  const env: Record<string, string> = {};
  const fromSecret = new Set<string>();
  const literal = new Set<string>();
  for (const from of c.envFrom ?? []) {
    if (from.secretRef) throw new Error(`${c.name}: envFrom secretRef hides which keys are needed; use secretKeyRef`);
    const cm = named(objs, 'ConfigMap', from.configMapRef!.name);
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      env[k] = v;
      literal.add(k);
    }
  }
  for (const v of c.env ?? []) {
    if (v.value !== undefined) {
      env[v.name] = v.value;
      literal.add(v.name);
    } else if (v.valueFrom?.secretKeyRef) {
      expect(v.valueFrom.secretKeyRef.name).toBe(SECRET_NAME);
      env[v.name] = placeholder(v.valueFrom.secretKeyRef.key);
      fromSecret.add(v.name);
      literal.delete(v.name);
    } else if (v.valueFrom?.configMapKeyRef) {
      const { name, key } = v.valueFrom.configMapKeyRef;
      const value = named(objs, 'ConfigMap', name).data?.[key];
      if (value === undefined) throw new Error(`${c.name}: ${v.name} refers to missing key ${key} of ConfigMap ${name}`);
      env[v.name] = value;
      literal.add(v.name);
    } else throw new Error(`${c.name}: ${v.name} has neither a value nor a supported valueFrom`);
  }
  return { env, fromSecret, literal };
}

/** Keys of a zod object schema that have neither a default nor optional(): the app refuses to start without them. */
function requiredKeys(schema: { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([k]) => k);
}

const KNOWN_KEYS = new Set([...Object.keys(apiEnvSchema.shape), ...Object.keys(workerEnvSchema.shape), ...QUEUE_ENV_KEYS, ...MIGRATE_KEYS, ...ADMIN_KEYS]);

describe.each(OVERLAYS)('infra/k8s overlay %s', (overlay) => {
  let objs: K8sObject[];
  let migrate: K8sObject[];
  beforeAll(() => {
    objs = render(`overlays/${overlay}`);
    migrate = render(`overlays/${overlay}/migrate`);
  });

  it('renders objects that are valid against the Kubernetes schemas', () => {
    for (const o of [...objs, ...migrate]) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      if (!Model) throw new Error(`no schema registered for ${o.apiVersion} ${o.kind} (${o.metadata.name})`);
      expect(() => new Model(o as never).validate()).not.toThrow();
      expect(o.metadata.namespace).toBe(`fascia-${overlay}`);
    }
    expect(byKind(objs, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(['fascia-admin', 'fascia-api', 'fascia-worker']);
    expect(byKind(migrate, 'Job').map((j) => j.metadata.name)).toEqual(['fascia-migrate']);
  });

  it('labels every object and pod with the recommended labels, the version being the image tag', () => {
    const tag = containerOf(objs, 'Deployment', 'fascia-api').image.split(':').pop();
    for (const o of [...objs, ...migrate]) {
      for (const l of RECOMMENDED_LABELS) expect({ object: `${o.kind}/${o.metadata.name}`, label: l, set: Boolean(o.metadata.labels?.[l]) }).toEqual({ object: `${o.kind}/${o.metadata.name}`, label: l, set: true });
      expect(o.metadata.labels!['app.kubernetes.io/version']).toBe(tag);
      const podLabels = o.spec?.template?.metadata?.labels as Record<string, string> | undefined;
      if (podLabels) for (const l of RECOMMENDED_LABELS) expect(podLabels[l]).toBeTruthy();
      // The version changes every release: never in a selector.
      expect(JSON.stringify(o.spec?.selector ?? {})).not.toContain('app.kubernetes.io/version');
    }
  });

  it('runs every workload from the one image, non-root, read-only, with no capabilities, limits and spread', () => {
    const workloads = [...byKind(objs, 'Deployment'), ...byKind(migrate, 'Job')];
    const images = new Set(workloads.map((w) => (w.spec.template.spec.containers as Container[])[0].image));
    expect(images.size).toBe(1);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers as Container[]) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      }
      if (w.kind === 'Deployment') {
        const keys = (pod.topologySpreadConstraints as { topologyKey: string; labelSelector: { matchLabels: object } }[]).map((t) => t.topologyKey);
        expect(keys).toEqual(expect.arrayContaining(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']));
        for (const t of pod.topologySpreadConstraints) expect(t.labelSelector.matchLabels).toEqual(w.spec.selector.matchLabels);
      }
    }
  });

  it('gives the API an environment its own config accepts, in production mode, secrets by reference', () => {
    const c = containerOf(objs, 'Deployment', 'fascia-api');
    const { env, fromSecret, literal } = environmentOf(objs, c);
    for (const k of requiredKeys(apiEnvSchema)) expect({ key: k, set: k in env }).toEqual({ key: k, set: true });
    const config = loadApiConfig(env);
    expect(config.production).toBe(true);
    expect(config.host).toBe('0.0.0.0');
    for (const k of ['DATABASE_URL', 'APP_SECRET', 'REDIS_URL']) expect(fromSecret).toContain(k);
    expect(queueBackendFromEnv(env).kind).toBe('redis');
    for (const k of literal) expect({ key: k, secret: SECRET_KEYS.has(k) }).toEqual({ key: k, secret: false });
    for (const k of Object.keys(env)) expect({ key: k, known: KNOWN_KEYS.has(k) }).toEqual({ key: k, known: true });
    // Probes on the port the API listens on.
    const http = c.ports!.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(config.port);
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('gives the worker an environment its own config accepts, Redis queues, SMTP and its health port', () => {
    const c = containerOf(objs, 'Deployment', 'fascia-worker');
    const { env, fromSecret, literal } = environmentOf(objs, c);
    for (const k of requiredKeys(workerEnvSchema)) expect({ key: k, set: k in env }).toEqual({ key: k, set: true });
    const { config } = loadWorkerConfig(env, '/app');
    expect(config.queue.kind).toBe('redis');
    expect(config.smtpUrl).not.toBeNull();
    expect(config.mailDir.startsWith('/tmp/')).toBe(true); // the only writable path
    for (const k of ['DATABASE_URL', 'APP_SECRET', 'REDIS_URL', 'SMTP_URL']) expect(fromSecret).toContain(k);
    for (const k of literal) expect({ key: k, secret: SECRET_KEYS.has(k) }).toEqual({ key: k, secret: false });
    for (const k of Object.keys(env)) expect({ key: k, known: KNOWN_KEYS.has(k) }).toEqual({ key: k, known: true });
    const health = c.ports!.find((p) => p.name === 'health')!;
    expect(config.healthPort).toBe(health.containerPort);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
  });

  it('serves the admin app on the port its probes and Service use', () => {
    const c = containerOf(objs, 'Deployment', 'fascia-admin');
    const { env } = environmentOf(objs, c);
    const http = c.ports!.find((p) => p.name === 'http')!;
    expect(Number(env.ADMIN_PORT)).toBe(http.containerPort);
    expect(env.ADMIN_HOST).toBe('0.0.0.0');
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[probe].httpGet).toEqual({ path: '/healthz', port: 'http' });
    for (const k of Object.keys(env)) expect(KNOWN_KEYS.has(k)).toBe(true);
  });

  it('runs the migrations as the owner from the Secret, with the same image as the apps', () => {
    const c = containerOf(migrate, 'Job', 'fascia-migrate');
    expect(c.image).toBe(containerOf(objs, 'Deployment', 'fascia-api').image);
    expect(c.command).toEqual(['node', 'packages/db/dist/cli/migrate.js']);
    const { fromSecret, literal } = environmentOf(migrate, c);
    expect([...fromSecret].sort()).toEqual(['MIGRATION_DATABASE_URL', 'RUNTIME_DB_PASSWORD']);
    for (const k of literal) expect(SECRET_KEYS.has(k)).toBe(false);
    expect(migrate.every((o) => o.metadata.labels!['app.kubernetes.io/version'] === objs[0].metadata.labels!['app.kubernetes.io/version'])).toBe(true);
  });

  it('points HPAs, PDBs, Services and the Ingress at things that exist', () => {
    const deployments = byKind(objs, 'Deployment');
    const hpaTargets = byKind(objs, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef);
    expect(hpaTargets.map((t) => t.name).sort()).toEqual(['fascia-api', 'fascia-worker']);
    for (const t of hpaTargets) expect(named(objs, t.kind, t.name).apiVersion).toBe(t.apiVersion);
    const podsMatching = (selector: Record<string, string>) =>
      deployments.filter((d) => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
    const pdbs = byKind(objs, 'PodDisruptionBudget');
    expect(pdbs.map((p) => podsMatching(p.spec.selector.matchLabels).map((d) => d.metadata.name)).sort()).toEqual([['fascia-admin'], ['fascia-api'], ['fascia-worker']]);
    for (const s of byKind(objs, 'Service')) {
      const [d] = podsMatching(s.spec.selector);
      expect(d).toBeDefined();
      for (const p of s.spec.ports) expect((d.spec.template.spec.containers[0] as Container).ports!.map((x) => x.name)).toContain(p.targetPort);
    }
    const [ingress] = byKind(objs, 'Ingress');
    const paths = ingress.spec.rules[0].http.paths as { path: string; backend: { service: { name: string; port: { name: string } } } }[];
    expect(Object.fromEntries(paths.map((p) => [p.path, p.backend.service.name]))).toEqual({ '/graphql': 'fascia-api', '/reports': 'fascia-api', '/fhir': 'fascia-api', '/ical': 'fascia-api', '/': 'fascia-admin' });
    for (const p of paths) expect(named(objs, 'Service', p.backend.service.name).spec.ports.map((x: { name: string }) => x.name)).toContain(p.backend.service.port.name);
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    expect(`https://${ingress.spec.rules[0].host}`).toBe(named(objs, 'ConfigMap', 'fascia-config').data!.ADMIN_URL);
  });
});
