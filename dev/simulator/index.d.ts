// Types for dev/simulator (plain CommonJS) so TypeScript tests can import it.

export type FaultKind =
	| 429
	| 403
	| '403throttle'
	| 500
	| 502
	| 503
	| 401
	| 'reset'
	| 'resetAfterProcessing'
	| 'malformed'
	| 'hang';

export type CreateResponseMode = 'echo200' | 'created201' | 'location201';

export interface RateLimitConfig {
	/** Requests admitted per window (default 100). */
	limit?: number;
	/** Window length in ms (default 300000). */
	windowMs?: number;
	/** Answer when over the limit (default 429). 403 emulates a WAF block. */
	status?: 429 | 403;
	/** Send Retry-After seconds (default true for 429, false for 403). */
	retryAfter?: boolean;
	/** Window kind (default 'sliding'). */
	mode?: 'sliding' | 'fixed';
	/** Body of a 403 block: {"message":"Forbidden"} (default) or an HTML page. */
	body?: 'json' | 'html';
}

export interface FaultSpec {
	kind: FaultKind;
	/** HTTP method to match (any when omitted). */
	method?: string;
	/**
	 * Path to match: exact ('/v1/orders'), glob ('/v1/orders*'), template ('/v1/orders/{n}') or RegExp.
	 * Omitted: every path except /oauth/* (the token endpoint is only faulted when named).
	 */
	path?: string | RegExp;
	/** Retry-After seconds for 429, 403throttle and 503 (header omitted when undefined). */
	retryAfter?: number;
	/** Number of matching requests that get the fault (default 1). */
	times?: number;
	/** Body style of a 403throttle. */
	body?: 'json' | 'html';
}

export interface RandomFaultConfig {
	/** Probability per matching request, 0..1. */
	rate: number;
	kinds: FaultKind[];
	/** Default: every path except /oauth/*. */
	paths?: Array<string | RegExp>;
	methods?: string[];
	/** Retry-After seconds sent with random 429, 403throttle and 503 faults (header omitted when undefined). */
	retryAfter?: number;
}

export interface SimulatorOptions {
	username?: string;
	password?: string;
	tokenTtlSeconds?: number;
	latencyMs?: number;
	rateLimit?: RateLimitConfig | null;
	createResponse?: CreateResponseMode;
	seed?: number | string;
	/** Listen port on 127.0.0.1 (default 0: ephemeral). */
	port?: number;
	/** Spec file (default: env ONENCE_SPEC_PATH, else <project>/spec/order-management.openapi.yml). */
	specPath?: string;
	/** Limit on /v1/sims* (1NCE: 10 requests per second, apart from the orders allowance); default none. */
	simRateLimit?: RateLimitConfig | null;
}

export interface SimProduct {
	id: number;
	product: string;
	material?: string;
	package_size?: number;
	minQuantity?: number;
	maxQuantity?: number;
	maxQuantityPerCustomer?: number;
	min_contract_duration?: number;
	one_time_charges?: Array<{ name?: string; amount_net?: number; currency?: string }>;
	recurring_charges?: Array<{ name?: string; amount_net?: number; currency?: string }>;
}

export interface SimCard {
	iccid: string;
	iccid_with_luhn?: string;
	status: string;
	label?: string;
	[key: string]: unknown;
}

export interface SeedSimsOptions {
	/** Share of Enabled SIMs, 0..1 (default 0.8); the rest are Disabled. */
	enabledShare?: number;
	/** Labels drawn uniformly ('' leaves a SIM without label). */
	labels?: string[];
}

export interface SimResourceCounts {
	/** GET /v1/products */
	products: number;
	/** GET /v1/sims */
	simList: number;
	/** GET /v1/sims/{iccid} */
	simGet: number;
}

export interface SimOrder {
	order_number: number;
	order_type: string;
	order_date: string;
	order_status: string;
	invoice_number?: string;
	invoice_amount?: string;
	currency?: string;
	shipping_address?: Record<string, string>;
	products?: Array<{ product_id?: number; quantity?: number }>;
	sims?: Array<{ iccid: string; _links: Array<{ rel: string; href: string }> }>;
	[key: string]: unknown;
}

export interface SimCounts {
	token: number;
	list: number;
	get: number;
	create: number;
	other: number;
	total: number;
}

export interface SimRequestLogEntry {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** null when the connection was dropped or never answered. */
	status: number | null;
	/** Epoch ms of arrival. */
	at: number;
	/** Fault applied to this request, if any. */
	fault?: FaultKind;
}

export interface SimValidationError {
	kind: 'request' | 'response';
	method: string;
	path: string;
	status?: number;
	errors: string[];
}

export interface Simulator {
	readonly url: string;
	readonly port: number;
	readonly username: string;
	readonly password: string;
	readonly orders: SimOrder[];
	readonly counts: SimCounts;
	readonly requests: SimRequestLogEntry[];
	/** Bodies of accepted POST /v1/orders requests. */
	readonly created: any[];
	readonly validationErrors: SimValidationError[];
	readonly pendingFaults: Array<FaultSpec & { remaining: number }>;
	/** Requests to the products and SIM APIs (counted as `other` in `counts`). */
	readonly resourceCounts: SimResourceCounts;
	readonly products: SimProduct[];
	setProducts(list: SimProduct[]): void;
	readonly sims: SimCard[];
	seedSims(n: number, options?: SeedSimsOptions): SimCard[];
	addSim(partial?: Partial<SimCard>): SimCard;
	setSimRateLimit(config: RateLimitConfig | null): void;
	seedOrders(n: number): SimOrder[];
	addOrder(partial?: Partial<SimOrder>): SimOrder;
	setOrderStatus(orderNumber: number, status: string): SimOrder;
	injectFault(spec: FaultSpec): void;
	setRandomFaults(config: RandomFaultConfig | null): void;
	clearFaults(): void;
	expireTokens(): void;
	/** Issues a valid token without an HTTP request (not counted). */
	issueToken(): string;
	/** Zeroes counts and empties the request log (created and validationErrors are kept). */
	resetCounts(): void;
	setLatency(ms: number): void;
	setRateLimit(config: RateLimitConfig | null): void;
	setCreateResponse(mode: CreateResponseMode): void;
	close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
export function resolveSpecPath(): string;
export function loadSpecDocument(specPath?: string): any;
export function normalizeExclusiveBounds<T>(node: T): T;
export function getSpecApi(specPath?: string): Promise<{ api: any; document: any; specPath: string }>;
export const FAULT_KINDS: FaultKind[];
export const SORT_KEYS: string[];
