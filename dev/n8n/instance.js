'use strict';
// A real n8n user folder as a user of this package has it: the packed package installed the way the
// Community Nodes screen installs it, a 1NCE API credential, and the example workflows imported.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n } = require('./n8n-install');
const { createN8n } = require('./n8n-cli');

const root = path.resolve(__dirname, '..', '..');
const CREDENTIAL = { id: '1nceCredential01', name: '1NCE API' };
const EXAMPLE_WEBHOOK = 'https://hooks.example.com/replace-with-your-chat-webhook';

let packed;

/** Builds and packs the package once per process; returns the .tgz path. */
function packPackage() {
	const shared = process.env.N8N_1NCE_TARBALL;
	if (shared && fs.existsSync(shared)) return shared;
	if (packed && fs.existsSync(packed)) return packed;
	execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore' });
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-pack-'));
	// The tarball lives as long as the process that packed it (jest's main process for the global setup).
	process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
	const info = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: root, encoding: 'utf8' }))[0];
	packed = path.join(dest, info.filename);
	return packed;
}

function loadExamples({ alertsUrl } = {}) {
	const dir = path.join(root, 'examples');
	const workflows = {};
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
		let text = fs.readFileSync(path.join(dir, file), 'utf8');
		if (alertsUrl) text = text.split(EXAMPLE_WEBHOOK).join(alertsUrl);
		workflows[path.basename(file, '.json')] = JSON.parse(text);
	}
	return workflows;
}

/**
 * @param {{ major: 1|2, sim: { url: string, username: string, password: string }, userFolder?: string,
 *   examples?: boolean, alertsUrl?: string }} options
 */
async function prepareInstance({ major, sim, userFolder, examples = true, alertsUrl }) {
	const inst = await ensureN8n(major);
	const folder = userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `n8n-1nce-e2e-${major}-`));
	const n8n = createN8n(inst, folder);
	const tarball = packPackage();
	n8n.installPackageTarball(tarball);
	await n8n.importCredentials([
		{ ...CREDENTIAL, type: 'oneNceApi', data: sim.credentialData() },
	]);
	const workflows = {};
	if (examples) {
		const loaded = loadExamples({ alertsUrl });
		await n8n.importWorkflow(Object.values(loaded));
		for (const [name, workflow] of Object.entries(loaded)) workflows[name] = workflow.id;
	}
	return { n8n, inst, userFolder: folder, credential: CREDENTIAL, workflows, tarball };
}

module.exports = { prepareInstance, packPackage, loadExamples, CREDENTIAL };
