/**
 * deploy/kubernetes (kustomize) and deploy/helm/replimq, rendered by the real tools — `kubectl
 * kustomize` and `helm template`/`helm lint` (both from scripts/k8s/ensure-tools.sh) — and
 * checked twice: every object against the Kubernetes API schema (kubernetes-models' validators:
 * types, required fields, enums and formats; unknown fields are not flagged), and for what an
 * operator needs for the cluster to form and stay up: parallel pod start, a headless service
 * that publishes not-ready addresses with the `replimq` SRV port, readiness on /health, a PDB of
 * one, the secrets from a Secret, and --discover/--bootstrap-expect that the real CLI accepts and
 * that match the replica count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const chart = join(root, 'deploy/helm/replimq');

// Rendered YAML is untyped: `any` where the checks below walk it.
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; [key: string]: any };

let tools = '';
const run = (tool: string, args: string[]): string => execFileSync(join(tools, tool), args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const parse = (text: string): Manifest[] => parseAllDocuments(text).map((document) => document.toJS() as Manifest).filter((object) => object !== null);

beforeAll(() => {
  tools = execFileSync('bash', [join(root, 'scripts/k8s/ensure-tools.sh')], { encoding: 'utf8', timeout: 120_000 }).trim();
}, 150_000);

/** kubernetes-models' class for an object's apiVersion and kind, whose validate() checks it. */
async function validateAgainstSchema(object: Manifest): Promise<void> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
  const module = (await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

function only(objects: Manifest[], kind: string, filter: (object: Manifest) => boolean = () => true): Manifest {
  const found = objects.filter((object) => object.kind === kind && filter(object));
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const secretFiles = mkdtempSync(join(tmpdir(), 'replimq-deploy-'));
afterAll(() => rmSync(secretFiles, { recursive: true, force: true }));

/** The operational must-haves, the same for both renderings. */
function checkCluster(objects: Manifest[], replicas: number, clusterDomain: string): void {
  const set = only(objects, 'StatefulSet');
  const spec = set.spec;
  const podLabels: Record<string, string> = spec.template.metadata.labels;
  expect(spec.replicas).toBe(replicas);
  expect(spec.podManagementPolicy).toBe('Parallel');
  expect(matches(spec.selector.matchLabels, podLabels)).toBe(true);

  const headless = only(objects, 'Service', (service) => service.spec.clusterIP === 'None');
  expect(spec.serviceName).toBe(headless.metadata.name);
  expect(headless.spec.publishNotReadyAddresses).toBe(true);
  expect(matches(headless.spec.selector, podLabels)).toBe(true);
  const container = spec.template.spec.containers[0];
  const port = (name: string): number => container.ports.find((entry: { name: string }) => entry.name === name).containerPort;
  const srv = headless.spec.ports.find((entry: { name: string }) => entry.name === 'replimq');
  expect(srv.targetPort === 'grpc' || srv.targetPort === port('grpc')).toBe(true);

  const client = only(objects, 'Service', (service) => service.spec.clusterIP !== 'None');
  expect(matches(client.spec.selector, podLabels)).toBe(true);
  expect(client.spec.ports.map((entry: { targetPort: string }) => entry.targetPort)).toEqual(['sqs']);

  expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'admin' });
  expect(container.livenessProbe.tcpSocket).toEqual({ port: 'grpc' });

  const budget = only(objects, 'PodDisruptionBudget');
  expect(budget.spec.maxUnavailable).toBe(1);
  expect(matches(budget.spec.selector.matchLabels, podLabels)).toBe(true);

  // Secrets come from a Secret as files, never as literal values in the pod spec.
  const env = Object.fromEntries(container.env.filter((entry: { value?: string }) => entry.value !== undefined).map((entry: { name: string; value: string }) => [entry.name, entry.value]));
  expect(env['REPLIMQ_CLUSTER_SECRET']).toBeUndefined();
  expect(env['REPLIMQ_ADMIN_TOKEN']).toBeUndefined();
  const secretVolume = spec.template.spec.volumes.find((volume: { secret?: unknown }) => volume.secret);
  const mount = container.volumeMounts.find((entry: { name: string }) => entry.name === secretVolume.name).mountPath;
  expect(env['REPLIMQ_CLUSTER_SECRET_FILE']).toBe(`${mount}/cluster-secret`);
  expect(env['REPLIMQ_ADMIN_TOKEN_FILE']).toBe(`${mount}/admin-token`);
  expect(secretVolume.secret.items.map((item: { key: string }) => item.key).sort()).toEqual(['admin-token', 'cluster-secret']);

  // SQLite on a claim of each pod's own, at the data directory.
  const claim = spec.volumeClaimTemplates[0];
  expect(container.volumeMounts.find((entry: { name: string }) => entry.name === claim.metadata.name).mountPath).toBe(env['REPLIMQ_DATA_DIR']);
  expect(env['REPLIMQ_STORAGE']).toBe('sqlite');
  expect(container.resources.requests.cpu).toBeDefined();
  expect(container.resources.limits.memory).toBeDefined();
  expect(spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  expect(container.securityContext.allowPrivilegeEscalation).toBe(false);

  // The pod's command line, as Kubernetes expands it, through the real CLI.
  const namespace = 'queues';
  const args: string[] = container.args.map((arg: string) => arg.replace('$(POD_NAMESPACE)', namespace));
  writeFileSync(join(secretFiles, 'cluster-secret'), 'a-cluster-secret-of-32-characters');
  writeFileSync(join(secretFiles, 'admin-token'), 'an-admin-token-of-some-length');
  const podEnv = {
    ...env,
    HOSTNAME: `${set.metadata.name}-0`,
    REPLIMQ_CLUSTER_SECRET_FILE: join(secretFiles, 'cluster-secret'),
    REPLIMQ_ADMIN_TOKEN_FILE: join(secretFiles, 'admin-token'),
  };
  const request = resolveConfig(args, podEnv);
  if (request.kind !== 'run') throw new Error(request.kind);
  const { cluster } = request.config;
  expect(cluster.discover).toEqual({ name: `${headless.metadata.name}.${namespace}.svc.${clusterDomain}`, port: undefined });
  expect(cluster.bootstrapExpect).toBe(replicas);
  expect(cluster.nodeId).toBe(`${set.metadata.name}-0`);
  expect(request.config.grpcPort).toBe(port('grpc'));
  expect(request.config.adminPort).toBe(port('admin'));
  expect(request.config.sqsPort).toBe(port('sqs'));
}

describe('deploy/kubernetes (kubectl kustomize)', () => {
  it('renders objects that the Kubernetes API schema accepts, and a cluster that can form', async () => {
    const objects = parse(run('kubectl', ['kustomize', 'deploy/kubernetes']));
    expect(objects.map((object) => object.kind).sort()).toEqual(['PodDisruptionBudget', 'Service', 'Service', 'StatefulSet']);
    for (const object of objects) await validateAgainstSchema(object);
    checkCluster(objects, 3, 'cluster.local');
    expect(only(objects, 'StatefulSet').spec.template.spec.volumes.find((volume: { secret?: { secretName: string } }) => volume.secret).secret.secretName).toBe('replimq');
  });
});

describe('deploy/helm/replimq (helm template)', () => {
  it('lints', () => {
    expect(run('helm', ['lint', '--strict', chart, '--set', 'secret.clusterSecret=x,secret.adminToken=y'])).toContain('0 chart(s) failed');
  });

  it('renders, with the secret it makes, objects the schema accepts and a cluster that can form', async () => {
    const objects = parse(run('helm', ['template', 'queues', chart, '--set', 'secret.clusterSecret=s3cr3t-value-of-some-length,secret.adminToken=t0ken']));
    for (const object of objects) await validateAgainstSchema(object);
    checkCluster(objects, 3, 'cluster.local');
    const secret = only(objects, 'Secret');
    const volume = only(objects, 'StatefulSet').spec.template.spec.volumes.find((entry: { secret?: unknown }) => entry.secret);
    expect(volume.secret.secretName).toBe(secret.metadata.name);
    expect(secret.stringData).toEqual({ 'cluster-secret': 's3cr3t-value-of-some-length', 'admin-token': 't0ken' });
  });

  it('ties --bootstrap-expect to replicas, uses an existing Secret when named, and refuses to render without any', async () => {
    const objects = parse(run('helm', ['template', 'mq', chart, '--set', 'replicas=5,secret.existingSecret=mine,clusterDomain=k8s.example']));
    for (const object of objects) await validateAgainstSchema(object);
    checkCluster(objects, 5, 'k8s.example');
    expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
    expect(only(objects, 'StatefulSet').spec.template.spec.volumes.find((entry: { secret?: unknown }) => entry.secret).secret.secretName).toBe('mine');
    expect(() => run('helm', ['template', 'mq', chart])).toThrow(/set secret.clusterSecret/);
  });
});
