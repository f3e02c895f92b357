// The 1NCE API credential: preAuthentication run with n8n-core's real HTTP client against the simulator,
// and the credential's test request as n8n would send it.
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { errorText, useHarness } from './support/fixtures';

// n8n-core's own httpRequest (axios underneath): the helper n8n hands to preAuthentication.
const { httpRequest } = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions');

const harness = useHarness();
const credentialType = new OneNceApi();
const helpers = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;

function login(data: Record<string, unknown>) {
	const { sim } = harness();
	return credentialType.preAuthentication.call(helpers, { ...sim.credentialData(), ...data });
}

async function loginError(data: Record<string, unknown>): Promise<Error> {
	const error = await login(data).then(
		() => undefined,
		(thrown: Error) => thrown,
	);
	if (!error) throw new Error('Expected the login to fail');
	return error;
}

describe('preAuthentication', () => {
	test('fetches a token with Basic auth and a JSON client_credentials body', async () => {
		const { sim } = harness();
		const output = await login({});
		expect(output.accessToken).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(sim.counts).toMatchObject({ token: 1, total: 1 });
		expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/oauth/token', status: 200 });
	});

	test('a trailing slash in the base URL is fine', async () => {
		const { sim } = harness();
		await login({ baseUrl: `${sim.url}/` });
		expect(sim.requests[0].path).toBe('/oauth/token');
	});

	test('a wrong password: "1NCE login failed: Incorrect username or password", without the password', async () => {
		const error = await loginError({ password: 'wrong-password-42' });
		expect(error.message).toBe('1NCE login failed: Incorrect username or password');
		expect(errorText(error)).not.toContain('wrong-password-42');
		// A fresh error: the HTTP client's error (which holds the Authorization header) is not attached.
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});

	test('an unknown user gets 1NCE’s message too', async () => {
		const error = await loginError({ username: 'nobody' });
		expect(error.message).toBe('1NCE login failed: Incorrect username or password');
		expect(errorText(error)).not.toContain(harness().sim.password);
	});

	test('a failing token endpoint names the status', async () => {
		const { sim } = harness();
		sim.injectFault({ kind: 500, path: '/oauth/token' });
		const error = await loginError({});
		expect(error.message).toBe('1NCE login failed (HTTP 500): Internal server error');
		expect(errorText(error)).not.toContain(sim.password);
	});

	test('an unreachable endpoint names the network error', async () => {
		const { sim } = harness();
		const error = await loginError({ baseUrl: 'http://127.0.0.1:9' });
		expect(error.message).toMatch(/^1NCE login failed: could not reach the token endpoint \(connection refused\)$/);
		expect(errorText(error)).not.toContain(sim.password);
	});

	test('an answer without access_token is refused', async () => {
		const { proxy } = harness();
		const url = await proxy((request) => (request.path === '/oauth/token' ? { status: 200, body: { token_type: 'bearer' } } : undefined));
		const error = await loginError({ baseUrl: url });
		expect(error.message).toBe('1NCE login failed: the token endpoint answered without an access token');
	});

	test.each(['http://example.invalid', 'http://192.168.1.10:8080'])('base URL %s is refused before any request', async (baseUrl) => {
		const { sim } = harness();
		const error = await loginError({ baseUrl });
		expect(error.message).toMatch(/must use https/);
		expect(errorText(error)).not.toContain(sim.password);
		expect(sim.counts.total).toBe(0);
	});

	test('an empty base URL means 1NCE’s own API', async () => {
		// Only loopback traffic in tests: a recording helper shows which URL would be called.
		const urls: string[] = [];
		const recording = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					urls.push(options.url);
					return { access_token: 'x' };
				},
			},
		} as unknown as IHttpRequestHelper;
		await credentialType.preAuthentication.call(recording, { username: 'u', password: 'p', baseUrl: '', accessToken: '' });
		expect(urls).toEqual(['https://api.1nce.com/management-api/oauth/token']);
	});
});

