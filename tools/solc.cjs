#!/usr/bin/env node
// A native-looking `solc` command around solcjs (the WebAssembly build from npm),
// because no native compiler can be installed on an offline machine.
// py-solc-x and ape-solidity call it unchanged:
//   solc --version                  -> two lines in native format
//   solc --standard-json [paths]    -> JSON in on stdin, JSON out on stdout
//   solc FILE... --combined-json X  -> solc's combined-JSON form (for Slither)
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));

const args = process.argv.slice(2);

function optionValues(name) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) values.push(...args[i + 1].split(','));
    else if (args[i].startsWith(name + '=')) values.push(...args[i].slice(name.length + 1).split(','));
  }
  return values.filter((v) => v.length > 0);
}

function searchRoots() {
  return [
    ...optionValues('--base-path'),
    ...optionValues('--include-path'),
    ...optionValues('--allow-paths'),
    process.cwd(),
  ];
}

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : searchRoots().map((root) => path.resolve(root, importPath));
  for (const file of candidates) {
    try {
      return { contents: fs.readFileSync(file, 'utf8') };
    } catch (_) {
      /* try the next root */
    }
  }
  return { error: `File not found: ${importPath} (searched ${searchRoots().join(', ')})` };
}

// Write then let node exit on its own: process.exit() right after a large write
// to a pipe truncates it (stdout is asynchronous for pipes).
function emit(text) {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function readStdin() {
  return fs.readFileSync(0, 'utf8');
}

function compileStandard(input) {
  return solc.compile(input, { import: findImports });
}

function combinedJson(files, selection) {
  const wanted = new Set(selection.split(','));
  const sources = {};
  for (const file of files) sources[file] = { content: fs.readFileSync(file, 'utf8') };
  const outputSelection = { '*': { '*': ['abi', 'evm.bytecode', 'evm.deployedBytecode', 'evm.methodIdentifiers', 'userdoc', 'devdoc'], '': ['ast'] } };
  const remappings = args.filter((a) => /^[^-][^=]*=/.test(a) && !a.startsWith('--'));
  const input = { language: 'Solidity', sources, settings: { outputSelection, remappings, evmVersion: (optionValues('--evm-version')[0] || 'prague') } };
  if (args.includes('--optimize')) input.settings.optimizer = { enabled: true, runs: 200 };
  if (args.includes('--via-ir')) input.settings.viaIR = true;
  const out = JSON.parse(compileStandard(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) {
    process.stderr.write(errors.map((e) => e.formattedMessage).join('\n'));
    process.exitCode = 1;
    return;
  }
  const contracts = {};
  for (const [file, byName] of Object.entries(out.contracts || {})) {
    for (const [name, c] of Object.entries(byName)) {
      const entry = {};
      if (wanted.has('abi')) entry.abi = c.abi;
      if (wanted.has('bin')) entry.bin = c.evm.bytecode.object;
      if (wanted.has('bin-runtime')) entry['bin-runtime'] = c.evm.deployedBytecode.object;
      if (wanted.has('srcmap')) entry.srcmap = c.evm.bytecode.sourceMap || '';
      if (wanted.has('srcmap-runtime')) entry['srcmap-runtime'] = c.evm.deployedBytecode.sourceMap || '';
      if (wanted.has('hashes')) entry.hashes = c.evm.methodIdentifiers;
      if (wanted.has('userdoc')) entry.userdoc = c.userdoc;
      if (wanted.has('devdoc')) entry.devdoc = c.devdoc;
      contracts[`${file}:${name}`] = entry;
    }
  }
  const sourceList = Object.keys(out.sources || {});
  const astSources = {};
  for (const f of sourceList) astSources[f] = { AST: out.sources[f].ast, id: out.sources[f].id };
  emit(JSON.stringify({ contracts, sourceList, sources: astSources, version: solc.version() }));
}

function main() {
  if (args.includes('--version')) {
    emit(`solc, the solidity compiler commandline interface\nVersion: ${solc.version().replace('.Emscripten.clang', '.Linux.g++')}`);
    return;
  }
  if (args.includes('--standard-json')) {
    emit(compileStandard(readStdin()));
    return;
  }
  const combined = optionValues('--combined-json');
  if (combined.length) {
    const files = args.filter((a, i) => a.endsWith('.sol') && !(i > 0 && args[i - 1].startsWith('--')));
    combinedJson(files, combined.join(','));
    return;
  }
  process.stderr.write('solc wrapper: only --version, --standard-json and --combined-json are supported\n');
  process.exitCode = 2;
}

main();
