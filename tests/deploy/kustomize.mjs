// The Kustomize trees of k8s/, rendered as `kubectl apply -k` would send them, and the Kubernetes types to check them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import yaml from 'js-yaml';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every tree the repository ships: the base (for trying out) and each overlay. */
export const trees = ['k8s/base', 'k8s/overlays/production'];

/** The objects `kubectl kustomize` renders from a tree (Debian's kubectl 1.20 and current ones render the same here). */
export function render(tree) {
  const out = execFileSync('kubectl', ['kustomize', path.join(root, tree)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return yaml.loadAll(out).filter(Boolean);
}

/** The kubernetes-models class for an object's apiVersion and kind, or null when the package has none. */
export async function modelOf(object) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [null, object.apiVersion];
  const module = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}`).catch(() => null);
  return module?.[object.kind] ?? null;
}

/** Whether a label selector ({matchLabels, matchExpressions}) selects an object with these labels. */
export function selects(selector, labels = {}) {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In': return values.includes(labels[key]);
      case 'NotIn': return !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabel && byExpression;
}

/** The pod templates of workloads (Deployments, Jobs, ...) with the object they belong to. */
export function podTemplates(objects) {
  return objects.filter(o => o.spec?.template?.spec?.containers).map(o => ({ owner: o, template: o.spec.template }));
}

export const name = o => `${o.kind}/${o.metadata?.name}`;
