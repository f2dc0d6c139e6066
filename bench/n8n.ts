import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nRuntime } from '../tools/n8n/runtime';
import type { Owner } from '../tools/n8n/server';

// What the benches that start a real n8n share: its owner, its versions, its process.

/** The owner account each bench's fresh n8n is set up with. */
export const BENCH_OWNER: Owner = {
	email: 'bench@example.com',
	password: 'Bench-password-1',
	firstName: 'Bench',
	lastName: 'Owner',
};

/** The n8n version installed in the runtime, and the Node it runs on, for the printed tables. */
export function n8nVersions(runtime: N8nRuntime): { n8n: string; node: string } {
	const { version } = JSON.parse(
		readFileSync(join(runtime.appDir, 'node_modules/n8n/package.json'), 'utf8'),
	) as { version: string };
	return {
		n8n: version,
		node: execFileSync(runtime.node, ['--version'], { encoding: 'utf8' }).trim(),
	};
}

/** n8n runs in its own process group: on Ctrl-C (or a kill) stop it and the sandbox first. */
export function stopOnInterrupt(stop: () => Promise<void>, what = 'n8n and the sandbox'): void {
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping ${what}`);
		void stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
}

const CLOCK_TICKS =
	Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [2] pgrp, ... */
export function statFields(pid: number): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined; // gone
	}
}

/** CPU time (user + system) a process has used so far, in ms (/proc, in clock ticks). */
export function cpuMsOf(pid: number | undefined): number {
	const fields = pid === undefined ? undefined : statFields(pid);
	return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS : NaN;
}

/**
 * A memory figure of a process from /proc/<pid>/status, in bytes: VmRSS (resident now) or VmHWM
 * (its peak since it started, or since clear_refs reset it); NaN when the process is gone.
 */
export function memoryOf(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
	try {
		const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
			readFileSync(`/proc/${pid}/status`, 'utf8'),
		);
		return match ? Number(match[1]) * 1024 : NaN;
	} catch {
		return NaN;
	}
}
