'use strict';
/**
 * Drive a real n8n (installed by ./n8n-install.js) through its CLI, for end-to-end tests.
 *
 *   const { ensureN8n } = require('./n8n-install');
 *   const { createN8n } = require('./n8n-cli');
 *   const n8n = createN8n(await ensureN8n(1), fs.mkdtempSync(...));
 *   n8n.installPackageTarball('/path/n8n-nodes-1nce-0.1.0.tgz');
 *   await n8n.importCredentials([{ id, name, type, data }]);
 *   await n8n.importWorkflow({ id, name, nodes, connections, ... });
 *   const res = await n8n.execute(id);     // res.output('Node name') -> [json, ...]
 *   const srv = await n8n.start({ port }); // srv.url, srv.waitForLog(/.../), await srv.stop()
 *
 * Each function also exists standalone, taking the install (`{ n8nBin, nodeBin, major }`) and the
 * user folder first. No dependencies beyond Node's built-ins.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const { watchedSpawn } = require('./watched-spawn');

/** Fixed so imported (encrypted) credentials stay readable across commands of one test. */
const ENCRYPTION_KEY = 'n8n-nodes-1nce-e2e-fixed-encryption-key';

/**
 * Environment for one n8n "instance" living in `userFolder` (n8n keeps its config, sqlite DB,
 * community packages and static cache under it). Inherited N8N_*, DB_*, EXECUTIONS_*, QUEUE_*
 * variables are dropped so the host's settings do not leak in. `extra` wins over everything.
 * `major` (1 or 2) selects the per-major settings; without it, settings that work on both.
 */
function withN8nEnv(userFolder, extra = {}, { major } = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// NODE_ENV and JEST_*: under jest NODE_ENV is "test", which switches n8n into its own test mode
		// (no run output printed, start fails).
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|JEST_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_OPTIONS$|NODE_ENV$)/.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		// `execute` prints its result through the logger at level info: keep info.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
	});
	if (major !== 2) {
		// 1.x on Node 20: the default ("vm") expression engine needs isolated-vm 6, which ships
		// prebuilt binaries only for Node 22/24 (ABI 127/137) and is not built (--ignore-scripts).
		// The legacy engine is plain JS. (Also accepted, with a deprecation notice, by 2.x.)
		env.N8N_EXPRESSION_ENGINE = 'legacy';
		// 1.x: no task runner (and no task broker on port 5679). 2.x always runs one.
		env.N8N_RUNNERS_ENABLED = 'false';
	}
	if (major === 2) {
		// 2.x on Node 24 uses its default "vm" engine (isolated-vm 7 ships a prebuilt for ABI 137).
		// mcp-registry fetches a list from n8n's servers at start (fails noisily offline).
		// The module name is unknown to 1.x, which rejects it.
		env.N8N_DISABLED_MODULES = 'mcp-registry';
	}
	return Object.assign(env, extra);
}

/** A free TCP port on 127.0.0.1 (asked from the OS; tiny race until the caller binds it). */
function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/**
 * Full env for one command of `inst`. 2.x always starts a task broker, on port 5679 by default,
 * so two n8n processes at once (`start` + `execute`, or parallel tests) collide: give each its own.
 */
async function commandEnv(inst, userFolder, extra = {}) {
	const env = withN8nEnv(userFolder, extra, { major: inst.major });
	if (inst.major >= 2 && !extra.N8N_RUNNERS_BROKER_PORT) env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	// 2.x spawns its JS task runner as `node ...` found through PATH: without the Node 24 folder first it
	// would run on the machine's Node 20.
	if (inst.nodeBin !== process.execPath) env.PATH = `${path.dirname(inst.nodeBin)}${path.delimiter}${env.PATH || ''}`;
	return env;
}

/**
 * Install a packed community package (`npm pack` output) the way n8n's Community Nodes install
 * does (n8n 1.123 CommunityPackagesService.downloadPackage): unpack it into
 * `<userFolder>/.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its
 * package.json, `npm install` its own dependencies (only if it has any: then the registry or
 * npm's cache is needed), and record it in `<userFolder>/.n8n/nodes/package.json`.
 * n8n then loads every `node_modules/n8n-nodes-*` (and `@scope/n8n-nodes-*`) there at startup.
 * Returns `{ name, version, dir }`. Node types are `<name>.<node description name>`.
 */
