/**
 * Fault injection: rules registered ahead of time (consumed as they hit) or one-shot faults
 * requested per call through a header. Tests use them to prove retry and reconcile behaviour.
 */

export type FaultKind = 'delay' | 'status' | 'drop' | 'drop-after-commit' | 'malformed';

export interface FaultRule {
	method?: string;
	/** Exact path like '/api/v1/payments', or a prefix ending in '*'. */
	path: string;
	fault: FaultKind;
	status?: number;
	/** Seconds, sent as Retry-After (429 always gets one, default 1). */
	retryAfter?: number;
	delayMs?: number;
	/** How many matching requests the rule hits before it is gone; default 1. */
	times?: number;
}

/** What a request actually suffers: a rule or a header, without the matching part. */
export type Fault = Pick<FaultRule, 'fault' | 'status' | 'retryAfter' | 'delayMs'>;

export const FAULT_HEADER = 'x-sandbox-fault';

export class FaultSyntaxError extends Error {}

const FAULT_KINDS: readonly FaultKind[] = [
	'delay',
	'status',
	'drop',
	'drop-after-commit',
	'malformed',
];

export class FaultInjector {
	private readonly rules: Array<{ rule: FaultRule; remaining: number }> = [];

	add(rule: FaultRule): void {
		checkFault(rule);
		this.rules.push({ rule, remaining: rule.times ?? 1 });
	}

	clear(): void {
		this.rules.length = 0;
	}

	/** The first rule matching this request, spending one of its hits. */
	take(method: string, path: string): Fault | undefined {
		const index = this.rules.findIndex(({ rule }) => ruleMatches(rule, method, path));
		if (index < 0) return undefined;
		const entry = this.rules[index];
		entry.remaining--;
		if (entry.remaining <= 0) this.rules.splice(index, 1);
		return entry.rule;
	}
}

function ruleMatches(rule: FaultRule, method: string, path: string): boolean {
	if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
	return rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
}

/** Validates a rule that arrived as untrusted JSON (control endpoint) or from code. */
export function toFaultRule(input: unknown): FaultRule {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		throw new FaultSyntaxError('A fault rule must be an object');
	}
	const candidate = input as Record<string, unknown>;
	if (typeof candidate.path !== 'string' || !candidate.path.startsWith('/')) {
		throw new FaultSyntaxError('Fault rule needs a path starting with /');
	}
	if (candidate.method !== undefined && typeof candidate.method !== 'string') {
		throw new FaultSyntaxError('Fault rule method must be a string');
	}
	for (const key of ['status', 'retryAfter', 'delayMs', 'times'] as const) {
		if (candidate[key] !== undefined && typeof candidate[key] !== 'number') {
			throw new FaultSyntaxError(`Fault rule ${key} must be a number`);
		}
	}
	const rule: FaultRule = {
		path: candidate.path,
		fault: candidate.fault as FaultKind,
		method: candidate.method as string | undefined,
		status: candidate.status as number | undefined,
		retryAfter: candidate.retryAfter as number | undefined,
		delayMs: candidate.delayMs as number | undefined,
		times: candidate.times as number | undefined,
	};
	checkFault(rule);
	return rule;
}

function checkFault(fault: Fault & { times?: number }): void {
	if (!FAULT_KINDS.includes(fault.fault)) {
		throw new FaultSyntaxError(
			`Unknown fault '${String(fault.fault)}', expected one of ${FAULT_KINDS.join(', ')}`,
		);
	}
	if (fault.fault === 'status' && !isIntegerIn(fault.status, 100, 599)) {
		throw new FaultSyntaxError('A status fault needs status 100..599');
	}
	if (fault.fault === 'delay' && !isIntegerIn(fault.delayMs, 0, 600_000)) {
		throw new FaultSyntaxError('A delay fault needs delayMs 0..600000');
	}
	if (fault.retryAfter !== undefined && !isIntegerIn(fault.retryAfter, 0, 86_400)) {
		throw new FaultSyntaxError('retryAfter must be whole seconds 0..86400');
	}
	if (fault.times !== undefined && !isIntegerIn(fault.times, 1, 1_000_000)) {
		throw new FaultSyntaxError('times must be a positive integer');
	}
}

function isIntegerIn(value: number | undefined, min: number, max: number): boolean {
	return value !== undefined && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Compact header form: `status=503`, `status=429;retry-after=2`, `delay=1500`, `drop`,
 * `drop-after-commit`, `malformed`.
 */
export function parseFaultHeader(value: string): Fault {
	const parts = value
		.split(';')
		.map((part) => part.trim())
		.filter(Boolean);
	if (parts.length === 0) throw new FaultSyntaxError('Empty X-Sandbox-Fault header');
	const fault: Partial<Fault> = {};
	for (const part of parts) {
		const [key, raw] = part.split('=', 2).map((piece) => piece.trim());
		const number = raw === undefined ? undefined : Number(raw);
		switch (key) {
			case 'status':
				Object.assign(fault, { fault: 'status', status: number });
				break;
			case 'delay':
				Object.assign(fault, { fault: 'delay', delayMs: number });
				break;
			case 'retry-after':
				fault.retryAfter = number;
				break;
			case 'drop':
			case 'drop-after-commit':
			case 'malformed':
				if (raw !== undefined) throw new FaultSyntaxError(`'${key}' takes no value`);
				fault.fault = key;
				break;
			default:
				throw new FaultSyntaxError(`Unknown X-Sandbox-Fault part '${part}'`);
		}
	}
	if (fault.fault === undefined) throw new FaultSyntaxError('X-Sandbox-Fault names no fault');
	checkFault(fault as Fault);
	return fault as Fault;
}
