// Build = clean, tsc, then copy what tsc does not emit (icons, codex files) into dist/ at the same
// paths, as `n8n-node build` does; then one package per provider from dist/ (tools/packages.ts).
const { src, dest, series } = require('gulp');
const { rmSync } = require('node:fs');
const { execFileSync } = require('node:child_process');

function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		stdio: 'inherit',
	});
	done();
}

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function packages(done) {
	require('ts-node').register({ transpileOnly: true });
	const built = require('./tools/packages.ts').buildProviderPackages();
	console.log(`packages-dist/: ${built.map((p) => p.name).join(', ')}`);
	done();
}

exports.build = series(clean, compile, copyAssets, packages);
exports.packages = packages;
exports.clean = clean;