function installPackageTarball(userFolder, tgzPath) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pkg-'));
	try {
		execFileSync('tar', ['-xzf', path.resolve(tgzPath), '-C', tmp, '--strip-components=1']);
		const pkg = JSON.parse(fs.readFileSync(path.join(tmp, 'package.json'), 'utf8'));
		const dir = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.cpSync(tmp, dir, { recursive: true });
		const { devDependencies, peerDependencies, optionalDependencies, ...kept } = pkg;
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(kept, null, 2));
		if (kept.dependencies && Object.keys(kept.dependencies).length) {
			execFileSync('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false',
				'--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--prefer-offline'],
			{ cwd: dir, stdio: 'pipe' });
		}
		const rootPkgFile = path.join(nodesDir, 'package.json');
		let rootPkg = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			rootPkg = JSON.parse(fs.readFileSync(rootPkgFile, 'utf8'));
		} catch {}
		rootPkg.dependencies = { ...(rootPkg.dependencies || {}), [pkg.name]: pkg.version };
		fs.writeFileSync(rootPkgFile, JSON.stringify(rootPkg, null, 2));
		return { name: pkg.name, version: pkg.version, dir };
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/** Run `nodeBin n8nBin ...args`; resolves `{ code, stdout, stderr, ms }` (never rejects on exit code). */
async function runN8n(inst, userFolder, args, { env = {}, timeoutMs = 120000 } = {}) {
	const fullEnv = await commandEnv(inst, userFolder, env);
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(inst.nodeBin, [inst.n8nBin, ...args], {
			cwd: userFolder,
			env: fullEnv,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, ms: Date.now() - t0 });
		});
	});
}

async function runN8nOk(inst, userFolder, args, opts) {
	const r = await runN8n(inst, userFolder, args, opts);
	if (r.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
	}
	return r;
}

