'use strict';
/**
 * n8n in queue mode, as users scale it out: PostgreSQL for data, Redis (Bull) for the queue, one main
 * process (triggers, webhooks) and workers that run the executions. Everything listens on private
 * loopback ports and lives in one folder under <repo>/.cache/queue/, removed by stop().
 *
 *   const { startQueueCluster } = require('./queue');
 *   const cluster = await startQueueCluster({ major: 2, sim, workflows: [wf], activate: [wf.id] });
 *   await cluster.webhook('my-path', { ref: 'x' });   // POST /webhook/my-path on main -> { status, json }
 *   await cluster.sql('select status from execution_entity');
 *   cluster.killWorker(0); await cluster.startWorker(0); await cluster.restartMain();
 *   await cluster.stop();
 *
 * Needs PostgreSQL's initdb/pg_ctl (Debian's postgresql package, or PATH) and redis-server.
 * As root, PostgreSQL runs as the `postgres` user (initdb refuses root). No dependencies beyond Node's
 * built-ins, plus the `pg` client that every n8n install ships (to read n8n's tables).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { createRequire } = require('node:module');
const { ensureN8n, REPO_ROOT } = require('./n8n-install');
const { createN8n, commandEnv, freePort } = require('./n8n-cli');
const { packPackage, loadExamples, CREDENTIAL } = require('./instance');
const { watchedSpawn } = require('./watched-spawn');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A PostgreSQL program: Debian's versioned folders first (newest), then PATH. */
function pgBin(name) {
	const roots = ['/usr/lib/postgresql'];
	for (const root of roots) {
		let versions = [];
		try {
			versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a);
		} catch {}
		for (const v of versions) {
			const file = path.join(root, v, 'bin', name);
			if (fs.existsSync(file)) return file;
		}
	}
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	throw new Error(`${name} not found: install PostgreSQL (Debian: apt-get install postgresql)`);
}

function redisBin() {
	for (const dir of [...(process.env.PATH || '').split(path.delimiter), '/usr/bin', '/usr/sbin']) {
		const file = path.join(dir, 'redis-server');
		if (dir && fs.existsSync(file)) return file;
	}
	throw new Error('redis-server not found: install it (Debian: apt-get install redis-server)');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb refuses to run as root: as root, run PostgreSQL's programs as the `postgres` user. */
function asPgUser(cmd, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function runSync(cmd, args, opts = {}) {
	const [c, a] = asPgUser(cmd, args);
	return execFileSync(c, a, { stdio: 'pipe', encoding: 'utf8', ...opts });
}

/** A folder of our own; as root it must be reachable by the postgres user, else take the temp folder. */
function makeRunDir(major) {
	const name = `run-${major}-${process.pid}-${Date.now().toString(36)}`;
	let dir = path.join(REPO_ROOT, '.cache', 'queue', name);
	fs.mkdirSync(dir, { recursive: true });
	if (isRoot()) {
		try {
			execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]);
		} catch {
			fs.rmSync(dir, { recursive: true, force: true });
			dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-queue-${major}-`));
			fs.chmodSync(dir, 0o755);
		}
	}
	return dir;
}

async function startPostgres(runDir) {
	const t0 = Date.now();
	const data = path.join(runDir, 'pg');
	fs.mkdirSync(data, { mode: 0o700 });
	if (isRoot()) execFileSync('chown', ['postgres:', data]);
	const port = await freePort();
	runSync(pgBin('initdb'), ['-D', data, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
	const options = `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
	runSync(pgBin('pg_ctl'), ['-D', data, '-o', options, '-l', path.join(data, 'server.log'), '-w', '-t', '120', 'start']);
	const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	return {
		port,
		pid,
		data,
		ms: Date.now() - t0,
		stop: () => {
			try {
				runSync(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
			} catch {}
		},
	};
}

async function startRedis(runDir) {
	const t0 = Date.now();
	const port = await freePort();
	const dir = path.join(runDir, 'redis');
	fs.mkdirSync(dir);
	const proc = watchedSpawn(redisBin(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {});
	await proc.waitForLog(/Ready to accept connections/, 60000);
	return { port, pid: proc.pid, ms: Date.now() - t0, stop: () => proc.stop() };
}

/** These processes and all their descendants (task runners, PostgreSQL backends), with RSS in kB. */
function processTree(rootPids) {
	const parent = new Map();
	const rss = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
			parent.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)[1]));
			const m = /^VmRSS:\s+(\d+)/m.exec(status);
			rss.set(Number(entry), m ? Number(m[1]) : 0);
		} catch {}
	}
	const wanted = new Set(rootPids.filter(Boolean));
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, ppid] of parent) if (!wanted.has(pid) && wanted.has(ppid)) wanted.add(pid), (grew = true);
	}
	return [...wanted].map((pid) => ({ pid, kb: rss.get(pid) || 0 }));
}

function treeRssMb(rootPids) {
	return Math.round(processTree(rootPids).reduce((sum, p) => sum + p.kb, 0) / 1024);
}

function post(url, body, timeoutMs) {
	return new Promise((resolve) => {
		const data = JSON.stringify(body);
		const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: timeoutMs }, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => {
				let json;
				try {
					json = JSON.parse(text);
				} catch {}
				resolve({ status: res.statusCode, json, text });
			});
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (error) => resolve({ status: 0, error: error.message }));
		req.end(data);
	});
}

