#!/usr/bin/env node
// set-version against its peers on a generated repository (git fast-import): 50,000 commits and
// 5,000 annotated release tags, a few Conventional Commits after the last tag.
//   1. compute time, full clone:   set-version (bundle)  vs  git describe --tags --abbrev=0  (target <= 2x)
//                                  set-version           vs  semantic-release --dry-run      (target >= 10x faster)
//   2. depth-1 clone without tags (Tekton git-clone): bytes fetched and time of set-version's
//      targeted fetch vs a full `git fetch --unshallow --tags`.
//   node bench/set-version/run.mjs [--commits N] [--tags N] [--runs N] [--cache DIR] [--node PATH] [--write]
//   (--write adds a dated section on top of bench/set-version/RESULTS.md, earlier ones kept below;
//    semantic-release comes from bench/set-version/peer, `npm install --no-workspaces --prefix bench/set-version/peer` once)
//   --node: the Node binary that runs the bundle. Default: the official Node 22 build the images
//   ship, at .cache/node-22 (scripts/test-node-versions.sh 22 downloads it), else this Node.
//   Start-up differs a lot between builds (Debian's Node 20 takes about 3x longer than the
//   official one to run `node -e 0`), so the figures always say which one ran.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../../scripts/build.mjs';

const root = new URL('../..', import.meta.url).pathname;
const here = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const COMMITS = opt('commits', 50_000);
const TAGS = opt('tags', 5_000);
const RUNS = opt('runs', 10);
const imageNode = join(root, '.cache/node-22/package/bin/node');
const node = args.includes('--node') ? args[args.indexOf('--node') + 1] : existsSync(imageNode) ? imageNode : process.execPath;
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const nodeLabel = `Node ${nodeVersion} (${node.startsWith(root) ? node.slice(root.length) : node}${node === imageNode ? ', the official build the images ship' : ''})`;
const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// Node 20 loads NODE_EXTRA_CA_CERTS at start-up even when no TLS follows (Node 22 measured 3 ms): with
// Debian's 220 KB bundle that was about 75 ms of `node -e 0` here. The step images do not set it.
const extraCa = process.env.NODE_EXTRA_CA_CERTS ? `NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} was set (Node 20 reads it at start-up)` : 'NODE_EXTRA_CA_CERTS unset';
console.log(`node: ${nodeLabel}; ${extraCa}; load average ${loadBefore}`);

try {
  execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench/set-version needs hyperfine (Debian: apt-get install -y hyperfine)');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'steg-bench-sv-'));
const sh = (cmd, cwd = tmp) => execFileSync('sh', ['-c', cmd], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp } }).trim();
const q = (s) => `'${s.replace(/'/g, "'\\''")}'`;

