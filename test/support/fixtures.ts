// Shared setup of the node tests: a fresh simulator and credential per test, one n8n engine per file,
// and the spec check every test ends with (requests and responses must conform to the OpenAPI file).
import http from 'node:http';

import { OneNceApi } from '../../credentials/OneNceApi.credentials';
import { OneNce } from '../../nodes/OneNce/OneNce.node';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../dev/simulator';
import { resetProcessState, setClock } from '../../nodes/OneNce/transport/processState';

const { createEngine } = require('../../dev/engine/n8n-engine');

export interface RunOptions {
	/** Items fed to the 1NCE node through a test input node; without it the node runs once on an empty item. */
	input?: object[];
	continueOnFail?: boolean;
	/** Credential to use (default: the test's own). */
	credentials?: object;
	/** The node's Settings tab as n8n stores it: Retry On Fail, Max Tries, Wait Between Tries, On Error. */
	settings?: NodeSettings;
}

export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	/** n8n reads 0 as "the default, 1000 ms"; give 1 for no real wait. */
	waitBetweenTries?: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface RunResult {
	error: any;
	items: (name: string) => Array<{ json: any; pairedItem?: any }>;
	json: (name: string) => any[];
	nodeError: (name: string) => any;
}

export interface Harness {
	sim: Simulator;
	engine: any;
	credentials: object;
	/** Runs the 1NCE node (named '1NCE') inside n8n's engine with these parameters. */
	run: (parameters: Record<string, unknown>, options?: RunOptions) => Promise<RunResult>;
	/** Adds another credential record pointing wherever `data` says. */
	addCredential: (data: Record<string, unknown>) => object;
	/** The 1NCE node's error, failing the test if the run succeeded. */
	runError: (parameters: Record<string, unknown>, options?: RunOptions) => Promise<any>;
	/** The password and every access token issued so far: none may ever appear in an error. */
	secrets: () => string[];
	/**
	 * Starts a loopback proxy in front of the simulator (closed after the test); point a credential at its url.
	 * `intercept` answers a request without forwarding it; `rewrite` replaces the simulator's answer.
	 */
	proxy: (rewrite?: Rewrite, intercept?: Intercept) => Promise<string>;
}

export type ProxyAnswer = { status: number; headers?: Record<string, string>; body?: unknown };
export type ProxyRequest = { method: string; path: string; query: URLSearchParams };
export type Intercept = (request: ProxyRequest) => ProxyAnswer | undefined;

/** What the proxy answers instead of the simulator's answer; undefined passes the answer through. */
export type Rewrite = (
	request: ProxyRequest,
	upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer },
) => ProxyAnswer | undefined;

let credentialCounter = 0;

