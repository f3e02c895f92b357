import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { BASE_URL_EXPRESSION, DEFAULT_BASE_URL, normalizeBaseUrl } from '../nodes/OneNce/transport/baseUrl';
import { loginError, loginFailure, NO_TOKEN } from '../nodes/OneNce/transport/errors';
import { DEFAULT_ALLOWANCE } from '../nodes/OneNce/transport/pacing';
import { realTimeoutMs, TIMEOUTS } from '../nodes/OneNce/transport/timing';

export class OneNceApi implements ICredentialType {
	name = 'oneNceApi';

	displayName = '1NCE API';

	icon = { light: 'file:../nodes/OneNce/oneNce.svg', dark: 'file:../nodes/OneNce/oneNce.dark.svg' } as const;

	documentationUrl = 'https://help.1nce.com/dev-hub/reference/api-welcome';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'User name of a 1NCE Portal "API User" (or the Owner account)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Root of the 1NCE Management API. Only change it for a test server; plain http is accepted for localhost only.',
		},
		{
			displayName: 'Request Allowance (per 5 Minutes)',
			name: 'requestAllowance',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: DEFAULT_ALLOWANCE,
			description:
				"Order and product requests this n8n host may send to 1NCE per 5 minutes (1NCE's limit per IP address is 100). All 1NCE nodes and triggers in this n8n process share it and wait their turn instead of being throttled. Lower it when other software on the same IP address also calls 1NCE; 0 turns pacing off.",
		},
		{
			// Filled by preAuthentication; n8n stores it with the credential and clears it after a 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// 1NCE's token call wants Basic auth plus a JSON body, which n8n's built-in OAuth2 grant cannot send.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		let response: { access_token?: unknown };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/oauth/token`,
				auth: { username: String(credentials.username ?? ''), password: String(credentials.password ?? '') },
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				body: { grant_type: 'client_credentials' },
				json: true,
				timeout: realTimeoutMs(TIMEOUTS.tokenMs),
			})) as { access_token?: unknown };
		} catch (error) {
			throw loginError(loginFailure(error, TIMEOUTS.tokenMs));
		}
		if (typeof response?.access_token !== 'string' || response.access_token === '') {
			throw loginError(NO_TOKEN);
		}
		return { accessToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// Proves login and order read permission with the smallest possible list request, at the URL the nodes use.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/v1/orders',
			qs: { page: 1, pageSize: 1 },
		},
	};
}
