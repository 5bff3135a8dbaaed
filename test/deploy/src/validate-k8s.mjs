// Validates Kubernetes objects (JSON on stdin) against the OpenAPI schemas shipped by kubernetes-models (an ESM
// package, hence a separate Node process rather than jest's module system). Prints [{kind, name, error}] of failures.
const MODELS = {
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress': 'kubernetes-models/networking.k8s.io/v1/Ingress',
};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const failures = [];
for (const object of JSON.parse(input)) {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = object.metadata?.name;
  const module = MODELS[key];
  if (!module) {
    failures.push({ kind: key, name, error: 'no schema for this kind' });
    continue;
  }
  const Model = Object.values(await import(module))[0];
  try {
    new Model(object).validate();
  } catch (error) {
    failures.push({ kind: key, name, error: String(error.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(failures));
