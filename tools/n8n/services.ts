/**
 * Real PostgreSQL and Redis servers for n8n's queue mode, run by the project itself on 127.0.0.1
 * with their data in a folder of our own (git-ignored under .n8n-runtime/): no system service is
 * used or needed. A missing server is installed from Debian's packages with apt-get.
 *
 * PostgreSQL: the Debian binaries (/usr/lib/postgresql/<major>/bin, 15 preferred), a cluster made
 * with initdb in `<dataDir>/postgres`, run by the `postgres` OS user when we are root (PostgreSQL
 * refuses to run as root). Administration goes through a Unix socket in the data folder with peer
 * authentication; clients (n8n) connect over TCP on 127.0.0.1 with a password (scram-sha-256).
 * Redis: `redis-server` in the foreground as our child, without persistence (`--save ''`, no
 * append-only file): it only carries n8n's job queue and pub/sub, while executions live in
 * PostgreSQL. A server left running by a killed earlier run (found by postmaster.pid / redis.pid
 * in the data folder) is stopped before a fresh start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { ROOT } from './runtime';

type Log = (message: string) => void;

const HOST = '127.0.0.1';
export const DEFAULT_POSTGRES_PORT = 5433;
export const DEFAULT_REDIS_PORT = 6380;

export interface PostgresOptions {
	/** The cluster's folder (PGDATA); created by initdb when it holds no cluster yet. */
	dataDir: string;
	/** 5433 by default; 0 for any free port. */
	port?: number;
	/** Database, role and password n8n connects with; `n8n`, `n8n`, `n8n` by default. */
	database?: string;
	user?: string;
	password?: string;
	log?: Log;
}

export interface PostgresHandle {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	dataDir: string;
	/** The server's log. */
	logFile: string;
	/** `pg_ctl stop -m fast`: ends the sessions, checkpoints and exits. */
	stop(): Promise<void>;
}

export interface RedisOptions {
	/** Redis's working folder (log and pid file; no dump is written). */
	dataDir: string;
	/** 6380 by default; 0 for any free port. */
	port?: number;
	log?: Log;
}

export interface RedisHandle {
	host: string;
	port: number;
	dataDir: string;
	logFile: string;
	/** `SHUTDOWN NOSAVE`, then SIGTERM and SIGKILL if it has not exited. */
	stop(): Promise<void>;
}

export interface ServicesOptions {
	/** PostgreSQL's cluster goes to `<dataDir>/postgres`, Redis's files to `<dataDir>/redis`. */
	dataDir: string;
	postgresPort?: number;
	redisPort?: number;
	log?: Log;
}

export interface Services {
	postgres: PostgresHandle;
	redis: RedisHandle;
	/** Stops Redis and PostgreSQL. */
	stop(): Promise<void>;
}

/** PostgreSQL and Redis, both stopped again when either fails to start. */
export async function startServices(options: ServicesOptions): Promise<Services> {
	const log = options.log ?? (() => undefined);
	const postgres = await startPostgres({
		dataDir: join(options.dataDir, 'postgres'),
		port: options.postgresPort,
		log,
	});
	let redis: RedisHandle;
	try {
		redis = await startRedis({
			dataDir: join(options.dataDir, 'redis'),
			port: options.redisPort,
			log,
		});
	} catch (error) {
		await postgres.stop();
		throw error;
	}
	return {
		postgres,
		redis,
		stop: async () => {
			await Promise.all([redis.stop(), postgres.stop()]);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// helpers

interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs a command to its end; never rejects for a non-zero exit (the caller reads `code`).
 * `detached` puts it in a session of its own, so what it leaves running in the background (the
 * postmaster) does not get the terminal's Ctrl-C.
 */
function run(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; detached?: boolean; timeoutMs?: number } = {},
): Promise<RunResult> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(command, args, {
			cwd: '/',
			env: options.env ?? process.env,
			detached: options.detached ?? false,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`${command}: ${error.message}`));
		});
		child.once('close', (code) => {
			clearTimeout(timer);
			resolveRun({ code: code ?? 1, stdout, stderr });
		});
	});
}

function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The first free TCP port on 127.0.0.1 that the system hands out. */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, HOST, () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

/**
 * A free port whose next `count - 1` ports are free too: n8n takes its HTTP port, its task
 * broker the next one, and `n8n execute` (N8nServer.execute) the one after; a port there taken
 * by another process stops n8n at start.
 */
export async function freePortRange(count = 3): Promise<number> {
	for (;;) {
		const port = await freePort();
		let free = true;
		for (let next = port + 1; free && next < port + count; next++) free = await canListen(next);
		if (free) return port;
	}
}