/** A proxy to `target` whose answers `rewrite` may replace; every request still reaches the simulator. */
async function startProxy(
	target: string,
	rewrite: Rewrite = () => undefined,
	intercept: Intercept = () => undefined,
): Promise<{ url: string; close: () => Promise<void> }> {
	const send = (res: http.ServerResponse, answer: ProxyAnswer) => {
		const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
		res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
		res.end(text);
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		const { pathname: path, searchParams: query } = new URL(req.url ?? '/', 'http://x');
		const request = { method: req.method ?? 'GET', path, query };
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const own = intercept(request);
			if (own) return send(res, own);
			const upstream = http.request(
				`${target}${req.url}`,
				{ method: req.method, headers: { ...req.headers, host: new URL(target).host } },
				(answer) => {
					const body: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => body.push(chunk));
					answer.on('end', () => {
						const upstreamAnswer = { status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(body) };
						const replaced = rewrite(request, upstreamAnswer);
						if (replaced) return send(res, replaced);
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						res.end(Buffer.concat(body));
					});
				},
			);
			upstream.on('error', () => res.destroy());
			upstream.end(Buffer.concat(chunks));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * Registers jest hooks and returns a getter for the current test's harness.
 * `options` are the simulator options of every test in the file.
 */
export function useHarness(options: SimulatorOptions = {}): () => Harness {
	const engine = createEngine({ nodeTypes: { oneNce: new OneNce() }, credentialTypes: [new OneNceApi()] });
	// Remembers every token preAuthentication stored, so tests can check that none leaks into an error.
	const issuedTokens: string[] = [];
	const updateCredentials = engine.credentialsHelper.updateCredentials.bind(engine.credentialsHelper);
	engine.credentialsHelper.updateCredentials = async (nodeCredentials: unknown, type: string, data: any) => {
		if (typeof data?.accessToken === 'string' && data.accessToken !== '') issuedTokens.push(data.accessToken);
		await updateCredentials(nodeCredentials, type, data);
	};
	let current: Harness | undefined;
	let proxies: Array<{ close: () => Promise<void> }> = [];

	beforeEach(async () => {
		// A new simulator may get a port an earlier test used: no pacing history, placements or cache carry over.
		resetProcessState();
		const sim = await startSimulator(options);
		const addCredential = (data: Record<string, unknown>) =>
			engine.store.add(String(++credentialCounter), 'oneNceApi', { ...sim.credentialData(), ...data });
		const credentials = addCredential({});
		const run = async (parameters: Record<string, unknown>, runOptions: RunOptions = {}): Promise<RunResult> => {
			const node = {
				name: '1NCE',
				type: 'n8n-nodes-1nce.oneNce',
				parameters: { resource: 'order', ...parameters },
				credentials: runOptions.credentials ?? credentials,
				...(runOptions.continueOnFail ? { continueOnFail: true } : {}),
				...runOptions.settings,
			};
			const nodes = runOptions.input
				? [{ name: 'In', type: 'testInput', parameters: { items: JSON.stringify(runOptions.input) } }, node]
				: [node];
			return await engine.run({ nodes });
		};
		const runError = async (parameters: Record<string, unknown>, runOptions?: RunOptions) => {
			const result = await run(parameters, runOptions);
			const error = result.nodeError('1NCE');
			if (!error) throw new Error(`Expected the 1NCE node to fail; it returned ${JSON.stringify(result.json('1NCE')).slice(0, 300)}`);
			return error;
		};
		const secrets = () => [sim.password, ...issuedTokens];
		const proxy = async (rewrite?: Rewrite, intercept?: Intercept) => {
			const started = await startProxy(sim.url, rewrite, intercept);
			proxies.push(started);
			return started.url;
		};
		current = { sim, engine, credentials, run, runError, addCredential, secrets, proxy };
	});

	afterEach(async () => {
		const sim = current?.sim;
		current = undefined;
		await Promise.all(proxies.map((p) => p.close()));
		proxies = [];
		if (!sim) return;
		await sim.close();
		// Every request the node sent and every answer it got must conform to the spec.
		expect(sim.validationErrors).toEqual([]);
	});

	afterAll(() => engine.shutdown());

	return () => {
		if (!current) throw new Error('The harness only exists inside a test');
		return current;
	};
}

/**
 * Runs the file's tests with the package's own durations (timeouts, the 5-minute pacing window, the wait
 * after a firewall block) `speed` times faster, as the bench does; Retry-After waits stay real.
 */
export function usePackageSpeed(speed: number): void {
	beforeEach(() => setClock({ speed }));
	afterEach(() => setClock());
}

/** POST /v1/orders requests the simulator saw (answered or not). */
export function orderPosts(sim: Simulator) {
	return sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders');
}

/** Everything an error exposes to a user or a log: message, description, and its serialized form. */
export function errorText(error: any): string {
	const parts = [String(error?.message ?? ''), String(error?.description ?? '')];
	try {
		parts.push(JSON.stringify(error));
	} catch {
		parts.push('[unserializable]');
	}
	parts.push(everyString(error));
	return parts.join('\n');
}

/** Every string reachable from `value` through own properties (enumerable or not), cycles skipped. */
function everyString(value: unknown, seen = new Set<unknown>()): string {
	if (typeof value === 'string') return value;
	if (value === null || typeof value !== 'object' || seen.has(value)) return '';
	seen.add(value);
	return Object.getOwnPropertyNames(value)
		.map((key) => `${key}=${everyString((value as Record<string, unknown>)[key], seen)}`)
		.join('\n');
}

/** Page numbers of the list requests the simulator saw, in arrival order. */
export function listedPages(sim: Simulator): number[] {
	return sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1/orders').map((r) => Number(r.query.page));
}
