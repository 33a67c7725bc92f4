// k8s/ checked offline, for the base and every overlay: each rendered object is a valid object of its Kubernetes type,
// and the objects fit together (selectors select the silo pods and only them, references name what is rendered, the
// metrics and cluster ports stay unexposed). That the settings, ports and paths are ones the service binds, and agree
// with docker-compose.yml, is checked by tests/Minsheng.Silo.Tests/DeploymentFilesTests.cs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { root, trees, render, modelOf, selects, podTemplates, name } from './kustomize.mjs';

const siloPorts = { silo: 11111, gateway: 30000, metrics: 9464 };

for (const tree of trees) {
  const objects = render(tree);
  const of = kind => objects.filter(o => o.kind === kind);
  const one = kind => {
    const found = of(kind);
    assert.equal(found.length, 1, `${tree}: one ${kind}, found ${found.map(name).join(', ') || 'none'}`);
    return found[0];
  };
  const silo = () => one('Deployment');
  const siloLabels = () => silo().spec.template.metadata.labels;
  const jobLabels = () => one('Job').spec.template.metadata.labels;
  const siloContainer = () => silo().spec.template.spec.containers.find(c => c.name === 'silo');

  test(`${tree}: renders every piece of the cluster`, () => {
    for (const kind of ['ConfigMap', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Job', 'NetworkPolicy'])
      one(kind);
  });

  test(`${tree}: every object is valid for its Kubernetes type`, async () => {
    for (const object of objects) {
      const Model = await modelOf(object);
      assert.ok(Model, `${name(object)}: no Kubernetes type ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(() => new Model(object).validate(), `${name(object)} is not a valid ${object.kind}`);
    }
  });

  test(`${tree}: every selector selects the silo pods, and none the migration's`, () => {
    assert.ok(selects(silo().spec.selector, siloLabels()), 'the Deployment selects its own pods');
    assert.ok(!selects(silo().spec.selector, jobLabels()), 'the Deployment does not adopt the migration pods');
    const selectors = [
      ['Service', one('Service').spec.selector && { matchLabels: one('Service').spec.selector }],
      ['PodDisruptionBudget', one('PodDisruptionBudget').spec.selector],
      ['NetworkPolicy', one('NetworkPolicy').spec.podSelector],
    ];
    for (const [kind, selector] of selectors) {
      assert.ok(selector && Object.keys(selector).length > 0, `${kind}: a selector that is not empty`);
      assert.ok(selects(selector, siloLabels()), `${kind} selects the silo pods`);
      assert.ok(!selects(selector, jobLabels()), `${kind} does not select the migration pods`);
    }
  });

  test(`${tree}: references name objects and ports that exist`, () => {
    const hpa = one('HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', silo().metadata.name]);
    assert.ok(hpa.spec.minReplicas >= 3, 'at least three silos');
    assert.equal(silo().spec.replicas, undefined, 'the autoscaler owns the replica count');
    assert.ok(one('PodDisruptionBudget').spec.maxUnavailable < hpa.spec.minReplicas, 'a drain leaves silos running');

    const services = of('Service');
    for (const rule of one('Ingress').spec.rules)
      for (const p of rule.http.paths) {
        const service = services.find(s => s.metadata.name === p.backend.service.name);
        assert.ok(service, `the Ingress routes to Service ${p.backend.service.name}, which is rendered`);
        const port = p.backend.service.port;
        assert.ok(service.spec.ports.some(sp => sp.name === port.name || sp.port === port.number), `Service ${service.metadata.name} has port ${port.name ?? port.number}`);
      }

    const named = new Map(siloContainer().ports.map(p => [p.name, p.containerPort]));
    for (const sp of one('Service').spec.ports)
      assert.ok(named.has(sp.targetPort) || [...named.values()].includes(sp.targetPort), `Service port ${sp.name} targets a container port`);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      assert.ok(named.has(siloContainer()[probe].httpGet.port), `${probe} names a container port`);

    const configMaps = new Set(of('ConfigMap').map(c => c.metadata.name));
    for (const { owner, template } of podTemplates(objects))
      for (const container of template.spec.containers)
        for (const source of container.envFrom ?? [])
          if (source.configMapRef) assert.ok(configMaps.has(source.configMapRef.name), `${name(owner)}: ConfigMap ${source.configMapRef.name} is rendered`);
  });

  test(`${tree}: the Secret's keys are the ones its example shows`, () => {
    const example = yaml.load(fs.readFileSync(path.join(root, 'k8s/base/silo-secret.example.yaml'), 'utf8'));
    assert.equal(of('Secret').length, 0, 'no Secret is rendered: an apply never overwrites the real one');
    const refs = podTemplates(objects).flatMap(({ template }) => template.spec.containers.flatMap(c => (c.env ?? []).map(e => e.valueFrom?.secretKeyRef).filter(Boolean)));
    assert.ok(refs.length >= 3, 'the silo and the migration read their secrets from the Secret');
    for (const ref of refs) {
      assert.equal(ref.name, example.metadata.name);
      assert.ok(ref.key in example.stringData, `the example Secret has key ${ref.key}`);
    }
  });

  test(`${tree}: the metrics, silo and gateway ports are not exposed`, () => {
    const containerPorts = siloContainer().ports;
    for (const [portName, number] of Object.entries(siloPorts))
      assert.equal(containerPorts.find(p => p.name === portName)?.containerPort, number, `container port ${portName}`);
    for (const service of of('Service'))
      for (const sp of service.spec.ports)
        for (const [portName, number] of Object.entries(siloPorts))
          assert.ok(sp.port !== number && sp.targetPort !== number && sp.targetPort !== portName, `Service ${service.metadata.name} exposes ${portName}`);

    const annotations = silo().spec.template.metadata.annotations;
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(Number(annotations['prometheus.io/port']), siloPorts.metrics);

    // Silo-to-silo only from silos, the gateway only from this namespace: no rule opens them to other namespaces,
    // address blocks, or everyone (a rule without `from`).
    for (const rule of one('NetworkPolicy').spec.ingress) {
      const ports = (rule.ports ?? []).map(p => p.port);
      const opensClusterPorts = ports.length === 0 || ports.some(p => p === siloPorts.silo || p === siloPorts.gateway || p === 'silo' || p === 'gateway');
      if (!opensClusterPorts) continue;
      assert.ok(rule.from?.length > 0, 'the silo and gateway ports are not open to everyone');
      for (const peer of rule.from) {
        assert.ok(peer.podSelector && !peer.namespaceSelector && !peer.ipBlock, 'the silo and gateway ports are open only inside the namespace');
        if (ports.includes(siloPorts.silo)) assert.ok(selects(peer.podSelector, siloLabels()) && Object.keys(peer.podSelector).length > 0, 'silo-to-silo only from silos');
      }
    }
  });

  test(`${tree}: event streams pass the Ingress unbuffered with a long read timeout`, () => {
    const annotations = one('Ingress').metadata.annotations;
    assert.equal(annotations['nginx.ingress.kubernetes.io/proxy-buffering'], 'off');
    assert.ok(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
  });
}

test('production: its own namespace, cluster id and a released image', () => {
  const objects = render('k8s/overlays/production');
  const base = render('k8s/base');
  assert.ok(objects.some(o => o.kind === 'Namespace' && o.metadata.name === 'minsheng'));
  for (const o of objects.filter(o => o.kind !== 'Namespace')) assert.equal(o.metadata.namespace, 'minsheng', `${name(o)} in namespace minsheng`);
  for (const { owner, template } of podTemplates(objects))
    for (const c of template.spec.containers)
      assert.match(c.image, /^[^:]+\/[^:]+:(?!latest$)[\w.-]+$/, `${name(owner)}: an image from a registry with a release tag, not ${c.image}`);
  const clusterId = os => os.find(o => o.kind === 'ConfigMap').data.Minsheng__Cluster__ClusterId;
  assert.notEqual(clusterId(objects), clusterId(base), 'production has a cluster id of its own');
});