async function canListen(port: number): Promise<boolean> {
	return await new Promise((resolveFree) => {
		const server = createServer();
		server.once('error', () => resolveFree(false));
		server.listen(port, HOST, () => server.close(() => resolveFree(true)));
	});
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
	return await new Promise((resolveInUse) => {
		const socket = connect({ host: HOST, port });
		socket.setTimeout(1000);
		socket.once('connect', () => {
			socket.destroy();
			resolveInUse(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolveInUse(false);
		});
		socket.once('error', () => resolveInUse(false));
	});
}

async function choosePort(requested: number | undefined, fallback: number): Promise<number> {
	const port = requested ?? fallback;
	return port === 0 ? await freePort() : port;
}

function tail(file: string, lines = 30): string {
	return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
	const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const file = join(dir, name);
		if (existsSync(file)) return file;
	}
	return undefined;
}

/** `apt-get update && apt-get install -y <package>`, as root; throws with apt's output on failure. */
async function aptInstall(pkg: string, log: Log): Promise<void> {
	if (!isRoot())
		throw new Error(
			`${pkg} is not installed, and installing it needs root: run \`sudo apt-get install -y ${pkg}\``,
		);
	log(
		`${pkg} is not installed: installing it with apt-get update && apt-get install -y --no-install-recommends ${pkg}...`,
	);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', pkg]]) {
		const result = await run('apt-get', args, { env, timeoutMs: 15 * 60_000 });
		if (result.code !== 0)
			throw new Error(
				`apt-get ${args.join(' ')} failed (${result.code}):\n${(result.stdout + result.stderr).slice(-3000)}`,
			);
	}
	log(`  installed ${pkg}`);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** The bin folder of the installed PostgreSQL: 15 if present, else the newest. */
function postgresBinDir(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const majors = readdirSync(base)
		.filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin/pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	const major = majors.includes('15') ? '15' : majors[0];
	return major ? join(base, major, 'bin') : undefined;
}

async function ensurePostgresInstalled(log: Log): Promise<string> {
	let bin = postgresBinDir();
	if (!bin) {
		// Debian 12's `postgresql` is PostgreSQL 15
		await aptInstall('postgresql', log);
		bin = postgresBinDir();
	}
	if (!bin || !existsSync(join(bin, 'initdb')))
		throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<major>/bin/initdb)');
	return bin;
}

/** uid and gid of the OS user that runs PostgreSQL: `postgres` when we are root, else ourselves. */
async function postgresOsUser(): Promise<{ name?: string; uid: number; gid: number }> {
	if (!isRoot()) return { uid: process.getuid!(), gid: process.getgid!() };
	const [uid, gid] = await Promise.all(
		['-u', '-g'].map(async (flag) => {
			const result = await run('id', [flag, 'postgres']);
			if (result.code !== 0)
				throw new Error(
					'running as root, PostgreSQL needs the `postgres` OS user, which does not exist (apt-get install postgresql creates it)',
				);
			return Number(result.stdout.trim());
		}),
	);
	return { name: 'postgres', uid, gid };
}

/**
 * Running as root, the `postgres` user must be able to reach the data folder. A folder on the way
 * that is ours and lies in this project or the temp folder (mkdtemp makes them 0700) gets the
 * search bit for others (o+x: names can be followed, not listed); anything else is left alone and
 * reported.
 */
