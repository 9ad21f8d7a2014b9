// Validates the deploy files against their published schemas; exits 1 naming every violation.
//   node validate.mjs <docker-compose.yml> <k8s dir>
// Compose: the Compose Specification's JSON schema (compose-spec/compose-spec,
// schema/compose-spec.json, committed in schemas/), with ajv. Kubernetes: the models of
// kubernetes-models (generated from the Kubernetes OpenAPI schema) and of its third-party packages
// (generated from Strimzi's and the Prometheus operator's CRD schemas); each document is validated
// by the model of its apiVersion and kind, and a kind without a model is an error, not a pass.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const [composeFile, k8sDir] = process.argv.slice(2);
const problems = [];
let checked = 0;

// --- Compose
// The Compose Specification's own schema (draft-07), committed with its source: see schemas/README.md.
// Its custom formats (duration, ports, expose, subnet_ip_address) are Docker's Go checks and are
// not validated here; every structural rule is.
const composeSchema = JSON.parse(readFileSync(new URL("./schemas/compose-spec.json", import.meta.url), "utf8"));
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
// (it names draft-07 by its https address, which ajv registers under http://…#: the same meta-schema)
const draft07 = JSON.parse(
  readFileSync(new URL(import.meta.resolve("ajv/dist/refs/json-schema-draft-07.json")), "utf8"),
);
delete draft07.$id;
ajv.addMetaSchema(draft07, composeSchema.$schema);
const validCompose = ajv.compile(composeSchema);
for (const doc of parseAllDocuments(readFileSync(composeFile, "utf8"), { merge: true })) {
  if (doc.errors.length) problems.push(`${composeFile}: YAML: ${doc.errors[0].message}`);
  if (!validCompose(doc.toJS())) {
    for (const e of validCompose.errors) {
      problems.push(`${composeFile}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  checked++;
}

// --- Kubernetes
function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return `kubernetes-models/${version}`;
  if (group.endsWith(".strimzi.io")) return `@kubernetes-models/strimzi-kafka-operator/${group}/${version}`;
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}
for (const f of readdirSync(k8sDir).filter((n) => n.endsWith(".yaml")).sort()) {
  const file = join(k8sDir, f);
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) { problems.push(`${file}: YAML: ${doc.errors[0].message}`); continue; }
    const o = doc.toJS();
    if (o == null) continue;
    const where = `${file}: ${o.kind}/${o.metadata?.name}`;
    let models;
    try {
      models = await import(modulePath(o.apiVersion));
    } catch (e) {
      problems.push(`${where}: no schema for apiVersion ${o.apiVersion} (${e.message})`);
      continue;
    }
    const Model = models[o.kind];
    if (!Model) { problems.push(`${where}: no schema for kind ${o.kind} in ${o.apiVersion}`); continue; }
    try {
      new Model(o).validate();
    } catch (e) {
      const details = (e.errors || []).map((x) => `${x.instancePath || "/"} ${x.message} ${JSON.stringify(x.params)}`);
      problems.push(`${where}: ${details.length ? details.join("; ") : e.message}`);
    }
    checked++;
  }
}

if (problems.length) {
  console.log(`INVALID: ${problems.length} problem(s) in ${checked} document(s)`);
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
console.log(`VALID: ${checked} document(s)`);