function writeTempJson(userFolder, prefix, data) {
	const file = path.join(userFolder, `${prefix}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
	fs.mkdirSync(userFolder, { recursive: true });
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/**
 * Import credentials: an array (or one object) of `{ id, name, type, data }` with plain `data`
 * (n8n encrypts it on import with N8N_ENCRYPTION_KEY), or a path to such a JSON file.
 */
async function importCredentials(inst, userFolder, creds, opts) {
	const file = typeof creds === 'string' ? creds : writeTempJson(userFolder, 'creds', Array.isArray(creds) ? creds : [creds]);
	return runN8nOk(inst, userFolder, ['import:credentials', `--input=${file}`], opts);
}

/** Import one workflow object (or an array, or a JSON file path). Imported workflows are inactive. */
async function importWorkflow(inst, userFolder, workflow, opts) {
	const file = typeof workflow === 'string' ? workflow : writeTempJson(userFolder, 'workflow', workflow);
	return runN8nOk(inst, userFolder, ['import:workflow', `--input=${file}`], opts);
}

/**
 * `execute --rawOutput` prints the run (IRun) as pretty JSON through the logger, i.e. on stdout
 * among other log lines. Its first line is a bare "{" and its last a bare "}" (nested lines are
 * indented), so take the last such block that parses.
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split(/\r?\n/);
	for (let end = lines.length - 1; end >= 0; end--) {
		if (lines[end] !== '}') continue;
		for (let start = end - 1; start >= 0; start--) {
			if (lines[start] !== '{') continue;
			try {
				const obj = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (obj && obj.data && obj.data.resultData) return obj;
			} catch {}
		}
	}
	return null;
}

/**
 * Run a workflow (which must start with a Manual Trigger) with `n8n execute --id <id> --rawOutput`.
 * Resolves `{ ok, code, run, error, output(nodeName, outputIndex=0) -> json[], stdout, stderr, ms }`.
 * `ok` is false when the workflow failed (n8n then prints the error, not the run, and exits non-0).
 */
async function execute(inst, userFolder, workflowId, opts = {}) {
	const r = await runN8n(inst, userFolder, ['execute', `--id=${workflowId}`, '--rawOutput'], opts);
	const run = parseExecuteOutput(r.stdout);
	const error = run ? run.data.resultData.error : undefined;
	const output = (nodeName, outputIndex = 0) => {
		if (!run) throw new Error(`no run data in n8n execute output\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
		const runs = run.data.resultData.runData[nodeName];
		if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
		const main = runs[runs.length - 1].data && runs[runs.length - 1].data.main;
		return ((main && main[outputIndex]) || []).map((item) => item.json);
	};
	return { ok: r.code === 0 && !!run && !error, code: r.code, run, error, output, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/**
 * `export:credentials --all --decrypted`: the stored credentials in plain text, e.g. to check that
 * a token fetched by preAuthentication was saved (and reused) by n8n.
 */
async function exportCredentials(inst, userFolder, opts) {
	const file = path.join(userFolder, `creds-export-${process.pid}-${Date.now()}.json`);
	await runN8nOk(inst, userFolder, ['export:credentials', '--all', '--decrypted', `--output=${file}`], opts);
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** Export the stored workflows (e.g. to read a trigger's staticData). */
async function exportWorkflows(inst, userFolder, opts) {
	const file = path.join(userFolder, `wf-export-${process.pid}-${Date.now()}.json`);
	await runN8nOk(inst, userFolder, ['export:workflow', '--all', `--output=${file}`], opts);
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * Mark a workflow active so that `n8n start` activates it (1.x: `update:workflow --active=true`;
 * 2.x: `publish:workflow`, since 2.x runs the published version of a workflow).
 */
async function activateWorkflow(inst, userFolder, workflowId, opts) {
	if (inst.major >= 2) return runN8nOk(inst, userFolder, ['publish:workflow', `--id=${workflowId}`], opts);
	return runN8nOk(inst, userFolder, ['update:workflow', `--id=${workflowId}`, '--active=true'], opts);
}

function httpGetStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', () => resolve(0));
		req.on('timeout', () => {
			req.destroy();
			resolve(0);
		});
	});
}

/**
 * `n8n start` on 127.0.0.1:<port>; resolves once GET /healthz/readiness answers 200 (DB up,
 * migrations done) and n8n has logged that the editor is accessible (active workflows are
 * activated before that line). Returns `{ url, ms, logs(), waitForLog(re, timeoutMs), stop() }`.
 */
async function startN8n(inst, userFolder, { port, env = {}, timeoutMs = 120000 } = {}) {
	port = port || (await freePort());
	const t0 = Date.now();
	const url = `http://127.0.0.1:${port}`;
	const proc = watchedSpawn(inst.nodeBin, [inst.n8nBin, 'start'], {
		cwd: userFolder,
		env: await commandEnv(inst, userFolder, {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: url,
			...env,
		}),
	});
	const { waitForLog, stop } = proc;

	try {
		for (;;) {
			if (proc.exited) throw new Error(`n8n start exited (${JSON.stringify(proc.exited)})\n${proc.logs().slice(-6000)}`);
			if (Date.now() - t0 > timeoutMs) throw new Error(`n8n start not ready after ${timeoutMs} ms\n${proc.logs().slice(-6000)}`);
			if ((await httpGetStatus(`${url}/healthz/readiness`)) === 200) break;
			await new Promise((r) => setTimeout(r, 250));
		}
		await waitForLog(/Editor is now accessible via/, Math.max(1000, timeoutMs - (Date.now() - t0)));
	} catch (e) {
		await stop();
		throw e;
	}
	return { url, ms: Date.now() - t0, pid: proc.pid, logs: proc.logs, waitForLog, stop };
}

/**
 * Bind everything to one install + user folder. `defaults.env` is added to every command's env
 * (per-call `opts.env` wins).
 */
function createN8n(inst, userFolder, defaults = {}) {
	fs.mkdirSync(userFolder, { recursive: true });
	const base = defaults.env || {};
	const withEnv = (opts = {}) => ({ ...opts, env: { ...base, ...(opts.env || {}) } });
	return {
		inst,
		userFolder,
		env: (extra) => withN8nEnv(userFolder, { ...base, ...extra }, { major: inst.major }),
		run: (args, opts) => runN8n(inst, userFolder, args, withEnv(opts)),
		installPackageTarball: (tgz) => installPackageTarball(userFolder, tgz),
		importCredentials: (c, opts) => importCredentials(inst, userFolder, c, withEnv(opts)),
		importWorkflow: (w, opts) => importWorkflow(inst, userFolder, w, withEnv(opts)),
		execute: (id, opts) => execute(inst, userFolder, id, withEnv(opts)),
		exportCredentials: (opts) => exportCredentials(inst, userFolder, withEnv(opts)),
		exportWorkflows: (opts) => exportWorkflows(inst, userFolder, withEnv(opts)),
		activateWorkflow: (id, opts) => activateWorkflow(inst, userFolder, id, withEnv(opts)),
		start: (opts) => startN8n(inst, userFolder, withEnv(opts)),
	};
}

module.exports = {
	ENCRYPTION_KEY,
	withN8nEnv,
	commandEnv,
	freePort,
	installPackageTarball,
	runN8n,
	importCredentials,
	importWorkflow,
	execute,
	parseExecuteOutput,
	exportCredentials,
	exportWorkflows,
	activateWorkflow,
	startN8n,
	createN8n,
};