async function letPostgresThrough(dataDir: string, osUser: string, log: Log): Promise<void> {
	const reachable = async () =>
		(await run('runuser', ['-u', osUser, '--', 'test', '-w', dataDir])).code === 0;
	if (await reachable()) return;
	const closed: string[] = [];
	for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir))
		if ((statSync(dir).mode & 0o001) === 0) closed.push(dir);
	const within = (dir: string, base: string) => dir.startsWith(`${resolve(base)}/`);
	const ours = closed.filter(
		(dir) =>
			statSync(dir).uid === process.getuid!() && (within(dir, ROOT) || within(dir, tmpdir())),
	);
	for (const dir of ours) {
		log(`  letting the postgres user through ${dir} (chmod o+x)`);
		chmodSync(dir, statSync(dir).mode | 0o001);
	}
	if (ours.length === closed.length && (await reachable())) return;
	const rest = closed.filter((dir) => !ours.includes(dir));
	throw new Error(
		`the postgres OS user cannot reach ${dataDir}: ${rest.join(', ') || 'a parent folder'} ${rest.length === 1 ? 'is' : 'are'} not searchable by others (chmod o+x), or put the data folder elsewhere`,
	);
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresHandle> {
	const log = options.log ?? (() => undefined);
	const dataDir = resolve(options.dataDir);
	const database = options.database ?? 'n8n';
	const user = options.user ?? 'n8n';
	const password = options.password ?? 'n8n';
	for (const [what, value] of [
		['database', database],
		['user', user],
	])
		if (!/^[a-z_][a-z0-9_]*$/.test(value)) throw new Error(`invalid PostgreSQL ${what}: ${value}`);
	if (/['\s\\]/.test(dataDir))
		throw new Error(`the PostgreSQL data folder must not contain quotes or spaces: ${dataDir}`);

	const bin = await ensurePostgresInstalled(log);
	const osUser = await postgresOsUser();
	/** A PostgreSQL program, as the `postgres` user when we are root. */
	const pg = (program: string, args: string[], options: { detached?: boolean } = {}) =>
		osUser.name
			? run('runuser', ['-u', osUser.name, '--', join(bin, program), ...args], options)
			: run(join(bin, program), args, options);

	// the socket path must stay under the kernel's 108 bytes
	const socketDir =
		`${dataDir}/.s.PGSQL.65535`.length < 100
			? dataDir
			: join(
					tmpdir(),
					`payops-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`,
				);
	const logFile = join(dataDir, 'server.log');

	// a server from an earlier run that was killed before it could stop it
	if (existsSync(join(dataDir, 'postmaster.pid'))) {
		const status = await pg('pg_ctl', ['status', '-D', dataDir]);
		if (status.code === 0) {
			const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
			log(
				`  stopping the PostgreSQL an earlier run left running (pid ${lines[0]}, port ${lines[3]})`,
			);
			const stopped = await pg('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
			if (stopped.code !== 0)
				throw new Error(`pg_ctl stop failed:\n${stopped.stdout}${stopped.stderr}`);
		}
	}

	const initialized = existsSync(join(dataDir, 'PG_VERSION'));
	if (initialized) {
		const version = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();
		if (!bin.includes(`/postgresql/${version}/`))
			throw new Error(
				`${dataDir} holds a PostgreSQL ${version} cluster, but the installed server is ${bin}: remove the folder to start afresh`,
			);
	} else if (existsSync(dataDir) && readdirSync(dataDir).length) {
		// a half-made cluster (initdb was interrupted) is made again; anything else is not ours
		if (!['base', 'global', 'pg_wal'].some((d) => existsSync(join(dataDir, d))))
			throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder`);
		rmSync(dataDir, { recursive: true, force: true });
	}
	mkdirSync(dataDir, { recursive: true });
	chownSync(dataDir, osUser.uid, osUser.gid);
	if (socketDir !== dataDir) {
		mkdirSync(socketDir, { recursive: true, mode: 0o700 });
		chownSync(socketDir, osUser.uid, osUser.gid);
	}
	if (osUser.name) await letPostgresThrough(dataDir, osUser.name, log);

	if (!initialized) {
		log(`  creating a PostgreSQL cluster in ${dataDir}`);
		const init = await pg('initdb', [
			'-D',
			dataDir,
			'--encoding=UTF8',
			'--no-locale',
			'--auth-local=peer',
			'--auth-host=scram-sha-256',
		]);
		if (init.code !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
	}

	const port = await choosePort(options.port, DEFAULT_POSTGRES_PORT);
	if (await portInUse(port))
		throw new Error(`port ${port} on ${HOST} is in use: PostgreSQL cannot listen there`);
	if (osUser.name) {
		// the log is written by pg_ctl, which runs as postgres
		closeSync(openSync(logFile, 'a'));
		chownSync(logFile, osUser.uid, osUser.gid);
	}
	// pg_ctl leaves the server running in the background; in its own session, Ctrl-C in the
	// terminal does not reach it, and stop() shuts it down in order
	const started = await pg(
		'pg_ctl',
		[
			'start',
			'-D',
			dataDir,
			'-l',
			logFile,
			'-w',
			'-t',
			'60',
			'-o',
			`-p ${port} -h ${HOST} -k '${socketDir}' -c max_connections=200`,
		],
		{ detached: true },
	);
	if (started.code !== 0)
		throw new Error(
			`pg_ctl start failed (${started.code}):\n${started.stdout}${started.stderr}\n--- ${logFile} ---\n${tail(logFile)}`,
		);

	const stop = async () => {
		if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
		const stopped = await pg('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
		if (stopped.code !== 0 && existsSync(join(dataDir, 'postmaster.pid')))
			throw new Error(`pg_ctl stop failed:\n${stopped.stdout}${stopped.stderr}`);
	};

	try {
		const psql = (sql: string) =>
			pg('psql', [
				'-h',
				socketDir,
				'-p',
				String(port),
				'-d',
				'postgres',
				'-v',
				'ON_ERROR_STOP=1',
				'-tAc',
				sql,
			]);
		const check = async (sql: string) => {
			const result = await psql(sql);
			if (result.code !== 0)
				throw new Error(`psql: ${sql.split(' PASSWORD ')[0]}:\n${result.stderr}`);
			return result.stdout.trim();
		};
		const literal = `'${password.replace(/'/g, "''")}'`;
		const roleExists = (await check(`SELECT 1 FROM pg_roles WHERE rolname = '${user}'`)) === '1';
		// the password is set every time, so it always matches what n8n is given
		await check(`${roleExists ? 'ALTER' : 'CREATE'} ROLE ${user} LOGIN PASSWORD ${literal}`);
		if ((await check(`SELECT 1 FROM pg_database WHERE datname = '${database}'`)) !== '1') {
			log(`  creating database ${database} owned by ${user}`);
			await check(`CREATE DATABASE ${database} OWNER ${user}`);
		}
		// the way n8n connects: TCP on loopback, password authentication
		const tcp = await run(
			join(bin, 'psql'),
			['-h', HOST, '-p', String(port), '-U', user, '-d', database, '-tAc', 'SELECT 1'],
			{ env: { ...process.env, PGPASSWORD: password } },
		);
		if (tcp.code !== 0 || tcp.stdout.trim() !== '1')
			throw new Error(`cannot log in to PostgreSQL as ${user} over TCP:\n${tcp.stderr}`);
	} catch (error) {
		await stop();
		throw error;
	}

	return { host: HOST, port, database, user, password, dataDir, logFile, stop };
}

// ---------------------------------------------------------------------------------------------
// Redis

async function ensureRedisInstalled(log: Log): Promise<string> {
	let bin = findExecutable('redis-server');
	if (!bin) {
		await aptInstall('redis-server', log);
		bin = findExecutable('redis-server');
	}
	if (!bin) throw new Error('redis-server is not installed');
	return bin;
}

/** Sends one command in RESP and returns the first reply line (e.g. `+PONG`). */
function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
	return new Promise((resolveReply, reject) => {
		const socket = connect({ host: HOST, port });
		let reply = '';
		const done = (error?: Error) => {
			socket.destroy();
			if (error) reject(error);
			else resolveReply(reply.split('\r\n')[0]);
		};
		socket.setTimeout(timeoutMs, () => done(new Error('redis: timeout')));
		socket.once('error', (error) => done(error));
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) done();
		});
		// SHUTDOWN closes the connection without a reply
		socket.once('end', () => done());
		socket.write(
			`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
		);
	});
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Stops a redis-server an earlier, killed run left behind (found by its pid file). */
async function stopLeftoverRedis(pidFile: string, log: Log): Promise<void> {
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').trim());
	const cmdline = (() => {
		try {
			return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		} catch {
			return '';
		}
	})();
	if (pid > 0 && processAlive(pid) && cmdline.includes('redis-server')) {
		log(`  stopping the Redis an earlier run left running (pid ${pid})`);
		process.kill(pid, 'SIGTERM');
		const deadline = Date.now() + 10_000;
		while (processAlive(pid) && Date.now() < deadline) await sleep(100);
		if (processAlive(pid)) process.kill(pid, 'SIGKILL');
	}
	rmSync(pidFile, { force: true });
}

export async function startRedis(options: RedisOptions): Promise<RedisHandle> {
	const log = options.log ?? (() => undefined);
	const dataDir = resolve(options.dataDir);
	const bin = await ensureRedisInstalled(log);
	mkdirSync(dataDir, { recursive: true });
	const pidFile = join(dataDir, 'redis.pid');
	const logFile = join(dataDir, 'redis.log');
	await stopLeftoverRedis(pidFile, log);

	const port = await choosePort(options.port, DEFAULT_REDIS_PORT);
	if (await portInUse(port))
		throw new Error(`port ${port} on ${HOST} is in use: Redis cannot listen there`);
	const child: ChildProcess = spawn(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			HOST,
			'--protected-mode',
			'yes',
			'--dir',
			dataDir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--pidfile',
			pidFile,
			'--logfile',
			logFile,
		],
		// its own process group: Ctrl-C in the terminal does not reach it, stop() ends it
		{ detached: true, stdio: 'ignore', cwd: dataDir },
	);
	let exited: number | null | undefined;
	const exit = new Promise<void>((resolveExit) =>
		child.once('exit', (code) => {
			exited = code;
			resolveExit();
		}),
	);
	child.once('error', () => (exited = -1));

	const stop = async () => {
		if (exited !== undefined) return;
		await redisCommand(port, ['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
		const timers = [
			setTimeout(() => child.kill('SIGTERM'), 5000),
			setTimeout(() => child.kill('SIGKILL'), 10_000),
		];
		await exit;
		timers.forEach(clearTimeout);
	};

	const deadline = Date.now() + 20_000;
	for (;;) {
		if (exited !== undefined)
			throw new Error(`redis-server exited (${exited}) while starting:\n${tail(logFile)}`);
		const reply = await redisCommand(port, ['PING']).catch(() => '');
		if (reply === '+PONG') break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not answer PING within 20 s:\n${tail(logFile)}`);
		}
		await sleep(100);
	}
	return { host: HOST, port, dataDir, logFile, stop };
}