/**
 * Start PostgreSQL, Redis, then prepare one n8n user folder (shared by all n8n processes: the packed
 * package, the 1NCE credential pointing at `sim` (fields in `credential` win), the examples and `workflows`),
 * mark `activate` active,
 * start main and `workers` workers. On any failure, what was started is stopped and removed.
 * `env` is added to every n8n process (e.g. Bull's lock settings).
 */
async function startQueueCluster({ major, sim, workflows = [], activate = [], workers = 2, alertsUrl, env = {}, credential = {}, log = () => {} }) {
	const t0 = Date.now();
	const inst = await ensureN8n(major);
	const runDir = makeRunDir(major);
	const userFolder = path.join(runDir, 'n8n');
	const timings = {};
	let pg;
	let redis;
	let main;
	const workerProcs = [];
	let peakMb = 0;
	let sampler;
	let pgClient;
	let stopping = false;

	const cleanup = async () => {
		stopping = true;
		clearInterval(sampler);
		await pgClient?.end().catch(() => {});
		await Promise.all(workerProcs.map((w) => w?.stop()));
		await main?.stop();
		await redis?.stop();
		pg?.stop();
		if (!process.env.N8N_QUEUE_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
	};

	try {
		pg = await startPostgres(runDir);
		timings.postgresMs = pg.ms;
		redis = await startRedis(runDir);
		timings.redisMs = redis.ms;
		const { Client } = createRequire(path.join(inst.dir, 'package.json'))('pg');
		const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'n8n', database: 'postgres' });
		await admin.connect();
		await admin.query('CREATE DATABASE n8n');
		await admin.end();

		const clusterEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_BULL_PREFIX: `bull-${major}-${process.pid}`,
			N8N_REDIS_KEY_PREFIX: `n8n-${major}-${process.pid}`,
			...env,
		};
		const n8n = createN8n(inst, userFolder, { env: clusterEnv });
		let t = Date.now();
		n8n.installPackageTarball(packPackage());
		await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'oneNceApi', data: { ...sim.credentialData(), ...credential } },
		]);
		const examples = loadExamples({ alertsUrl });
		await n8n.importWorkflow([...Object.values(examples), ...workflows]);
		for (const id of activate) await n8n.activateWorkflow(id);
		timings.prepareMs = Date.now() - t;

		const mainPort = await freePort();
		const startMain = async () => {
			const s = await n8n.start({ port: mainPort, timeoutMs: 240000 });
			log(`main ${major}.x ready in ${s.ms} ms`);
			return s;
		};
		const startWorker = async (i) => {
			const tw = Date.now();
			const proc = watchedSpawn(inst.nodeBin, [inst.n8nBin, 'worker', '--concurrency=10'], {
				cwd: userFolder,
				env: await commandEnv(inst, userFolder, clusterEnv),
			});
			workerProcs[i] = proc;
			proc.exit.then((how) => {
				if (!stopping && !proc.killed) log(`worker ${i} (${major}.x) exited on its own ${JSON.stringify(how)}:\n${proc.logs().slice(-3000)}`);
			});
			await proc.waitForLog(/n8n worker is now ready/, 240000);
			proc.ms = Date.now() - tw;
			log(`worker ${i} (${major}.x) ready in ${proc.ms} ms`);
			return proc;
		};

		t = Date.now();
		main = await startMain();
		timings.mainMs = main.ms;
		t = Date.now();
		// One after the other: on 2 cores parallel start-ups only slow each other down.
		for (let i = 0; i < workers; i++) await startWorker(i);
		timings.workersMs = workerProcs.map((w) => w.ms);
		timings.totalMs = Date.now() - t0;

		pgClient = new Client({ host: '127.0.0.1', port: pg.port, user: 'n8n', database: 'n8n' });
		await pgClient.connect();

		const pids = () => [main?.pid, ...workerProcs.map((w) => w?.pid), pg.pid, redis.pid];
		const sample = () => {
			try {
				peakMb = Math.max(peakMb, treeRssMb(pids()));
			} catch {}
		};
		sample();
		sampler = setInterval(sample, 1000);
		sampler.unref();

		return {
			major,
			inst,
			n8n,
			userFolder,
			runDir,
			timings,
			env: clusterEnv,
			mainUrl: main.url,
			get main() {
				return main;
			},
			workers: workerProcs,
			/** Memory now (MB, RSS of every process of the cluster) and the highest seen since start. */
			memoryMb: () => treeRssMb(pids()),
			get peakMemoryMb() {
				sample();
				return peakMb;
			},
			webhook: (webhookPath, body, { timeoutMs = 180000 } = {}) => post(`${main.url}/webhook/${webhookPath}`, body, timeoutMs),
			sql: async (text, params) => (await pgClient.query(text, params)).rows,
			restartMain: async () => {
				await main.stop();
				main = await startMain();
				return main;
			},
			stopMain: () => main.stop(),
			startMain: async () => (main = await startMain()),
			/** Like a crashed container: the worker and its task runner die at once, nothing is cleaned up. */
			killWorker: (i) => {
				workerProcs[i].killed = true;
				for (const { pid } of processTree([workerProcs[i].pid])) {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {}
				}
			},
			startWorker,
			stop: cleanup,
		};
	} catch (error) {
		await cleanup();
		throw error;
	}
}

module.exports = { startQueueCluster, startPostgres, startRedis, treeRssMb, pgBin, redisBin };