try {
  // The bundle, as the image runs it.
  const bundle = join(tmp, 'set-version.mjs');
  await build({ ...bundleOptions(join(root, 'packages/set-version/src/cli.ts'), bundle), logLevel: 'error' });

  // The repository: every (COMMITS/TAGS)th commit is a release; 7 commits after the last tag.
  const commits = [];
  const kinds = ['fix: a bug', 'chore: deps', 'feat: a feature', 'docs: words', 'refactor: shape', 'perf: faster', 'test: more'];
  // Tags spread evenly over the history up to 7 commits before HEAD.
  const tagAt = new Set(Array.from({ length: TAGS }, (_, k) => Math.round(((k + 1) * (COMMITS - 8)) / TAGS)));
  let t = 0;
  for (let i = 0; i < COMMITS; i++) {
    const c = { msg: `${kinds[i % kinds.length]} ${i}` };
    if (tagAt.has(i)) {
      c.tag = `v${1 + Math.floor(t / 1000)}.${Math.floor(t / 10) % 100}.${t % 10}`;
      t++;
    }
    commits.push(c);
  }
  // --cache DIR keeps the generated repository between runs (generation takes minutes on 2 cores).
  const cacheDir = args.includes('--cache') ? args[args.indexOf('--cache') + 1] : undefined;
  const remote = join(cacheDir ?? tmp, `remote-${COMMITS}-${TAGS}.git`);
  if (!existsSync(join(remote, 'packed-refs'))) {
    rmSync(remote, { recursive: true, force: true });
    sh(`git init -q --bare -b main ${q(remote)}`);
    const t0 = Date.now();
    execFileSync('git', ['fast-import', '--quiet'], { cwd: remote, input: fastImportStream(commits), maxBuffer: 1 << 30 });
    sh('git gc -q', remote);
    console.log(`repository: ${COMMITS} commits, ${t} tags (fast-import + gc ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    console.log(`repository: ${COMMITS} commits, ${t} tags (cached in ${remote})`);
  }
  const full = join(tmp, 'full');
  sh(`git clone -q file://${remote} full`);
  const local = join(tmp, 'local');
  sh(`git clone -q file://${remote} local && git -C local remote remove origin`);
  const lastTag = sh('git describe --tags --abbrev=0', full);
  const sv = JSON.parse(execFileSync(node, [bundle, '--dir', full, '--log-format', 'json'], { encoding: 'utf8' }).split('\n').filter(Boolean).pop()).results;
  console.log(`git describe: ${lastTag}; set-version: ${sv.version} from ${sv['previous-version']} (bump ${sv.bump})`);

  const hf = (name, commands, extra = [], runs = RUNS, warmup = 2) => {
    const out = join(tmp, `${name}.json`);
    execFileSync('hyperfine', ['-N', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out, ...extra, ...commands], { stdio: ['ignore', 'inherit', 'inherit'] });
    return JSON.parse(readFileSync(out, 'utf8')).results;
  };
  const ms = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
  // Wall-clock median and CPU (user + system, mean): on a shared, loaded machine the CPU figure
  // is the steadier one, so both are printed and both ratios given.
  const cpu = (r) => r.user + r.system;
  const fmt = (r) => `${ms(r.median)} wall, ${ms(cpu(r))} CPU`;
  const ratio = (a, b) => `${(a.median / b.median).toFixed(2)}x wall, ${(cpu(a) / cpu(b)).toFixed(2)}x CPU`;
  const rows = [];

  // 1a. Local tags only (no remote): set-version vs git describe.
  const [desc, svLocal] = hf('describe', [`git -C ${local} describe --tags --abbrev=0`, `${node} ${bundle} --dir ${local}`]);
  rows.push(['compute, full clone, local tags (no remote)', `git describe --tags --abbrev=0: ${fmt(desc)}`, `set-version: ${fmt(svLocal)}`, `set-version takes ${ratio(svLocal, desc)} of git describe (target <= 2x)`]);
  const [nodeBare] = hf('node', [`${node} -e 0`]);
  const less = (a, b) => ({ median: a.median - b.median, user: a.user - b.user, system: a.system - b.system });
  rows.push(['the same without Node start-up', `node -e 0: ${fmt(nodeBare)}`, `set-version minus node -e 0: ${fmt(less(svLocal, nodeBare))}`, `${ratio(less(svLocal, nodeBare), desc)} of git describe`]);
  // 1b. With the remote (ls-remote for tags), as in CI.
  const [svRemote] = hf('remote', [`${node} ${bundle} --dir ${full}`]);
  rows.push(['compute, full clone, with remote (ls-remote of 5,000 tags)', '', `set-version: ${fmt(svRemote)}`, '']);

  // 1c. semantic-release dry run, same clone, only the analysis plugins (offline).
  const srBin = join(here, 'peer/node_modules/.bin/semantic-release');
  if (existsSync(srBin)) {
    sh(`git -C ${full} config user.email b@b && git -C ${full} config user.name b`);
    const srCmd = `${node} ${srBin} --dry-run --no-ci --branches main --repository-url file://${remote} --plugins @semantic-release/commit-analyzer,@semantic-release/release-notes-generator`;
    const probe = spawnSync('sh', ['-c', srCmd], { cwd: full, encoding: 'utf8', env: { ...process.env, HOME: tmp, CI: '' } });
    const said = /next release version is (\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1];
    if (probe.status === 0 && said) {
      const [sr] = hf('semantic-release', [`sh -c ${q(`cd ${full} && ${srCmd}`)}`], [], Math.min(RUNS, 5), 1);
      rows.push(['semantic-release 24 --dry-run (commit-analyzer, release-notes-generator), same clone with remote', `semantic-release: ${fmt(sr)} (says ${said})`, `set-version: ${fmt(svRemote)}`, `set-version is ${ratio(sr, svRemote)} faster (target >= 10x)`]);
    } else {
      rows.push(['semantic-release --dry-run', `did not run offline: exit ${probe.status}: ${`${probe.stderr}${probe.stdout}`.trim().split('\n').slice(-3).join(' / ')}`, '', '']);
    }
  } else {
    rows.push(['semantic-release --dry-run', 'not installed (npm install --no-workspaces --prefix bench/set-version/peer)', '', '']);
  }

  // 2. Depth-1 clone without tags: set-version's targeted fetch vs a full unshallow.
  const shallow0 = join(tmp, 'shallow0');
  sh(`git clone -q --depth=1 --no-tags file://${remote} shallow0`);
  const bytes = (dir) => Number(sh('git count-objects -v', dir).split('\n').reduce((n, l) => (/^size(-pack)?:/.test(l) ? n + Number(l.split(':')[1]) : n), 0)) * 1024;
  const fresh = (name) => {
    rmSync(join(tmp, name), { recursive: true, force: true });
    cpSync(shallow0, join(tmp, name), { recursive: true });
    return join(tmp, name);
  };
  const a = fresh('sa');
  const before = bytes(a);
  execFileSync(node, [bundle, '--dir', a], { stdio: 'ignore' });
  const svBytes = bytes(a) - before;
  const svDepth = sh('git rev-list --count HEAD', a);
  const b = fresh('sb');
  sh('git fetch -q --unshallow --tags origin', b);
  const unBytes = bytes(b) - before;
  const [svShallow, unshallow] = hf('shallow', [`${node} ${bundle} --dir ${join(tmp, 'hs1')}`, `git -C ${join(tmp, 'hs2')} fetch -q --unshallow --tags origin`], [
    '--prepare', `sh -c ${q(`rm -rf ${join(tmp, 'hs1')} ${join(tmp, 'hs2')} && cp -r ${shallow0} ${join(tmp, 'hs1')} && cp -r ${shallow0} ${join(tmp, 'hs2')}`)}`,
  ]);
  rows.push(['depth-1 clone without tags: bytes fetched', `git fetch --unshallow --tags: ${(unBytes / 1048576).toFixed(1)} MiB`, `set-version: ${(svBytes / 1024).toFixed(1)} KiB (history ${svDepth} commits)`, `${(unBytes / Math.max(svBytes, 1)).toFixed(0)}x fewer bytes`]);
  rows.push(['depth-1 clone without tags: time', `git fetch --unshallow --tags: ${fmt(unshallow)}`, `set-version (fetch + compute): ${fmt(svShallow)}`, `set-version is ${ratio(unshallow, svShallow)} faster`]);

  const date = new Date().toISOString().slice(0, 10);
  const cpuModel = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trim();
  const load = sh('cut -d" " -f1-3 /proc/loadavg');
  const table = ['| measure | peer | set-version | ratio |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  console.log(`\n${table}\n`);
  if (args.includes('--write')) {
    const file = join(here, 'RESULTS.md');
    const title = '# bench/set-version results\n';
    const earlier = existsSync(file) ? readFileSync(file, 'utf8').replace(/^# [^\n]*\n+/, '') : '';
    const time = new Date().toISOString().slice(11, 16);
    const section = [
      `## ${date} ${time} UTC, ${nodeLabel}`,
      `Machine: ${cpuModel}, ${sh('nproc')} cores, load average ${loadBefore} before and ${load} after measuring. ${nodeLabel}, ${extraCa}, ${sh('git --version')}, hyperfine medians of ${RUNS} runs (semantic-release: up to 5).`,
      `Repository: ${COMMITS} commits, ${t} annotated tags (git fast-import, then gc), 7 commits after the last tag (${lastTag}); set-version computed ${sv.version}.`,
      `Command: \`node bench/set-version/run.mjs ${args.join(' ')}\``,
      table,
    ].join('\n\n');
    writeFileSync(file, `${title}\n${section}\n\n${earlier}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** A git fast-import stream for a linear history (as packages/set-version/test/fast-import.ts). */
function fastImportStream(commits, branch = 'main', start = 1_700_000_000) {
  const parts = [];
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  commits.forEach((c, i) => {
    const when = `${start + i * 60} +0000`;
    parts.push(`commit refs/heads/${branch}\nmark :${i + 1}\ncommitter dev <dev@example.com> ${when}\n${data(c.msg)}`);
    if (i > 0) parts.push(`from :${i}\n`);
    parts.push(`M 644 inline src/f${Math.floor(i / 100)}.txt\n${data(`${i}\n`)}`);
    if (c.tag) parts.push(`tag ${c.tag}\nfrom :${i + 1}\ntagger dev <dev@example.com> ${when}\n${data(`release ${c.tag}`)}`);
  });
  return parts.join('');
}
