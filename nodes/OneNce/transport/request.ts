import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep, sleepWithAbort } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import type { ApiFailure, FailureContext } from './errors';
import { apiMessageOf, describeFailure, lowerCaseHeaders, parseBody, toNodeApiError } from './errors';
import type { RetryBudget } from './retry';
import { AttemptBudgetSpent, decideRetry, takeAttempt } from './retry';

export const CREDENTIAL_TYPE = 'oneNceApi';

export type ApiContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface ApiRequest {
	method: 'GET' | 'POST';
	/** Path below the base URL, e.g. `/v1/orders`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** What a successful answer's body must be; anything else counts as a malformed (transient) answer. */
	expect?: 'array' | 'object';
	failureContext?: FailureContext;
}

export interface ApiResponse<T = unknown> {
	statusCode: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: T;
}

/** Long enough to wait out a full 5-minute rate-limit window. */
export const DEFAULT_RETRY_BUDGET: RetryBudget = { maxWaitMs: 6 * 60_000 };

function fitsExpectation(body: unknown, expect: ApiRequest['expect']): boolean {
	if (expect === 'array') return Array.isArray(body);
	if (expect === 'object') return body !== null && typeof body === 'object' && !Array.isArray(body);
	return true;
}

async function wait(context: ApiContext, ms: number): Promise<void> {
	if (ms <= 0) return;
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	// sleepWithAbort only exists in newer n8n-workflow releases; the peer range is "*".
	if (typeof sleepWithAbort === 'function') await sleepWithAbort(ms, signal);
	else await sleep(ms);
}

/**
 * The credential with its token blanked: given to n8n, it makes n8n run preAuthentication (a fresh token,
 * stored with the credential) before sending. Needed because HTTP statuses are not thrown (see apiRequest),
 * so n8n's own refresh-after-401 never sees the 401.
 */
function withFreshToken(context: ApiContext, credentials: ICredentialDataDecryptedObject): IAdditionalCredentialOptions {
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		credentialsDecrypted: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: { ...credentials, accessToken: '' },
		},
	};
}

async function sendAttempt(
	context: ApiContext,
	options: IHttpRequestOptions,
	credentialOptions?: IAdditionalCredentialOptions,
): Promise<ApiResponse> {
	const response = (await context.helpers.httpRequestWithAuthentication.call(
		context,
		CREDENTIAL_TYPE,
		options,
		credentialOptions,
	)) as {
		statusCode: number;
		headers: unknown;
		body: unknown;
	};
	return { statusCode: response.statusCode, headers: lowerCaseHeaders(response.headers), body: parseBody(response.body) };
}

/**
 * The only function that talks HTTP to 1NCE. GET requests wait out rate limits and retry transient
 * failures within `budget`; POST requests are sent exactly once whatever happens, because 1NCE has
 * no idempotency key and a repeated order is a real, billed order.
 */
export async function apiRequest<T = unknown>(
	this: ApiContext,
	request: ApiRequest,
	budget: RetryBudget = DEFAULT_RETRY_BUDGET,
): Promise<ApiResponse<T>> {
	const node = this.getNode();
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw toNodeApiError(node, { headers: {}, body: undefined, otherMessage: (error as Error).message });
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json' },
		json: true,
		returnFullResponse: true,
		// Error statuses come back as responses: n8n 1.x wraps a thrown HTTP error in a NodeApiError that
		// drops its status, headers and body, and without them nothing here could tell 429 from 404.
		ignoreHttpStatusErrors: true,
	};
	const idempotent = request.method === 'GET';
	let waitedMs = 0;
	let refreshedToken = false;
	for (let retries = 0; ; retries++) {
		let failure: ApiFailure;
		let budgetSpent = false;
		try {
			takeAttempt(budget);
			let response = await sendAttempt(this, { ...options });
			if (response.statusCode === 401 && !refreshedToken) {
				// The stored token expired or was revoked; 1NCE rejected the request unprocessed, so send it once more.
				refreshedToken = true;
				takeAttempt(budget);
				response = await sendAttempt(this, { ...options }, withFreshToken(this, credentials));
			}
			const { statusCode, headers, body } = response;
			if (statusCode < 200 || statusCode > 299) {
				failure = { status: statusCode, headers, body, apiMessage: apiMessageOf(body) };
			} else if (fitsExpectation(body, request.expect)) {
				return response as ApiResponse<T>;
			} else {
				failure = { status: statusCode, headers, body, malformed: true };
			}
		} catch (error) {
			budgetSpent = error instanceof AttemptBudgetSpent;
			failure = describeFailure(error);
		}
		// Not an HTTP failure: the caller's budget ran out before this attempt was sent.
		if (budgetSpent) throw new AttemptBudgetSpent();
		const decision = idempotent ? decideRetry(failure, retries, waitedMs, budget) : undefined;
		if (!decision?.retry) {
			const mayHaveArrived =
				failure.networkCode !== undefined || failure.malformed === true || (failure.status ?? 0) >= 500;
			throw toNodeApiError(node, failure, {
				...request.failureContext,
				notResent: !idempotent && mayHaveArrived,
				waitedMs,
			});
		}
		await wait(this, decision.delayMs);
		waitedMs += decision.delayMs;
	}
}