describe('credential test request', () => {
	test('lists one order with the token, and the request conforms to the spec', async () => {
		const { sim, engine } = harness();
		sim.seedOrders(3);
		const { accessToken } = await login({});
		const credentials = { username: sim.username, password: sim.password, baseUrl: `${sim.url}/`, accessToken };
		const node = { name: 'Test', type: 'testInput', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = engine.workflowOf([node]);
		const resolve = (value: unknown) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		const request = credentialType.test.request;
		let options: IHttpRequestOptions = {
			method: 'GET',
			url: `${resolve(request.baseURL)}${request.url}`,
			qs: request.qs,
			json: true,
			returnFullResponse: true,
		};
		options = await engine.credentialsHelper.authenticate(credentials, 'oneNceApi', options, workflow, node);
		const response = await httpRequest(options);
		expect(response.statusCode).toBe(200);
		expect(response.body).toHaveLength(1);
		expect(sim.requests[1]).toMatchObject({ path: '/v1/orders', query: { page: '1', pageSize: '1' }, status: 200 });
		expect(sim.counts).toMatchObject({ token: 1, list: 1 });
	});
});

describe('the credential test uses the nodes’ base URL rules', () => {
	const { BASE_URL_EXPRESSION, normalizeBaseUrl } = require('../nodes/OneNce/transport/baseUrl');

	test('its request uses the shared base URL expression', () => {
		expect(credentialType.test.request.baseURL).toBe(BASE_URL_EXPRESSION);
	});

	test.each([
		'http://127.0.0.1:8080',
		'http://127.0.0.1:8080/',
		' http://127.0.0.1:8080/api ',
		'http://127.0.0.1:8080/api?x=1',
		'http://127.0.0.1:8080/api/#',
		'http://localhost:8080/api//?a=b#c',
		'https://api.1nce.com/management-api',
		'',
		'   ',
	])('%j resolves to the URL the nodes call', (baseUrl) => {
		const { engine } = harness();
		const node = { name: 'Test', type: 'testInput', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = engine.workflowOf([node]);
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			credentialType.test.request.baseURL,
			'internal',
			{ $credentials: { baseUrl } },
			undefined,
			'',
		);
		expect(resolved).toBe(normalizeBaseUrl(baseUrl));
	});

	test('a trailing space, a query and a fragment no longer fail the test: it logs in and lists one order', async () => {
		const { sim, engine } = harness();
		sim.seedOrders(1);
		const baseUrl = `${sim.url}/?x=1#top `;
		const { accessToken } = await login({ baseUrl });
		const credentials = { username: sim.username, password: sim.password, baseUrl, accessToken };
		const node = { name: 'Test', type: 'testInput', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = engine.workflowOf([node]);
		const request = credentialType.test.request;
		const resolve = (value: unknown) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		let options: IHttpRequestOptions = { method: 'GET', url: `${resolve(request.baseURL)}${request.url}`, qs: request.qs, json: true, returnFullResponse: true };
		options = await engine.credentialsHelper.authenticate(credentials, 'oneNceApi', options, workflow, node);
		const response = await httpRequest(options);
		expect(response.statusCode).toBe(200);
		expect(sim.requests.map((r) => r.path)).toEqual(['/oauth/token', '/v1/orders']);
	});
});

describe('the request allowance field', () => {
	test('defaults to 100 per 5 minutes; 0 turns pacing off', () => {
		const field = credentialType.properties.find((property) => property.name === 'requestAllowance');
		expect(field).toMatchObject({ type: 'number', default: 100 });
		expect(field?.description).toMatch(/0 turns pacing off/);
	});

	test.each([-1, 1.5, 'many'])('a bad allowance %j is refused before any request', async (requestAllowance) => {
		const { sim, runError, addCredential } = harness();
		const error = await runError({ operation: 'getAll', returnAll: true }, { credentials: addCredential({ requestAllowance }) });
		expect(error.message).toMatch(/request allowance in the 1NCE API credential must be a whole number/);
		expect(sim.counts.total).toBe(0);
	});
});
