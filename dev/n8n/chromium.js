'use strict';
// The browser for the editor tests: Debian's Chromium when the machine has one, otherwise a headless Chromium
// from the npm registry (@sparticuz/chromium ships the binary inside its tarball), cached under .cache/ like
// Node 24 and n8n, so `npm test` needs neither apt nor root.

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { CACHE_ROOT, withLock, run, NPM_FLAGS, log } = require('./n8n-install');

const PACKAGE = '@sparticuz/chromium';
const VERSION = '153.0.0';
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for a browser on a closed network: without them Chromium keeps trying to reach Google's hosts. */
const QUIET_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

async function installPackaged() {
	const dir = path.join(CACHE_ROOT, 'chromium');
	const pkgDir = path.join(dir, 'node_modules', ...PACKAGE.split('/'));
	const installed = () => fs.existsSync(path.join(pkgDir, 'package.json')) &&
		JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version === VERSION;
	if (!installed()) {
		await withLock('chromium', async () => {
			if (installed()) return;
			log(`installing ${PACKAGE}@${VERSION} into ${dir} (no system Chromium)`);
			fs.rmSync(dir, { recursive: true, force: true });
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(
				path.join(dir, 'package.json'),
				JSON.stringify({ name: 'n8n-e2e-chromium', private: true, dependencies: { [PACKAGE]: VERSION } }, null, '\t'),
			);
			await run('npm', ['install', ...NPM_FLAGS], { cwd: dir });
		});
	}
	return pkgDir;
}

/**
 * `{ executablePath, args }` for playwright-core's launch. CHROMIUM_PATH overrides; a packaged Chromium is
 * unpacked by its own package (into the temp folder) on first use in each process.
 */
async function ensureChromium() {
	const chosen = process.env.CHROMIUM_PATH || (fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
	if (chosen) return { executablePath: chosen, args: QUIET_FLAGS };
	const pkgDir = await installPackaged();
	// The package is ESM only and jest's module sandbox cannot import() it, so a plain Node child unpacks the
	// browser (the package puts it in the temp folder) and reports the path and the flags it needs.
	const entry = pathToFileURL(path.join(pkgDir, 'build', 'index.js')).href;
	const script = `import(${JSON.stringify(entry)}).then(async ({ default: c }) =>
		process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args })))`;
	const output = await run(process.execPath, ['-e', script]); // stdout and stderr together
	const packaged = JSON.parse(output.slice(output.indexOf('{"executablePath"')));
	// Its headless-shell build needs its own flags (single process, no zygote, SwiftShader) besides ours.
	return { executablePath: packaged.executablePath, args: [...new Set([...packaged.args, ...QUIET_FLAGS])] };
}

module.exports = { ensureChromium };

if (require.main === module) {
	ensureChromium().then((browser) => console.log(JSON.stringify(browser)));
}
