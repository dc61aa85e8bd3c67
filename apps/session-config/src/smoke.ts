/**
 * CI check: runs the app and a Node REPL as child processes and asserts on what reaches stderr:
 * the soft-placement line, and placement-log lines from the main thread, the worker thread and
 * the REPL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const device = '/job:localhost/replica:0/task:0/device:CPU:0';
const failures: string[] = [];

function expectIn(where: string, text: string, needle: string): void {
  if (!text.includes(needle)) failures.push(`${where}: expected to see ${JSON.stringify(needle)}`);
}

const app = spawnSync(process.execPath, [fileURLToPath(new URL('./main.js', import.meta.url))], {
  encoding: 'utf8',
});
process.stdout.write(app.stdout);
process.stderr.write(app.stderr);
if (app.status !== 0) failures.push(`app exited with ${app.status}`);
expectIn('app stderr', app.stderr, "Soft placement: asked for backend 'tensorflow'");
expectIn('app stderr', app.stderr, "using 'wasm' (/device:CPU:0) instead");
expectIn('app stderr', app.stderr, `BatchMatMul: ${device}`);
expectIn('app stderr', app.stderr, `Relu: ${device}`);
expectIn('app stderr (worker thread)', app.stderr, `Sigmoid: ${device}`);
expectIn('app stdout', app.stdout, 'relu(x @ w + 1) = [[1.5],[3]]');
expectIn('app stdout', app.stdout, 'worker: sigmoid(0) = 0.5');
expectIn(
  'app stdout',
  app.stdout,
  "allowSoftPlacement=false: Session asked for backend 'tensorflow'",
);
expectIn('app stdout', app.stdout, 'memoryLimitBytes=4096: ResourceExhaustedError');

// The interactive REPL: the same log, with no program file at all. Input is typed line by line
// and the session left open until the answer is printed, as a person at the prompt would.
const repl = await runRepl(
  [
    `Promise.all([import(${JSON.stringify(import.meta.resolve('@keras-ts/backend'))}), import(${JSON.stringify(import.meta.resolve('@tensorflow/tfjs-core'))})])`,
    '.then(async ([K, tf]) => {',
    "  await K.setSession(new K.Session({ config: { logDevicePlacement: true }, backend: 'cpu' }));",
    "  console.log('square(3) =', tf.square(tf.scalar(3)).dataSync()[0]);",
    '});',
  ].join(' '),
  'square(3) =',
);
expectIn('REPL stderr', repl.stderr, `Square: ${device}`);
expectIn('REPL stdout', repl.stdout, 'square(3) = 9');

if (failures.length > 0) {
  console.error(`smoke FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('smoke: soft placement and placement log OK (main thread, worker thread, REPL)');

function runRepl(line: string, doneMarker: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--interactive'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.stdin.end('.exit\n'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes(doneMarker)) child.stdin.end('.exit\n');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
    child.stdin.write(`${line}\n`);
  });
}
